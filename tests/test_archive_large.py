"""A study archive imports part by part and its votes a chunk at a time (so it never holds
SQLite's write lock for long), behind a hidden study that appears only when all is in; a
failure on the way leaves nothing, not even the accounts the import made."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from django.test import Client

from coproduce.accounts.models import User
from coproduce.archive import dump_study, export_study, import_study
from coproduce.conversations.models import Conversation, CurrentVote, Vote
from coproduce.conversations.polis import import_polis
from coproduce.conversations.services import KEYED_CHUNK, get_conversation
from coproduce.core.errors import Conflict, InvalidInput, NotFound
from coproduce.studies import services
from coproduce.studies.models import Role, Study
from tests.support.factories import study_with_team, wipe
from tests.support.files import make_zip
from tests.support.polis import write_export

pytestmark = pytest.mark.django_db(transaction=True)  # the import's own commits, as in the CLI


def voted_study(tmp_path: Path) -> tuple[Study, int]:
    study, team = study_with_team("large-archive")
    export = tmp_path / "export"
    export.mkdir()
    votes = write_export(export, 2 * KEYED_CHUNK + 321, 40)
    import_polis(export, study, team[Role.OWNER])
    return study, votes


def test_a_large_archive_arrives_whole_in_chunks(tmp_path: Path) -> None:
    study, votes = voted_study(tmp_path)
    before = dump_study(study)
    archive = export_study(study, tmp_path / "large.zip")
    wipe()
    imported = import_study(archive)
    assert not imported.importing
    assert Study.objects.get(slug="large-archive") == imported
    assert dump_study(imported) == before
    conversation = imported.conversations.get()
    assert Vote.objects.filter(conversation=conversation).count() == votes
    assert CurrentVote.objects.filter(conversation=conversation).count() == votes


def test_a_failure_after_the_votes_leaves_nothing(tmp_path: Path) -> None:
    study, _ = voted_study(tmp_path)
    archive = export_study(study, tmp_path / "large.zip")
    with zipfile.ZipFile(archive) as z:
        files = {name: z.read(name) for name in z.namelist()}
    # The Easy Read part loads last: a version with no title is refused after every vote is in.
    files["parts/easy_read.json"] = json.dumps({"parts": []}).encode()
    damaged = make_zip(tmp_path / "damaged.zip", files)
    wipe()
    with pytest.raises(InvalidInput, match="part 'easy_read' is malformed"):
        import_study(damaged)
    assert not Study.everything.exists()
    assert not Conversation.everything.exists()
    assert not Vote.objects.exists() and not CurrentVote.objects.exists()
    assert not User.objects.exists()  # the accounts the import made are gone with it


def test_a_study_still_importing_is_seen_nowhere(client: Client) -> None:
    study, team = study_with_team("half-imported")
    conversation = Conversation.objects.create(study=study, question="Seen?")
    Study.everything.filter(pk=study.pk).update(importing=True)
    assert not Study.objects.filter(slug="half-imported").exists()
    assert services.studies_for(team[Role.OWNER]) == []
    with pytest.raises(NotFound):
        get_conversation(conversation.code)
    with pytest.raises(Conflict):
        services.create_study(team[Role.OWNER], "Again", slug="half-imported")
    client.force_login(team[Role.OWNER])
    pages = (f"/studies/{study.slug}/", f"/api/conversations/{conversation.code}")
    assert [client.get(page).status_code for page in pages] == [404, 404]
    Study.everything.filter(pk=study.pk).update(importing=False)
    assert [client.get(page).status_code for page in pages] == [200, 200]
