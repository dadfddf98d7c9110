"""Hostile input to the API and the vote intake: refused with a 4xx and a sentence, never a
server error, and nothing stored (issue 20)."""

from __future__ import annotations

import io
import json
import sys
from typing import Any

import pytest
from django.test import Client

from coproduce.conversations.models import Vote
from tests.support.factories import signed, two_camps

pytestmark = pytest.mark.django_db(transaction=True)


def through_wsgi(path: str, body: bytes, **headers: str) -> tuple[int, bytes]:
    """POST through the whole WSGI application, the vote intake in front of Django."""
    from coproduce.site.wsgi import application

    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()},
    }
    answer: dict[str, int] = {}

    def start_response(status: str, _headers: list[tuple[str, str]], *_: object) -> None:
        answer["status"] = int(status.split()[0])

    chunks = application(environ, start_response)
    content = b"".join(chunks)
    return answer["status"], content


@pytest.fixture
def conversation(settings):  # type: ignore[no-untyped-def]
    settings.ALLOWED_HOSTS = ["testserver"]
    found, _camps, _people = two_camps()
    return found


def test_a_deeply_nested_body_is_refused_not_a_server_error(conversation) -> None:  # type: ignore[no-untyped-def]
    body = ("[" * 2000 + "]" * 2000).encode()
    status, _ = through_wsgi(f"/api/conversations/{conversation.code}/votes", body)
    assert status == 400
    nested = json.dumps({"xid": "a", "xid_signature": "b", "statement": 0, "vote": 1})
    deep = ('{"x":' * 900 + nested + "}" * 900).encode()[:4096]
    status, _ = through_wsgi(f"/api/conversations/{conversation.code}/votes", deep)
    assert 400 <= status < 500


@pytest.mark.parametrize("field", ["xid", "xid_signature"])
def test_a_lone_surrogate_in_an_xid_is_refused(conversation, field: str) -> None:  # type: ignore[no-untyped-def]
    before = Vote.objects.count()
    body = signed(conversation, {"xid": "p5", "statement": 0, "vote": 1})
    raw = json.dumps(body).replace(f'"{field}": "', f'"{field}": "\\ud800', 1).encode()
    status, _ = through_wsgi(f"/api/conversations/{conversation.code}/votes", raw)
    assert status == 400
    assert Vote.objects.count() == before


def test_a_lone_surrogate_in_a_statement_is_refused(conversation) -> None:  # type: ignore[no-untyped-def]
    body = signed(conversation, {"xid": "writer-1", "text": "Buses PLACEHOLDER please."})
    raw = json.dumps(body).replace("PLACEHOLDER", "\\udfff").encode()
    client = Client()
    answer = client.post(
        f"/api/conversations/{conversation.code}/statements", raw, content_type="application/json"
    )
    assert answer.status_code == 400
    assert "Cannot parse request body" in answer.content.decode()


def test_an_idempotency_key_reused_for_another_vote_is_refused_with_422(conversation) -> None:  # type: ignore[no-untyped-def]
    url = f"/api/conversations/{conversation.code}/votes"
    first = json.dumps(signed(conversation, {"xid": "p7", "statement": 0, "vote": -1})).encode()
    status, content = through_wsgi(url, first, **{"Idempotency-Key": "k-1"})
    assert status == 201
    again, content_again = through_wsgi(url, first, **{"Idempotency-Key": "k-1"})
    assert again == 200 and json.loads(content_again)["id"] == json.loads(content)["id"]
    other = json.dumps(signed(conversation, {"xid": "p7", "statement": 0, "vote": 1})).encode()
    status, content = through_wsgi(url, other, **{"Idempotency-Key": "k-1"})
    assert status == 422
    assert "already used for another vote" in content.decode()
    elsewhere = json.dumps(signed(conversation, {"xid": "p7", "statement": 1, "vote": 1})).encode()
    status, _ = through_wsgi(url, elsewhere, **{"Idempotency-Key": "k-1"})
    assert status == 422
    assert Vote.objects.filter(participant__xid="p7", idempotency_key="k-1").count() == 1


def test_a_csv_field_over_the_limit_is_refused_with_its_line() -> None:
    from coproduce.coding import codebook
    from coproduce.core.errors import InvalidInput
    from coproduce.stories import services as stories
    from coproduce.studies.models import Role
    from tests.support.factories import study_with_team

    study, team = study_with_team("csv-limits")
    huge = "x" * 300_000
    data = f'type,story,consent\nwritten,"fine story",store\nwritten,"{huge}",store\n'.encode()
    with pytest.raises(InvalidInput, match="Line 3 of the CSV file cannot be read"):
        stories.import_stories_csv(study, team[Role.OWNER], data)
    assert study.stories.count() == 0
    with pytest.raises(InvalidInput, match="cannot be read"):
        codebook.import_csv(study, team[Role.OWNER], f'code\n"{huge}"\n'.encode())


