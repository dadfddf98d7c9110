"""The study's publication model, built from the database with only publishable material.

Everything passes the one rule for what may leave the team's restricted view
(core.evidence.held_back): consented to the use, checked and redacted for personal data,
approved by moderation, not withdrawn. Quotes need consent to quote; the open data's
contributions need consent to publish in full.
"""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import Iterable
from datetime import date

from coproduce.casestudies import services as case_services
from coproduce.casestudies.models import CaseStudy as CaseStudyRow
from coproduce.casestudies.models import Perspective, Speaker
from coproduce.coding.agreement import agreement
from coproduce.coding.findings import finding_evidence, recommendations_ordered
from coproduce.coding.models import Code, Coding, Theme, ThemeStatus
from coproduce.coding.models import Finding as FindingRow
from coproduce.coding.triangulation import supporting_items
from coproduce.conversations.models import CurrentVote, Purpose
from coproduce.conversations.services import visible_statements
from coproduce.core.evidence import Channel, ConsentLevel, EvidenceRecord, Strand, held_back
from coproduce.core.publishing.model import (
    SMALLEST_SHOWN,
    CaseStudy,
    Contribution,
    Equity,
    Finding,
    GroupShare,
    Person,
    Publication,
    Quote,
    Recommendation,
    StrandEvidence,
    Tally,
    Validation,
)
from coproduce.equity import member_check, voices
from coproduce.publications import easy_read
from coproduce.stories.models import Story
from coproduce.studies.models import CHANNEL_CHOICES, CONTRIBUTOR_ROLE_CHOICES, Participant, Study
from coproduce.studies.strands import evidence_items

STRAND_TITLES = {
    Strand.CONVERSATION: "Conversations",
    Strand.STORY: "Stories",
    Strand.INTERVIEW: "Joint interviews",
    Strand.REVIEW: "Rapid review",
    Strand.PILOT: "Pilot evaluations",
    Strand.DOCUMENT: "Imported documents",
}
ROLES = {k: str(v) for k, v in CONTRIBUTOR_ROLE_CHOICES}
CHANNELS = {k: str(v) for k, v in CHANNEL_CHOICES}


def publishable(study: Study) -> list[EvidenceRecord]:
    """The evidence that may leave the restricted view at all (kept for the study)."""
    return [r for r in evidence_items(study) if held_back(r, ConsentLevel.STORE) is None]


def build_publication(study: Study) -> Publication:
    records = publishable(study)
    return Publication(
        slug=study.slug,
        title=study.title,
        summary=study.summary,
        aims=tuple(line.strip() for line in study.aims.splitlines() if line.strip()),
        edition=edition(study, records),
        team=team(study),
        partners=tuple(o.name for o in study.organisations.order_by("name")),
        funder=study.funder,
        evidence=evidence_base(study, records),
        roles=tallies(Counter(ROLES.get(r.role, r.role) for r in people(records).values())),
        channels=tallies(Counter(CHANNELS.get(r.channel, r.channel) for r in records)),
        method=method(study, records),
        findings=findings(study, records),
        recommendations=recommendations(study),
        recommendations_ordered=recommendations_ordered(study),
        case_studies=case_studies(study),
        contributions=contributions(records),
        limitations=limitations(records),
        easy_read=easy_read.for_publication(study),
        equity=equity_of(study),
        acknowledgements=(
            "Thank you to everyone who shared their experience, their time and their ideas.",
        ),
        attribution=attribution(study),
    )


def edition(study: Study, records: list[EvidenceRecord]) -> date:
    latest = max((r.created for r in records), default=study.updated_at)
    return max(latest, study.updated_at).date()


def people(records: Iterable[EvidenceRecord]) -> dict[str, EvidenceRecord]:
    """One record per contributor (by pseudonym), for counting people and their roles."""
    return {r.author: r for r in records if r.author}


def tallies(counts: Counter[str]) -> tuple[Tally, ...]:
    return tuple(
        Tally(label, n) for label, n in sorted(counts.items(), key=lambda i: (-i[1], i[0]))
    )


def team(study: Study) -> tuple[Person, ...]:
    members = study.memberships.select_related("user").order_by("role", "user__name")
    return tuple(
        Person(m.user.name, str(m.get_role_display())) for m in members if m.user.name.strip()
    )


def evidence_base(study: Study, records: list[EvidenceRecord]) -> tuple[StrandEvidence, ...]:
    found = []
    for strand in sorted({r.strand for r in records}, key=list(Strand).index):
        mine = [r for r in records if r.strand == strand]
        extra: dict[str, object] = {"people": len(people(mine))}
        if strand == Strand.CONVERSATION:
            extra = conversation_extra(study, mine)
        elif strand == Strand.STORY:
            extra |= story_extra(mine)
        elif strand == Strand.INTERVIEW:
            extra = {"people": interview_speakers(mine)}
        found.append(
            StrandEvidence(
                strand=str(strand),
                title=STRAND_TITLES.get(strand, str(strand).title()),
                items=len(mine),
                **extra,  # type: ignore[arg-type]
            )
        )
    return tuple(found)


