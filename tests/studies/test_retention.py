"""Consent texts change in versions, owners set how long raw material is kept, and `coproduce
purge` removes it afterwards with a report; every such change is in the audit log."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from coproduce.casestudies import services as case_services
from coproduce.casestudies.models import Interview, Speaker, Turn
from coproduce.coding import codebook, codings
from coproduce.coding.models import Coding
from coproduce.conversations import services as conversation_services
from coproduce.core.errors import Conflict, InvalidInput
from coproduce.core.evidence import ConsentLevel
from coproduce.stories import services as story_services
from coproduce.stories.models import Story
from coproduce.studies import retention
from coproduce.studies import services as study_services
from coproduce.studies.models import AuditEvent, Erasure, Organisation, Participant, Role, Study
from coproduce.studies.strands import evidence_items
from coproduce.uploads import Upload
from tests.support.factories import client_for, story, study_with_team
from tests.support.files import recording
from tests.support.processes import database_url_of, run_cli

pytestmark = pytest.mark.django_db

ENDED = date(2024, 1, 31)


def test_months_are_added_as_people_count_them() -> None:
    assert retention.add_months(ENDED, 1) == date(2024, 2, 29)
    assert retention.add_months(ENDED, 13) == date(2025, 2, 28)
    assert retention.add_months(date(2024, 11, 15), 2) == date(2025, 1, 15)
    assert retention.add_months(ENDED, 0) == ENDED


def test_owners_revise_the_consent_text_in_versions_and_each_change_is_logged() -> None:
    study, team = study_with_team()
    owner = team[Role.OWNER]
    first = study_services.current_consent_text(study)
    before = study_services.join(study, ConsentLevel.QUOTE)
    revised = study_services.revise_consent_text(
        study, owner, "We keep your words anonymously if you ask us to erase.", Erasure.ANONYMISE
    )
    assert revised.version == first.version + 1 and revised.created_by == owner
    after = study_services.join(study, ConsentLevel.QUOTE)
    assert before.current_consent().consent_text == first  # type: ignore[union-attr]
    assert after.current_consent().consent_text == revised  # type: ignore[union-attr]
    with pytest.raises(InvalidInput, match="That is the current consent text"):
        study_services.revise_consent_text(study, owner, revised.text, Erasure.ANONYMISE)
    with pytest.raises(InvalidInput, match="not a choice for erasure"):
        study_services.revise_consent_text(study, owner, "Other words.", "forget")
    with pytest.raises(InvalidInput, match="Write the consent text"):
        study_services.revise_consent_text(study, owner, "  ", Erasure.REMOVE)
    with pytest.raises(InvalidInput, match="shorten it"):
        study_services.revise_consent_text(study, owner, "x" * 20_001, Erasure.REMOVE)
    for role in (Role.RESEARCHER, Role.OBSERVER):
        with pytest.raises(Exception, match="does not allow"):
            study_services.revise_consent_text(study, team[role], "Mine.", Erasure.REMOVE)
    study_services.set_retention(study, owner, 24)
    with pytest.raises(InvalidInput, match="number of months from 0"):
        study_services.set_retention(study, owner, 5000)
    study_services.invite(study, owner, "new@example.org", Role.OBSERVER)
    changes = list(study.audit_events.filter(action=AuditEvent.Action.CHANGED).order_by("id"))
    assert [e.subject for e in changes] == [
        "consent text: version 2 (Keep what they agreed to share, under a new pseudonym, "
        "with nothing linking it to them)",
        "retention: 24 months after the end",
        "team: Invited new@example.org as observer",
    ]


def test_the_consent_page_shows_every_version_and_only_owners_change_it() -> None:
    study, team = study_with_team()
    url = f"/studies/{study.slug}/consent/"
    page = client_for(team[Role.OBSERVER]).get(url).content.decode()
    assert "What participants agree to (version 1)" in page and "Save as a new version" not in page
    owner = client_for(team[Role.OWNER])
    posted = owner.post(url, {"action": "text", "text": "New words.", "on_erasure": "anonymise"})
    assert posted.status_code == 302
    page = owner.get(url).content.decode()
    assert "version 2" in page and "Earlier versions" in page and "New words." in page
    bad = owner.post(url, {"action": "retention", "retention_months": "two years"}, follow=True)
    assert "is not a number of months" in bad.content.decode()
    assert Study.objects.get(pk=study.pk).retention_months is None
    owner.post(url, {"action": "retention", "retention_months": "18"})
    assert Study.objects.get(pk=study.pk).retention_months == 18
    assert "18 months after the study ends" in owner.get(url).content.decode()
    refused = client_for(team[Role.RESEARCHER]).post(url, {"action": "retention"})
    assert refused.status_code == 403


def raw_material() -> tuple[Study, dict[str, object]]:
    """A study that ended, with raw material of every kind: checked and unchecked, withdrawn
    and standing, with a recording and codings."""
    study, team = study_with_team()
    owner = team[Role.OWNER]
    kept = story_services.gather_story(
        study,
        team[Role.FACILITATOR],
        story(text="Call Josie on 07700 900123 about the bus."),
        recording=Upload("talk.wav", recording()),
        transcript=Upload("talk.txt", b"Call Josie on 07700 900123 about the bus."),
    )
    phone = story_services.personal_data(kept)
    story_services.save_check(kept, owner, [(h.start, h.end, h.kind) for h in phone])
    unchecked = story_services.tell_story(study, story(text="Not checked yet, Mrs Patel."))
    code = codebook.add_code(study, owner, "Buses")
    codings.code_passage(study, owner, code, f"story:{kept.pk}", passage="about the bus")
    codings.code_passage(study, owner, code, f"story:{unchecked.pk}", passage="Not checked")
    leaver = study_services.join(study, ConsentLevel.PUBLISH, xid="leaver-xid")
    conversation = conversation_services.create_conversation(study, owner, "What helps?")
    said = conversation_services.write_statement(conversation, leaver, "Free buses.")
    study_services.withdraw(leaver)
    stayer = study_services.join(study, ConsentLevel.PUBLISH, xid="stayer-xid")
    study_services.describe_participant(stayer, "lived_experience", "A carer in Salford.")
    organisation = Organisation.objects.create(name="Canal Food", slug="canal-food")
    study.organisations.add(organisation)
    case = case_services.start_case_study(study, owner, organisation)
    transcript = b"Interviewer: Who?\n\nAmira: Ring Dev on 07700 900456.\n"
    checked = case_services.import_interview(
        case, owner, Upload("a.txt", transcript), consent_level=3
    )
    found = case_services.personal_data(checked)
    case_services.save_check(
        checked, owner, {t.pk: [(h.start, h.end, h.kind)] for t, h in found if h.kind == "phone"}
    )
    case_services.import_interview(
        case, owner, Upload("b.txt", transcript), consent_level=3
    )  # unchecked
    study.ends_on, study.retention_months = ENDED, 12
    study.save()
    return study, {"kept": kept, "statement": said, "stayer": stayer}


def test_purge_waits_for_the_retention_period_to_end() -> None:
    study, team = study_with_team()
    with pytest.raises(Conflict, match="no retention period or no end date"):
        retention.purge(study, team[Role.OWNER])
    study.ends_on, study.retention_months = ENDED, 12
    study.save()
    with pytest.raises(Conflict, match="keeps its raw material until 2025-01-31"):
        retention.purge(study, team[Role.OWNER], today=date(2025, 1, 30))
    with pytest.raises(Exception, match="does not allow"):
        retention.purge(study, team[Role.RESEARCHER], today=date(2025, 2, 1))


def test_a_dry_run_reports_and_changes_nothing_then_the_purge_removes_raw_material(
    django_capture_on_commit_callbacks: Any,
) -> None:
    study, things = raw_material()
    kept: Story = things["kept"]  # type: ignore[assignment]
    recording_file = Path(settings.MEDIA_ROOT) / kept.media
    shown_before = {r.evidence_id: r.text for r in evidence_items(study)}
    dry = retention.purge(study, "the command line", today=date(2025, 2, 1), dry_run=True)
    assert dry.removed["stories"] == {
        "stories withdrawn or never checked for personal data": 1,
        "recordings": 1,
        "original words of checked stories (their redacted words stay)": 1,
    }
    assert Story.objects.count() == 2 and recording_file.exists()
    assert not study.audit_events.filter(action=AuditEvent.Action.PURGED).exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = retention.purge(study, "the command line", today=date(2025, 2, 1))
    assert done.removed == dry.removed and "Removed 1: recordings (stories)" in done.as_text()
    story_now = Story.objects.get()
    assert story_now.text == "Call Josie on [phone] about the bus." and story_now.media == ""
    assert not recording_file.exists()
    assert [t.text for t in Turn.objects.all() if t.speaker.perspective != "interviewer"] == [
        "Ring Dev on [phone]."
    ]
    assert Interview.objects.count() == 1
    assert not Speaker.objects.filter(label="Amira").exists()
    assert list(Coding.objects.values_list("passage", flat=True)) == ["about the bus"]
    assert not Participant.objects.exclude(xid=None).exists()
    assert not Participant.objects.exclude(self_description="").exists()
    assert not conversation_services.Statement.objects.filter(text="Free buses.").exists()
    # What may leave was already the redacted words: findings and publications keep them.
    shown_after = {r.evidence_id: r.text for r in evidence_items(study)}
    assert shown_after == {k: v for k, v in shown_before.items() if k in shown_after}
    assert f"story:{kept.pk}" in shown_after
    [event] = study.audit_events.filter(action=AuditEvent.Action.PURGED)
    assert event.actor_label == "the command line"
    again = retention.purge(study, "the command line", today=date(2025, 2, 1))
    assert again.total() == 0 and "Nothing raw was left" in again.as_text()


@pytest.mark.django_db(transaction=True)
def test_coproduce_purge_prints_and_writes_its_report(tmp_path: Path) -> None:
    study, _things = raw_material()
    env = dict(os.environ, DATABASE_URL=database_url_of(connection.settings_dict))
    env["COPRODUCE_DATA_DIR"] = str(settings.DATA_DIR)
    report = tmp_path / "purge.json"
    result = run_cli("purge", study.slug, "--dry-run", "--report", str(report), env=env)
    assert result.returncode == 0, result.stderr
    assert "dry run, nothing changed" in result.stdout
    assert json.loads(report.read_text())["dry_run"] is True
    result = run_cli("purge", study.slug, env=env)
    assert result.returncode == 0 and "Removed 1: recordings" in result.stdout
    assert Story.objects.count() == 1
    study.retention_months = None
    study.save()
    refused = run_cli("purge", study.slug, env=env)
    assert refused.returncode != 0 and "no retention period" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
