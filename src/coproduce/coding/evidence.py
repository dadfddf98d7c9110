"""Imported documents as evidence items, in their own strand."""

from __future__ import annotations

from collections.abc import Iterator

from coproduce.coding.models import Document
from coproduce.core.evidence import Channel, ConsentLevel, ContributorRole, EvidenceRecord, Strand
from coproduce.studies.models import Study
from coproduce.studies.strands import register_strand


def document_items(study: Study) -> Iterator[EvidenceRecord]:
    for d in Document.objects.filter(study=study):
        yield EvidenceRecord(
            evidence_id=f"document:{d.pk}",
            text=d.text,
            author=None,
            role=ContributorRole.NOT_SAID,
            channel=Channel.IMPORT,
            strand=Strand.DOCUMENT,
            consent=ConsentLevel(d.consent),
            created=d.created_at,
        )


register_strand(Strand.DOCUMENT, document_items)
