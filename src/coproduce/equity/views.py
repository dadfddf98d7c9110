"""The team's pages: voice equity, member checking, paper responses and the reflection session."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.casestudies.models import Perspective
from coproduce.coding.models import Finding
from coproduce.core.analysis.equity import Inequality, Share, TalkTime
from coproduce.core.errors import CoproduceError, InvalidInput
from coproduce.core.evidence import Channel
from coproduce.core.publishing.renderers.html import lorenz_chart
from coproduce.equity import member_check, targets, voices
from coproduce.equity.models import CheckedFinding, RoomSession
from coproduce.site.requests import Action, TeamRequest, posted_id, run_action, team_study
from coproduce.studies.forms import OFFLINE_CHANNELS
from coproduce.studies.models import CONSENT_LEVEL_CHOICES, Study
from coproduce.studies.permissions import Permission


@login_required
@require_http_methods(["GET", "POST"])
def equity_page(request: TeamRequest, slug: str) -> HttpResponse:
    """Who was heard: participation, representation against targets, person-weighted tallies,
    talk time and quotes; the targets form for editors."""
    study = team_study(request, slug, Permission.VIEW_PARTICIPANTS, change=Permission.CHANGE_STUDY)
    if request.method == "POST":
        post = request.POST

        def save() -> object:
            return targets.set_targets(
                study,
                request.user,
                role_floors={r: post.get(f"floor-{r}", "") for r in voices.role_names()},
                channel_ceiling=post.get("channel_ceiling", ""),
                difference=post.get("difference", ""),
                talk_floor=post.get("talk_floor", ""),
            )

        actions = {"targets": Action(save, _("Targets saved."))}
        return run_action(request, actions, redirect("equity", slug), default="targets")
    summary = voices.voices(study)
    floors = dict(summary.targets.role_floors)
    context = {
        "study": study,
        "voices": summary,
        "overall": _measure(_("Everyone enrolled"), summary.overall),
        "strands": [_measure(s.title, s.measure) for s in summary.strands],
        "lorenz": mark_safe(  # noqa: S308 - built by the chart function, which escapes every text
            lorenz_chart(
                "lorenz",
                _("How evenly contributions are spread (Lorenz curve)"),
                summary.overall.lorenz,
                summary.overall.gini,
            )
        ),
        "by_role": [_share(voices.role_names().get(s.group, s.group), s) for s in summary.by_role],
        "by_channel": [
            _share(voices.channel_names().get(s.group, s.group), s) for s in summary.by_channel
        ],
        "weightings": [
            {
                "name": w.name,
                "rows": [
                    {
                        "category": r.category,
                        "items": r.items,
                        "people": r.people,
                        "by_items": pct(r.item_share),
                        "by_people": pct(r.person_share),
                        "differs": r.gap() > summary.targets.difference,
                    }
                    for r in w.tally.rows
                ],
                "sentences": w.tally.sentences(),
            }
            for w in summary.weightings
        ],
        "talk": [_talk(t) for t in summary.talk],
        "talk_overall": _talk(summary.talk_overall) if summary.talk_overall else None,
        "quoted_by_strand": [(name, n, pct(share)) for name, n, share in summary.quoted_by_strand],
        "quoted": [
            {
                "role": q.role,
                "quotes": q.quotes,
                "quote_share": pct(q.quote_share),
                "participant_share": pct(q.participant_share),
            }
            for q in summary.quoted
        ],
        "roles": [(r, name, floors.get(r, "")) for r, name in voices.role_names().items()],
        "channel_names": voices.channel_names(),
        "role_names": voices.role_names(),
        "can_edit": request.user.has_perm(Permission.CHANGE_STUDY, study),
    }
    return render(request, "equity/equity.html", context)


def pct(share: float) -> str:
    return f"{share:.0%}"


def _measure(title: str, m: Inequality) -> dict[str, object]:
    return {
        "title": title,
        "people": m.people,
        "silent": m.silent,
        "contributions": f"{m.contributions:,.0f}",
        "gini": f"{m.gini:.2f}",
        "top_tenth": pct(m.top_tenth),
        "top_person": pct(m.top_person),
    }


def _share(name: str, s: Share) -> dict[str, object]:
    return {
        "name": name,
        "people": s.people,
        "contributions": s.contributions,
        "people_share": pct(s.people_share),
        "contribution_share": pct(s.contribution_share),
    }


def _talk(t: TalkTime) -> dict[str, object]:
    return {
        "name": t.name,
        "flagged": t.flagged,
        "shares": [
            (voices.PERSPECTIVE_NAMES.get(Perspective(k), k), v, pct(t.share(k)))
            for k, v in t.words.items()
        ],
    }


@login_required
@require_http_methods(["GET", "POST"])
def member_check_page(request: TeamRequest, slug: str) -> HttpResponse:
    """Open the findings for checking, read the results by role and channel, revise a finding
    or write the team's response, and start a reflection session."""
    study = team_study(request, slug, Permission.VIEW_PARTICIPANTS, change=Permission.CHANGE_STUDY)
    if request.method == "POST":
        return run_action(request, _check_actions(request, study), redirect("member-check", slug))
    check = member_check.member_check_of(study)
    context = {
        "study": study,
        "check": check,
        "results": member_check.results(study),
        "unchecked": study.findings.filter(member_check_item__isnull=True).order_by(
            "position", "pk"
        ),
        "sessions": check.sessions.all() if check else [],
        "link": request.build_absolute_uri(
            reverse("conversation-start", args=[check.conversation.code])
        )
        if check
        else "",
        "can_edit": request.user.has_perm(Permission.CHANGE_STUDY, study),
        "can_record": request.user.has_perm(Permission.RECORD_CONSENT, study),
    }
    return render(request, "equity/member_check.html", context)


