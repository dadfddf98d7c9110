"""People's rights over their data: to see everything held about them (GDPR Article 15) and to
have it erased (Article 17), from their own page or through the team.

Each app says what it holds about a participant and how to erase it, through one registry, so
a new strand is covered by adding its part here, never by changing this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from coproduce.accounts.models import User
from coproduce.studies import audit
from coproduce.studies.models import AuditEvent, Participant
from coproduce.studies.permissions import Permission
from coproduce.studies.services import require, withdraw


@dataclass(frozen=True)
class PersonalDataPart:
    """One app's share of a participant's data: how to show it, and how to erase it."""

    name: str
    title: str
    collect: Callable[[Participant], list[dict[str, Any]]]
    erase: Callable[[Participant], int]  # how many things it removed
    order: int = 50  # parts that refer to others' items (codings) erase first


_parts: dict[str, PersonalDataPart] = {}


def register_personal_data(part: PersonalDataPart) -> None:
    _parts[part.name] = part


def personal_data(participant: Participant) -> dict[str, Any]:
    """Everything Coproduce holds about this participant, as plain JSON-ready data."""
    consents = participant.consents.select_related("consent_text").order_by("given_at", "pk")
    return {
        "study": participant.study.title,
        "made_at": timezone.now().isoformat(),
        "participant": {
            "pseudonym": participant.pseudonym,
            "external_id": participant.xid,
            "name": participant.name,
            "role": participant.get_role_display(),
            "in_your_own_words": participant.self_description,
            "joined_through": participant.get_channel_display(),
            "joined_at": participant.joined_at.isoformat(),
        },
        "consents": [
            {
                "agreed_use": c.get_level_display(),
                "consent_text_version": c.consent_text.version,
                "consent_text": c.consent_text.text,
                "given_at": c.given_at.isoformat(),
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
            }
            for c in consents
        ],
        **{
            part.name: {"title": part.title, "items": part.collect(participant)}
            for part in _parts.values()
        },
    }


def my_data(participant: Participant) -> dict[str, Any]:
    """A participant's own data, asked for from their own page (their session is the proof)."""
    return personal_data(participant)


def data_for(participant: Participant, by: User) -> dict[str, Any]:
    """A participant's data, for the team member who answers their request (paper, phone)."""
    require(by, Permission.RECORD_CONSENT, participant.study)
    subject = f"data of participant {participant.pseudonym}"
    audit.record(participant.study, by, AuditEvent.Action.EXPORTED, subject)
    return personal_data(participant)


@transaction.atomic
def erase(participant: Participant, by: User | str = audit.PARTICIPANT) -> dict[str, int]:
    """Erase what the participant contributed and said about themselves; how much went.

    Then they are withdrawn. What stays is the study's record that they took part: their
    pseudonym and their consent history (when they agreed, to which text, when they left).
    """
    ordered = sorted(_parts.values(), key=lambda part: part.order)
    erased = {part.name: part.erase(participant) for part in ordered}
    withdraw(participant)
    Participant.objects.filter(pk=participant.pk).update(
        name="", named_with_consent=False, self_description=""
    )
    subject = f"participant {participant.pseudonym}"
    audit.record(participant.study, by, AuditEvent.Action.ERASED, subject)
    return erased


def erase_for(participant: Participant, by: User) -> dict[str, int]:
    """Erase a participant's data at their request, made to the team."""
    require(by, Permission.RECORD_CONSENT, participant.study)
    return erase(participant, by)
