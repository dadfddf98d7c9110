"""Results pages: the stored opinion analysis for the team, and for everyone once published."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from coproduce.conversations import opinion, services
from coproduce.conversations.models import Conversation
from coproduce.core.evidence import ConsentLevel
from coproduce.studies import services as study_services
from coproduce.studies.models import Role
from tests.support.factories import STATEMENTS, client_for, study_with_team, two_camps

pytestmark = pytest.mark.django_db


def team_page(client: Client, conversation: Conversation) -> str:
    url = f"/studies/{conversation.study.slug}/conversations/{conversation.code}/results/"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_before_any_analysis_the_page_says_it_is_coming() -> None:
    conversation, team, _ = two_camps()
    page = team_page(client_for(team[Role.OBSERVER]), conversation)
    assert "There is no analysis yet" in page
    assert "<svg" not in page


def test_the_team_sees_the_map_groups_consensus_and_every_statement() -> None:
    conversation, team, _ = two_camps()
    opinion.refresh(conversation)
    page = team_page(client_for(team[Role.OBSERVER]), conversation)
    # The map: SVG with a title and a description, each group a link to its row in the table.
    svg = re.search(r"<svg.*?</svg>", page, re.S)
    assert svg is not None
    assert "<title id=" in svg.group(0) and "<desc id=" in svg.group(0)
    assert svg.group(0).count('href="#group-') == 2
    assert 'id="group-a"' in page and 'id="group-b"' in page
    # The text alternative: the table of groups with their sizes and representative statements.
    groups_table = page.split('id="groups"')[1].split("</table>")[0]
    assert re.search(r"Group A</th><td>12</td>", groups_table)
    assert re.search(r"Group B</th><td>12</td>", groups_table)
    assert "% agree" in groups_table and "More likely to" in groups_table
    # Every approved statement with its shares overall and per group.
    table = page.split('id="statements"')[1].split("</table>")[0]
    for text in STATEMENTS:
        assert text in table
    assert table.count("% agree") == 9 * 3
    # The writer of statement 9 agreed to be stored, not quoted: its words stay out.
    assert "Private thoughts of p0." not in page
    assert "has not agreed to be quoted" in page
    # Who is in each group: role and channel, exact counts for the team.
    who = page.split('id="who"')[1]
    assert "By role in co-production" in who and "By how they took part" in who
    assert "fewer than" not in who


def test_results_are_published_by_the_team_and_then_shown_to_everyone() -> None:
    conversation, team, _ = two_camps()
    opinion.refresh(conversation)
    public_url = f"/c/{conversation.code}/results/"
    assert Client().get(public_url).status_code == 404
    team_url = f"/studies/{conversation.study.slug}/conversations/{conversation.code}/results/"
    # An observer may look but not publish.
    assert client_for(team[Role.OBSERVER]).post(team_url, {"action": "publish"}).status_code == 403
    assert Client().get(public_url).status_code == 404
    response = client_for(team[Role.OWNER]).post(team_url, {"action": "publish"})
    assert response.status_code == 302
    page = Client().get(public_url).content.decode()
    assert "Group A" in page and "<svg" in page
    assert "Private thoughts of p0." not in page
    # Publicly, counts under 5 by role or channel are held back (3 took part by phone).
    who = page.split('id="who"')[1]
    assert "fewer than 5" in who
    client_for(team[Role.OWNER]).post(team_url, {"action": "unpublish"})
    assert Client().get(public_url).status_code == 404


def test_after_a_withdrawal_results_are_held_back_until_the_analysis_catches_up() -> None:
    conversation, team, people = two_camps()
    opinion.refresh(conversation)
    study_services.withdraw(people[5])
    page = team_page(client_for(team[Role.OBSERVER]), conversation)
    assert "being updated" in page and "<svg" not in page
    opinion.refresh(conversation)
    page = team_page(client_for(team[Role.OBSERVER]), conversation)
    assert "23 people voted" in page


def test_new_votes_are_noted_while_the_shown_analysis_stays() -> None:
    conversation, team, _ = two_camps()
    opinion.refresh(conversation)
    late = study_services.join(conversation.study, ConsentLevel.PUBLISH, xid="late")
    services.vote(conversation.statements.first(), late, 1)
    page = team_page(client_for(team[Role.OBSERVER]), conversation)
    assert "More votes have arrived since" in page and "<svg" in page


def test_not_enough_votes_is_said_in_words() -> None:
    study, team = study_with_team()
    conversation = services.create_conversation(study, team[Role.OWNER], "What helps?")
    services.add_statements(
        conversation,
        [services.NewStatement(text=STATEMENTS[0], is_seed=True, written_by=team[Role.OWNER])],
    )
    person = study_services.join(study, ConsentLevel.PUBLISH, xid="only")
    services.vote(conversation.statements.get(), person, 1)
    opinion.refresh(conversation)
    page = team_page(client_for(team[Role.OBSERVER]), conversation)
    assert "Not enough votes to form groups yet (needs" in page
    assert "<svg" not in page
