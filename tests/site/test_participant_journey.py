"""A participant's way through a study has no dead ends: the home page is the hub, every end
page leads somewhere useful, and someone who withdrew is told so plainly."""

from __future__ import annotations

import pytest
from django.test import Client

from coproduce.conversations import services as conversation_services
from coproduce.core.evidence import ConsentLevel
from coproduce.studies import services as study_services
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


def test_a_returning_participant_reads_a_new_consent_text_before_anything_else() -> None:
    study, team = study_with_team()
    conversation = conversation_services.create_conversation(study, team[Role.OWNER], "Why?")
    client = Client()
    client.post(f"/join/{study.join_code}/", {"level": "3", "agree": "on"})
    person = study.participants.get()
    study_services.revise_consent_text(
        study,
        team[Role.OWNER],
        "We will also share anonymous results with the council.",
        "remove",
        contact="Sam Lee, sam@example.org",
    )
    for page in (
        f"/join/{study.join_code}/you/",
        f"/c/{conversation.code}/vote/",
        f"/join/{study.join_code}/story/",
    ):
        response = client.get(page)
        assert response.status_code == 302 and response["Location"].endswith("/you/consent/")
    asked = client.get(f"/join/{study.join_code}/you/consent/").content.decode()
    assert "share anonymous results with the council" in asked and "sam@example.org" in asked
    assert "from version 1 to version 2" in asked
    # Their data and withdrawal never wait.
    assert client.get(f"/join/{study.join_code}/you/data/").status_code == 200
    refused = client.post(f"/join/{study.join_code}/you/consent/", {"level": "2"})
    assert refused.status_code == 400 and "Tick the box" in refused.content.decode()
    client.post(f"/join/{study.join_code}/you/consent/", {"level": "2", "agree": "on"})
    assert person.consents.count() == 2 and person.consent_level() == ConsentLevel.QUOTE
    assert person.current_consent().consent_text.version == 2  # type: ignore[union-attr]
    assert client.get(f"/join/{study.join_code}/you/").status_code == 200


def test_consent_and_role_are_asked_once_and_changed_from_the_home_page() -> None:
    study, _team = study_with_team()
    client = Client()
    client.post(f"/join/{study.join_code}/", {"level": "3", "agree": "on"})
    person = study.participants.get()
    form = client.get(f"/join/{study.join_code}/story/").content.decode()
    assert 'name="level"' not in form and 'name="role"' not in form and 'name="agree"' not in form
    assert "(optional)</span></label>" not in form.split('name="text"')[0].rsplit("<label", 1)[-1]
    empty = client.post(f"/join/{study.join_code}/story/", {"kind": "snapshot", "text": " "})
    assert empty.status_code == 400
    assert "Write your story here, or upload a transcript of it." in empty.content.decode()
    told = client.post(f"/join/{study.join_code}/story/", {"kind": "snapshot", "text": "Mine."})
    assert told.status_code == 200 and person.stories.get().consent_level == ConsentLevel.PUBLISH
    about = f"/join/{study.join_code}/you/about/"
    changed = {"level": "1", "role": "practitioner", "self_description": "A youth worker."}
    assert client.post(about, changed).status_code == 302
    person.refresh_from_db()
    assert person.consent_level() == ConsentLevel.STORE and person.role == "practitioner"
    home = client.get(f"/join/{study.join_code}/you/").content.decode()
    assert "A youth worker." in home and "Staff or practitioner" in home
    too_long = client.post(about, {**changed, "self_description": "x" * 2001})
    assert "Keep it to 2000 characters (it has 2001)" in too_long.content.decode()
