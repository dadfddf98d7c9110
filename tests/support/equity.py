"""A small study built to be lopsided: one prolific person, five quieter ones, one silent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coproduce.coding import findings, themes
from coproduce.conversations import services as conversations
from coproduce.conversations.models import Moderation, StatementStatus
from coproduce.core.evidence import Channel, ConsentLevel, ContributorRole
from coproduce.studies import services as studies
from coproduce.studies.models import Role
from tests.support.factories import study_with_team


@dataclass(frozen=True)
class Lopsided:
    study: Any
    team: Any
    anna: Any
    others: Any
    silent: Any
    first: Any
    second: Any
    talk: Any

    def parts(self) -> tuple[Any, ...]:
        return (
            self.study,
            self.team,
            self.anna,
            self.others,
            self.silent,
            self.first,
            self.second,
            self.talk,
        )


def person(study, role=ContributorRole.LIVED_EXPERIENCE, channel=Channel.WEB):  # type: ignore[no-untyped-def]
    return studies.join(study, ConsentLevel.PUBLISH, channel=channel, role=role)


def a_lopsided_study() -> Lopsided:
    """Anna (a practitioner) writes twelve statements about waiting lists; five people with
    lived experience write one each about kind staff; one more person never contributes."""
    study, team = study_with_team("lopsided")
    owner = team[Role.OWNER]
    talk = conversations.create_conversation(
        study, owner, "What matters about the service?", moderation=Moderation.LENIENT
    )
    anna = person(study, ContributorRole.PRACTITIONER)
    waiting = []
    for n in range(12):
        s = conversations.write_statement(talk, anna, f"The waiting list is too long, point {n}.")
        waiting.append(f"statement:{s.pk}")
    kind = []
    others = [person(study) for _ in range(5)]
    for n, p in enumerate(others):
        s = conversations.write_statement(talk, p, f"Staff were kind to me, in their way {n}.")
        kind.append(f"statement:{s.pk}")
    silent = person(study, channel=Channel.PAPER)
    numbers = list(talk.statements.values_list("number", flat=True))
    conversations.moderate(talk, owner, numbers, StatementStatus.APPROVED)
    waiting_theme = themes.add_theme(study, owner, "Waiting lists", waiting)
    kind_theme = themes.add_theme(study, owner, "Kind staff", kind)
    first = findings.save_finding(
        study, owner, "Waiting lists are the main problem", "", [waiting_theme.pk]
    )
    second = findings.save_finding(study, owner, "Staff kindness matters most", "", [kind_theme.pk])
    return Lopsided(study, team, anna, others, silent, first, second, talk)
