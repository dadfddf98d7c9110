"""The public study page and its files, and the team's page to build and open the publication."""

from __future__ import annotations

import mimetypes

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coproduce.publications import services, tasks
from coproduce.publications.models import PublicationBuild, PublishedStudy
from coproduce.site.requests import Action, TeamRequest, run_action, team_study
from coproduce.studies.models import Study
from coproduce.studies.permissions import Permission

TYPES = {".md": "text/markdown; charset=utf-8", ".csv": "text/csv; charset=utf-8"}


@require_GET
def public_study(request: HttpRequest, slug: str) -> HttpResponse:
    """What the study published, once its team opened it to the public."""
    record = services.public_publication(slug)
    if record is None:
        raise Http404(_("This study has not published anything yet."))
    context = {"study": record.study, "record": record}
    return render(request, "publications/public.html", context)


@require_GET
def publication_file(request: HttpRequest, slug: str, path: str) -> FileResponse:
    """One file of the publication: for everyone once public, for the team before."""
    record = PublishedStudy.objects.select_related("study").filter(study__slug=slug).first()
    if record is None:
        raise Http404(_("This study has not published anything yet."))
    if not record.public and not request.user.has_perm(Permission.VIEW_STUDY, record.study):
        raise Http404(_("This study has not published anything yet."))
    if not path or path.endswith("/"):
        path += "index.html"
    if path not in {entry["path"] for entry in record.files}:
        raise Http404(_("The publication has no file %(p)s.") % {"p": path[:100]})
    target = services.folder_for(record.study) / path
    if not target.is_file():
        raise Http404(_("The publication is being rebuilt; try again in a moment."))
    kind = TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0]
    response = FileResponse(target.open("rb"), content_type=kind or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def publication_page(request: TeamRequest, slug: str) -> HttpResponse:
    """Build the publication, preview it, and open it to the public (or close it again)."""
    study: Study = team_study(request, slug, change=Permission.EXPORT_STUDY)
    if request.method == "POST":
        by = request.user
        actions = {
            "build": Action(
                lambda: tasks.ask_for_build(study, by),
                _("The publication is being built in the background; its progress is below."),
            ),
            "public": Action(
                lambda: services.set_public(study, by, True),
                _("The publication is public now."),
            ),
            "private": Action(
                lambda: services.set_public(study, by, False),
                _("Only the team can read the publication now."),
            ),
        }
        return run_action(request, actions, redirect("publication", slug))
    context = {
        "study": study,
        "record": PublishedStudy.objects.filter(study=study).first(),
        "latest": PublicationBuild.objects.filter(study=study).first(),
        "steps": services.STEPS,
        "can_publish": request.user.has_perm(Permission.EXPORT_STUDY, study),
    }
    return render(request, "publications/team.html", context)
