"""What the results pages show: the stored opinion analysis in people's terms.

Statement texts appear only where their writer allows quoting (seed statements are the team's);
for the public, counts of fewer than SMALLEST_PUBLIC_COUNT people by role or channel are not
given, so nobody can be picked out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from coproduce.conversations.models import Conversation, OpinionAnalysis
from coproduce.conversations.opinion import freshness
from coproduce.conversations.services import visible_statements
from coproduce.core.analysis.opinion.stored import Tally
from coproduce.core.evidence import ConsentLevel
from coproduce.core.publishing.renderers.opinion_map import MapGroup, letter, opinion_map
from coproduce.studies.models import Participant

SMALLEST_PUBLIC_COUNT = 5


@dataclass(frozen=True)
class Shares:
    agree: int
    disagree: int
    seen: int

    @classmethod
    def of(cls, tally: Tally) -> Shares:
        return cls(tally.agree, tally.disagree, tally.seen)

    @property
    def passed(self) -> int:
        return self.seen - self.agree - self.disagree

    def percent(self, count: int) -> int:
        return round(100 * count / self.seen) if self.seen else 0

    @property
    def agree_percent(self) -> int:
        return self.percent(self.agree)

    @property
    def disagree_percent(self) -> int:
        return self.percent(self.disagree)

    @property
    def pass_percent(self) -> int:
        # The three always add up to 100 on the page.
        return 100 - self.agree_percent - self.disagree_percent if self.seen else 0


@dataclass(frozen=True)
class ShownStatement:
    number: int
    text: str  # empty when its writer has not agreed to be quoted
    overall: Shares
    by_group: tuple[tuple[str, Shares], ...] = ()


@dataclass(frozen=True)
class Representative:
    statement: ShownStatement
    side: str  # "agree" or "disagree"
    shares: Shares  # within the group


@dataclass(frozen=True)
class ResultsGroup:
    label: str
    slug: str
    size: int
    representative: tuple[Representative, ...]


@dataclass(frozen=True)
class Breakdown:
    """How many people of each kind (role or channel) are in each group."""

    title: str
    kinds: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # group label -> shown counts per kind


@dataclass(frozen=True)
class Results:
    state: str  # "ready", "waiting" (no analysis yet) or "updating" (held back after a change)
    computed_at: datetime | None = None
    participants: int = 0
    clustered: int = 0
    message: str = ""
    new_votes: bool = False
    groups: tuple[ResultsGroup, ...] = ()
    consensus_agree: tuple[ShownStatement, ...] = ()
    consensus_disagree: tuple[ShownStatement, ...] = ()
    statements: tuple[ShownStatement, ...] = ()
    breakdowns: tuple[Breakdown, ...] = ()
    map_svg: str = ""
    group_labels: tuple[str, ...] = field(default_factory=tuple)


def results(conversation: Conversation, *, public: bool) -> Results:
    """The stored analysis ready to show. Held back ("updating") when someone has withdrawn or
    a statement was moderated since it ran, until the background run catches up."""
    stored = OpinionAnalysis.objects.filter(conversation=conversation).first()
    if stored is None:
        return Results(state="waiting")
    now, then = freshness(conversation), stored.freshness
    if then is None or then.statements_or_consent_changed(now):
        return Results(state="updating", computed_at=stored.computed_at)
    return shown(conversation, stored, public=public, new_votes=then.last_vote != now.last_vote)


def shown(
    conversation: Conversation, stored: OpinionAnalysis, *, public: bool, new_votes: bool
) -> Results:
    analysis = stored.stored
    labels = {g.id: f"{_('Group')} {letter(i)}" for i, g in enumerate(analysis.groups)}
    texts = statement_texts(conversation)
    statements: dict[int, ShownStatement] = {}
    for s in analysis.statements:
        if s.set_aside or s.statement not in texts:
            continue
        number, text = texts[s.statement]
        statements[s.statement] = ShownStatement(
            number=number,
            text=text,
            overall=Shares.of(s.tally),
            by_group=tuple((labels[g], Shares.of(tally)) for g, tally in s.by_group),
        )
    groups = tuple(
        ResultsGroup(
            label=labels[g.id],
            slug=f"group-{letter(i).lower()}",
            size=g.size,
            representative=tuple(
                Representative(statements[r.statement], r.side, Shares.of(r.tally))
                for r in g.representative
                if r.statement in statements
            ),
        )
        for i, g in enumerate(analysis.groups)
    )
    members = analysis.participants
    map_groups = [
        MapGroup(
            label=group.label,
            size=group.size,
            centre=g.centre,
            outline=list(g.hull),
            link=f"#{group.slug}",
        )
        for group, g in zip(groups, analysis.groups, strict=True)
    ]
    description = _(
        "%(n)d opinion groups of people who voted alike. Areas far apart voted differently. "
        "The table 'Opinion groups' below gives the same information in words."
    ) % {"n": len(groups)}
    return Results(
        state="ready",
        computed_at=stored.computed_at,
        participants=len(members),
        clustered=sum(1 for g in members.values() if g is not None),
        message=analysis.message,
        new_votes=new_votes,
        groups=groups,
        consensus_agree=tuple(statements[k] for k in analysis.consensus_agree if k in statements),
        consensus_disagree=tuple(
            statements[k] for k in analysis.consensus_disagree if k in statements
        ),
        statements=tuple(sorted(statements.values(), key=lambda s: s.number)),
        breakdowns=breakdowns(conversation, members, labels, public=public),
        map_svg=opinion_map(map_groups, title=_("Opinion map"), description=description)
        if groups
        else "",
        group_labels=tuple(labels.values()),
    )


def statement_texts(conversation: Conversation) -> dict[int, tuple[int, str]]:
    """Statement id -> (number, text, or "" when its writer has not agreed to be quoted)."""
    found: dict[int, tuple[int, str]] = {}
    rows = visible_statements(conversation).select_related("author")
    for s in rows.prefetch_related("author__consents"):
        quotable = s.author is None or s.author.consent_level() >= ConsentLevel.QUOTE
        found[s.pk] = (s.number, s.text if quotable else "")
    return found


def breakdowns(
    conversation: Conversation,
    members: dict[int, int | None],
    labels: dict[int, str],
    *,
    public: bool,
) -> tuple[Breakdown, ...]:
    """People in each group by role and by channel (small public counts held back)."""
    people = Participant.objects.filter(pk__in=[p for p, g in members.items() if g is not None])
    role_names = dict(Participant._meta.get_field("role").flatchoices)
    channel_names = dict(Participant._meta.get_field("channel").flatchoices)
    found: list[Breakdown] = []
    for title, attribute, names in (
        (_("By role in co-production"), "role", role_names),
        (_("By how they took part"), "channel", channel_names),
    ):
        counts: dict[int, Counter[str]] = {gid: Counter() for gid in labels}
        for person_id, value in people.values_list("pk", attribute):
            group = members[person_id]
            if group is not None:
                counts[group][value] += 1
        kinds = sorted({k for c in counts.values() for k in c}, key=lambda k: str(names.get(k, k)))
        rows = tuple(
            (labels[gid], tuple(shown_count(counts[gid][k], public) for k in kinds))
            for gid in labels
        )
        found.append(Breakdown(title, tuple(str(names.get(k, k)) for k in kinds), rows))
    return tuple(found)


def shown_count(count: int, public: bool) -> str:
    if public and 0 < count < SMALLEST_PUBLIC_COUNT:
        return _("fewer than %(n)d") % {"n": SMALLEST_PUBLIC_COUNT}
    return str(count)
