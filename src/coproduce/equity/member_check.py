"""Member checking: the team's findings put back to the people who gave the evidence.

The findings become statements of a conversation of the study's own (so the conversation
engine carries it: consent, one statement at a time, the participant's home page, paper and
in-person responses); each vote may carry a comment ("what is missing?"). A reflection session
counts the room's hands per finding. Results are per person: a person's latest vote on a
finding is the one that counts, whichever channel it came through, and nothing of anyone who
withdrew is counted or shown.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.coding.models import Finding
from coproduce.conversations import services as conversations
from coproduce.conversations.models import (
    CurrentVote,
    Moderation,
    Purpose,
    StatementComment,
    StatementStatus,
    VoteValue,
)
from coproduce.core.errors import InvalidInput, NotFound
from coproduce.core.evidence import Channel
from coproduce.equity.models import (
    CheckedFinding,
    FindingResponse,
    FindingRevision,
    MemberCheck,
    RoomSession,
    RoomTally,
)
from coproduce.equity.voices import role_names
from coproduce.studies.models import Participant, Study
from coproduce.studies.permissions import Permission
from coproduce.studies.services import join, require

MOST_HANDS = 100_000
LONGEST_TEXT = 5000
OFFLINE = (Channel.PAPER, Channel.PHONE, Channel.IN_PERSON, Channel.FACILITATOR)


def statement_text(finding: Finding) -> str:
    """What participants are asked about: the headline, then what it says."""
    text = " ".join(finding.text.split())
    return f"{finding.title}. {text}" if text else finding.title


@transaction.atomic
def open_member_check(study: Study, by: User) -> MemberCheck:
    """Put the study's findings to its participants (again: findings written since are added;
    those already there are left as people saw them)."""
    require(by, Permission.CHANGE_STUDY, study)
    findings = list(study.findings.order_by("position", "pk"))
    if not findings:
        raise InvalidInput(_("Write the headline findings first; then open them for checking."))
    check = MemberCheck.objects.filter(study=study).first()
    if check is None:
        conversation = conversations.create_conversation(
            study,
            by,
            _("Do these findings ring true to you?"),
            description=_(
                "These are what the team found from what people told us. Tell us whether each"
                " rings true, and what is missing or wrong."
            ),
            purpose=Purpose.MEMBER_CHECK,
            invites_comments=True,
            comment_prompt=_("What is missing or wrong? (optional)"),
            participants_can_write=False,
            ask_about_you=False,
            moderation=Moderation.STRICT,
            statement_max_length=5000,
        )
        check = MemberCheck.objects.create(study=study, conversation=conversation, opened_by=by)
    new = [f for f in findings if not CheckedFinding.objects.filter(finding=f).exists()]
    added = conversations.add_statements(
        check.conversation,
        [
            conversations.NewStatement(
                text=statement_text(f),
                written_by=by,
                is_seed=True,
                status=StatementStatus.APPROVED,
            )
            for f in new
        ],
    )
    for finding, statement in zip(new, added, strict=True):
        CheckedFinding.objects.create(member_check=check, finding=finding, statement=statement)
    return check


def member_check_of(study: Study) -> MemberCheck | None:
    return MemberCheck.objects.filter(study=study).select_related("conversation").first()


@dataclass(frozen=True)
class PaperResponses:
    """One person's answers on a paper form, a phone call or at a session, typed in by a
    facilitator: an existing participant by pseudonym (counted once with their web votes), or
    a new participant who consents at `consent_level`."""

    channel: Channel
    session: str
    answers: dict[int, str]  # finding id -> "1", "-1", "0", or "" when not answered
    comments: dict[int, str] = field(default_factory=dict)  # finding id -> their words
    pseudonym: str = ""
    consent_level: int | None = None


@transaction.atomic
def record_paper(check: MemberCheck, by: User, responses: PaperResponses) -> Participant:
    """Record one person's responses, all or nothing."""
    study = check.study
    require(by, Permission.RECORD_CONSENT, study)
    if responses.channel not in OFFLINE:
        raise InvalidInput(_("Choose how the responses came in: paper, phone or in person."))
    checked = {c.finding_id: c for c in check.findings.select_related("statement")}
    unknown = set(responses.answers) - set(checked)
    if unknown:
        raise NotFound(_("Finding %(id)s is not in this member check.") % {"id": min(unknown)})
    if responses.pseudonym.strip():
        found = Participant.objects.filter(study=study, pseudonym=responses.pseudonym.strip())
        participant = found.consenting().first()
        if participant is None:
            raise InvalidInput(
                _(
                    "No participant %(p)s who still takes part in this study; check the"
                    " pseudonym, or leave it empty to record a new participant."
                )
                % {"p": responses.pseudonym.strip()}
            )
    elif responses.consent_level is None:
        raise InvalidInput(_("Say what the person agreed to, or give their pseudonym."))
    else:
        participant = join(
            study, responses.consent_level, channel=responses.channel, recorded_by=by
        )
    session = responses.session.strip()[:200]
    for finding_id, answer in responses.answers.items():
        comment = responses.comments.get(finding_id, "")
        if answer not in ("1", "-1", "0"):
            if comment.strip():
                raise InvalidInput(
                    _("A comment goes with a vote: choose agree, disagree or unsure.")
                )
            continue
        conversations.vote_with_comment(
            checked[finding_id].statement,
            participant,
            int(answer),
            comment,
            channel=responses.channel,
            session=session,
        )
    return participant


