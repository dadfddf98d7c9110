"""Evidence as the coding app sees it: any strand's items by evidence id, and imported documents
as evidence items in their own strand."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.coding.models import Document
from coproduce.core.errors import NotFound
from coproduce.core.evidence import (
    Channel,
    ConsentLevel,
    ContributorRole,
    EvidenceRecord,
    Strand,
    held_back,
)
from coproduce.studies.models import Study
from coproduce.studies.permissions import Permission
from coproduce.studies.services import require
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


def restricted(record: EvidenceRecord) -> bool:
    """True for items only the team members who work with participants may read."""
    return held_back(record, ConsentLevel.STORE) is not None


def evidence_for(study: Study, by: User) -> dict[str, EvidenceRecord]:
    """The evidence this team member may read, by evidence id.

    Everything for those with restricted access (who work with participants' own words); for
    others, such as observers, only what may leave the restricted view (core.evidence.held_back):
    stories and interviews once checked for personal data, statements once approved.
    """
    require(by, Permission.VIEW_STUDY, study)
    records = evidence_by_id(study)
    if by.has_perm(Permission.VIEW_PARTICIPANTS, study):
        return records
    return {key: r for key, r in records.items() if not restricted(r)}


register_strand(Strand.DOCUMENT, document_items)
