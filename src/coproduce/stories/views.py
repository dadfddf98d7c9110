"""Story pages: participants tell a story (no JavaScript needed); the team gathers, imports,
checks, quotes and curates them in the story bank."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from coproduce.core.evidence import ConsentLevel
from coproduce.site.requests import (
    Action,
    TeamRequest,
    asked_to_reread,
    confirmed,
    participant_page,
    posted,
    posted_ids,
    remember_participant,
    run_action,
    session_participant,
    submitted,
    team_study,
)
from coproduce.stories import services
from coproduce.stories.forms import GatheredStoryForm, ImportForm, ParticipantStoryForm
from coproduce.stories.models import Feeling, Story, StoryKind
from coproduce.stories.services import NewStory
from coproduce.studies import audit
from coproduce.studies import services as study_services
from coproduce.studies.models import (
    CHANNEL_CHOICES,
    CONSENT_LEVEL_CHOICES,
    CONTRIBUTOR_ROLE_CHOICES,
    AuditEvent,
    Participant,
    Study,
)
from coproduce.studies.permissions import Permission
from coproduce.uploads import upload


def new_story(data: dict[str, Any], **extra: Any) -> NewStory:
    return NewStory(
        kind=data["kind"],
        consent_level=data.get("level"),
        text=data.get("text", ""),
        sectors=data.get("sectors", []),
        feeling=data.get("feeling") or Feeling.NOT_SAID,
        feeling_words=data.get("feeling_words", ""),
        **extra,
    )


def about_the_teller(data: dict[str, Any]) -> dict[str, Any]:
    """The story form's teller fields and files, as tell_story and gather_story take them."""
    return {
        "role": data.get("role") or "not_said",
        "self_description": data.get("self_description", ""),
        "recording": upload(data.get("recording")),
        "transcript": upload(data.get("transcript")),
    }


