"""Withdrawal is complete: nothing of a person who withdrew is shown, voted on or exported."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from django.test import Client

from coproduce.archive import dump_study
from coproduce.conversations import services
from coproduce.conversations.polis import export_polis
from coproduce.core.errors import Conflict
from coproduce.core.evidence import ConsentLevel
from coproduce.studies import services as study_services
from coproduce.studies.models import Role
from tests.support.factories import client_for, study_with_team

pytestmark = pytest.mark.django_db

MARKER = "Zebracrossing marker words"


def test_a_withdrawn_writers_statement_and_votes_leave_pages_api_votes_and_exports(
    tmp_path: Path,
) -> None:
    study, team = study_with_team()
    conversation = services.create_conversation(
        study, team[Role.OWNER], "What helps?", moderation="strict"
    )
    services.add_seed_statements(conversation, team[Role.OWNER], ["Pay people.", "Meet often."])
    leaving = study_services.join(study, ConsentLevel.PUBLISH, xid="leaving")
    staying = study_services.join(study, ConsentLevel.PUBLISH, xid="staying")
    marked = services.write_statement(conversation, leaving, MARKER)
    pending = services.write_statement(conversation, leaving, MARKER + " again")
    services.moderate(conversation, team[Role.OWNER], [marked.number], "approved")
    for statement in conversation.statements.exclude(pk=pending.pk):
        services.vote(statement, leaving, 1)
        services.vote(statement, staying, -1)
    study_services.describe_participant(leaving, "lived_experience", MARKER + " about me")
    study_services.withdraw(leaving)

    api = Client().get(f"/api/conversations/{conversation.code}/statements").content.decode()
    assert MARKER not in api and "Pay people." in api
    for status in ("all", "pending", "approved"):
        queue = client_for(team[Role.OWNER]).get(
            f"/studies/{study.slug}/conversations/{conversation.code}/moderate/?status={status}"
        )
        assert MARKER not in queue.content.decode()
    with pytest.raises(Conflict, match="not open for votes"):
        services.vote(marked, staying, 1)
    with pytest.raises(Conflict, match="You have withdrawn"):
        services.vote(conversation.statements.get(number=0), leaving, 1)
    with pytest.raises(Conflict, match="You have withdrawn"):
        services.write_statement(conversation, leaving, "Back again")

    out = export_polis(conversation, tmp_path / "export")
    everything = "".join(p.read_text(encoding="utf-8") for p in out.iterdir())
    assert MARKER not in everything and "leaving" not in everything
    with (out / "votes.csv").open(encoding="utf-8", newline="") as f:
        votes = list(csv.DictReader(f))
    assert {v["comment-id"] for v in votes} == {"0", "1"}
    assert {v["vote"] for v in votes} == {"-1"}  # only the one who stayed
    with (out / "participants-votes.csv").open(encoding="utf-8", newline="") as f:
        assert [row["xid"] for row in csv.DictReader(f)] == ["staying"]

    archived = json.dumps(dump_study(study))
    assert MARKER not in archived
    assert leaving.pseudonym in archived  # the consent record stays, as the study's record
