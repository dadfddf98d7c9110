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
from coproduce.core.evidence import ConsentLevel
from coproduce.studies import audit
from coproduce.studies.models import AuditEvent, Consent, Erasure, Participant
from coproduce.studies.permissions import Permission
from coproduce.studies.services import new_pseudonym, require, withdraw


@dataclass(frozen=True)
class PersonalDataPart:
    """One app's share of a participant's data: how to show it, and how to erase it."""

    name: str
    title: str
    collect: Callable[[Participant], list[dict[str, Any]]]
    erase: Callable[[Participant], int]  # how many things it removed
    order: int = 50  # parts that refer to others' items (codings) erase first
    # For consent texts that keep contributions anonymously: move what may be kept to a
    # stand-in participant (how many things moved); what is not moved is then erased.
    hand_over: Callable[[Participant, Participant], int] | None = None


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


def keeps_anonymously(participant: Participant) -> bool:
    """True when the consent text this participant last agreed to says erasure keeps their
    contributions anonymously, and they still consent to them being kept."""
    consent = participant.current_consent()
    return (
        consent is not None
        and consent.consent_text.on_erasure == Erasure.ANONYMISE
        and participant.consent_level() >= ConsentLevel.STORE
    )


@transaction.atomic
def erase(participant: Participant, by: User | str = audit.PARTICIPANT) -> dict[str, int]:
    """Erase what the participant contributed and said about themselves; how much went.

    If the consent text they agreed to says so, what they agreed to share is first handed to a
    new pseudonym, with nothing that links it to them (no name, external id, self-description
    or recording, and only the checked, redacted words of stories and interviews); everything
    else is removed. Then they are withdrawn. What stays is the study's record that they took
    part: their pseudonym and their consent history (when they agreed, to which text, when
    they left).
    """
    ordered = sorted(_parts.values(), key=lambda part: part.order)
    kept: dict[str, int] = {}
    if keeps_anonymously(participant):
        stand_in = _stand_in(participant)
        kept = {p.name: p.hand_over(participant, stand_in) for p in ordered if p.hand_over}
    erased = {part.name: part.erase(participant) for part in ordered}
    withdraw(participant)
    Participant.objects.filter(pk=participant.pk).update(
        name="", named_with_consent=False, self_description=""
    )
    subject = f"participant {participant.pseudonym}" + (
        " (their contributions kept anonymously, as the consent text says)" if kept else ""
    )
    audit.record(participant.study, by, AuditEvent.Action.ERASED, subject)
    return erased | {f"{name}_kept_anonymously": n for name, n in kept.items()}


def _stand_in(participant: Participant) -> Participant:
    """A new pseudonym for contributions kept anonymously: the same role (for whose voices
    were heard) and agreement, nothing else."""
    consent = participant.current_consent()
    assert consent is not None  # keeps_anonymously checked it
    stand_in = Participant.objects.create(
        study=participant.study,
        pseudonym=new_pseudonym(participant.study),
        role=participant.role,
        channel=participant.channel,
    )
    Consent.objects.create(
        participant=stand_in,
        consent_text=consent.consent_text,
        level=consent.level,
        channel=consent.channel,
    )
    return stand_in


def erase_for(participant: Participant, by: User) -> dict[str, int]:
    """Erase a participant's data at their request, made to the team."""
    require(by, Permission.RECORD_CONSENT, participant.study)
    return erase(participant, by)