def test_joins_statements_and_votes_over_the_hours_limit_get_429(conversation, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COPRODUCE_LIMIT_JOINS", "3")
    monkeypatch.setenv("COPRODUCE_LIMIT_VOTES", "4")
    monkeypatch.setenv("COPRODUCE_LIMIT_STATEMENTS", "1")
    study = conversation.study
    answers = [
        Client(REMOTE_ADDR="203.0.113.5").post(
            f"/join/{study.join_code}/", {"level": "3", "agree": "on"}
        )
        for _ in range(4)
    ]
    assert [a.status_code for a in answers] == [302, 302, 302, 429]
    assert "Too many joins from here in the last hour" in answers[-1].content.decode()
    # Another address may still join.
    assert (
        Client(REMOTE_ADDR="203.0.113.6")
        .post(f"/join/{study.join_code}/", {"level": "3", "agree": "on"})
        .status_code
        == 302
    )
    # Votes through the fast intake, per external id.
    url = f"/api/conversations/{conversation.code}/votes"
    codes = []
    before = Vote.objects.filter(participant__xid="p9").count()
    for n in range(5):
        body = json.dumps(
            signed(conversation, {"xid": "p9", "statement": n % 2, "vote": 1})
        ).encode()
        codes.append(through_wsgi(url, body)[0])
    assert codes == [201, 201, 201, 201, 429]
    # The refused vote is not stored; a vote refused for other reasons does not count.
    assert Vote.objects.filter(participant__xid="p9").count() == before + 4
    unknown = json.dumps(signed(conversation, {"xid": "p10", "statement": 999, "vote": 1})).encode()
    for _ in range(5):
        assert through_wsgi(url, unknown)[0] == 404
    other = json.dumps(signed(conversation, {"xid": "p10", "statement": 0, "vote": 1})).encode()
    assert through_wsgi(url, other)[0] == 201
    # Statements from one browser.
    writer = Client(REMOTE_ADDR="198.51.100.1")
    writer.post(f"/c/{conversation.code}/", {"level": "3", "agree": "on"})
    first = writer.post(
        f"/c/{conversation.code}/write/", {"text": "Buses at night please", "confirm": "1"}
    )
    second = writer.post(
        f"/c/{conversation.code}/write/", {"text": "Trams too please", "confirm": "1"}
    )
    assert first.status_code in (200, 302) and second.status_code == 429


def test_an_upload_past_its_cap_is_refused_and_not_kept(settings) -> None:  # type: ignore[no-untyped-def]
    """A participant's recording is capped lower than the team's, counted as it arrives."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from coproduce.stories.models import Story
    from tests.support.factories import study_with_team

    settings.COPRODUCE_PUBLIC_UPLOAD_MAX_BYTES = 1024 * 1024
    study, _team = study_with_team("uploads")
    big = SimpleUploadedFile("talk.wav", b"RIFF" + b"\0" * (3 * 1024 * 1024), "audio/wav")
    answer = Client().post(
        f"/join/{study.join_code}/story/",
        {
            "kind": "monologue",
            "role": "lived_experience",
            "text": "My story about the bus.",
            "level": "3",
            "agree": "on",
            "recording": big,
        },
    )
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "files may be at most 1 MB" in page, page[
        page.find("error-summary") : page.find("error-summary") + 900
    ]
    assert not Story.objects.filter(study=study).exists()


def test_while_a_long_import_holds_the_lock_writes_get_503_not_a_server_error(conversation) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's write lock; PostgreSQL locks rows, not the database")
    connection.ensure_connection()
    connection.connection.execute("PRAGMA busy_timeout = 200")  # not 20 s, for the test
    locker = sqlite3.connect(connection.settings_dict["NAME"])
    locker.execute("BEGIN IMMEDIATE")  # as a long import holds it
    try:
        body = json.dumps(signed(conversation, {"xid": "p3", "statement": 0, "vote": 1})).encode()
        status, content = through_wsgi(f"/api/conversations/{conversation.code}/votes", body)
        assert status == 503 and b"send it again in a few seconds" in content
        page = Client().post(
            f"/join/{conversation.study.join_code}/", {"level": "3", "agree": "on"}
        )
        assert page.status_code == 503 and page["Retry-After"] == "5"
        assert "nothing was lost" in page.content.decode()
    finally:
        locker.rollback()
        locker.close()
    status, _ = through_wsgi(f"/api/conversations/{conversation.code}/votes", body)
    assert status == 201


def test_a_nul_character_is_refused_everywhere_with_a_sentence(conversation) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL stores no NUL in text: each way in refuses it before any write."""
    from coproduce.coding import codebook
    from coproduce.conversations import seeds
    from coproduce.core.errors import InvalidInput
    from coproduce.core.formats.transcripts import TranscriptError, read_transcript
    from coproduce.stories import services as stories
    from coproduce.studies.models import Role

    study = conversation.study
    owner = study.memberships.get(role=Role.OWNER).user
    with pytest.raises(InvalidInput, match="line 2, holds a NUL character"):
        stories.import_stories_csv(study, owner, b"type,story,consent\nmonologue,Bus\x00es,store\n")
    with pytest.raises(InvalidInput, match="NUL character"):
        seeds.import_seed_csv(conversation, owner, b"text\nPay people\x00\n")
    with pytest.raises(InvalidInput, match="NUL character"):
        codebook.import_csv(study, owner, b"code\nTrans\x00port\n")
    with pytest.raises(TranscriptError, match=r"not a transcript|NUL character"):
        read_transcript("t.txt", b"Ann: hi\x00\n", speakers=True)
    raw = json.dumps(signed(conversation, {"xid": "p4", "statement": 0, "vote": 1}))
    status, _ = through_wsgi(
        f"/api/conversations/{conversation.code}/votes",
        raw.replace('"p4"', '"p4\\u0000"').encode(),
    )
    assert status in (400, 403)
    text = json.dumps(signed(conversation, {"xid": "p4", "text": "Buses\\u0000 please"}))
    answer = Client().post(
        f"/api/conversations/{conversation.code}/statements",
        text.replace("\\\\u0000", "\\u0000"),
        content_type="application/json",
    )
    assert answer.status_code == 400
