"""People's rights over their data: see everything held about them, and have it erased."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from coproduce.casestudies import services as case_services
from coproduce.casestudies.models import Speaker, Turn
from coproduce.coding import codebook, codings
from coproduce.coding.models import Coding
from coproduce.conversations import services as conversation_services
from coproduce.core.evidence import ConsentLevel
from coproduce.stories import services as story_services
from coproduce.stories.models import Story
from coproduce.studies import rights
from coproduce.studies import services as study_services
from coproduce.studies.models import AuditEvent, Erasure, Organisation, Participant, Role
from coproduce.uploads import Upload
from tests.support.factories import client_for, story, study_with_team
from tests.support.files import recording

pytestmark = pytest.mark.django_db

MARKER = "Quillfeather"
MARKED_VTT = b"WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n" + MARKER.encode() + b" story.\n"


def contributions(erasure: str = Erasure.REMOVE):  # type: ignore[no-untyped-def]
    """A participant who contributed in every way there is, each time with the marker word."""
    study, team = study_with_team()
    owner = team[Role.OWNER]
    if erasure != Erasure.REMOVE:
        study_services.revise_consent_text(study, owner, "Kept anonymously if you ask.", erasure)
    client = Client()
    client.post(f"/join/{study.join_code}/", {"level": "3", "agree": "on"})
    person = Participant.objects.get(study=study)
    study_services.describe_participant(person, "lived_experience", f"{MARKER} about me")
    conversation = conversation_services.create_conversation(study, owner, "What helps?")
    conversation_services.add_seed_statements(conversation, owner, ["Pay people."])
    conversation_services.vote(conversation.statements.get(number=0), person, 1)
    mine = conversation_services.write_statement(conversation, person, f"{MARKER} statement")
    conversation_services.moderate(conversation, owner, [mine.number], "approved")
    told = story_services.tell_story(
        study,
        story(text=f"{MARKER} story."),
        teller=person,
        recording=Upload("talk.wav", recording()),
        transcript=Upload("talk.vtt", MARKED_VTT),
    )
    story_services.save_check(told, owner, [])
    organisation = Organisation.objects.create(name="Canal Food", slug="canal-food")
    study.organisations.add(organisation)
    case = case_services.start_case_study(study, team[Role.RESEARCHER], organisation)
    interview = case_services.import_interview(
        case,
        team[Role.FACILITATOR],
        Upload("i.txt", f"Interviewer: Why?\n\nAmira: {MARKER} in an interview.\n".encode()),
        consent_level=ConsentLevel.QUOTE,
    )
    Speaker.objects.filter(interview=interview, label="Amira").update(participant=person)
    code = codebook.add_code(study, owner, "Words")
    codings.code_passage(study, owner, code, f"story:{told.pk}", passage=f"{MARKER} story")
    return study, team, client, person, told


def test_a_participant_sees_everything_held_about_them_as_a_page_and_a_file() -> None:
    study, team, client, person, _told = contributions()
    page = client.get(f"/join/{study.join_code}/you/data/")
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
    text = page.content.decode()
    for words in ("about me", "statement", "story", "in an interview"):
        assert f"{MARKER} {words}" in text
    download = client.get(f"/join/{study.join_code}/you/data.json")
    assert "attachment" in download["Content-Disposition"]
    data = json.loads(download.content)
    assert data["participant"]["pseudonym"] == person.pseudonym
    assert (
        [i["kind"] for i in data["conversations"]["items"]]
        == [
            "statement you wrote",
            "your vote",
            "your vote",  # they also voted on their own statement? no: only the seed and theirs
        ][: len(data["conversations"]["items"])]
    )
    assert data["stories"]["items"][0]["recording"] is True
    # Nobody else's session reaches it, and observers cannot download it for them.
    assert Client().get(f"/join/{study.join_code}/you/data.json").status_code == 302
    url = f"/studies/{study.slug}/participants/{person.pseudonym}/data.json"
    assert client_for(team[Role.OBSERVER]).get(url).status_code == 403
    assert MARKER in client_for(team[Role.FACILITATOR]).get(url).content.decode()


def test_erasing_removes_every_contribution_and_keeps_only_the_consent_record(
    django_capture_on_commit_callbacks: Any,
) -> None:
    study, _team, client, person, told = contributions()
    recording_file = Path(settings.MEDIA_ROOT) / told.media
    assert recording_file.exists()
    refused = client.post(f"/join/{study.join_code}/you/erase/", {})
    assert refused.status_code == 400 and b"Tick the box" in refused.content
    with django_capture_on_commit_callbacks(execute=True):
        erased = client.post(f"/join/{study.join_code}/you/erase/", {"confirm": "yes"})
    assert erased.status_code == 302
    person.refresh_from_db()
    assert person.consent_level() == ConsentLevel.WITHDRAWN and person.consents.count() == 1
    assert person.self_description == "" and person.xid is None
    assert not Story.objects.filter(teller=person).exists() and not recording_file.exists()
    assert not person.statements.exists() and not person.votes.exists()
    assert MARKER not in "".join(Turn.objects.values_list("text", flat=True))
    assert not Coding.objects.filter(passage__contains=MARKER).exists()
    left = json.dumps(rights.personal_data(person))
    assert MARKER not in left


def test_the_team_erases_for_someone_who_asked_by_phone() -> None:
    study, team, _client, person, _told = contributions()
    page = f"/studies/{study.slug}/participants/{person.pseudonym}/"
    observer = client_for(team[Role.OBSERVER]).post(page, {"action": "erase", "confirm": "yes"})
    assert observer.status_code == 403
    unconfirmed = client_for(team[Role.FACILITATOR]).post(page, {"action": "erase"}, follow=True)
    assert b"Tick the box" in unconfirmed.content and person.statements.exists()
    done = client_for(team[Role.FACILITATOR]).post(
        page, {"action": "erase", "confirm": "yes"}, follow=True
    )
    assert b"erased" in done.content
    assert not person.statements.exists() and not Story.objects.filter(teller=person).exists()


def test_a_consent_text_that_keeps_contributions_anonymously_hands_them_to_a_new_pseudonym(
    django_capture_on_commit_callbacks: Any,
) -> None:
    study, team, _client, person, told = contributions(Erasure.ANONYMISE)
    owner = team[Role.OWNER]
    story_services.save_check(told, owner, [(0, len(MARKER), "name")])
    interview = case_services.Interview.objects.get()
    turn = interview.turns.get(position=1)
    case_services.save_check(interview, owner, {turn.pk: [(0, len(MARKER), "name")]})
    recording_file = Path(settings.MEDIA_ROOT) / told.media
    with django_capture_on_commit_callbacks(execute=True):
        erased = rights.erase(person)
    assert erased["stories_kept_anonymously"] == 1 and erased["stories"] == 0
    stand_in = Participant.objects.exclude(pk=person.pk).get(study=study)
    assert stand_in.pseudonym != person.pseudonym and stand_in.xid is None
    assert stand_in.self_description == "" and stand_in.consent_level() == ConsentLevel.PUBLISH
    assert [s.text for s in stand_in.statements.all()] == [f"{MARKER} statement"]
    assert stand_in.votes.count() == 1
    kept = Story.objects.get(teller=stand_in)
    assert kept.text == "[name] story." and kept.media == "" and not recording_file.exists()
    assert Turn.objects.get(speaker__participant=stand_in).text == "[name] in an interview."
    assert Speaker.objects.get(participant=stand_in).label.startswith("removed-")
    assert Coding.objects.get().passage == "[name] story"  # codings stay on the kept words
    person.refresh_from_db()
    left = json.dumps(rights.personal_data(person))
    assert MARKER not in left and stand_in.pseudonym not in left
    event = AuditEvent.objects.filter(action=AuditEvent.Action.ERASED).get()
    assert "kept anonymously" in event.subject and stand_in.pseudonym not in event.subject


def test_what_was_withdrawn_is_removed_even_when_the_text_keeps_contributions() -> None:
    study, _team, _client, person, _told = contributions(Erasure.ANONYMISE)
    study_services.withdraw(person)
    erased = rights.erase(person)
    assert not any(key.endswith("kept_anonymously") for key in erased)
    assert Participant.objects.filter(study=study).count() == 1
    assert not Story.objects.exists() and not person.statements.exists()
