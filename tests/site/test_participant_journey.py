"""A participant's way through a study has no dead ends: the home page is the hub, every end
page leads somewhere useful, and someone who withdrew is told so plainly."""

from __future__ import annotations

import pytest
from django.test import Client

from coproduce.conversations import services as conversation_services
from coproduce.studies.models import Role
from tests.support.factories import study_with_team

pytestmark = pytest.mark.django_db


def test_the_home_page_leads_to_every_conversation_results_stories_and_data() -> None:
    study, team = study_with_team()
    owner = team[Role.OWNER]
    first = conversation_services.create_conversation(study, owner, "What helps?")
    conversation_services.add_seed_statements(first, owner, ["Pay people.", "Meet often."])
    second = conversation_services.create_conversation(study, owner, "What gets in the way?")
    conversation_services.add_seed_statements(second, owner, ["Forms."])
    conversation_services.publish_results(first, owner, public=True)
    client = Client()
    client.post(f"/join/{study.join_code}/", {"level": "3", "agree": "on"})
    home = client.get(f"/join/{study.join_code}/you/").content.decode()
    assert f"/c/{first.code}/" in home and "2 statements wait for you" in home
    assert f"/c/{second.code}/" in home and "1 statement waits for you" in home
    assert f"/c/{first.code}/results/" in home
    assert "Tell a story" in home and "See everything we hold about you" in home
    for number in (0, 1):
        client.post(f"/c/{first.code}/vote/", {"statement": str(number), "vote": "1"})
    done = client.get(f"/c/{first.code}/vote/").content.decode()
    assert "You have seen every statement" in done
    assert f"/c/{second.code}/" in done and "Next conversation: What gets in the way?" in done
    assert f"/c/{first.code}/results/" in done
    home = client.get(f"/join/{study.join_code}/you/").content.decode()
    assert "You have seen every statement so far" in home


def test_a_withdrawn_participant_is_told_and_may_join_afresh_from_a_conversation() -> None:
    study, team = study_with_team()
    conversation = conversation_services.create_conversation(study, team[Role.OWNER], "Why?")
    client = Client()
    client.post(f"/c/{conversation.code}/", {"level": "3", "agree": "on"})
    client.post(f"/join/{study.join_code}/withdraw/")
    page = client.get(f"/c/{conversation.code}/").content.decode()
    assert "You have withdrawn from this study" in page and "Take part again" in page
    again = client.get(f"/c/{conversation.code}/?again=1").content.decode()
    assert "Before you take part" in again
    joined = client.post(f"/c/{conversation.code}/", {"level": "2", "agree": "on"})
    assert joined.status_code == 302 and joined["Location"].endswith("/vote/")
    assert study.participants.count() == 2
