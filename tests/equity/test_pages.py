"""The team's equity and member-checking pages, and the participant's side of a member check:
what they show, what they refuse (with a sentence, never a server error)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from coproduce.conversations.models import StatementComment
from coproduce.equity import member_check
from coproduce.equity.models import EquityTargets, RoomTally
from coproduce.studies.models import Role
from tests.support.equity import a_lopsided_study
from tests.support.factories import client_for, study_with_team

pytestmark = pytest.mark.django_db


def test_the_equity_page_shows_every_part_and_saves_targets() -> None:
    s = a_lopsided_study()
    client = client_for(s.team[Role.OWNER])
    page = client.get(f"/studies/{s.study.slug}/equity/").content.decode()
    for part in (
        "How evenly people contributed",
        "Gini",
        "<svg",
        '<desc id="lorenz-svg-desc">',
        "Who took part, and how",
        "Counting items, and counting each person once",
        f"{s.anna.pseudonym} (12 items)",
        "Talk time in joint interviews",
        "Whose words are quoted",
    ):
        assert part in page, part
    answer = client.post(
        f"/studies/{s.study.slug}/equity/",
        {
            "floor-lived_experience": "90",
            "channel_ceiling": "50",
            "difference": "5",
            "talk_floor": "30",
        },
        follow=True,
    )
    assert "Targets saved." in answer.content.decode()
    assert EquityTargets.objects.get(study=s.study).role_floors == {"lived_experience": 90}
    assert "under the target of at least 90%" in answer.content.decode()


@pytest.mark.parametrize(
    "form",
    [
        {"channel_ceiling": "abc", "difference": "5", "talk_floor": "30"},
        {"channel_ceiling": "500", "difference": "5", "talk_floor": "30"},
        {"channel_ceiling": "50", "difference": "5", "talk_floor": "30", "floor-researcher": "-5"},
        {"channel_ceiling": "50", "difference": "½", "talk_floor": "30"},
        {},
    ],
)
def test_bad_targets_get_a_sentence_and_change_nothing(form: dict[str, str]) -> None:
    s = a_lopsided_study()
    client = client_for(s.team[Role.OWNER])
    answer = client.post(f"/studies/{s.study.slug}/equity/", form, follow=True)
    assert answer.status_code == 200
    assert "whole percentage" in answer.content.decode() or not form
    assert not EquityTargets.objects.filter(study=s.study).exists()


def test_opening_answering_revising_and_the_room() -> None:
    s = a_lopsided_study()
    owner, facilitator = s.team[Role.OWNER], s.team[Role.FACILITATOR]
    client = client_for(owner)
    url = f"/studies/{s.study.slug}/member-check/"
    page = client.post(url, {"action": "open"}, follow=True).content.decode()
    assert "open for participants to check" in page
    check = member_check.member_check_of(s.study)
    assert check is not None
    assert f"/c/{check.conversation.code}/" in page
    # A participant answers on the web, with a comment, through the conversation's own pages.
    participant = Client()
    participant.post(f"/c/{check.conversation.code}/", {"level": "3", "agree": "on"})
    vote_page = participant.get(f"/c/{check.conversation.code}/vote/").content.decode()
    assert "What is missing or wrong? (optional)" in vote_page
    number = re.search(r'name="statement" value="(\d+)"', vote_page).group(1)  # type: ignore[union-attr]
    participant.post(
        f"/c/{check.conversation.code}/vote/",
        {"statement": number, "vote": "-1", "comment": "Waiting is not the main thing for me."},
    )
    assert StatementComment.objects.filter(text__startswith="Waiting is not").exists()
    # A facilitator types in a paper form; another starts the room.
    helper = client_for(facilitator)
    paper = f"/studies/{s.study.slug}/member-check/paper/"
    form = {"channel": "paper", "session": "Tuesday", "level": "2", f"answer-{s.first.pk}": "1"}
    assert helper.post(paper, form).status_code == 302
    bad = helper.post(paper, {**form, "pseudonym": "P-NOBODY"})
    assert bad.status_code == 400
    assert "No participant P-NOBODY" in bad.content.decode()
    room = helper.post(paper, {"action": "session", "name": "Town hall"})
    session_url = room["Location"]
    assert "Finding 1 of 2" in helper.get(session_url).content.decode()
    answer = helper.post(
        session_url, {"number": "1", "agree": "12", "disagree": "3", "unsure": "1"}
    )
    assert answer["Location"].endswith("?finding=2")
    assert RoomTally.objects.get(finding=s.first).agree == 12
    for hands in ("²", "9" * 5000, "٣٣"):
        assert (
            helper.post(
                session_url, {"number": "2", "agree": hands, "disagree": "0", "unsure": "0"}
            ).status_code
            == 302
        )
    refused = helper.post(
        session_url, {"number": "2", "agree": "-4", "disagree": "0", "unsure": "0"}, follow=True
    )
    assert "whole number" in refused.content.decode()
    for odd in ("abc", "0", "99999", "-1", "1.5", "²", "9" * 5000):
        assert helper.get(f"{session_url}?finding={odd}").status_code == 200
    # Results, revision, response.
    page = client.get(url).content.decode()
    assert "Waiting is not the main thing for me." in page
    assert "In the room: 12 hands agree" in page
    client.post(
        url,
        {
            "action": "revise",
            "finding": s.first.pk,
            "title": "Waiting is one problem",
            "text": "",
            "reason": "The room said so.",
        },
    )
    client.post(
        url, {"action": "respond", "finding": s.first.pk, "response": "We publish waiting times."}
    )
    page = client.get(url).content.decode()
    assert "The room said so." in page and "We publish waiting times." in page
    for action in ("revise", "respond"):
        for finding in ("abc", "999999", "", "²", "9" * 40):
            assert client.post(url, {"action": action, "finding": finding}).status_code == 404


def test_another_studys_session_and_findings_are_not_found() -> None:
    s = a_lopsided_study()
    check = member_check.open_member_check(s.study, s.team[Role.OWNER])
    session = member_check.start_session(check, s.team[Role.OWNER], "Room")
    other, other_team = study_with_team("elsewhere")
    intruder = client_for(other_team[Role.OWNER])
    assert (
        intruder.get(f"/studies/{other.slug}/member-check/sessions/{session.pk}/").status_code
        == 404
    )
    assert (
        intruder.post(
            f"/studies/{other.slug}/member-check/", {"action": "respond", "finding": s.first.pk}
        ).status_code
        == 404
    )
    assert intruder.get(f"/studies/{s.study.slug}/member-check/").status_code == 404
