"""Memos on a code, an item and the study: written on the pages, kept in the study archive
and in the REFI-QDA project (valid against its schema), never in what is published."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from coproduce.archive import dump_study, export_study, import_study
from coproduce.coding import codebook, memos, qdpx
from coproduce.coding.models import Memo
from coproduce.core.errors import InvalidInput
from coproduce.core.evidence import ConsentLevel
from coproduce.stories import services as story_services
from coproduce.studies.models import Role
from tests.support.factories import client_for, story, study_with_team, wipe
from tests.support.refi_qda import valid_project

pytestmark = pytest.mark.django_db


def a_study_with_memos():  # type: ignore[no-untyped-def]
    study, team = study_with_team("memo-study")
    owner = team[Role.OWNER]
    told = story_services.tell_story(study, story(text="The night bus stopped running."))
    story_services.save_check(told, owner, [])
    transport = codebook.add_code(study, owner, "Transport")
    memos.add_memo(study, owner, "We coded buses and trains together.", code=transport)
    memos.add_memo(study, owner, "A clear example for the report.", evidence_id=f"story:{told.pk}")
    memos.add_memo(study, team[Role.RESEARCHER], "Second round of coding starts Monday.")
    return study, team, told


def test_memos_are_written_on_the_pages_and_read_by_the_team() -> None:
    study, team, told = a_study_with_memos()
    client = client_for(team[Role.CO_RESEARCHER])
    page = client.get(f"/studies/{study.slug}/memos/").content.decode()
    assert "We coded buses and trains together." in page and "Second round" in page
    item = f"/studies/{study.slug}/coding/story:{told.pk}/"
    assert "A clear example for the report." in client.get(item).content.decode()
    client.post(item, {"action": "memo", "text": "Quote this one."})
    assert Memo.objects.filter(evidence_id=f"story:{told.pk}").count() == 2
    answer = client.post(f"/studies/{study.slug}/memos/", {"action": "add", "text": "  "})
    assert answer.status_code == 302 and Memo.objects.filter(study=study).count() == 4
    with pytest.raises(InvalidInput, match="no item story:999999"):
        memos.add_memo(study, team[Role.OWNER], "x", evidence_id="story:999999")
    # Only its author (or the owner) removes a memo.
    mine = Memo.objects.get(text="Second round of coding starts Monday.")
    with pytest.raises(InvalidInput, match="author"):
        memos.remove_memo(mine, team[Role.CO_RESEARCHER])
    memos.remove_memo(mine, team[Role.RESEARCHER])
    assert (
        client_for(team[Role.OBSERVER])
        .post(f"/studies/{study.slug}/memos/", {"action": "add", "text": "x"})
        .status_code
        == 403
    )


def test_memos_travel_in_the_archive_and_the_refi_qda_project(tmp_path: Path) -> None:
    study, _team, _told = a_study_with_memos()
    before = dump_study(study)
    assert len(before["analysis"]["memos"]) == 3
    archive = export_study(study, tmp_path / "study.zip")
    wipe()
    imported = import_study(archive)
    assert dump_study(imported) == before
    project = qdpx.export_qdpx(imported, imported.memberships.get(role=Role.OWNER).user)
    with zipfile.ZipFile(io.BytesIO(project)) as z:
        qde = z.read("project.qde").decode()
    assert qde.count(":Note ") == 3 and qde.count(":NoteRef ") == 3
    assert "We coded buses and trains together." in qde
    valid_project(project)  # against the REFI-QDA project schema
    published = qdpx.project_bytes(imported, ConsentLevel.PUBLISH)
    with zipfile.ZipFile(io.BytesIO(published)) as z:
        assert ":Note" not in z.read("project.qde").decode()


def test_notes_in_a_refi_qda_project_come_in_as_memos() -> None:
    study, team, _told = a_study_with_memos()
    owner = team[Role.OWNER]
    project = qdpx.export_qdpx(study, owner)
    other, other_team = study_with_team("memo-import")
    qdpx.import_qdpx(other, other_team[Role.OWNER], project, source="memo-study.qdpx")
    found = {m.about: m for m in Memo.objects.filter(study=other)}
    assert set(found) == {"code", "item", "study"}
    assert found["code"].code is not None and found["code"].code.name == "Transport"
    assert found["code"].text.startswith("We coded buses and trains together.")
    assert "in the imported project" in found["code"].text  # its own author is named
    assert found["item"].evidence_id.startswith("document:")
    assert found["study"].text.startswith("Second round of coding starts Monday.")
    assert all(m.author == other_team[Role.OWNER] for m in found.values())
