"""One rule for what may leave the team's restricted view, used by findings, exports and pages."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import pytest

from coproduce.casestudies import services as case_services
from coproduce.coding import findings, qdpx, themes
from coproduce.coding.evidence import evidence_by_id
from coproduce.conversations import services as conversation_services
from coproduce.core.evidence import (
    Channel,
    ConsentLevel,
    ContributorRole,
    EvidenceRecord,
    Strand,
    held_back,
)
from coproduce.stories import services as story_services
from coproduce.studies import services as study_services
from coproduce.studies.models import Organisation, Role
from coproduce.uploads import Upload
from tests.support.factories import client_for, story, study_with_team

pytestmark = pytest.mark.django_db

NOT_IN_CHECKED_TEXT = "its words are not in the checked text; choose them again on the theme's page"
PRIVATE = "I live at 14 Elm Grove Road, email josie.wren@example.org, NHS number 943 476 5919."


def record(consent: ConsentLevel = ConsentLevel.PUBLISH, checked: bool = True) -> EvidenceRecord:
    return EvidenceRecord(
        "story:1",
        "Words.",
        "P-1",
        ContributorRole.LIVED_EXPERIENCE,
        Channel.WEB,
        Strand.STORY,
        consent,
        datetime(2026, 1, 1, tzinfo=UTC),
        checked=checked,
    )


def test_the_rule_names_why_an_item_is_held_back() -> None:
    assert held_back(record(), ConsentLevel.PUBLISH) is None
    assert held_back(record(ConsentLevel.STORE), ConsentLevel.STORE) is None
    assert "agree to it being quoted" in str(
        held_back(record(ConsentLevel.STORE), ConsentLevel.QUOTE)
    )
    assert "published in full" in str(held_back(record(ConsentLevel.QUOTE), ConsentLevel.PUBLISH))
    assert "withdrawn" in str(held_back(record(ConsentLevel.WITHDRAWN), ConsentLevel.STORE))
    assert "checked for personal data" in str(held_back(record(checked=False), ConsentLevel.STORE))


def test_unchecked_stories_and_unmoderated_statements_never_leave() -> None:
    study, team = study_with_team()
    owner = team[Role.OWNER]
    told = story_services.tell_story(study, story(text="The bus stopped. " + PRIVATE))
    key = f"story:{told.pk}"
    conversation = conversation_services.create_conversation(study, owner, "What helps?")
    person = study_services.join(study, ConsentLevel.PUBLISH)
    spam = conversation_services.write_statement(conversation, person, "Buy cheap pills now")
    assert spam.status == "pending"  # strict moderation by default: waiting for the team
    assert f"statement:{spam.pk}" not in evidence_by_id(study)

    theme = themes.add_theme(study, owner, "Buses", [key])
    themes.mark_quote(theme, owner, key, "14 Elm Grove Road")  # chosen before the check
    finding = findings.save_finding(study, owner, "Buses fail people", theme_ids=[theme.pk])
    shown = findings.finding_evidence(finding)
    assert shown.quotes == []
    assert shown.held_back == [(key, "it has not been checked for personal data yet")]
    page = client_for(team[Role.OBSERVER]).get(f"/studies/{study.slug}/findings/").content.decode()
    assert "Elm Grove" not in page and "not been checked for personal data" in page

    project = qdpx.project_bytes(study)
    with zipfile.ZipFile(io.BytesIO(project)) as z:
        everything = b"".join(z.read(n) for n in z.namelist()).decode("utf-8", "replace")
    assert "josie.wren@example.org" not in everything and "943 476 5919" not in everything

    hits = story_services.personal_data(told)
    story_services.save_check(told, owner, [(h.start, h.end, h.kind) for h in hits])
    held = findings.finding_evidence(finding).held_back
    assert held == [
        (key, "its words are not in the checked text; choose them again on the theme's page")
    ]
    themes.mark_quote(theme, owner, key, "The bus stopped.")
    finding = findings.save_finding(
        study, owner, "Buses fail people", theme_ids=[theme.pk], finding=finding
    )
    assert [words for words, _r in findings.finding_evidence(finding).quotes] == [
        "The bus stopped."
    ]


def test_observers_read_only_what_may_leave_and_search_only_checked_text() -> None:
    study, team = study_with_team()
    owner, observer = team[Role.OWNER], team[Role.OBSERVER]
    unchecked = story_services.tell_story(study, story(text="Josie Wren helped me. " + PRIVATE))
    checked = story_services.tell_story(study, story(text="Nobody helped me at all."))
    story_services.save_check(checked, owner, [])
    base = f"/studies/{study.slug}/coding/"
    team_view, observer_view = client_for(owner), client_for(observer)
    assert team_view.get(f"{base}story:{unchecked.pk}/").status_code == 200
    assert observer_view.get(f"{base}story:{unchecked.pk}/").status_code == 404
    assert observer_view.get(f"{base}story:{checked.pk}/").status_code == 200
    queue = observer_view.get(base).content.decode()
    assert f"story:{unchecked.pk}" not in queue and f"story:{checked.pk}" in queue
    bank = f"/studies/{study.slug}/stories/"
    assert f"/stories/{unchecked.number}/" in team_view.get(bank, {"q": "Josie"}).content.decode()
    observed = observer_view.get(bank, {"q": "Josie"}).content.decode()
    assert "Josie" not in observed.split("</form>")[-1]  # no row tells the name is there
    assert str(unchecked.number) not in [
        row.split("</td>")[0].split(">")[-1] for row in observed.split("<tr>")[2:]
    ]


def test_observers_read_an_interview_only_once_checked_and_then_redacted() -> None:
    study, team = study_with_team()
    owner = team[Role.OWNER]
    organisation = Organisation.objects.create(name="Canal Street Food", slug="canal-food")
    study.organisations.add(organisation)
    case = case_services.start_case_study(study, owner, organisation)
    transcript = f"Interviewer: Where?\n\nDev: {PRIVATE}\n".encode()
    interview = case_services.import_interview(
        case, owner, Upload("i.txt", transcript), consent_level=ConsentLevel.PUBLISH
    )
    turn = interview.turns.get(position=1)
    url = f"/studies/{study.slug}/coding/turn:{turn.pk}/"
    observer_view = client_for(team[Role.OBSERVER])
    assert observer_view.get(url).status_code == 404
    assert (
        f"turn:{turn.pk}"
        not in observer_view.get(f"/studies/{study.slug}/coding/").content.decode()
    )
    found = case_services.personal_data(interview)
    case_services.save_check(
        interview, owner, {turn.pk: [(h.start, h.end, h.kind) for _t, h in found]}
    )
    page = observer_view.get(url)
    assert page.status_code == 200
    shown = page.content.decode()
    assert "Elm Grove" not in shown and "josie.wren" not in shown and "[e-mail]" in shown
    archive = qdpx.export_qdpx(study, owner)
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        everything = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    assert "josie.wren" not in everything and "[e-mail]" in everything
