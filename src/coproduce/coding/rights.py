"""The team's codings and chosen quotes hold a participant's words: erased with them."""

from __future__ import annotations

from typing import Any

from coproduce.coding.models import Coding, ThemeItem
from coproduce.studies.models import Participant
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
