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


def test_each_vote_keeps_its_moment_and_the_latest_counts(tmp_path: Path) -> None:
    """Votes are stored with their moment to the millisecond (as Django itself would write it,
    with and without a fraction of a second); a re-vote replaces the earlier one, and at the
    same moment the later row in votes.csv counts, whichever order the file is in."""
    owner = account("owner@moments.example")
    study = services.create_study(owner, "Moments", slug="moments")
    comments = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    (tmp_path / "comments.csv").write_text(
        comments + "1600000000000,,1,0,0,0,1,Buses\n1600000000000,,2,0,0,0,1,Trams\n"
    )
    (tmp_path / "votes.csv").write_text(
        "timestamp,datetime,comment-id,voter-id,vote\n"
        "1600000005000,,1,0,1\n"  # a whole second
        "1600000001234,,1,0,-1\n"  # earlier, later in the file: does not count
        "1600000002500,,2,0,1\n"
        "1600000002500,,2,0,-1\n"  # the same moment, later in the file: counts
        ",,1,1,0\n"  # no moment: the conversation's own
    )
    conversation = import_polis(tmp_path, study, owner)
    moments = sorted(Vote.objects.filter(conversation=conversation).values_list("created_at"))
    assert [m.isoformat() for (m,) in moments[1:]] == [
        "2020-09-13T12:26:41.234000+00:00",
        "2020-09-13T12:26:42.500000+00:00",
        "2020-09-13T12:26:42.500000+00:00",
        "2020-09-13T12:26:45+00:00",
    ]
    assert moments[0][0] == conversation.created_at
    current = {
        (v.statement.number, v.participant_id): (v.value, v.voted_at.isoformat())
        for v in CurrentVote.objects.filter(conversation=conversation).select_related("statement")
    }
    people = dict(conversation.members.values_list("number", "participant_id"))
    assert current == {
        (1, people[0]): (1, "2020-09-13T12:26:45+00:00"),
        (2, people[0]): (-1, "2020-09-13T12:26:42.500000+00:00"),
        (1, people[1]): (0, conversation.created_at.isoformat()),
    }
    # Django reads back, and filters on, what was written.
    assert Vote.objects.filter(created_at=moments[4][0]).count() == 1
