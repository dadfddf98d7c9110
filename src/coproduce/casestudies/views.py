"""Case-study pages for the team: the guide, profiles, joint interviews and the record."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.casestudies import services
from coproduce.casestudies.models import (
    CaseStudy,
    ChosenQuote,
    GuideQuestion,
    Interview,
    Perspective,
    Turn,
)
from coproduce.core.errors import InvalidInput
from coproduce.core.evidence import ConsentLevel
from coproduce.core.personal_data import Hit
from coproduce.site.requests import (
    Action,
    TeamRequest,
    confirmed,
    posted_id,
    run_action,
    team_study,
)
from coproduce.studies import audit
from coproduce.studies.models import CONSENT_LEVEL_CHOICES, AuditEvent
from coproduce.studies.permissions import Permission
from coproduce.uploads import upload


@login_required
@require_http_methods(["GET", "POST"])
def case_studies(request: TeamRequest, slug: str) -> HttpResponse:
    """Every case study of the study, the interview guide, and starting a new one."""
    study = team_study(request, slug, change=Permission.CHANGE_STUDY)
    if request.method == "POST":
        back = redirect("case-studies", slug)
        if request.POST.get("action") == "guide":
            guide = request.POST.get("guide", "").splitlines()
            save = Action(
                lambda: services.set_guide(study, request.user, guide), _("Interview guide saved.")
            )
            return run_action(request, {"guide": save}, back)
        organisation = get_object_or_404(
            study.organisations.all(), slug=request.POST.get("organisation", "")
        )
        start = Action(lambda: services.start_case_study(study, request.user, organisation))
        opened = redirect("case-study", slug, organisation.slug)
        return run_action(request, {"start": start}, opened, failed=back, default="start")
    cases = CaseStudy.objects.filter(study=study).select_related("organisation")
    taken = {c.organisation_id for c in cases}
    context = {
        "study": study,
        "cases": cases,
        "available": [o for o in study.organisations.all() if o.pk not in taken],
        "guide": GuideQuestion.objects.filter(study=study),
        "can_edit": request.user.has_perm(Permission.CHANGE_STUDY, study),
    }
    return render(request, "casestudies/list.html", context)


def held_date(text: str) -> date | None:
    """The interview date from the form (YYYY-MM-DD, as date inputs send), or None."""
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            _("'%(d)s' is not a date; give it as year-month-day, for example 2026-03-02.")
            % {"d": text}
        ) from None


@login_required
@require_http_methods(["GET", "POST"])
def case_study(request: TeamRequest, slug: str, organisation: str) -> HttpResponse:
    """One case study: its record, its joint interviews turn by turn, and chosen quotes."""
    study = team_study(request, slug, Permission.VIEW_PARTICIPANTS)
    case = get_object_or_404(
        CaseStudy.objects.select_related("organisation"),
        study=study,
        organisation__slug=organisation,
    )
    if request.method == "POST":
        return run_action(
            request, _case_actions(request, case), redirect("case-study", slug, organisation)
        )
    subject = f"case study {case.organisation.slug}"
    audit.record(study, request.user, AuditEvent.Action.VIEWED, subject)
    interviews = list(case.interviews.prefetch_related("speakers__participant", "turns__speaker"))
    hidden = withdrawn_turns(interviews)
    context = {
        "study": study,
        "case": case,
        "hidden_turns": hidden,
        "record": services.record(case),
        "quotes_waiting": ChosenQuote.objects.filter(
            case_study=case,
            turn__interview__withdrawn_at__isnull=True,
            turn__interview__checked_at__isnull=True,
        ).count(),
        "fields": [
            (name, CaseStudy._meta.get_field(name).verbose_name, getattr(case, name))  # type: ignore[union-attr]
            for name in services.RECORD_FIELDS
        ],
        "interviews": [(i, _check_rows(i, hidden)) for i in interviews],
        "words": services.interview_words(interviews),
        "perspectives": Perspective.choices,
        "levels": CONSENT_LEVEL_CHOICES,
        "can_edit": request.user.has_perm(Permission.CHANGE_STUDY, study),
        "can_record_consent": request.user.has_perm(Permission.RECORD_CONSENT, study),
    }
    return render(request, "casestudies/detail.html", context)


def withdrawn_turns(interviews: list[Interview]) -> set[int]:
    """The turns of speakers who withdrew from the study: their words are shown nowhere."""
    return {
        turn.pk
        for interview in interviews
        for turn in interview.turns.all()
        if turn.speaker.participant is not None
        and turn.speaker.participant.consent_level() == ConsentLevel.WITHDRAWN
    }


def _check_rows(interview: Interview, hidden: set[int]) -> list[tuple[str, Turn, Hit, bool]]:
    """The personal-data check form's rows: a value, the turn, what was found, and whether it is
    redacted now (everything found is ticked before the first check)."""
    if interview.withdrawn_at is not None:
        return []
    rows = []
    for i, (turn, hit) in enumerate(services.personal_data(interview)):
        if turn.pk in hidden:
            continue
        redacted = {(s, e) for s, e, _k in turn.redactions}
        chosen = interview.checked_at is None or (hit.start, hit.end) in redacted
        rows.append((f"{turn.pk}-{i}", turn, hit, chosen))
    return rows


def _chosen_redactions(request: TeamRequest, interview: Interview) -> dict[int, list[Any]]:
    """The spans ticked on the check form, by turn id (the values name turn and finding)."""
    ticked = set(request.POST.getlist("redact"))
    spans: dict[int, list[Any]] = {}
    for i, (turn, hit) in enumerate(services.personal_data(interview)):
        if f"{turn.pk}-{i}" in ticked:
            spans.setdefault(turn.pk, []).append((hit.start, hit.end, hit.kind))
    return spans


def _case_actions(request: TeamRequest, case: CaseStudy) -> dict[str, Action]:
    by, post = request.user, request.POST

    def interview() -> Interview:
        return get_object_or_404(Interview, case_study=case, pk=posted_id(request, "interview"))

    def turn() -> Turn:
        return get_object_or_404(Turn, interview__case_study=case, pk=posted_id(request, "turn"))

    perspectives = {
        int(key.removeprefix("speaker-")): str(post.get(key, ""))
        for key in post
        if key.startswith("speaker-") and key.removeprefix("speaker-").isdecimal()
    }
    record = {name: post.get(name, "") for name in services.RECORD_FIELDS}
    return {
        "record": Action(
            lambda: services.update_record(case, by, **record), _("Case-study record saved.")
        ),
        "import": Action(
            lambda: _import_interview(request, case),
            _("Interview imported; set each speaker's perspective."),
        ),
        "speakers": Action(
            lambda: services.set_perspectives(interview(), by, perspectives),
            _("Perspectives saved."),
        ),
        "quote": Action(
            lambda: services.choose_quote(case, by, turn(), post.get("words", "")),
            _("Quote chosen."),
        ),
        "check": Action(
            lambda: services.save_check(interview(), by, _chosen_redactions(request, interview())),
            _("Personal-data check saved; the interview's redacted words may now be quoted."),
        ),
        "withdraw": Action(
            confirmed(
                request,
                _("Tick the box to confirm a speaker asked."),
                lambda: services.withdraw_interview(interview(), by),
            ),
            _("The interview is withdrawn from every output."),
        ),
    }


def _import_interview(request: TeamRequest, case: CaseStudy) -> Interview:
    transcript = upload(request.FILES.get("transcript"))
    if transcript is None:
        raise InvalidInput(_("Choose the transcript file to import."))
    level = request.POST.get("level", "")
    return services.import_interview(
        case,
        request.user,
        transcript,
        consent_level=int(level) if level.isdecimal() else None,
        held_on=held_date(request.POST.get("held_on", "")),
    )
