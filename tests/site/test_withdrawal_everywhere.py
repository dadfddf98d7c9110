"""Withdrawal is complete: a marker word planted in every kind of contribution is on no page, in
no API answer and in no export once its contributor withdraws.

Every GET route of the URL configuration is opened by the team's owner (who sees the most), an
observer, an anonymous visitor and the person who withdrew. The person's own data (their
rights to see what is held until they ask for it to be erased) is the one place it may stay.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.test import Client

from coproduce.archive import dump_study
from coproduce.casestudies import services as case_services
from coproduce.casestudies.models import Speaker
from coproduce.coding import codebook, codings, findings, qdpx, themes
from coproduce.conversations import services as conversation_services
from coproduce.conversations.polis import export_polis
from coproduce.core.evidence import ConsentLevel
from coproduce.equity import member_check
from coproduce.stories import services as story_services
from coproduce.studies import services as study_services
from coproduce.studies.models import Organisation, Participant, Role
from coproduce.uploads import Upload
from tests.support.factories import client_for, story, study_with_team
from tests.support.files import recording
from tests.support.urls import address, routes

pytestmark = pytest.mark.django_db

MARKER = "Zanzibarquill"
KEPT = "Keepsakewords"  # someone who stays: their words must still be there (not vacuous)
# What is held about a person stays theirs to see (Article 15) until they ask for erasure.
THEIR_OWN_DATA = (
    "join/<str:code>/you/data/",
    "join/<str:code>/you/data.json",
    "studies/<slug:slug>/participants/<str:pseudonym>/data.json",
    "join/<str:code>/stories/",  # their own stories, on their own page
)


def plant(study, team, client, person, words):  # type: ignore[no-untyped-def]
    """Contributions of every kind by `person`, each carrying `words`."""
    owner = team[Role.OWNER]
    study_services.describe_participant(person, "lived_experience", f"{words} about me")
    conversation = conversation_services.create_conversation(study, owner, "What helps?")
    conversation_services.add_seed_statements(conversation, owner, ["Pay people."])
    conversation_services.publish_results(conversation, owner, public=True)
    written = conversation_services.write_statement(conversation, person, f"{words} statement")
    conversation_services.moderate(conversation, owner, [written.number], "approved")
    conversation_services.vote(conversation.statements.get(number=0), person, 1)
    told = story_services.tell_story(
        study,
        story(title=f"{words} title", text=f"{words} story."),
        teller=person,
        recording=Upload("talk.wav", recording()),
        transcript=Upload("talk.txt", f"{words} story, as recorded.".encode()),
    )
    story_services.save_check(told, owner, [])
    story_services.mark_quote(told, owner, f"{words} story")
    organisation, _ = Organisation.objects.get_or_create(name="Canal Food", slug="canal-food")
    study.organisations.add(organisation)
    case = case_services.CaseStudy.objects.filter(study=study).first()
    if case is None:
        case = case_services.start_case_study(study, owner, organisation)
    label = f"Speaker{person.pk}"
    transcript = f"Interviewer: Why?\n\n{label}: {words} in an interview.\n".encode()
    interview = case_services.import_interview(
        case, owner, Upload("i.txt", transcript), consent_level=ConsentLevel.PUBLISH
    )
    Speaker.objects.filter(interview=interview, label=label).update(
        participant=person, perspective="service_user"
    )
    case_services.save_check(interview, owner, {})
    turn = interview.turns.get(position=1)
    case_services.choose_quote(case, owner, turn, f"{words} in an interview")
    code = codebook.add_code(study, owner, f"Code {person.pk}")
    codings.code_passage(study, owner, code, f"story:{told.pk}", passage=f"{words} story")
    codings.code_passage(study, owner, code, f"turn:{turn.pk}", passage=f"{words} in")
    theme = themes.add_theme(study, owner, f"Theme {person.pk}", [f"story:{told.pk}"])
    finding = findings.save_finding(study, owner, f"Finding {person.pk}", theme_ids=[theme.pk])
    check = member_check.open_member_check(study, owner)  # adds this finding to the check
    checked = check.findings.get(finding=finding).statement
    conversation_services.vote_with_comment(checked, person, -1, f"{words} comment on a finding")
    return conversation, told, theme, finding


def test_a_marker_in_every_kind_of_contribution_is_gone_from_every_page_and_export(
    tmp_path: Path,
) -> None:
    study, team = study_with_team()
    leaving_client, staying_client = Client(), Client()
    for client in (leaving_client, staying_client):
        client.post(f"/join/{study.join_code}/", {"level": "3", "agree": "on"})
    leaving, staying = Participant.objects.filter(study=study).order_by("pk")
    conversation, told, theme, finding = plant(study, team, leaving_client, leaving, MARKER)
    _c, kept_story, _t, _f = plant(study, team, staying_client, staying, KEPT)
    conversation = conversation.study.conversations.get(question="What helps?", pk=conversation.pk)

    session = member_check.start_session(
        member_check.member_check_of(study),
        team[Role.OWNER],
        "Room",  # type: ignore[arg-type]
    )
    assert leaving_client.post(f"/join/{study.join_code}/withdraw/").status_code == 302

    values = {
        "slug": study.slug,
        "pseudonym": leaving.pseudonym,
        "token": "no-such-invitation",
        "number": str(told.number),
        "organisation": "canal-food",
        "evidence_id": f"story:{told.pk}",
        "conversation": conversation.code,
        "join": study.join_code,
        "theme": str(theme.pk),
        "finding": str(finding.pk),
        "recommendation": "1",
        "session": str(session.pk),
    }
    visitors = {
        "owner": client_for(team[Role.OWNER]),
        "observer": client_for(team[Role.OBSERVER]),
        "anonymous": Client(),
        "the person who withdrew": leaving_client,
    }
    found = []
    for route in routes():
        if route in THEIR_OWN_DATA or route == "accounts/logout/":
            continue
        url = address(route, values)
        for who, client in visitors.items():
            body = client.get(url).content.decode("utf-8", "replace")
            if MARKER in body:
                at = body.index(MARKER)
                found.append(f"{url} as {who}: …{body[max(0, at - 80) : at + 40]}…")
    assert not found, "the marker is still shown at:\n" + "\n".join(found)
    owner_view = visitors["owner"]
    assert (
        KEPT in owner_view.get(f"/studies/{study.slug}/case-studies/canal-food/").content.decode()
    )
    assert KEPT in owner_view.get(f"/studies/{study.slug}/stories/").content.decode()
    assert KEPT in owner_view.get(f"/studies/{study.slug}/member-check/").content.decode()

    out = export_polis(conversation, tmp_path / "polis")
    assert MARKER not in "".join(p.read_text(encoding="utf-8") for p in out.iterdir())
    archived = json.dumps(dump_study(study), ensure_ascii=False)
    assert MARKER not in archived and KEPT in archived
    with zipfile.ZipFile(io.BytesIO(qdpx.export_qdpx(study, team[Role.OWNER]))) as z:
        project = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    assert MARKER not in project and KEPT in project
    assert kept_story.pk != told.pk
