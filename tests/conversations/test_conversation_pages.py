"""Conversation pages over HTTP: people vote and write without JavaScript; the team moderates."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from coproduce.conversations import services
from coproduce.conversations.models import CurrentVote, StatementStatus
from coproduce.core.evidence import Channel
from coproduce.studies.models import Participant, Role
from tests.support.factories import client_for, study_with_team

pytestmark = pytest.mark.django_db


def conversation_with_seeds():  # type: ignore[no-untyped-def]
    study, team = study_with_team()
    conversation = services.create_conversation(
        study, team[Role.OWNER], "What helps co-production?"
    )
    services.add_statements(
        conversation,
        [
            services.NewStatement(text=t, is_seed=True, written_by=team[Role.OWNER])
            for t in ("Paying people for their time.", "Meeting in familiar places.")
        ],
    )
    return study, team, conversation


def joined_client(conversation) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    response = client.post(f"/c/{conversation.code}/", {"level": "2", "agree": "on"})
    assert response.status_code == 302 and response["Location"].endswith("/vote/")
    return client


def test_participant_votes_one_statement_at_a_time() -> None:
    _, _, conversation = conversation_with_seeds()
    client = joined_client(conversation)
    page = client.get(f"/c/{conversation.code}/vote/").content.decode()
    assert "Statement 1 of 2" in page
    number = int(page.split('name="statement" value="')[1].split('"')[0])
    assert (
        client.post(f"/c/{conversation.code}/vote/", {"statement": number, "vote": "1"}).status_code
        == 302
    )
    page = client.get(f"/c/{conversation.code}/vote/").content.decode()
    assert "Statement 2 of 2" in page
    number2 = int(page.split('name="statement" value="')[1].split('"')[0])
    client.post(f"/c/{conversation.code}/vote/", {"statement": number2, "vote": "-1"})
    done = client.get(f"/c/{conversation.code}/vote/").content.decode()
    assert "You have seen every statement" in done
    assert sorted(CurrentVote.objects.values_list("value", flat=True)) == [-1, 1]
    bad = client.post(f"/c/{conversation.code}/vote/", {"statement": number, "vote": "7"})
    assert bad.status_code == 400 and b"Choose Agree, Disagree or Pass" in bad.content


def test_people_who_have_not_joined_are_sent_to_the_start() -> None:
    _, _, conversation = conversation_with_seeds()
    for path in ("vote/", "write/", "about-you/"):
        response = Client().get(f"/c/{conversation.code}/{path}")
        assert response.status_code == 302 and response["Location"] == f"/c/{conversation.code}/"
    missing = Client().post(f"/c/{conversation.code}/", {})
    assert missing.status_code == 400 and b"Tick the box" in missing.content


def test_writing_offers_a_similar_statement_first() -> None:
    _, _, conversation = conversation_with_seeds()
    client = joined_client(conversation)
    offered = client.post(f"/c/{conversation.code}/write/", {"text": "Pay people for their time"})
    assert b"Someone has written something similar" in offered.content
    assert conversation.statements.count() == 2
    added = client.post(
        f"/c/{conversation.code}/write/", {"text": "Pay people for their time", "confirm": "True"}
    )
    assert added.status_code == 302
    written = conversation.statements.get(text="Pay people for their time")
    assert written.status == StatementStatus.PENDING and written.author is not None
    too_long = client.post(f"/c/{conversation.code}/write/", {"text": "x" * 500})
    assert too_long.status_code == 400 and b"500 characters" in too_long.content
    markup = client.post(
        f"/c/{conversation.code}/write/",
        {"text": "<script>alert(1)</script>Kind words", "confirm": "True"},
    )
    assert markup.status_code == 302
    assert conversation.statements.filter(text="alert(1) Kind words").exists()


def test_about_you_is_optional_and_free_text() -> None:
    _, _, conversation = conversation_with_seeds()
    client = joined_client(conversation)
    assert client.post(f"/c/{conversation.code}/about-you/", {}).status_code == 302
    client.post(
        f"/c/{conversation.code}/about-you/",
        {"role": "lived_experience", "self_description": "Young carer, 19"},
    )
    person = Participant.objects.get()
    assert (person.role, person.self_description) == ("lived_experience", "Young carer, 19")


def test_moderation_queue_bulk_actions() -> None:
    study, team, conversation = conversation_with_seeds()
    client = joined_client(conversation)
    client.post(f"/c/{conversation.code}/write/", {"text": "Spam spam spam", "confirm": "True"})
    client.post(
        f"/c/{conversation.code}/write/", {"text": "Honest feedback loops", "confirm": "True"}
    )
    url = f"/studies/{study.slug}/conversations/{conversation.code}/moderate/"
    owner = client_for(team[Role.OWNER])
    queue = owner.get(url).content.decode()
    assert "Spam spam spam" in queue and "Paying people" not in queue
    spam = conversation.statements.get(text="Spam spam spam")
    good = conversation.statements.get(text="Honest feedback loops")
    owner.post(url + "?status=pending", {"statement": [spam.number], "status": "rejected"})
    owner.post(url + "?status=pending", {"statement": [good.number], "status": "approved"})
    spam.refresh_from_db()
    good.refresh_from_db()
    assert (spam.status, good.status) == ("rejected", "approved")
    assert client_for(team[Role.OBSERVER]).get(url).status_code == 403
    assert (
        client_for(team[Role.FACILITATOR])
        .post(url, {"statement": [good.number], "status": "rejected"})
        .status_code
        == 403
    )


def test_seed_statements_by_form_and_csv_upload() -> None:
    study, team, conversation = conversation_with_seeds()
    url = f"/studies/{study.slug}/conversations/{conversation.code}/"
    owner = client_for(team[Role.OWNER])
    assert owner.post(url, {"statements": "Childcare\n\nTravel costs paid\n"}).status_code == 302
    upload = SimpleUploadedFile(
        "seeds.csv", b"text\nPlain English\n\nPlain English\n", content_type="text/csv"
    )
    response = owner.post(url, {"file": upload})
    assert b"Line 4: the same as line 2" in response.content
    assert conversation.statements.count() == 4


def test_facilitator_enters_paper_responses() -> None:
    study, team, conversation = conversation_with_seeds()
    url = f"/studies/{study.slug}/conversations/{conversation.code}/enter/"
    facilitator = client_for(team[Role.FACILITATOR])
    numbers = list(conversation.statements.values_list("number", flat=True))
    response = facilitator.post(
        url,
        {
            "session": "Tuesday drop-in",
            "channel": "paper",
            "level": "2",
            f"s{numbers[0]}": "1",
            f"s{numbers[1]}": "-1",
            "new_statements": "Buses that run on time",
        },
    )
    assert response.status_code == 302
    person = Participant.objects.get(study=study)
    assert person.channel == Channel.PAPER
    votes = person.votes.all()
    assert {v.session for v in votes} == {"Tuesday drop-in"} and votes.count() == 2
    assert conversation.statements.get(text="Buses that run on time").channel == Channel.PAPER
    assert client_for(team[Role.OBSERVER]).get(url).status_code == 403


def test_study_page_shows_counts_in_the_ucl_shape() -> None:
    study, team, conversation = conversation_with_seeds()
    client = joined_client(conversation)
    statement = conversation.statements.first()
    client.post(f"/c/{conversation.code}/vote/", {"statement": statement.number, "vote": "1"})
    page = client_for(team[Role.OBSERVER]).get(f"/studies/{study.slug}/").content.decode()
    assert "1 participant gave 3 responses: 2 unique statements and 1 votes." in page
    assert "Questions had up to 2 unique statements." in page


def test_vote_page_weighs_under_50_kb() -> None:
    _, _, conversation = conversation_with_seeds()
    client = joined_client(conversation)
    page = client.get(f"/c/{conversation.code}/vote/")
    css_path = page.content.decode().split('rel="stylesheet" href="')[1].split('"')[0]
    from django.conf import settings

    css = (settings.STATIC_ROOT / css_path.removeprefix("/static/")).with_suffix(".css.gz")
    assert len(page.content) + css.stat().st_size < 50_000
