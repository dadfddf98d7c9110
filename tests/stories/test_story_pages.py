"""Story pages over HTTP: telling a story without JavaScript, gathering, importing, the bank,
the personal-data check, quotes and withdrawal, and who may hear a recording."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from coproduce.stories import services
from coproduce.stories.models import Story
from coproduce.studies import services as study_services
from coproduce.studies.models import Role
from tests.support.factories import client_for, story, study_with_team
from tests.support.files import PLANTED, STORIES_CSV, VTT, recording

pytestmark = pytest.mark.django_db


def test_a_participant_tells_a_story_without_javascript() -> None:
    study, _ = study_with_team()
    url = f"/join/{study.join_code}/story/"
    client = Client()
    page = client.get(url)
    assert page.status_code == 200 and b"Tell your story" in page.content
    missing = client.post(url, {"kind": "snapshot", "text": "We were heard."})
    assert missing.status_code == 400
    assert b"Choose what we may do with your story." in missing.content
    assert b"Tick the box to say you agree" in missing.content
    assert Story.objects.count() == 0
    done = client.post(
        url,
        {
            "kind": "snapshot",
            "text": "We were heard at last.",
            "feeling": "positive",
            "sectors": ["Housing"],
            "role": "lived_experience",
            "level": "2",
            "agree": "on",
        },
    )
    assert done.status_code == 200 and b"Thank you for your story" in done.content
    story = Story.objects.get()
    assert story.text == "We were heard at last." and story.consent_level == 2
    # The browser now belongs to that participant: a second story needs no new consent box.
    again = client.post(
        url,
        {
            "kind": "monologue",
            "text": "And again.",
            "level": "2",
            "feeling": "mixed",
            "role": "not_said",
        },
    )
    assert again.status_code == 200
    assert Story.objects.filter(teller=story.teller).count() == 2


def test_a_facilitator_uploads_a_recording_with_its_transcript_and_only_the_team_hears_it() -> None:
    study, team = study_with_team()
    facilitator = client_for(team[Role.FACILITATOR])
    response = facilitator.post(
        f"/studies/{study.slug}/stories/new/",
        {
            "kind": "dialogue",
            "feeling": "mixed",
            "role": "not_said",
            "level": "3",
            "channel": "in_person",
            "collected_in": "Market stall",
            "recording": SimpleUploadedFile("talk.wav", recording(), "audio/wav"),
            "transcript": SimpleUploadedFile("talk.vtt", VTT, "text/vtt"),
        },
    )
    assert response.status_code == 302
    story = Story.objects.get()
    url = f"/studies/{study.slug}/stories/{story.number}/recording/"
    heard = facilitator.get(url)
    assert heard.status_code == 200 and heard["Content-Type"] == "audio/x-wav"
    assert b"".join(heard.streaming_content) == recording()
    assert client_for(team[Role.OBSERVER]).get(url).status_code == 403
    assert Client().get(url).status_code == 302  # to sign in


def test_a_mislabelled_upload_is_refused_with_one_sentence() -> None:
    study, team = study_with_team()
    response = client_for(team[Role.FACILITATOR]).post(
        f"/studies/{study.slug}/stories/new/",
        {
            "kind": "snapshot",
            "feeling": "mixed",
            "role": "not_said",
            "level": "3",
            "channel": "in_person",
            "transcript": SimpleUploadedFile("talk.docx", b"Just words", "application/msword"),
        },
    )
    assert response.status_code == 400
    assert b"is a plain text file, not a Word document" in response.content
    assert Story.objects.count() == 0


def test_import_bank_check_quote_and_withdraw() -> None:
    study, team = study_with_team()
    researcher = client_for(team[Role.RESEARCHER])
    imported = researcher.post(
        f"/studies/{study.slug}/stories/import/",
        {"file": SimpleUploadedFile("stories.csv", STORIES_CSV.encode(), "text/csv")},
    )
    assert imported.status_code == 302
    bank = researcher.get(f"/studies/{study.slug}/stories/?feeling=negative").content.decode()
    assert "It took months" in bank and "We were listened to" not in bank
    story = Story.objects.get(number=1)
    story.text = PLANTED
    story.save()
    url = f"/studies/{study.slug}/stories/1/"
    page = researcher.get(url).content.decode()
    assert "josie.wren@example.org" in page and "an e-mail address" in page
    # Redact everything found (ticked by default), mark a quote, make it ready for outputs.
    hits = page.count('name="redact"')
    researcher.post(url, {"action": "check", "redact": [str(i) for i in range(hits)]})
    researcher.post(url, {"action": "quote", "words": "Sarah Jones from the council helped."})
    researcher.post(url, {"action": "ready"})
    page = researcher.get(url).content.decode()
    assert "“[name] from the council helped.”" in page
    story.refresh_from_db()
    assert story.publishable and "Josie" not in story.redacted_text
    unconfirmed = researcher.post(url, {"action": "withdraw"}, follow=True).content.decode()
    assert "Tick the box to confirm the teller asked." in unconfirmed
    story.refresh_from_db()
    assert story.withdrawn_at is None
    facilitator = client_for(team[Role.FACILITATOR])  # records consent, does not edit
    facilitator.post(url, {"action": "withdraw", "confirm": "yes"})
    story.refresh_from_db()
    assert story.withdrawn_at is not None and not story.publishable
    # An observer may read the bank but not the restricted story record.
    assert client_for(team[Role.OBSERVER]).get(f"/studies/{study.slug}/stories/").status_code == 200
    assert client_for(team[Role.OBSERVER]).get(url).status_code == 403


def test_observers_see_only_checked_redacted_text_in_the_bank() -> None:
    study, team = study_with_team()
    client_for(team[Role.RESEARCHER]).post(
        f"/studies/{study.slug}/stories/import/",
        {"file": SimpleUploadedFile("stories.csv", STORIES_CSV.encode(), "text/csv")},
    )
    bank = client_for(team[Role.OBSERVER]).get(f"/studies/{study.slug}/stories/").content.decode()
    assert "We were listened to" not in bank and "not checked for personal data yet" in bank


def test_a_participant_withdraws_their_own_story_and_the_team_sets_sectors() -> None:
    study, team = study_with_team()
    client = Client()
    client.post(
        f"/join/{study.join_code}/story/",
        {
            "kind": "snapshot",
            "text": "Mine to take back.",
            "feeling": "mixed",
            "role": "not_said",
            "level": "3",
            "agree": "on",
        },
    )
    story = Story.objects.get()
    page = client.get(f"/join/{study.join_code}/stories/").content.decode()
    assert "Mine to take back." in page and "Withdraw story 1" in page
    asked = client.post(f"/join/{study.join_code}/stories/", {"story": "1"})
    assert asked.status_code == 200 and "Yes, withdraw story 1" in asked.content.decode()
    story.refresh_from_db()
    assert story.withdrawn_at is None  # not before they confirm
    confirmed = {"story": "1", "confirm": "yes"}
    assert client.post(f"/join/{study.join_code}/stories/", confirmed).status_code == 302
    story.refresh_from_db()
    assert story.withdrawn_at is not None
    # Someone else's browser cannot see or withdraw it.
    assert Client().get(f"/join/{study.join_code}/stories/").status_code == 302
    researcher = client_for(team[Role.RESEARCHER])
    researcher.post(f"/studies/{study.slug}/stories/", {"sectors": "Housing\nYouth work\n"})
    assert [s.name for s in study.story_sectors.all()] == ["Housing", "Youth work"]


def test_story_pages_refuse_bad_input_plainly() -> None:
    study, team = study_with_team()
    researcher = client_for(team[Role.RESEARCHER])
    # The bank's page title is plain text (nothing of the page inside it).
    bank = researcher.get(f"/studies/{study.slug}/stories/").content.decode()
    title = bank.split("<title>")[1].split("</title>")[0]
    assert "<" not in title and "Story bank" in title
    # A story number that is not a number is simply not found.
    client = Client()
    client.post(
        f"/join/{study.join_code}/story/",
        {
            "kind": "snapshot",
            "text": "Mine.",
            "feeling": "mixed",
            "role": "not_said",
            "level": "3",
            "agree": "on",
        },
    )
    assert client.post(f"/join/{study.join_code}/stories/", {"story": "abc"}).status_code == 404


def test_an_oversize_csv_is_refused(settings: object) -> None:
    settings.COPRODUCE_UPLOAD_MAX_BYTES = 100  # type: ignore[attr-defined]
    study, team = study_with_team()
    response = client_for(team[Role.RESEARCHER]).post(
        f"/studies/{study.slug}/stories/import/",
        {"file": SimpleUploadedFile("stories.csv", STORIES_CSV.encode() * 3, "text/csv")},
    )
    assert response.status_code == 400 and b"files may be at most" in response.content
    assert Story.objects.count() == 0


def test_a_teller_who_withdrew_from_the_study_is_heard_no_more() -> None:
    from coproduce.core.errors import Conflict
    from coproduce.uploads import Upload

    study, team = study_with_team()
    gathered = services.gather_story(
        study,
        team[Role.FACILITATOR],
        story(text="A recorded story."),
        recording=Upload("talk.wav", recording()),
        transcript=Upload("talk.vtt", VTT),
    )
    teller = gathered.teller
    url = f"/studies/{study.slug}/stories/{gathered.number}/recording/"
    assert client_for(team[Role.RESEARCHER]).get(url).status_code == 200
    study_services.withdraw(teller)
    assert client_for(team[Role.RESEARCHER]).get(url).status_code == 404
    bank = client_for(team[Role.RESEARCHER]).get(
        f"/studies/{study.slug}/stories/?consent=withdrawn"
    )
    assert f"/stories/{gathered.number}/" in bank.content.decode()
    published = client_for(team[Role.RESEARCHER]).get(f"/studies/{study.slug}/stories/?consent=3")
    assert f"/stories/{gathered.number}/" not in published.content.decode()
    with pytest.raises(Conflict, match="You have withdrawn"):
        services.tell_story(study, story(text="Another one."), teller=teller)
