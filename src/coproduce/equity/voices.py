"""Whose voices were heard in a study: gathered from every strand, measured by the core.

Only people who still consent count (someone who withdrew is in no figure); codings are the
team's work, not contributions. Contributions are counted as items (a statement, a vote, a
story, a turn in an interview) overall, and as words spoken for interviews.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from coproduce.casestudies.models import PERSPECTIVE_ROLES, Perspective, Turn
from coproduce.coding.evidence import evidence_by_id
from coproduce.coding.models import Finding, Theme, ThemeStatus
from coproduce.coding.triangulation import supporting_items
from coproduce.conversations.models import CurrentVote, Purpose, Statement, StatementStatus
from coproduce.core.analysis.equity import (
    Alert,
    Inequality,
    Share,
    TalkTime,
    WeightedTally,
    channel_alerts,
    inequality,
    person_weighted,
    role_alerts,
    shares,
    talk_time,
)
from coproduce.core.evidence import Channel, ContributorRole, EvidenceRecord, Strand
from coproduce.equity.models import EquityTargets
from coproduce.studies.models import (
    CHANNEL_CHOICES,
    CONTRIBUTOR_ROLE_CHOICES,
    Participant,
    Study,
)

WORD = re.compile(r"\w+")


def role_names() -> dict[str, str]:
    """Each role's name in the language of the page being made."""
    return {str(k): str(v) for k, v in CONTRIBUTOR_ROLE_CHOICES}


def channel_names() -> dict[str, str]:
    return {str(k): str(v) for k, v in CHANNEL_CHOICES}


PERSPECTIVE_NAMES = {
    Perspective.ORGANISATION: "Organisation",
    Perspective.SERVICE_USER: "Service user",
    Perspective.INTERVIEWER: "Interviewer",
    Perspective.NOT_SET: "Not set",
}
STRAND_TITLES = {
    Strand.CONVERSATION: "Conversations (statements and votes)",
    Strand.STORY: "Stories",
    Strand.INTERVIEW: "Joint interviews (words spoken)",
    Strand.REVIEW: "Rapid review",
    Strand.PILOT: "Pilot evaluations",
    Strand.DOCUMENT: "Imported documents",
}


@dataclass(frozen=True)
class StrandVoices:
    strand: str
    title: str
    measure: Inequality


@dataclass(frozen=True)
class Weighting:
    """A tally counted by items and by people, for the page and the publication."""

    name: str
    tally: WeightedTally


@dataclass(frozen=True)
class QuotedRole:
    role: str
    quotes: int
    quote_share: float
    participant_share: float


@dataclass(frozen=True)
class Voices:
    """The whole voice-equity summary of a study."""

    overall: Inequality
    strands: tuple[StrandVoices, ...]
    by_role: tuple[Share, ...]
    by_channel: tuple[Share, ...]
    alerts: tuple[Alert, ...]
    weightings: tuple[Weighting, ...]
    talk: tuple[TalkTime, ...]
    talk_overall: TalkTime | None
    quoted: tuple[QuotedRole, ...]
    targets: EquityTargets
    quoted_by_strand: tuple[tuple[str, int, float], ...] = ()  # strand, quotes, share
    notes: tuple[str, ...] = field(default=())

    def as_json(self) -> dict[str, Any]:
        def measure(m: Inequality) -> dict[str, Any]:
            return {
                "people": m.people,
                "silent": m.silent,
                "contributions": m.contributions,
                "gini": round(m.gini, 4),
                "top_tenth_share": round(m.top_tenth, 4),
                "top_person_share": round(m.top_person, 4),
                "lorenz": [[round(x, 4), round(y, 4)] for x, y in m.lorenz],
            }

        def share(s: Share) -> dict[str, Any]:
            return {
                "group": s.group,
                "people": s.people,
                "contributions": s.contributions,
                "people_share": round(s.people_share, 4),
                "contribution_share": round(s.contribution_share, 4),
            }

        return {
            "overall": measure(self.overall),
            "strands": [
                {"strand": s.strand, "title": s.title, **measure(s.measure)} for s in self.strands
            ],
            "by_role": [share(s) for s in self.by_role],
            "by_channel": [share(s) for s in self.by_channel],
            "alerts": [{"alert": a.sentence, "what_to_do": a.advice} for a in self.alerts],
            "person_weighted": [
                {
                    "tally": w.name,
                    "rows": [
                        {
                            "category": r.category,
                            "items": r.items,
                            "people": r.people,
                            "item_share": round(r.item_share, 4),
                            "person_share": round(r.person_share, 4),
                        }
                        for r in w.tally.rows
                    ],
                    "differences": w.tally.sentences(),
                }
                for w in self.weightings
            ],
            "talk_time": [
                {"interview": t.name, "words": t.words, "flagged": t.flagged} for t in self.talk
            ],
            "quoted": [
                {
                    "role": q.role,
                    "quotes": q.quotes,
                    "quote_share": round(q.quote_share, 4),
                    "participant_share": round(q.participant_share, 4),
                }
                for q in self.quoted
            ],
            "quoted_by_strand": [
                {"strand": name, "quotes": n, "share": round(share, 4)}
                for name, n, share in self.quoted_by_strand
            ],
            "targets": targets_json(self.targets),
            "notes": list(self.notes),
        }


