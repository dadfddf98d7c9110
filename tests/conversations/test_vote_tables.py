"""The vote tables' references: a vote's statement and participant are checked by the database,
its conversation (the statement's, kept beside it) is not (decision 6), and Django still removes
a conversation's votes with it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import IntegrityError, connection, transaction

from coproduce.conversations.models import Conversation, CurrentVote, Vote
from coproduce.conversations.polis import import_polis
from coproduce.studies import services
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