def conversation_extra(study: Study, mine: list[EvidenceRecord]) -> dict[str, object]:
    """Votes that stand, by people who still consent, on statements people may see; and the
    most statements on one question."""
    consenting = Participant.objects.filter(study=study).consenting().values("pk")
    votes, most, per_question, voters = 0, 0, [], set()
    for conversation in study.conversations.filter(purpose=Purpose.GATHER).order_by(
        "position", "pk"
    ):
        shown = visible_statements(conversation)
        standing = CurrentVote.objects.filter(statement__in=shown, participant__in=consenting)
        votes += standing.count()
        voters |= set(standing.values_list("participant_id", flat=True))
        count = shown.count()
        most = max(most, count)
        per_question.append(Tally(conversation.question, count))
    writers = set(
        Participant.objects.filter(
            study=study, pseudonym__in={r.author for r in mine if r.author}
        ).values_list("pk", flat=True)
    )
    return {
        "people": len(voters | writers),
        "votes": votes,
        "most_per_question": most,
        "breakdown": tuple(per_question),
        "breakdown_title": "Statements on each question",
    }


def interview_speakers(mine: list[EvidenceRecord]) -> int:
    """The people who spoke in the published interviews (interviewers are not evidence)."""
    ids = [int(r.evidence_id.split(":")[1]) for r in mine]
    return Speaker.objects.filter(turns__pk__in=ids).distinct().count()


def story_extra(mine: list[EvidenceRecord]) -> dict[str, object]:
    ids = [int(r.evidence_id.split(":")[1]) for r in mine]
    sectors: Counter[str] = Counter()
    for story in Story.objects.filter(pk__in=ids).prefetch_related("sectors"):
        for sector in story.sectors.all():
            sectors[sector.name] += 1
    return {"breakdown": tallies(sectors), "breakdown_title": "Stories by sector"}


def method(study: Study, records: list[EvidenceRecord]) -> tuple[str, ...]:
    strands = sorted({STRAND_TITLES.get(r.strand, r.strand) for r in records})
    codes = Code.objects.filter(study=study).count()
    codings = Coding.objects.filter(study=study).count()
    coders = Coding.objects.filter(study=study).values("coder").distinct().count()
    accepted = Theme.objects.filter(study=study, status=ThemeStatus.ACCEPTED)
    suggested = accepted.exclude(suggested_by="").count()
    lines = [
        f"The study gathered evidence in {len(strands)} strands: {', '.join(strands)}.",
        "Everything here comes only from people who agreed to it being used, after the team "
        "checked it for personal data; anything someone withdrew was taken out.",
    ]
    if codes:
        lines.append(
            f"The team coded the evidence with a codebook of {codes} codes: {codings} passages "
            f"coded by {coders} {'coder' if coders == 1 else 'coders'}."
        )
    lines += agreement_lines(study)
    if accepted.exists():
        origin = (
            f" ({suggested} of them first suggested by the computer, offline, and then reviewed)"
            if suggested
            else ""
        )
        lines.append(
            f"The team agreed {accepted.count()} themes{origin}; findings bring themes together "
            "across strands."
        )
    if study.conversations.filter(purpose=Purpose.GATHER).exists():
        lines.append(
            "In conversations, people voted on each other's statements; opinion groups were "
            "found from the votes (principal components and k-means, as Polis does)."
        )
    return tuple(lines)