def _hands(value: object, what: str) -> int:
    text = str(value).strip()
    if not text.isdecimal() or len(text) > 6 or int(text) > MOST_HANDS:
        raise InvalidInput(
            _("The number of hands for “%(what)s” must be a whole number from 0 to %(most)s.")
            % {"what": what, "most": MOST_HANDS}
        )
    return int(text)


@transaction.atomic
def start_session(
    check: MemberCheck, by: User, name: str, held_on: date | None = None
) -> RoomSession:
    require(by, Permission.RECORD_CONSENT, check.study)
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise InvalidInput(
            _("Name the session (at most 200 characters), such as where it was held.")
        )
    if check.sessions.filter(name=name).exists():
        raise InvalidInput(
            _("There is already a session called “%(n)s”; name this one apart.") % {"n": name}
        )
    return RoomSession.objects.create(
        member_check=check, name=name, held_on=held_on or date.today(), recorded_by=by
    )


@transaction.atomic
def record_hands(
    session: RoomSession,
    by: User,
    finding: Finding,
    agree: object,
    disagree: object,
    unsure: object,
    comments: str = "",
) -> RoomTally:
    """The room's show of hands on one finding (recorded again, it replaces the last count)."""
    require(by, Permission.RECORD_CONSENT, session.member_check.study)
    if not CheckedFinding.objects.filter(
        member_check=session.member_check, finding=finding
    ).exists():
        raise NotFound(_("That finding is not in this member check."))
    said = conversations.clean_comment(comments) if len(comments) <= LONGEST_TEXT else None
    if said is None:
        raise InvalidInput(_("Keep the room's comments to %(n)d characters.") % {"n": LONGEST_TEXT})
    tally, _created = RoomTally.objects.update_or_create(
        session=session,
        finding=finding,
        defaults={
            "agree": _hands(agree, _("agree")),
            "disagree": _hands(disagree, _("disagree")),
            "unsure": _hands(unsure, _("unsure")),
            "comments": comments.strip(),
        },
    )
    return tally


@transaction.atomic
def revise_finding(
    finding: Finding, by: User, title: str, text: str, reason: str
) -> FindingRevision:
    """Change a finding after checking it, keeping what it said and why it changed."""
    require(by, Permission.CHANGE_STUDY, finding.study)
    title, reason = " ".join(title.split()), reason.strip()
    if not reason:
        raise InvalidInput(_("Say why the finding changed; the reason is kept in its history."))
    if not title or len(title) > 300:
        raise InvalidInput(_("A finding needs a headline of at most 300 characters."))
    if len(text) > LONGEST_TEXT * 4 or len(reason) > LONGEST_TEXT:
        raise InvalidInput(_("The finding or the reason is too long; shorten it."))
    revision = FindingRevision.objects.create(
        finding=finding, reason=reason, title_before=finding.title, text_before=finding.text, by=by
    )
    finding.title, finding.text = title, text.strip()
    finding.save(update_fields=["title", "text"])
    return revision


@transaction.atomic
def respond(finding: Finding, by: User, text: str) -> FindingResponse | None:
    """The team's "you said, we did" for a finding (empty text removes it)."""
    require(by, Permission.CHANGE_STUDY, finding.study)
    text = text.strip()
    if len(text) > LONGEST_TEXT:
        raise InvalidInput(_("Keep the response to %(n)d characters.") % {"n": LONGEST_TEXT})
    if not text:
        FindingResponse.objects.filter(finding=finding).delete()
        return None
    response, _created = FindingResponse.objects.update_or_create(
        finding=finding, defaults={"text": text, "by": by}
    )
    return response


@dataclass(frozen=True)
class Tally:
    agree: int = 0
    disagree: int = 0
    unsure: int = 0

    @property
    def total(self) -> int:
        return self.agree + self.disagree + self.unsure

    @property
    def agree_share(self) -> float:
        return self.agree / self.total if self.total else 0.0


