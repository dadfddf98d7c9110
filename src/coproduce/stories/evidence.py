"""Stories as evidence items, so they are coded, themed and published like any strand.

Only stories whose teller still consents reach the evidence; the text is the redacted one once
the team has checked the story (the original stays in the restricted record).
"""

from __future__ import annotations

from collections.abc import Iterator

from coproduce.core.evidence import Channel, ContributorRole, EvidenceRecord, Strand
from coproduce.stories.models import Story
from coproduce.studies.models import Study
from coproduce.studies.strands import register_strand


def story_items(study: Study) -> Iterator[EvidenceRecord]:
    stories = (
        Story.objects.filter(study=study, withdrawn_at__isnull=True)
        .select_related("teller")
        .prefetch_related("teller__consents")
        .order_by("number")
    )
    for s in stories:
        yield EvidenceRecord(
            evidence_id=f"story:{s.pk}",
            text=s.redacted_text if s.checked_at is not None else s.text,
            author=s.teller.pseudonym,
            role=ContributorRole(s.teller.role),
            channel=Channel(s.channel),
            strand=Strand.STORY,
            consent=s.consent(),
            created=s.created_at,
            checked=s.checked_at is not None,
        )


register_strand(Strand.STORY, story_items)
