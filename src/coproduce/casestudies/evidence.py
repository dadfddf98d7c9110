"""Interview turns as evidence items (interviewers' questions are not evidence).

The text is the redacted one once the team has checked the interview for personal data; until
then the items are held back from everything that leaves the restricted view."""

from __future__ import annotations

from collections.abc import Iterator

from coproduce.casestudies.models import PERSPECTIVE_ROLES, Perspective, Turn
from coproduce.core.evidence import Channel, ConsentLevel, EvidenceRecord, Strand
from coproduce.studies.models import Study
from coproduce.studies.strands import register_strand


def turn_items(study: Study) -> Iterator[EvidenceRecord]:
    turns = (
        Turn.objects.filter(
            interview__case_study__study=study, interview__withdrawn_at__isnull=True
        )
        .exclude(speaker__perspective=Perspective.INTERVIEWER)
        .select_related("speaker__participant", "interview")
        .order_by("interview_id", "position")
    )
    for t in turns:
        consent = ConsentLevel(t.interview.consent_level)
        if t.speaker.participant is not None:
            consent = min(consent, t.speaker.participant.consent_level())
        yield EvidenceRecord(
            evidence_id=f"turn:{t.pk}",
            text=t.redacted_text if t.interview.checked_at is not None else t.text,
            author=t.speaker.shown_name(),
            role=PERSPECTIVE_ROLES[Perspective(t.speaker.perspective)],
            channel=Channel.IN_PERSON,
            strand=Strand.INTERVIEW,
            consent=consent,
            created=t.interview.created_at,
            checked=t.interview.checked_at is not None,
        )


register_strand(Strand.INTERVIEW, turn_items)