@dataclass(frozen=True)
class Said:
    """A comment on a finding, as the team sees it (role and channel, never a name)."""

    text: str
    role: str
    channel: str
    session: str


@dataclass(frozen=True)
class CheckResult:
    finding: Finding
    people: Tally  # one vote per person (web, paper, phone, facilitator)
    by_role: dict[str, Tally]
    by_channel: dict[str, Tally]
    room: Tally  # hands at reflection sessions (people in the room, not named)
    comments: tuple[Said, ...]
    revisions: tuple[FindingRevision, ...]
    response: str

    @property
    def all_voices(self) -> Tally:
        return Tally(
            self.people.agree + self.room.agree,
            self.people.disagree + self.room.disagree,
            self.people.unsure + self.room.unsure,
        )


def results(study: Study, only: Finding | None = None) -> list[CheckResult]:
    """Each checked finding's results (or just `only`'s), counted once per person, with the
    room's hands. A fixed number of queries, however many findings were checked."""
    check = member_check_of(study)
    if check is None:
        return []
    consenting = set(
        Participant.objects.filter(study=study).consenting().values_list("pk", flat=True)
    )
    chosen = check.findings.select_related("finding", "statement")
    if only is not None:
        chosen = chosen.filter(finding=only)
    checked = list(
        chosen.prefetch_related("finding__revisions").order_by("finding__position", "finding__pk")
    )
    statements = [c.statement_id for c in checked]
    roles = dict(Participant.objects.filter(study=study).values_list("pk", "role"))
    votes: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for statement_id, participant_id, value, channel in CurrentVote.objects.filter(
        conversation=check.conversation, statement_id__in=statements
    ).values_list("statement_id", "participant_id", "value", "channel"):
        if participant_id in consenting:
            votes[statement_id].append((participant_id, value, channel))
    rooms: dict[int, Counter[str]] = defaultdict(Counter)
    room_words: dict[int, list[Said]] = defaultdict(list)
    for t in (
        RoomTally.objects.filter(
            session__member_check=check, finding__in=[c.finding_id for c in checked]
        )
        .select_related("session")
        .order_by("session__held_on", "pk")
    ):
        rooms[t.finding_id].update({"agree": t.agree, "disagree": t.disagree, "unsure": t.unsure})
        if t.comments:
            room_words[t.finding_id].append(
                Said(t.comments, _("In the room"), Channel.IN_PERSON, t.session.name)
            )
    said: dict[int, list[Said]] = defaultdict(list)
    for m in (
        StatementComment.objects.filter(statement_id__in=statements)
        .select_related("participant")
        .order_by("created_at", "pk")
    ):
        if m.participant_id is None or m.participant_id in consenting:
            role = role_names().get(m.participant.role, "") if m.participant else _("In the room")
            said[m.statement_id].append(Said(m.text, role, m.channel, m.session))
    responses: dict[int, str] = {}
    for finding_id, text in (
        FindingResponse.objects.filter(finding__in=[c.finding_id for c in checked])
        .order_by("-pk")
        .values_list("finding_id", "text")
    ):
        responses[finding_id] = text  # the first one stands, as before
    found = []
    for c in checked:
        mine = votes.get(c.statement_id, [])
        role_votes: dict[str, list[int]] = defaultdict(list)
        channel_votes: dict[str, list[int]] = defaultdict(list)
        for participant_id, value, channel in mine:
            role_votes[role_names().get(roles.get(participant_id, ""), "")].append(value)
            channel_votes[channel].append(value)
        room = rooms.get(c.finding_id, Counter())
        found.append(
            CheckResult(
                finding=c.finding,
                people=_tally([v for _p, v, _c in mine]),
                by_role={k: _tally(v) for k, v in sorted(role_votes.items())},
                by_channel={k: _tally(v) for k, v in sorted(channel_votes.items())},
                room=Tally(room["agree"], room["disagree"], room["unsure"]),
                comments=tuple(said[c.statement_id]) + tuple(room_words[c.finding_id]),
                revisions=tuple(c.finding.revisions.all()),
                response=responses.get(c.finding_id, ""),
            )
        )
    return found


def result_of(finding: Finding) -> CheckResult | None:
    """One finding's member-checking results, or None when it has not been checked."""
    return next(iter(results(finding.study, only=finding)), None)


def _tally(values: list[int]) -> Tally:
    return Tally(
        agree=sum(1 for v in values if v == VoteValue.AGREE),
        disagree=sum(1 for v in values if v == VoteValue.DISAGREE),
        unsure=sum(1 for v in values if v == VoteValue.PASS),
    )
