"""The vote intake (the fast path for API votes) answers exactly as the API does."""

from __future__ import annotations

import io
import json
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone

from coproduce.conversations import services
from coproduce.conversations.intake import VoteIntake
from coproduce.conversations.models import (
    ConversationParticipant,
    CurrentVote,
    Moderation,
    StatementStatus,
    Vote,
)
from coproduce.core.evidence import ConsentLevel
from coproduce.site.wsgi import application
from coproduce.studies import services as study_services
from coproduce.studies.models import Role
from tests.support.factories import SIGN, sign_placeholders, study_with_team

Answer = tuple[int, dict[str, Any]]


def wsgi_post(
    app: Callable[..., Iterable[bytes]], path: str, body: bytes, **headers: str
) -> Answer:
    """POST through a WSGI application as a server would, returning status and JSON."""
    body = sign_placeholders(body, path.split("/")[3])
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": headers.pop("host", "localhost:8000"),
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in headers.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    started: list[str] = []
    # As Django's test client does: the test's transaction must outlive the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        chunks = app(environ, lambda status, _headers, *_: started.append(status))
        payload = b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    answer = json.loads(payload) if payload.startswith(b"{") else {"page": payload.decode()}
    return int(started[0].split()[0]), answer


def refuse(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    """Stands behind the intake where Django would, to show it was not asked."""
    start_response("599 Not Asked", [])
    return [b'{"asked": true}']


@pytest.fixture
def conversation():  # type: ignore[no-untyped-def]
    study, team = study_with_team()
    conversation = services.create_conversation(study, team[Role.OWNER], "What helps?")
    services.add_statements(
        conversation,
        [
            services.NewStatement(text=t, is_seed=True, written_by=team[Role.OWNER])
            for t in ("Paying people for their time.", "Meeting in familiar places.")
        ],
    )
    study_services.join(study, ConsentLevel.PUBLISH, xid="x1")
    return conversation


def vote_body(xid: str = "x1", statement: int = 0, vote: int = 1, **extra: object) -> bytes:
    """A vote as the embedding site sends it (wsgi_post puts in the xid's real signature)."""
    body = {"xid": xid, "xid_signature": SIGN, "statement": statement, "vote": vote, **extra}
    return json.dumps(body).encode()


@pytest.mark.django_db
def test_a_plain_vote_is_stored_by_the_intake_alone(conversation) -> None:  # type: ignore[no-untyped-def]
    path = f"/api/conversations/{conversation.code}/votes"
    status, body = wsgi_post(VoteIntake(refuse), path, vote_body(statement=1, vote=-1))
    stored = Vote.objects.get()
    assert (status, body) == (201, {"id": stored.pk, "statement": 1, "vote": -1})
    assert (stored.value, stored.channel, stored.idempotency_key) == (-1, "web", None)
    current = CurrentVote.objects.get()
    assert (current.value, current.statement.number) == (-1, 1)
    assert ConversationParticipant.objects.get().number == 0
    # A changed mind replaces the current vote and keeps the history.
    wsgi_post(VoteIntake(refuse), path, vote_body(statement=1, vote=1))
    assert Vote.objects.count() == 2 and CurrentVote.objects.get().value == 1
    assert ConversationParticipant.objects.count() == 1


@pytest.mark.django_db
def test_the_intake_answers_as_the_api_does(conversation) -> None:  # type: ignore[no-untyped-def]
    path = f"/api/conversations/{conversation.code}/votes"
    fast = wsgi_post(application, path, vote_body(), **{"Idempotency-Key": "a"})
    slow = Client().post(
        path,
        sign_placeholders(vote_body(statement=1), conversation.code),
        content_type="application/json",
        headers={"Idempotency-Key": "b"},
    )
    assert fast[0] == slow.status_code == 201
    assert fast[1].keys() == slow.json().keys()


@pytest.mark.django_db
def test_a_retry_is_answered_by_django_and_counts_once(conversation) -> None:  # type: ignore[no-untyped-def]
    path = f"/api/conversations/{conversation.code}/votes"
    first = wsgi_post(application, path, vote_body(), **{"Idempotency-Key": "k-1"})
    assert wsgi_post(VoteIntake(refuse), path, vote_body(), **{"Idempotency-Key": "k-1"})[0] == 599
    again = wsgi_post(application, path, vote_body(), **{"Idempotency-Key": "k-1"})
    assert (first[0], again[0]) == (201, 200) and first[1] == again[1]
    assert Vote.objects.count() == 1 and CurrentVote.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        (b"{not json", {}, 400),
        (vote_body(vote=2), {}, 422),
        (vote_body(vote=True), {}, 422),
        (vote_body(vote=1.0), {}, 422),
        (vote_body(statement="0"), {}, 422),
        (vote_body(extra="field"), {}, 201),
        (vote_body(statement=99), {}, 404),
        (vote_body(xid="nobody"), {}, 403),
        (b'{"xid": "x1"}', {}, 422),
        (vote_body(), {"Idempotency-Key": "k" * 101}, 422),
        (vote_body(), {"host": "evil.example"}, 400),
    ],
)
def test_unusual_votes_get_the_apis_clear_answer(  # type: ignore[no-untyped-def]
    conversation, body: bytes, headers: dict[str, str], status: int
) -> None:
    path = f"/api/conversations/{conversation.code}/votes"
    assert wsgi_post(VoteIntake(refuse), path, body, **dict(headers))[0] == 599
    answer = wsgi_post(application, path, body, **dict(headers))
    assert answer[0] == status, answer
    if status != 201 and "host" not in headers:
        assert answer[1]["detail"]
    assert Vote.objects.count() == (1 if status == 201 else 0)


