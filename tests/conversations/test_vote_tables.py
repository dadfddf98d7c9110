"""The vote tables' references: a vote's statement and participant are checked by the database,
its conversation (the statement's, kept beside it) is not (decision 6), and Django still removes
a conversation's votes with it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.db import IntegrityError, connection, transaction

from coproduce.conversations.models import Conversation, CurrentVote, Vote
from coproduce.conversations.polis import import_polis
from coproduce.conversations.services import CastVote, save_history
from coproduce.studies import services
from coproduce.studies.models import Participant
from tests.support.factories import account
from tests.support.polis import write_export

pytestmark = pytest.mark.django_db


def imported(tmp_path: Path, slug: str) -> Conversation:
    owner = account(f"owner@{slug}.example")
    study = services.create_study(owner, "Votes", slug=slug)
    folder = tmp_path / slug
    folder.mkdir()
    write_export(folder, 600, 20)
    return import_polis(folder, study, owner)


def test_removing_a_conversation_removes_its_votes(tmp_path: Path) -> None:
    conversation = imported(tmp_path, "removed")
    other = imported(tmp_path, "kept")
    assert Vote.objects.filter(conversation=conversation).count() == 600
    conversation.delete()
    assert not Vote.objects.filter(conversation_id=conversation.pk).exists()
    assert not CurrentVote.objects.filter(conversation_id=conversation.pk).exists()
    assert Vote.objects.filter(conversation=other).count() == 600


def test_a_vote_on_no_statement_is_refused(tmp_path: Path) -> None:
    conversation = imported(tmp_path, "refused")
    vote = Vote.objects.filter(conversation=conversation).first()
    assert vote is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.filter(pk=vote.pk).update(statement_id=10**9)
        connection.check_constraints()  # SQLite and PostgreSQL check deferred references here


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own catalogue")
def test_postgresql_checks_the_statement_and_participant_not_the_conversation() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.conrelid::regclass::text, a.attname FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
            WHERE c.contype = 'f'
              AND c.conrelid::regclass::text IN ('conversations_vote', 'conversations_currentvote')
            ORDER BY 1, 2"""
        )
        found = cursor.fetchall()
    assert found == [
        ("conversations_currentvote", "participant_id"),
        ("conversations_currentvote", "statement_id"),
        ("conversations_vote", "participant_id"),
        ("conversations_vote", "statement_id"),
    ]


def test_a_bulk_history_leaves_the_latest_vote_of_each_person_on_each_statement(
    tmp_path: Path,
) -> None:
    """save_history (archives, the demo) keeps the rule a Polis import keeps: the latest
    moment counts, and at the same moment the later in the list, whatever order it comes in."""
    conversation = imported(tmp_path, "history")
    Vote.objects.filter(conversation=conversation).delete()
    CurrentVote.objects.filter(conversation=conversation).delete()
    first, second = conversation.statements.order_by("pk")[:2]
    someone = Participant.objects.filter(study=conversation.study).first()
    assert someone is not None
    noon = datetime(2026, 3, 1, 12, tzinfo=UTC)

    def cast(statement: int, value: int, when: datetime) -> CastVote:
        return CastVote(conversation.pk, statement, someone.pk, value, "web", "s", when)

    save_history(
        [
            cast(first.pk, 1, noon + timedelta(minutes=5)),  # the latest: counts
            cast(first.pk, -1, noon),
            cast(second.pk, 1, noon),
            cast(second.pk, -1, noon),  # the same moment, later in the list: counts
            cast(second.pk, 0, noon - timedelta(minutes=5)),
        ]
    )
    current = dict(
        CurrentVote.objects.filter(conversation=conversation).values_list("statement", "value")
    )
    assert current == {first.pk: 1, second.pk: -1}
    assert Vote.objects.filter(conversation=conversation).count() == 5
