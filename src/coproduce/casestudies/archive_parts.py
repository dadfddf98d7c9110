"""Case studies in the study archive; withdrawn interviews are left out entirely."""

from __future__ import annotations

from typing import Any, NamedTuple

from coproduce.archive import (
    ArchivePart,
    ImportContext,
    register_evidence_keys,
    register_part,
    rows,
)
from coproduce.casestudies.models import (
    CaseStudy,
    ChosenQuote,
    GuideQuestion,
    Interview,
    Speaker,
    Turn,
)
from coproduce.casestudies.services import RECORD_FIELDS
from coproduce.core.errors import InvalidInput
from coproduce.core.evidence import ConsentLevel
from coproduce.core.personal_data import redact
from coproduce.studies.archive_parts import (
    optional_account,
    parse_datetime,
    parse_optional_datetime,
    when,
)
from coproduce.studies.models import Organisation, Study


class SpeakerRow(NamedTuple):
    """A speaker in the archive (a JSON array, in this order)."""

    label: str  # the name in the transcript
    perspective: str
    participant: str | None  # their pseudonym, when they are a participant


class TurnRow(NamedTuple):
    """A turn of an interview, in order: who spoke, their words and where (in seconds)."""

    speaker: str
    text: str
    start: float | None
    end: float | None


class QuoteRow(NamedTuple):
    """A chosen quote: the interview's index in the case study, the turn and the span."""

    interview: int
    turn: int
    start: int
    end: int


# What the archive holds for a turn of a speaker who withdrew from the study: the turn keeps its
# place (others' turns are named by position), none of its words.
WITHDRAWN_WORDS = "(withdrawn from the study)"


def kept_interviews(case: CaseStudy) -> list[Interview]:
    """A case study's interviews as the archive holds them: withdrawn ones left out."""
    return list(
        case.interviews.filter(withdrawn_at__isnull=True).prefetch_related(
            "speakers__participant__consents", "turns__speaker__participant__consents"
        )
    )


def withdrawn(turn: Turn) -> bool:
    """True for a turn whose speaker withdrew from the study."""
    person = turn.speaker.participant
    return person is not None and person.consent_level() == ConsentLevel.WITHDRAWN


def evidence_keys(study: Study) -> dict[str, str]:
    """Turns are named by organisation, the interview's place in the archive, and position."""
    keys = {}
    for case in CaseStudy.objects.filter(study=study).select_related("organisation"):
        for index, interview in enumerate(kept_interviews(case)):
            for turn in interview.turns.all():
                if not withdrawn(turn):
                    keys[f"turn:{turn.pk}"] = turn_key(case.organisation.slug, index, turn.position)
    return keys


def turn_key(organisation: str, interview: int, position: int) -> str:
    return f"turn:{organisation}/{interview}/{position}"


def dump(study: Study) -> dict[str, Any]:
    cases = []
    for case in CaseStudy.objects.filter(study=study).select_related("organisation"):
        interviews = kept_interviews(case)
        kept = {i.pk for i in interviews}
        cases.append(
            {
                "organisation": case.organisation.slug,
                **{name: getattr(case, name) for name in RECORD_FIELDS},
                "created_at": when(case.created_at),
                "interviews": [
                    {
                        "held_on": i.held_on.isoformat() if i.held_on else None,
                        "source_name": i.source_name,
                        "transcript_kind": i.transcript_kind,
                        "consent_level": i.consent_level,
                        "recorded_by": i.recorded_by.email if i.recorded_by else None,
                        "created_at": when(i.created_at),
                        "speakers": rows(
                            SpeakerRow(
                                s.label,
                                s.perspective,
                                s.participant.pseudonym if s.participant else None,
                            )
                            for s in i.speakers.all()
                        ),
                        "turns": rows(
                            TurnRow(
                                t.speaker.label,
                                WITHDRAWN_WORDS if withdrawn(t) else t.text,
                                t.start,
                                t.end,
                            )
                            for t in i.turns.all()
                        ),
                        "checked_at": when(i.checked_at) if i.checked_at else None,
                        "checked_by": i.checked_by.email if i.checked_by else None,
                        "redactions": {
                            str(t.position): t.redactions
                            for t in i.turns.all()
                            if t.redactions and not withdrawn(t)
                        },
                    }
                    for i in interviews
                ],
                "quotes": rows(
                    QuoteRow(
                        [i.pk for i in interviews].index(q.turn.interview_id),
                        q.turn.position,
                        q.start,
                        q.end,
                    )
                    for q in case.quotes.select_related("turn__speaker__participant")
                    if q.turn.interview_id in kept and not withdrawn(q.turn)
                ),
            }
        )
    return {
        "guide": list(GuideQuestion.objects.filter(study=study).values_list("text", flat=True)),
        "case_studies": cases,
    }