def targets_for(study: Study) -> EquityTargets:
    """The study's targets (the defaults until the team sets its own; nothing is saved)."""
    return EquityTargets.objects.filter(study=study).first() or EquityTargets(study=study)


def targets_json(targets: EquityTargets) -> dict[str, Any]:
    return {
        "role_floors": dict(targets.role_floors),
        "channel_ceiling": targets.channel_ceiling,
        "difference": targets.difference,
        "talk_floor": targets.talk_floor,
    }


@dataclass
class _Gathered:
    """Contributions per person (pseudonym or an interview speaker's own key)."""

    per_strand: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    role: dict[str, str] = field(default_factory=dict)
    channel_items: Counter[str] = field(default_factory=Counter)
    role_items: Counter[str] = field(default_factory=Counter)


def voices(study: Study) -> Voices:
    """Who was heard in this study, and how evenly. Reads every strand; changes nothing."""
    targets = targets_for(study)
    enrolled = list(Participant.objects.filter(study=study).consenting())
    every_turn = _speaker_turns(study)
    voiced = [t for t in every_turn if t.speaker.perspective != Perspective.INTERVIEWER]
    turns_by_speaker = _interview_turns(voiced)
    gathered = _gather(study, enrolled, voiced, turns_by_speaker)
    overall: Counter[str] = Counter()
    for strand, counts in gathered.per_strand.items():
        if strand != Strand.INTERVIEW:
            overall.update(counts)
    overall.update(
        {k: v for k, v in turns_by_speaker.items() if k in gathered.per_strand[Strand.INTERVIEW]}
    )
    silent = sum(1 for p in enrolled if p.pseudonym not in overall)
    strands = tuple(
        StrandVoices(str(s), STRAND_TITLES.get(Strand(s), str(s)), inequality(counts))
        for s, counts in sorted(
            gathered.per_strand.items(), key=lambda kv: list(Strand).index(Strand(kv[0]))
        )
        if counts
    )
    people_by_role = Counter(gathered.role[p] for p in overall) + Counter(
        p.role for p in enrolled if p.pseudonym not in overall
    )
    by_role = shares(dict(people_by_role), dict(gathered.role_items))
    by_channel = shares(dict(Counter(p.channel for p in enrolled)), dict(gathered.channel_items))
    alerts = role_alerts(by_role, _floors(targets), role_names()) + channel_alerts(
        by_channel, targets.channel_ceiling, channel_names()
    )
    talk, talk_overall = talk_times(every_turn, targets.talk_floor)
    alerts += [
        Alert(
            _("%(name)s: the service user spoke %(share)s of the words, under %(floor)s%%.")
            % {
                "name": t.name,
                "share": f"{t.share(Perspective.SERVICE_USER):.0%}",
                "floor": targets.talk_floor,
            },
            _(
                "Ask the interviewer to leave room for the service user: questions put to them"
                " first, time for them to answer, the organisation invited to listen."
            ),
        )
        for t in talk
        if t.flagged
    ]
    records = evidence_by_id(study)
    return Voices(
        overall=inequality(overall, silent=silent),
        strands=strands,
        by_role=by_role,
        by_channel=by_channel,
        alerts=tuple(alerts),
        weightings=weightings(study, records, targets.difference, voiced),
        talk=talk,
        talk_overall=talk_overall,
        quoted=quoted_roles(study, records, enrolled),
        targets=targets,
        quoted_by_strand=quoted_strands(study, records),
        notes=(
            _(
                "Overall, contributions are items (a statement, a vote, a story, a turn in an"
                " interview) and everyone enrolled counts, those who gave nothing as zeros; each"
                " strand counts the people who contributed to it. Codings are the team's work"
                " and not counted. Anyone who withdrew is in no figure."
            ),
        ),
    )


