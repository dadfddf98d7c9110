"""Evidence as the coding app sees it: any strand's items by evidence id, and imported documents
as evidence items in their own strand."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from coproduce.coding.models import Document
from coproduce.core.errors import NotFound
from coproduce.core.evidence import Channel, ConsentLevel, ContributorRole, EvidenceRecord, Strand
from coproduce.studies.models import Study
from coproduce.studies.strands import evidence_items, register_strand


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


def evidence_by_id(
    study: Study, at_least: ConsentLevel = ConsentLevel.STORE
) -> dict[str, EvidenceRecord]:
    return {r.evidence_id: r for r in evidence_items(study, at_least=at_least)}


def evidence(study: Study, evidence_id: str) -> EvidenceRecord:
    found = evidence_by_id(study).get(evidence_id)
    if found is None:
        raise NotFound(
            _("There is no evidence '%(e)s' in this study (or its contributor withdrew).")
            % {"e": evidence_id}
        )
    return found


register_strand(Strand.DOCUMENT, document_items)
