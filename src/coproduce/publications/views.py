"""The public study page and its files, and the team's page to build and open the publication."""

from __future__ import annotations

import mimetypes

from django.contrib.auth.decorators import login_required
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coproduce.core.publishing import easy_read as rules
from coproduce.core.publishing import symbols
from coproduce.core.publishing.renderers.easy_read import render_easy_read_html
from coproduce.publications import easy_read, services, tasks
from coproduce.publications.models import (
    EasyReadImage,
    EasyReadPart,
    EasyReadVersion,
    PublicationBuild,
    PublishedStudy,
)
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


# The Easy Read version: an overview, a side-by-side editor per part, and what they show.


@login_required
@require_http_methods(["GET", "POST"])
def easy_read_page(request: TeamRequest, slug: str) -> HttpResponse:
    """The Easy Read version: its title, text size and hard words, each part with what it still
    breaks, and whether it goes into the publication."""
    study: Study = team_study(request, slug, change=Permission.CHANGE_STUDY)
    version = easy_read.version_for(study, request.user)
    if request.method == "POST":
        by, post = request.user, request.POST
        size = post.get("text_size", "")
        actions = {
            "settings": Action(
                lambda: easy_read.save_settings(
                    version,
                    by,
                    post.get("title", ""),
                    int(size) if size.isdecimal() else 0,
                    post.get("published") == "yes",
                ),
                _("Saved."),
            ),
            "word": Action(
                lambda: easy_read.explain_word(
                    version, by, post.get("word", ""), post.get("meaning", "")
                ),
                _("Saved the hard word."),
            ),
        }
        return run_action(request, actions, redirect("easy-read", slug))
    model = easy_read.as_easy_read(version)
    problems = rules.problems(model)
    parts = [
        (part, sum(1 for p in problems if p.where.startswith(part.heading + ",")))
        for part in easy_read.ordered_parts(version)
    ]
    context = {
        "study": study,
        "version": version,
        "parts": parts,
        "problems": problems,
        "sizes": EasyReadVersion.TEXT_SIZES,
        "can_edit": request.user.has_perm(Permission.CHANGE_STUDY, study),
        "most_words": rules.MOST_WORDS,
        "most_pages": rules.MOST_PAGES,
    }
    return render(request, "publications/easy_read.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def easy_read_part(request: TeamRequest, slug: str, number: int) -> HttpResponse:
    """One part side by side: what the finding says on the left, its easy version on the right,
    point by point with pictures, and the rules each point breaks."""
    study: Study = team_study(request, slug, change=Permission.CHANGE_STUDY)
    version = easy_read.version_for(study, request.user)
    part = get_object_or_404(EasyReadPart, version=version, pk=number)
    if request.method == "POST":
        points, uploads = posted_points(request, len(part.points) + easy_read.BLANK_POINTS)
        heading = request.POST.get("heading", "")
        saved = Action(
            lambda: easy_read.save_part(part, request.user, heading, points, uploads),
            _("Saved. The rules are checked again below."),
        )
        return run_action(request, {"save": saved}, redirect("easy-read-part", slug, number))
    model = easy_read.as_easy_read(version)
    found = rules.problems(model)
    context = {
        "study": study,
        "version": version,
        "part": part,
        "source": easy_read.source_of(part),
        "points": easy_read.editor_points(part, found),
        "part_problems": [p for p in found if p.where.startswith(part.heading + ",")],
        "can_edit": request.user.has_perm(Permission.CHANGE_STUDY, study),
        "most_words": rules.MOST_WORDS,
    }
    return render(request, "publications/easy_read_part.html", context)


def posted_points(
    request: HttpRequest, count: int
) -> tuple[list[easy_read.PointForm], dict[int, tuple[str, bytes]]]:
    """The editor's points as posted: words, picture (a chosen symbol, else the words to find
    one), the team's own image kept or newly uploaded, and its alt text."""
    post, points, uploads = request.POST, [], {}
    for n in range(min(count, easy_read.MOST_POINTS + easy_read.BLANK_POINTS)):
        image = post.get(f"image-{n}", "")
        keep = image.isdecimal() and post.get(f"drop-image-{n}") != "yes"
        points.append(
            easy_read.PointForm(
                text=post.get(f"text-{n}", ""),
                picture=post.get(f"picture-{n}", ""),
                choice=chosen_symbol(post, n),
                image=int(image) if keep else None,
                alt=post.get(f"alt-{n}", ""),
            )
        )
        upload = request.FILES.get(f"upload-{n}")
        if upload is not None:
            uploads[n] = (upload.name or "picture", upload.read(easy_read.IMAGE_MAX_BYTES + 1))
    return points, uploads


def chosen_symbol(post: QueryDict, n: int) -> str:
    """The picture chosen for point n: one picked from those offered, else the one it had
    (unless its search words were changed, when the new words find one)."""
    picked = post.get(f"choose-{n}", "")
    unchanged = post.get(f"picture-{n}", "").strip() == post.get(f"was-{n}", "").strip()
    return picked or (post.get(f"current-{n}", "") if unchanged else "")


@login_required
@require_POST
def easy_read_check(request: TeamRequest, slug: str) -> JsonResponse:
    """The rules one point's words break, for the editor's live check (its script posts here;
    without the script, saving checks the same rules)."""
    study: Study = team_study(request, slug, change=Permission.CHANGE_STUDY)
    version = easy_read.version_for(study, request.user)
    advice = easy_read.check_words(version, request.POST.get("text", "")[: easy_read.MOST_TEXT])
    return JsonResponse({"problems": advice})


@login_required
@require_GET
def easy_read_preview(request: TeamRequest, slug: str) -> HttpResponse:
    """The Easy Read page as readers will see it, rules broken or not."""
    study: Study = team_study(request, slug)
    version = easy_read.version_for(study, request.user)
    page = render_easy_read_html(easy_read.as_easy_read(version), study.title)
    return HttpResponse(page, content_type="text/html; charset=utf-8")


@login_required
@require_GET
def easy_read_symbol(request: TeamRequest, slug: str, symbol: str) -> HttpResponse:
    """An OpenMoji picture, for the editor."""
    team_study(request, slug)
    if symbols.find(symbol) is None:
        raise Http404(_("There is no such picture."))
    response = HttpResponse(symbols.svg(symbol), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
@require_GET
def easy_read_image(request: TeamRequest, slug: str, image: int) -> HttpResponse:
    """One of the team's own Easy Read pictures."""
    study: Study = team_study(request, slug)
    found = get_object_or_404(EasyReadImage, version__study=study, pk=image)
    response = HttpResponse(bytes(found.data), content_type=found.kind)
    response["X-Content-Type-Options"] = "nosniff"
    return response