def _floors(targets: EquityTargets) -> dict[str, float]:
    return {str(k): float(v) for k, v in dict(targets.role_floors).items()}


def _gather(
    study: Study, enrolled: list[Participant], voiced: list[Turn], turns: Counter[str]
) -> _Gathered:
    found = _Gathered()
    standing = {p.pk: p for p in enrolled}
    for p in enrolled:
        found.role[p.pseudonym] = p.role
    conversation = found.per_strand[Strand.CONVERSATION]
    statements = Statement.objects.filter(
        conversation__study=study,
        conversation__purpose=Purpose.GATHER,
        author__isnull=False,
    ).exclude(status=StatementStatus.REJECTED)
    for author_id, channel in statements.values_list("author_id", "channel"):
        if author_id in standing:
            who = standing[author_id]
            conversation[who.pseudonym] += 1
            found.channel_items[channel] += 1
            found.role_items[who.role] += 1
    votes = CurrentVote.objects.filter(
        conversation__study=study, conversation__purpose=Purpose.GATHER
    ).values_list("participant_id", "channel")
    for participant_id, channel in votes:
        if participant_id in standing:
            who = standing[participant_id]
            conversation[who.pseudonym] += 1
            found.channel_items[channel] += 1
            found.role_items[who.role] += 1
    for strand in (Strand.STORY, Strand.REVIEW, Strand.PILOT, Strand.DOCUMENT):
        for record in _records(study, strand):
            if record.author:
                found.per_strand[strand][record.author] += 1
                found.role.setdefault(record.author, str(record.role))
                found.channel_items[str(record.channel)] += 1
                found.role_items[str(record.role)] += 1
    for key, (words, role) in _interview_words(voiced).items():
        found.per_strand[Strand.INTERVIEW][key] += words
        found.role.setdefault(key, role)
    for key, count in turns.items():
        found.channel_items[Channel.IN_PERSON] += count
        found.role_items[found.role.get(key, ContributorRole.NOT_SAID)] += count
    return found


def _records(study: Study, strand: Strand) -> list[EvidenceRecord]:
    from coproduce.studies.strands import evidence_items

    return evidence_items(study, strands=[strand])


def _speaker_turns(study: Study) -> list[Turn]:
    """The turns of interviews not withdrawn, by speakers whose participant (if linked) still
    consents, interviewers' among them, in order; read once for every figure."""
    consenting = Participant.objects.filter(study=study).consenting().values("pk")
    withdrawn = Participant.objects.filter(study=study).exclude(pk__in=consenting)
    turns = Turn.objects.filter(
        interview__case_study__study=study, interview__withdrawn_at__isnull=True
    ).exclude(speaker__participant__in=withdrawn)
    related = turns.select_related("speaker__participant", "interview__case_study__organisation")
    return list(related.order_by("interview_id", "position"))


def _speaker_key(turn: Turn) -> str:
    """A participant's pseudonym, or the speaker's place in their interview (never the label
    the transcript uses, which is often a first name)."""
    speaker = turn.speaker
    if speaker.participant is not None:
        return speaker.participant.pseudonym
    return f"{PERSPECTIVE_NAMES[Perspective(speaker.perspective)]} {speaker.pk}"


def _interview_words(voiced: list[Turn]) -> dict[str, tuple[int, str]]:
    words: dict[str, tuple[int, str]] = {}
    for turn in voiced:
        key = _speaker_key(turn)
        role = str(PERSPECTIVE_ROLES[Perspective(turn.speaker.perspective)])
        had = words.get(key, (0, role))[0]
        words[key] = (had + len(WORD.findall(turn.text)), role)
    return words


def _interview_turns(voiced: list[Turn]) -> Counter[str]:
    return Counter(_speaker_key(t) for t in voiced)