def agreement_lines(study: Study) -> list[str]:
    """How far coders agreed, where two or more coded the same items (Krippendorff's alpha)."""
    report = agreement(study)
    alphas = [c.alpha for c in report.codes if c.alpha is not None]
    if report.units == 0 or not alphas:
        return []
    alphas.sort()
    middle = alphas[len(alphas) // 2]
    return [
        f"{len(report.coders)} coders coded the same {report.units} items independently; across "
        f"{len(alphas)} codes their agreement (Krippendorff's alpha) had a median of "
        f"{middle:.2f}, from {alphas[0]:.2f} to {alphas[-1]:.2f}."
    ]


def quote_of(words: str, record: EvidenceRecord) -> Quote:
    return Quote(words, STRAND_TITLES.get(record.strand, record.strand), ROLES.get(record.role, ""))


def findings(study: Study, records: list[EvidenceRecord]) -> tuple[Finding, ...]:
    out = []
    by_id = {r.evidence_id: r for r in records}
    checked = validations(study)
    for number, row in enumerate(FindingRow.objects.filter(study=study), start=1):
        evidence = finding_evidence(row)
        ids = set().union(*(supporting_items(t) for t in row.themes.all()))
        strand_counts = Counter(
            STRAND_TITLES.get(by_id[i].strand, by_id[i].strand) for i in ids if i in by_id
        )
        out.append(
            Finding(
                number=number,
                title=row.title,
                text=row.text,
                themes=tuple(t.label for t in row.themes.all()),
                strands=tuple(STRAND_TITLES.get(s, s) for s in evidence.strands),
                items=evidence.items,
                people=evidence.people,
                quotes=tuple(quote_of(words, record) for words, record in evidence.quotes),
                by_strand=tallies(strand_counts),
                validation=checked.get(row.pk),
            )
        )
    return tuple(out)


def validations(study: Study) -> dict[int, Validation]:
    """Each checked finding's answers from participants, counted once per person (nobody who
    withdrew), with the room's hands and the reasons it was revised."""
    found = {}
    for result in member_check.results(study):
        if not result.people.total and not result.room.total:
            continue
        found[result.finding.pk] = Validation(
            agree=result.people.agree,
            disagree=result.people.disagree,
            unsure=result.people.unsure,
            by_role=tuple(
                (role or "Role not given", t.agree, t.disagree, t.unsure)
                for role, t in result.by_role.items()
            ),
            room=(result.room.agree, result.room.disagree, result.room.unsure),
            revised=tuple(r.reason for r in result.revisions),
        )
    return found


def recommendations(study: Study) -> tuple[Recommendation, ...]:
    numbers = {f.pk: n for n, f in enumerate(FindingRow.objects.filter(study=study), start=1)}
    return tuple(
        Recommendation(
            number=n,
            text=r.text,
            findings=tuple(sorted(numbers[f.pk] for f in r.findings.all() if f.pk in numbers)),
        )
        for n, r in enumerate(study.recommendations.all(), start=1)
    )


def case_studies(study: Study) -> tuple[CaseStudy, ...]:
    out = []
    for row in CaseStudyRow.objects.filter(study=study).select_related("organisation"):
        record = case_services.record(row)
        staff = tuple(
            Quote(q["text"], "Joint interviews", "Staff or volunteer")
            for q in record["quotes"]["staff"]
        )
        users = tuple(
            Quote(q["text"], "Joint interviews", "Service user")
            for q in record["quotes"]["service_users"]
        )
        out.append(
            CaseStudy(
                organisation=row.organisation.name,
                slug=row.organisation.slug,
                **{name: record[name] for name in case_services.RECORD_FIELDS},
                quotes_staff=staff,
                quotes_service_users=users,
                logo=logo_uri(row.organisation.logo, row.organisation.logo_type),
            )
        )
    return tuple(out)


def logo_uri(data: bytes | memoryview, kind: str) -> str:
    """The organisation's logo as a data: URI for its poster, or empty."""
    if not data or kind not in ("image/png", "image/jpeg"):
        return ""
    return f"data:{kind};base64,{base64.b64encode(bytes(data)).decode('ascii')}"


def contributions(records: list[EvidenceRecord]) -> tuple[Contribution, ...]:
    return tuple(
        Contribution(
            evidence_id=r.evidence_id,
            strand=str(r.strand),
            author=r.author or "",
            role=ROLES.get(r.role, r.role),
            channel=CHANNELS.get(r.channel, r.channel),
            created=r.created.date(),
            text=r.text,
        )
        for r in sorted(records, key=lambda r: (r.strand, r.created, r.evidence_id))
        if held_back(r, ConsentLevel.PUBLISH) is None
    )


def attribution(study: Study) -> tuple[str, ...]:
    """Credit for data the study took from elsewhere: conversations imported from Polis."""
    imported = study.conversations.filter(members__participant__channel=Channel.IMPORT).distinct()
    return tuple(
        f"The conversation “{c.question}” was imported from a Polis export. Polis open data "
        "are published under the Creative Commons Attribution 4.0 licence (CC BY 4.0): credit "
        "the conversation's owners and The Computational Democracy Project (pol.is)."
        for c in imported.order_by("position", "pk")
    )


def limitations(records: list[EvidenceRecord]) -> tuple[str, ...]:
    return (
        "What is published here is what people agreed to share; contributions they kept for "
        "the team alone, or withdrew, shaped nothing you can read here but are not shown.",
        "People chose to take part; they are not a sample of everyone the study is about.",
    )


def equity_of(study: Study) -> Equity | None:
    """Whose voices were heard, in numbers no one can be picked out from: nothing when fewer
    than SMALLEST_SHOWN people took part, shares rather than counts, and no pseudonyms."""
    summary = voices.voices(study)
    overall = summary.overall
    if overall.people < SMALLEST_SHOWN:
        return None
    roles, channels = voices.role_names(), voices.channel_names()
    differences = [s for w in summary.weightings for s in w.tally.sentences(named=False)]
    talk = summary.talk_overall
    return Equity(
        people=overall.people,
        silent=overall.silent,
        gini=overall.gini,
        top_tenth=overall.top_tenth,
        top_person=overall.top_person,
        lorenz=overall.lorenz,
        by_role=tuple(
            GroupShare(roles.get(r.group, r.group), r.people_share, r.contribution_share)
            for r in summary.by_role
        ),
        by_channel=tuple(
            GroupShare(channels.get(c.group, c.group), c.people_share, c.contribution_share)
            for c in summary.by_channel
        ),
        differences=tuple(differences),
        talk=tuple(
            (voices.PERSPECTIVE_NAMES.get(Perspective(k), k), talk.share(k)) for k in talk.words
        )
        if talk
        else (),
        quoted_by_strand=tuple((name, share) for name, _n, share in summary.quoted_by_strand),
        quoted=tuple(
            GroupShare(q.role, q.participant_share, q.quote_share) for q in summary.quoted
        ),
    )
