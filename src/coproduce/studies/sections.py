"""Sections that other apps add to a study's page (conversations, stories, ...).

Each app registers a template and a function giving its context, so the study page shows every
strand without the studies app knowing them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from coproduce.accounts.models import User
from coproduce.studies.models import Participant, Study


@dataclass(frozen=True)
class StudySection:
    name: str
    order: int
    template: str
    context: Callable[[Study, Any], dict[str, Any]]


_sections: dict[str, StudySection] = {}


def register_section(section: StudySection) -> None:
    _sections[section.name] = section


def sections_for(study: Study, user: User) -> list[tuple[str, dict[str, Any]]]:
    """Each registered section's template and context, in order."""
    ordered = sorted(_sections.values(), key=lambda s: (s.order, s.name))
    return [(s.template, {**s.context(study, user), "study": study}) for s in ordered]


@dataclass(frozen=True)
class ParticipantSection:
    """A part of a participant's home page in a study (their conversations, their stories...)."""

    name: str
    order: int
    template: str
    context: Callable[[Study, Participant], dict[str, Any]]


_participant_sections: dict[str, ParticipantSection] = {}


def register_participant_section(section: ParticipantSection) -> None:
    _participant_sections[section.name] = section


def participant_sections_for(
    study: Study, participant: Participant
) -> list[tuple[str, dict[str, Any]]]:
    """Each registered participant section's template and context, in order."""
    ordered = sorted(_participant_sections.values(), key=lambda s: (s.order, s.name))
    return [
        (s.template, {**s.context(study, participant), "study": study, "participant": participant})
        for s in ordered
    ]