def talk_times(turns: list[Turn], floor: float) -> tuple[tuple[TalkTime, ...], TalkTime | None]:
    """Words by perspective in each joint interview, and in all of them together."""
    per: dict[Any, Counter[str]] = defaultdict(Counter)
    names: dict[Any, str] = {}
    for turn in turns:
        interview = turn.interview
        per[interview.pk][turn.speaker.perspective] += len(WORD.findall(turn.text))
        names[interview.pk] = _("Interview with %(organisation)s") % {
            "organisation": interview.case_study.organisation.name
        }
    found = tuple(
        talk_time(names[k], words, watched=Perspective.SERVICE_USER, least=floor)
        for k, words in per.items()
    )
    if not found:
        return (), None
    total: Counter[str] = Counter()
    for words in per.values():
        total.update(words)
    return found, talk_time(
        _("All interviews"), total, watched=Perspective.SERVICE_USER, least=floor
    )


def weightings(
    study: Study, records: dict[str, EvidenceRecord], threshold: float, voiced: list[Turn]
) -> tuple[Weighting, ...]:
    """Theme prevalence, finding support and quotes per role, by items and by people."""
    speakers = {f"turn:{t.pk}": _speaker_key(t) for t in voiced}

    def who(evidence_id: str) -> str:
        """The person behind an item: an interview speaker by their own key, for the label
        the evidence gives speakers without a participant ("A service user") is not one
        person."""
        return speakers.get(evidence_id) or records[evidence_id].author or ""

    themes = Theme.objects.filter(study=study, status=ThemeStatus.ACCEPTED).order_by("pk")
    theme_pairs = [
        (who(i), theme.label)
        for theme in themes
        for i in sorted(supporting_items(theme))
        if i in records and who(i)
    ]
    findings = Finding.objects.filter(study=study).prefetch_related("themes", "quotes")
    finding_pairs = []
    quote_pairs = []
    for finding in findings:
        behind: set[str] = set()
        for theme in finding.themes.all():
            behind |= supporting_items(theme)
        behind |= {q.evidence_id for q in finding.quotes.all()}
        finding_pairs += [
            (who(i), finding.title) for i in sorted(behind) if i in records and who(i)
        ]
        quote_pairs += [
            (
                who(q.evidence_id),
                role_names().get(str(records[q.evidence_id].role), ""),
            )
            for q in finding.quotes.all()
            if q.evidence_id in records and records[q.evidence_id].author
        ]
    return tuple(
        Weighting(name, person_weighted(pairs, threshold=threshold))
        for name, pairs in (
            (_("Themes: how much evidence each holds"), theme_pairs),
            (_("Findings: the evidence behind each"), finding_pairs),
            (_("Quotes in findings, by role"), quote_pairs),
        )
        if pairs
    )


def quoted_roles(
    study: Study, records: dict[str, EvidenceRecord], enrolled: list[Participant]
) -> tuple[QuotedRole, ...]:
    """Whose words the findings quote, by role, against each role's share of participants."""
    quoted: Counter[str] = Counter()
    for finding in Finding.objects.filter(study=study).prefetch_related("quotes"):
        for q in finding.quotes.all():
            if q.evidence_id in records:
                quoted[str(records[q.evidence_id].role)] += 1
    people = Counter(p.role for p in enrolled)
    all_quotes, all_people = sum(quoted.values()) or 1, sum(people.values()) or 1
    roles = sorted(set(quoted) | set(people), key=lambda r: (-people.get(r, 0), r))
    return tuple(
        QuotedRole(
            role=role_names().get(r, r),
            quotes=quoted.get(r, 0),
            quote_share=quoted.get(r, 0) / all_quotes,
            participant_share=people.get(r, 0) / all_people,
        )
        for r in roles
    )


def quoted_strands(
    study: Study, records: dict[str, EvidenceRecord]
) -> tuple[tuple[str, int, float], ...]:
    """Quotes in findings by the strand they come from, largest first."""
    quoted: Counter[str] = Counter()
    for finding in Finding.objects.filter(study=study).prefetch_related("quotes"):
        for q in finding.quotes.all():
            if q.evidence_id in records:
                quoted[STRAND_TITLES.get(Strand(records[q.evidence_id].strand), "")] += 1
    total = sum(quoted.values()) or 1
    return tuple((name, n, n / total) for name, n in sorted(quoted.items(), key=lambda kv: -kv[1]))
