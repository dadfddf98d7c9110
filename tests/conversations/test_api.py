"""The JSON API as an embedding site uses it."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from coproduce.conversations import services
from coproduce.conversations.models import Conversation, CurrentVote, Vote
from coproduce.studies.models import Role
from tests.support.factories import signed, study_with_team

pytestmark = pytest.mark.django_db


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
    return conversation


def post(client: Client, url: str, body: dict[str, object], **headers: str):  # type: ignore[no-untyped-def]
    """POST as the embedding site does: its xid signed (unless the body says otherwise)."""
    code = url.split("/api/conversations/", 1)[1].split("/", 1)[0]
    body = signed(Conversation.objects.get(code=code), body)
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def get_next(client: Client, conversation: Conversation, xid: str):  # type: ignore[no-untyped-def]
    url = f"/api/conversations/{conversation.code}/next"
    return client.get(url, signed(conversation, {"xid": xid}))


def test_openapi_schema_is_served() -> None:
    schema = Client().get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Coproduce API"
    assert "/api/conversations/{code}/votes" in schema["paths"]


def test_embedding_flow_with_an_xid(conversation) -> None:  # type: ignore[no-untyped-def]
    client, base = Client(), f"/api/conversations/{conversation.code}"
    assert client.get(base).json()["question"] == "What helps?"
    assert [s["number"] for s in client.get(f"{base}/statements").json()] == [0, 1]
    assert get_next(client, conversation, "site-7").status_code == 403
    joined = post(client, f"{base}/participants", {"xid": "site-7", "consent": "quote"})
    assert joined.status_code == 200 and joined.json()["statements"] == 2
    seen = []
    while (nxt := get_next(client, conversation, "site-7")).status_code == 200:
        number = nxt.json()["number"]
        seen.append(number)
        assert (
            post(
                client, f"{base}/votes", {"xid": "site-7", "statement": number, "vote": 1}
            ).status_code
            == 201
        )
    assert nxt.status_code == 204 and sorted(seen) == [0, 1]
    similar = post(
        client, f"{base}/statements", {"xid": "site-7", "text": "Pay people for their time"}
    )
    assert similar.json()["similar"]["number"] == 0
    written = post(
        client,
        f"{base}/statements",
        {"xid": "site-7", "text": "Pay people for their time", "confirm": True},
    )
    assert written.status_code == 201 and written.json()["status"] == "pending"


def test_a_retried_vote_never_counts_twice(conversation) -> None:  # type: ignore[no-untyped-def]
    client, base = Client(), f"/api/conversations/{conversation.code}"
    post(client, f"{base}/participants", {"xid": "x1", "consent": "publish"})
    body = {"xid": "x1", "statement": 0, "vote": -1}
    first = post(client, f"{base}/votes", body, **{"Idempotency-Key": "k-1"})
    again = post(client, f"{base}/votes", body, **{"Idempotency-Key": "k-1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert Vote.objects.count() == 1 and CurrentVote.objects.get().value == -1


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"xid": "x1", "statement": 0, "vote": 2}, 422),
        ({"xid": "x1", "statement": 99, "vote": 1}, 404),
        ({"xid": "nobody", "statement": 0, "vote": 1}, 403),
        ({"xid": "x1"}, 422),
    ],
)
def test_bad_votes_get_clear_errors(conversation, body: dict[str, object], status: int) -> None:  # type: ignore[no-untyped-def]
    client, base = Client(), f"/api/conversations/{conversation.code}"
    post(client, f"{base}/participants", {"xid": "x1", "consent": "publish"})
    response = post(client, f"{base}/votes", body)
    assert response.status_code == status
    assert response.json()["detail"]


def test_unknown_conversation_and_bad_statements(conversation) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    assert client.get("/api/conversations/nope").status_code == 404
    base = f"/api/conversations/{conversation.code}"
    post(client, f"{base}/participants", {"xid": "x1", "consent": "publish"})
    empty = post(client, f"{base}/statements", {"xid": "x1", "text": "  ", "confirm": True})
    assert empty.status_code == 422 and "Write a statement" in empty.json()["detail"]
    dup = post(client, f"{base}/statements", {"xid": "x1", "text": "Clear roles", "confirm": True})
    again = post(
        client, f"{base}/statements", {"xid": "x1", "text": "clear roles!", "confirm": True}
    )
    assert dup.status_code == 201 and again.status_code == 409


def test_an_xid_is_taken_only_with_the_embedding_sites_signature(conversation) -> None:  # type: ignore[no-untyped-def]
    from coproduce.conversations.embedding import sign_xid

    client, base = Client(), f"/api/conversations/{conversation.code}"
    other = services.create_conversation(
        conversation.study, conversation.study.memberships.get(role="owner").user, "Other?"
    )
    forged = [
        {"xid": "x1", "consent": "publish", "xid_signature": ""},
        {"xid": "x1", "consent": "publish", "xid_signature": "0" * 64},
        {"xid": "x1", "consent": "publish", "xid_signature": sign_xid(other, "x1")},
        {"xid": "x1", "consent": "publish", "xid_signature": sign_xid(conversation, "x2")},
    ]
    # Text that is not Unicode (a lone surrogate) is refused before anything else is read.
    for lone in (
        {"xid": "\ud800", "consent": "publish", "xid_signature": "0" * 64},
        {"xid": "x1", "consent": "publish", "xid_signature": "\udcff café"},
    ):
        assert post(client, f"{base}/participants", lone).status_code == 400
    for body in forged:
        refused = post(client, f"{base}/participants", body)
        assert refused.status_code == 403 and "not signed" in refused.json()["detail"]
    assert not conversation.study.participants.filter(xid="x1").exists()
    missing = client.post(
        f"{base}/participants",
        json.dumps({"xid": "x1", "consent": "publish"}),
        content_type="application/json",
    )
    assert missing.status_code == 422
    assert (
        post(client, f"{base}/participants", {"xid": "x1", "consent": "publish"}).status_code == 200
    )
    vote = {"xid": "x1", "statement": 0, "vote": 1, "xid_signature": "f" * 64}
    assert post(client, f"{base}/votes", vote).status_code == 403
    assert client.get(f"{base}/next", {"xid": "x1"}).status_code == 403
    assert not Vote.objects.exists()