@require_http_methods(["GET", "POST"])
def tell(request: HttpRequest, code: str) -> HttpResponse:
    """A participant tells their story (joining the study with it if they have not yet)."""
    study = get_object_or_404(Study, join_code=code)
    participant = session_participant(request, study)
    sectors = [s.name for s in services.sectors_for(study)]
    joined = participant is not None and participant.consent_level() != ConsentLevel.WITHDRAWN
    if participant is not None and joined and request.method == "GET":
        asked = asked_to_reread(participant)
        if asked is not None:
            return asked
    form = ParticipantStoryForm(
        posted(request), request.FILES or None, sectors=sectors, joined=joined
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if joined and participant is not None:
            data["level"] = participant.consent_level()  # what they agreed to for the study
        story = submitted(
            form,
            lambda: services.tell_story(
                study, new_story(data), teller=participant, **about_the_teller(data)
            ),
        )
        if story is not None:
            remember_participant(request, study, story.teller)
            return render(request, "stories/thanks.html", {"study": study, "story": story})
    context = {
        "study": study,
        "form": form,
        "participant": participant,
        "joined": joined,
        "consent_text": study_services.current_consent_text(study),
    }
    return render(request, "stories/tell.html", context, status=400 if form.errors else 200)


@participant_page
@require_http_methods(["GET", "POST"])
def my_stories(request: HttpRequest, study: Study, participant: Participant) -> HttpResponse:
    """A participant's own stories, each of which they can withdraw at any time."""
    stories = Story.objects.filter(study=study, teller=participant).order_by("number")
    if request.method == "POST":
        chosen = request.POST.get("story", "")
        story = get_object_or_404(stories, number=int(chosen) if chosen.isdecimal() else 0)
        if request.POST.get("confirm") != "yes":  # first, say what it means and ask
            context = {"study": study, "story": story}
            return render(request, "stories/withdraw_confirm.html", context)
        services.withdraw_story(story, participant)
        messages.success(
            request,
            _("Story %(n)d is withdrawn: it will be left out of everything we publish.")
            % {"n": story.number},
        )
        return redirect("my-stories", study.join_code)
    return render(
        request,
        "stories/mine.html",
        {"study": study, "participant": participant, "stories": stories},
    )


FILTERS = ("sector", "kind", "role", "feeling", "consent", "channel", "tag", "q")


@login_required
@require_http_methods(["GET", "POST"])
def story_bank(request: TeamRequest, slug: str) -> HttpResponse:
    study = team_study(request, slug)
    if request.method == "POST":
        sectors = request.POST.get("sectors", "").splitlines()
        save = Action(
            lambda: services.set_sectors(study, request.user, sectors), _("Sectors saved.")
        )
        return run_action(request, {"sectors": save}, redirect("stories", slug), default="sectors")
    chosen = {name: request.GET.get(name, "").strip() for name in FILTERS}
    restricted = request.user.has_perm(Permission.VIEW_PARTICIPANTS, study)
    stories = services.bank(study, chosen, restricted=restricted)
    context = {
        "study": study,
        "stories": stories,
        "withdrawn": chosen["consent"] == "withdrawn",
        "chosen": chosen,
        "filters": [
            (name, label, [(str(v), text, str(v) == chosen[name]) for v, text in choices])
            for name, label, choices in (
                ("sector", _("Sector"), [(x.name, x.name) for x in services.sectors_for(study)]),
                ("kind", _("Type"), StoryKind.choices),
                ("role", _("Role"), CONTRIBUTOR_ROLE_CHOICES),
                ("feeling", _("Feeling"), Feeling.choices),
                (
                    "consent",
                    _("Consent"),
                    [(str(v), text) for v, text in CONSENT_LEVEL_CHOICES]
                    + [("withdrawn", _("Withdrawn"))],
                ),
                ("channel", _("Channel"), CHANNEL_CHOICES),
                ("tag", _("Tag"), [(t.name, t.name) for t in study.story_tags.all()]),
            )
        ],
        "can_gather": request.user.has_perm(Permission.RECORD_CONSENT, study),
        # Observers see only checked, redacted text; the original is restricted.
        "can_read": restricted,
        "can_edit": request.user.has_perm(Permission.CHANGE_STUDY, study),
        "sector_names": "\n".join(s.name for s in services.sectors_for(study)),
    }
    return render(request, "stories/bank.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def gather(request: TeamRequest, slug: str) -> HttpResponse:
    """A facilitator records a story gathered in person, on paper or by phone."""
    study = team_study(request, slug, Permission.RECORD_CONSENT)
    sectors = [s.name for s in services.sectors_for(study)]
    form = GatheredStoryForm(posted(request), request.FILES or None, sectors=sectors)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        gathered = new_story(
            data, channel=data["channel"], collected_in=data.get("collected_in", "")
        )
        story = submitted(
            form,
            lambda: services.gather_story(study, request.user, gathered, **about_the_teller(data)),
        )
        if story is not None:
            messages.success(request, _("Story %(n)d saved.") % {"n": story.number})
            return redirect("story", slug, story.number)
    return render(
        request,
        "stories/gather.html",
        {"study": study, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_stories(request: TeamRequest, slug: str) -> HttpResponse:
    study = team_study(request, slug, Permission.RECORD_CONSENT)
    form = ImportForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():

        def import_csv() -> int:
            csv_file = upload(form.cleaned_data["file"])
            data = csv_file.data if csv_file else b""
            return services.import_stories_csv(study, request.user, data)

        n = submitted(form, import_csv, "file")
        if n is not None:
            messages.success(
                request, ngettext("Imported %(n)d story.", "Imported %(n)d stories.", n) % {"n": n}
            )
            return redirect("stories", slug)
    return render(
        request,
        "stories/import.html",
        {"study": study, "form": form},
        status=400 if form.errors else 200,
    )


def team_story(request: TeamRequest, slug: str, number: int, permission: Permission) -> Story:
    study = team_study(request, slug, permission)
    return get_object_or_404(
        Story.objects.select_related("teller", "study"), study=study, number=number
    )


@login_required
@require_http_methods(["GET", "POST"])
def story_detail(request: TeamRequest, slug: str, number: int) -> HttpResponse:
    """One story: the personal-data check, quotes, tags, readiness for outputs, withdrawal."""
    story = team_story(request, slug, number, Permission.VIEW_PARTICIPANTS)
    if story.consent() == ConsentLevel.WITHDRAWN:
        return render(request, "stories/withdrawn.html", {"study": story.study, "story": story})
    hits = services.personal_data(story)
    if request.method == "POST":
        by, post = request.user, request.POST
        chosen = set(posted_ids(request, "redact"))
        spans = [(h.start, h.end, h.kind) for i, h in enumerate(hits) if i in chosen]
        tags = post.get("tags", "").replace(",", ";").split(";")
        actions = {
            "check": Action(
                lambda: services.save_check(story, by, spans), _("Personal-data check saved.")
            ),
            "quote": Action(
                lambda: services.mark_quote(story, by, post.get("words", "")), _("Quote marked.")
            ),
            "tags": Action(lambda: services.tag_story(story, by, tags), _("Tags saved.")),
            "ready": Action(lambda: services.set_publishable(story, by, True), _("Saved.")),
            "not-ready": Action(lambda: services.set_publishable(story, by, False), _("Saved.")),
            "withdraw": Action(
                confirmed(
                    request,
                    _("Tick the box to confirm the teller asked."),
                    lambda: services.withdraw_story(story, by),
                ),
                _("The story is withdrawn from every output."),
            ),
        }
        return run_action(request, actions, redirect("story", slug, number))
    audit.record(story.study, request.user, AuditEvent.Action.VIEWED, f"story {story.number}")
    redacted = {(r[0], r[1]) for r in story.redactions}
    quotes = list(story.quotes.all())
    context = {
        "study": story.study,
        "story": story,
        "hits": [(i, h, (h.start, h.end) in redacted) for i, h in enumerate(hits)],
        "quotes": [
            (q, shown, story.text[q.start : q.end])
            for q, shown in zip(quotes, services.quote_texts(story, quotes), strict=True)
        ],
        "can_edit": request.user.has_perm(Permission.CHANGE_STUDY, story.study),
        "can_record_consent": request.user.has_perm(Permission.RECORD_CONSENT, story.study),
        "consent": story.consent(),
        "quotable": story.consent() >= ConsentLevel.QUOTE,
    }
    return render(request, "stories/detail.html", context)


@login_required
@require_GET
def story_media(request: TeamRequest, slug: str, number: int) -> FileResponse:
    """The recording, only for team members who work with participants' material."""
    story = team_story(request, slug, number, Permission.VIEW_PARTICIPANTS)
    if not story.media or story.consent() == ConsentLevel.WITHDRAWN:
        raise Http404(_("No recording here."))
    path = (Path(settings.MEDIA_ROOT) / story.media).resolve()
    if not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve()) or not path.exists():
        raise Http404(_("No recording here."))
    subject = f"recording of story {story.number}"
    audit.record(story.study, request.user, AuditEvent.Action.VIEWED, subject)
    response = FileResponse(path.open("rb"), content_type=story.media_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
