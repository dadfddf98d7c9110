"""The team's codings and chosen quotes hold a participant's words: erased with them."""

from __future__ import annotations

from typing import Any

from coproduce.coding.models import Coding, ThemeItem
from coproduce.core.evidence import ConsentLevel
from coproduce.studies.models import Participant, Study
from coproduce.studies.retention import PurgePart, register_purge
from coproduce.studies.rights import PersonalDataPart, register_personal_data
from coproduce.studies.strands import evidence_items


def their_evidence(participant: Participant) -> set[str]:
    return {
        r.evidence_id
        for r in evidence_items(participant.study)
        if r.author == participant.pseudonym
    }


def collect(participant: Participant) -> list[dict[str, Any]]:
    return []  # the passages coded are their own words, shown in the other parts


def erase(participant: Participant) -> int:
    """Remove codings of their words and quotes chosen from them (run before the words go)."""
    ids = their_evidence(participant)
    removed = Coding.objects.filter(study=participant.study, evidence_id__in=ids).delete()[0]
    removed += ThemeItem.objects.filter(
        theme__study=participant.study, evidence_id__in=ids
    ).delete()[0]
    return removed


register_personal_data(PersonalDataPart("analysis", "Analysis", collect, erase, order=0))


def purge(study: Study) -> dict[str, int]:
    """After retention: codings and theme items of evidence that no longer exists."""
    existing = {r.evidence_id for r in evidence_items(study, at_least=ConsentLevel.STORE)}
    codings = Coding.objects.filter(study=study).exclude(evidence_id__in=existing)
    items = ThemeItem.objects.filter(theme__study=study).exclude(evidence_id__in=existing)
    return {
        "codings of material removed": codings.delete()[0],
        "theme items of material removed": items.delete()[0],
    }


register_purge(PurgePart("analysis", purge, order=80))
