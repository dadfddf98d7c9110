"""A large Polis import commits in chunks (so it never holds SQLite's write lock for long), keeps
its conversation hidden until the last vote is in, and leaves nothing behind when it fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from coproduce.conversations.models import Conversation, CurrentVote, Vote
from coproduce.conversations.polis import import_polis
from coproduce.conversations.services import CHUNK, get_conversation
from coproduce.core.errors import InvalidInput, NotFound
from coproduce.studies import services
from coproduce.studies.models import Participant
from tests.support.factories import account
from tests.support.polis import write_export

pytestmark = pytest.mark.django_db(transaction=True)  # the import's own commits, as in the CLI


def test_a_large_export_arrives_whole_in_chunks(tmp_path: Path) -> None:
    owner = account("owner@large.example")
    study = services.create_study(owner, "Large", slug="large")
    votes = write_export(tmp_path, 3 * CHUNK + 123, 40)
    conversation = import_polis(tmp_path, study, owner)
    assert not conversation.importing
    assert get_conversation(conversation.code) == conversation
    assert Vote.objects.filter(conversation=conversation).count() == votes
    # Every voter voted on a comment at most once, so each vote is also a current vote.
    assert CurrentVote.objects.filter(conversation=conversation).count() == votes
    assert conversation.members.count() == Participant.objects.filter(study=study).count()
    # Its analysis is asked for once it is shown.
    queued = DBTaskResult.objects.filter(task_path__endswith="refresh_opinion")
    assert [r.args_kwargs["args"] for r in queued] == [[conversation.pk]]


def test_a_failed_import_leaves_nothing(tmp_path: Path) -> None:
    owner = account("owner@failed.example")
    study = services.create_study(owner, "Failed", slug="failed")
    services.join(study, 3, xid="taken")
    before = Participant.objects.filter(study=study).count()
    write_export(tmp_path, 2 * CHUNK, 40)
    people = (tmp_path / "participants-votes.csv").open("w", encoding="utf-8")
    with people:
        people.write("participant,group-id,n-comments,n-votes,n-agree,n-disagree,xid\n")
        people.write("0,0,0,0,0,0,fresh\n1,0,0,0,0,0,taken\n")
    with pytest.raises(InvalidInput, match="xid 'taken' already belongs"):
        import_polis(tmp_path, study, owner)
    assert not Conversation.everything.filter(study=study).exists()
    assert Participant.objects.filter(study=study).count() == before
    assert not Vote.objects.exists()


def test_a_conversation_still_importing_is_seen_nowhere() -> None:
    owner = account("owner@hidden.example")
    study = services.create_study(owner, "Hidden", slug="hidden")
    hidden = Conversation.objects.create(study=study, question="Half imported?", importing=True)
    assert not study.conversations.exists()
    with pytest.raises(NotFound):
        get_conversation(hidden.code)
    client = Client()
    client.force_login(owner)
    assert "Half imported?" not in client.get(f"/studies/{study.slug}/").content.decode()
    assert client.get(f"/studies/{study.slug}/conversations/{hidden.code}/").status_code == 404
    assert client.get(f"/api/conversations/{hidden.code}").status_code == 404