def load(context: ImportContext, data: dict[str, Any]) -> None:
    from datetime import date

    study = context.study
    GuideQuestion.objects.bulk_create(
        GuideQuestion(study=study, position=i, text=q) for i, q in enumerate(data["guide"])
    )
    for row in data["case_studies"]:
        organisation = Organisation.objects.get(slug=row["organisation"])
        case = CaseStudy.objects.create(
            study=study,
            organisation=organisation,
            created_at=parse_datetime(row["created_at"]),
            **{name: row[name] for name in RECORD_FIELDS},
        )
        interviews: list[Interview] = []
        for item in row["interviews"]:
            interview = Interview.objects.create(
                case_study=case,
                held_on=date.fromisoformat(item["held_on"]) if item["held_on"] else None,
                source_name=item["source_name"],
                transcript_kind=item["transcript_kind"],
                consent_level=item["consent_level"],
                recorded_by=optional_account(item["recorded_by"]),
                created_at=parse_optional_datetime(item["created_at"])
                or parse_datetime(row["created_at"]),
                # Version 1 archives came before the personal-data check of interviews.
                checked_at=parse_optional_datetime(item.get("checked_at")),
                checked_by=optional_account(item.get("checked_by")),
            )
            where = f"interview with {organisation.slug}"
            speakers = {
                s.label: Speaker.objects.create(
                    interview=interview,
                    label=s.label,
                    perspective=s.perspective,
                    participant=context.get("participant", s.participant, where)
                    if s.participant
                    else None,
                )
                for s in map(SpeakerRow._make, item["speakers"])
            }
            redactions = item.get("redactions", {})
            Turn.objects.bulk_create(
                checked_turn(
                    Turn(
                        interview=interview,
                        position=n,
                        speaker=speakers[t.speaker],
                        text=t.text,
                        start=t.start,
                        end=t.end,
                    ),
                    redactions.get(str(n), []),
                    where,
                )
                for n, t in enumerate(map(TurnRow._make, item["turns"]))
            )
            for turn in interview.turns.all():
                key = turn_key(organisation.slug, len(interviews), turn.position)
                context.remember("evidence", key, f"turn:{turn.pk}")
            interviews.append(interview)
        for q in map(QuoteRow._make, row["quotes"]):
            turn = Turn.objects.get(interview=interviews[q.interview], position=q.turn)
            ChosenQuote.objects.create(case_study=case, turn=turn, start=q.start, end=q.end)


def checked_turn(turn: Turn, redactions: list[list[Any]], where: str) -> Turn:
    """The turn with its redactions applied (checked interviews only), each span checked."""
    spans = []
    for span in redactions:
        start, end, kind = span
        if not (
            isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(turn.text)
        ):
            raise InvalidInput(
                f"A redaction ({span!r}) of turn {turn.position + 1} in the {where} lies outside "
                "its words; the archive is damaged."
            )
        spans.append((start, end, str(kind)))
    turn.redactions = [list(s) for s in spans]
    turn.redacted_text = redact(turn.text, spans).text
    return turn


register_part(
    ArchivePart(
        "case_studies",
        2,
        50,
        dump,
        load,
        holds=(
            "Joint interviews turn by turn with the speakers' names as in the transcripts "
            "(the words of speakers who withdrew left out), the personal-data check of each, "
            "organisations' case-study records and chosen quotes."
        ),
    )
)
register_evidence_keys("turn", evidence_keys)