def _finding(request: TeamRequest, study: Study) -> Finding:
    return get_object_or_404(Finding, study=study, pk=posted_id(request, "finding"))


def _check_actions(request: TeamRequest, study: Study) -> dict[str, Action]:
    by, post = request.user, request.POST

    def opened() -> object:
        return member_check.open_member_check(study, by)

    def revise() -> object:
        return member_check.revise_finding(
            _finding(request, study),
            by,
            post.get("title", ""),
            post.get("text", ""),
            post.get("reason", ""),
        )

    def respond() -> object:
        return member_check.respond(_finding(request, study), by, post.get("response", ""))

    return {
        "open": Action(opened, _("The findings are open for participants to check.")),
        "revise": Action(revise, _("Finding revised; what it said before is kept.")),
        "respond": Action(respond, _("Response saved.")),
    }


@login_required
@require_http_methods(["GET", "POST"])
def paper_page(request: TeamRequest, slug: str) -> HttpResponse:
    """A facilitator types in one person's responses from paper, a call or a session; or starts
    a reflection session."""
    study = team_study(request, slug, Permission.RECORD_CONSENT, change=Permission.RECORD_CONSENT)
    check = member_check.member_check_of(study)
    if check is None:
        return redirect("member-check", slug)
    checked = list(check.findings.select_related("finding").order_by("finding__position", "pk"))
    error = ""
    if request.method == "POST" and request.POST.get("action") == "session":
        return _start_session(request, check)
    if request.method == "POST":
        try:
            recorded = member_check.record_paper(check, request.user, _paper(request, checked))
        except CoproduceError as problem:
            error = str(problem)
        else:
            messages.success(
                request,
                _("Recorded for %(p)s, once per finding (a later answer replaces an earlier one).")
                % {"p": recorded.pseudonym},
            )
            return redirect("member-check-paper", slug)
    context = {
        "study": study,
        "check": check,
        "checked": checked,
        "channels": OFFLINE_CHANNELS,
        "levels": CONSENT_LEVEL_CHOICES,
        "error": error,
        "posted": request.POST if request.method == "POST" else {},
    }
    return render(request, "equity/paper.html", context, status=400 if error else 200)


def _paper(request: TeamRequest, checked: list[CheckedFinding]) -> member_check.PaperResponses:
    post = request.POST
    channel = post.get("channel", "")
    if channel not in {str(c) for c in Channel}:
        raise InvalidInput(_("Choose how the responses came in: paper, phone or in person."))
    level = post.get("level", "")
    return member_check.PaperResponses(
        channel=Channel(channel),
        session=post.get("session", ""),
        answers={c.finding_id: post.get(f"answer-{c.finding_id}", "") for c in checked},
        comments={c.finding_id: post.get(f"comment-{c.finding_id}", "") for c in checked},
        pseudonym=post.get("pseudonym", "")[:40],
        consent_level=int(level) if level.isdecimal() and len(level) < 3 else None,
    )


def _start_session(request: TeamRequest, check: member_check.MemberCheck) -> HttpResponse:
    slug = check.study.slug
    try:
        session = member_check.start_session(check, request.user, request.POST.get("name", ""))
    except CoproduceError as problem:
        messages.error(request, str(problem))
        return redirect("member-check", slug)
    return redirect("member-check-room", slug, session.pk)


@login_required
@require_http_methods(["GET", "POST"])
def room_page(request: TeamRequest, slug: str, session: int) -> HttpResponse:
    """The reflection session: one finding at a time, large enough for a projector, with the
    room's show of hands and comments recorded below it."""
    study = team_study(request, slug, Permission.RECORD_CONSENT, change=Permission.RECORD_CONSENT)
    room = get_object_or_404(RoomSession, pk=session, member_check__study=study)
    checked = list(
        room.member_check.findings.select_related("finding").order_by("finding__position", "pk")
    )
    asked = request.POST.get("number") or request.GET.get("finding") or "1"
    number = (
        int(asked)
        if asked.isdecimal() and len(asked) < 6 and 1 <= int(asked) <= len(checked)
        else 1
    )
    if not checked:
        return redirect("member-check", slug)
    current = checked[number - 1].finding
    here = f"{reverse('member-check-room', args=[slug, room.pk])}?finding={number}"
    if request.method == "POST":
        post = request.POST

        def record() -> object:
            return member_check.record_hands(
                room,
                request.user,
                current,
                post.get("agree", ""),
                post.get("disagree", ""),
                post.get("unsure", ""),
                post.get("comments", ""),
            )

        after = number + 1 if number < len(checked) else number
        then = redirect(f"{reverse('member-check-room', args=[slug, room.pk])}?finding={after}")
        actions = {"hands": Action(record, _("The room's answer is recorded."))}
        return run_action(request, actions, then, failed=redirect(here), default="hands")
    tally = room.tallies.filter(finding=current).first()
    context = {
        "study": study,
        "room": room,
        "finding": current,
        "number": number,
        "count": len(checked),
        "tally": tally,
    }
    return render(request, "equity/room.html", context)