@pytest.mark.django_db
def test_closed_conversations_withdrawn_people_and_hidden_statements(conversation) -> None:  # type: ignore[no-untyped-def]
    path = f"/api/conversations/{conversation.code}/votes"
    services.write_statement(conversation, conversation.study.participants.get(xid="x1"), "Mine")
    pending = conversation.statements.get(status=StatementStatus.PENDING).number
    assert wsgi_post(application, path, vote_body(statement=pending))[0] == 409
    conversation.moderation = Moderation.LENIENT
    conversation.save()
    assert wsgi_post(VoteIntake(refuse), path, vote_body(statement=pending))[0] == 201
    conversation.statements.filter(number=0).update(status=StatementStatus.REJECTED)
    assert wsgi_post(application, path, vote_body(statement=0))[0] == 409
    conversation.closes_at = timezone.now() - timedelta(minutes=1)
    conversation.save()
    assert wsgi_post(application, path, vote_body(statement=1))[0] == 409
    conversation.closes_at, conversation.opens_at = None, timezone.now() + timedelta(days=1)
    conversation.save()
    assert wsgi_post(application, path, vote_body(statement=1))[0] == 409
    conversation.opens_at = None
    conversation.save()
    study_services.withdraw(conversation.study.participants.get(xid="x1"))
    assert wsgi_post(application, path, vote_body(statement=1))[0] == 403
    assert Vote.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_first_votes_at_once_get_distinct_numbers(site: str) -> None:
    """Many people voting for the first time together each get their own number, in order."""
    study, team = study_with_team()
    conversation = services.create_conversation(study, team[Role.OWNER], "What helps?")
    services.add_statements(
        conversation, [services.NewStatement(text="Pay people.", written_by=team[Role.OWNER])]
    )
    conversation.statements.update(status=StatementStatus.APPROVED)
    people = [f"p{i}" for i in range(60)]
    for xid in people:
        study_services.join(study, ConsentLevel.PUBLISH, xid=xid)
    url = f"{site}/api/conversations/{conversation.code}/votes"

    def cast(xid: str) -> int:
        request = urllib.request.Request(  # noqa: S310 - loopback only
            url,
            data=sign_placeholders(vote_body(xid=xid), conversation.code),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return int(response.status)

    with ThreadPoolExecutor(max_workers=12) as pool:
        assert set(pool.map(cast, people)) == {201}
    numbers = sorted(ConversationParticipant.objects.values_list("number", flat=True))
    assert numbers == list(range(len(people)))
    assert CurrentVote.objects.filter(conversation=conversation).count() == len(people)


@pytest.mark.django_db
def test_one_rule_for_current_consent_in_python_the_queryset_and_the_intake_sql() -> None:
    """Every kind of consent history gives the same answer in all three places."""
    from django.db import connection

    from coproduce.conversations.intake import CONSENT_STANDS
    from coproduce.studies.models import Consent, Participant

    study, _team = study_with_team()
    text = study_services.current_consent_text(study)
    now = timezone.now()
    day = timedelta(days=1)

    def person(*history: tuple[int, timedelta, bool]) -> Participant:
        """A participant whose consents are (level, given this long ago, withdrawn)."""
        p = Participant.objects.create(study=study, pseudonym=f"P-{Participant.objects.count()}")
        for level, ago, withdrawn in history:
            Consent.objects.create(
                participant=p,
                consent_text=text,
                level=level,
                given_at=now - ago,
                withdrawn_at=now if withdrawn else None,
            )
        return p

    expected = {
        person(): ConsentLevel.WITHDRAWN,  # never consented
        person((1, day, False)): ConsentLevel.STORE,
        person((3, day, False)): ConsentLevel.PUBLISH,
        person((2, day, True)): ConsentLevel.WITHDRAWN,
        person((3, 2 * day, True), (1, day, False)): ConsentLevel.STORE,  # came back later
        person((2, 2 * day, False), (3, day, True)): ConsentLevel.WITHDRAWN,
        # The latest by when it was given counts, not the latest made.
        person((2, day, False), (3, 2 * day, True)): ConsentLevel.QUOTE,
        # Given at the same moment: the later record counts.
        person((3, day, True), (2, day, False)): ConsentLevel.QUOTE,
        person((2, day, False), (1, day, True)): ConsentLevel.WITHDRAWN,
    }
    fresh = {p.pk: Participant.objects.get(pk=p.pk).consent_level() for p in expected}
    annotated = dict(
        Participant.objects.filter(study=study).with_consent().values_list("pk", "consent_now")
    )
    standing = set(
        Participant.objects.filter(study=study).consenting().values_list("pk", flat=True)
    )
    quotable = set(
        Participant.objects.filter(study=study)
        .consenting(ConsentLevel.QUOTE)
        .values_list("pk", flat=True)
    )
    with connection.cursor() as cursor:
        table = Participant._meta.db_table
        query = f"SELECT p.id FROM {table} p WHERE p.study_id = %s AND {CONSENT_STANDS}"  # noqa: S608
        cursor.execute(query, [study.pk])
        by_sql = {row[0] for row in cursor.fetchall()}
    for p, level in expected.items():
        assert fresh[p.pk] == level, p
        assert annotated[p.pk] == level, p
    assert (
        standing == by_sql == {p.pk for p, level in expected.items() if level >= ConsentLevel.STORE}
    )
    assert quotable == {p.pk for p, level in expected.items() if level >= ConsentLevel.QUOTE}
