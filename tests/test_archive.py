"""Study archives: export then import gives back an identical study; bad archives change nothing."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from coproduce.accounts.models import User
from coproduce.archive import dump_study, export_study, import_study
from coproduce.core.errors import Conflict, InvalidInput
from coproduce.core.evidence import Channel, ConsentLevel
from coproduce.studies import services
from coproduce.studies.models import Organisation, Role, Study
from tests.support.factories import study_with_team, wipe
from tests.support.files import make_zip

pytestmark = pytest.mark.django_db


def rich_study() -> Study:
    study, team = study_with_team("archive-me")
    services.update_study(study, team[Role.OWNER], summary="Ümlauts, emoji 🙂 and “quotes”.")
    study.organisations.add(Organisation.objects.create(name="Food hub", slug="food-hub"))
    services.invite(study, team[Role.OWNER], "later@example.org", Role.FACILITATOR)
    services.join(study, ConsentLevel.PUBLISH, xid="ext-1")
    paper = services.join(
        study, ConsentLevel.QUOTE, channel=Channel.PAPER, recorded_by=team[Role.FACILITATOR]
    )
    services.withdraw(paper)
    return study


def test_export_then_import_into_an_empty_database_is_identical(tmp_path: Path) -> None:
    study = rich_study()
    before = dump_study(study)
    archive = export_study(study, tmp_path / "study.zip")
    wipe()
    assert Study.objects.count() == 0
    imported = import_study(archive)
    assert dump_study(imported) == before
    assert imported.participants.get(xid="ext-1").consent_level() == ConsentLevel.PUBLISH


def test_archive_is_versioned(tmp_path: Path) -> None:
    archive = export_study(rich_study(), tmp_path)
    assert archive.name == "archive-me.coproduce.zip"
    with zipfile.ZipFile(archive) as z:
        manifest = json.loads(z.read("manifest.json"))
    assert manifest["format"] == "coproduce-study-archive"
    assert manifest["format_version"] == 1
    assert set(manifest["parts"]) >= {"study", "team", "participants"}


def test_duplicate_study_is_refused(tmp_path: Path) -> None:
    archive = export_study(rich_study(), tmp_path / "a.zip")
    with pytest.raises(Conflict, match="already in this database"):
        import_study(archive)


def test_foreign_and_corrupt_archives_are_refused(tmp_path: Path) -> None:
    (tmp_path / "notzip.zip").write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(InvalidInput, match="not a Coproduce study archive"):
        import_study(tmp_path / "notzip.zip")
    with pytest.raises(InvalidInput, match="There is no file"):
        import_study(tmp_path / "missing.zip")
    foreign = make_zip(tmp_path / "foreign.zip", {"manifest.json": json.dumps({"format": "other"})})
    with pytest.raises(InvalidInput, match="does not say format"):
        import_study(foreign)
    no_manifest = make_zip(tmp_path / "bare.zip", {"readme.txt": "hello"})
    with pytest.raises(InvalidInput, match=r"manifest\.json is missing"):
        import_study(no_manifest)
    future = make_zip(
        tmp_path / "future.zip",
        {"manifest.json": json.dumps({"format": "coproduce-study-archive", "format_version": 99})},
    )
    with pytest.raises(InvalidInput, match="newer than this Coproduce"):
        import_study(future)


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    bomb = make_zip(
        tmp_path / "bomb.zip", {"manifest.json": "{}", "parts/study.json": b"0" * 50_000_000}
    )
    with pytest.raises(InvalidInput, match="unpacks to more"):
        import_study(bomb)


def test_a_damaged_part_imports_nothing(tmp_path: Path) -> None:
    archive = export_study(rich_study(), tmp_path / "good.zip")
    with zipfile.ZipFile(archive) as z:
        files = {name: z.read(name) for name in z.namelist()}
    participants = json.loads(files["parts/participants.json"])
    participants[-1]["consents"][0]["consent_text"] = 7  # refers to a text that is not there
    files["parts/participants.json"] = json.dumps(participants).encode()
    damaged = make_zip(tmp_path / "damaged.zip", files)
    wipe()
    with pytest.raises(InvalidInput, match="consent text '7'"):
        import_study(damaged)
    assert Study.objects.count() == 0 and User.objects.count() == 0
    files["parts/team.json"] = b"{not json"
    with pytest.raises(InvalidInput, match=r"parts/team\.json is not valid JSON"):
        import_study(make_zip(tmp_path / "badjson.zip", files))
    files["parts/team.json"] = json.dumps({"members": [{"email": "a@b.c"}]}).encode()
    with pytest.raises(InvalidInput, match="part 'team' is malformed"):
        import_study(make_zip(tmp_path / "malformed.zip", files))
    assert Study.objects.count() == 0


def test_the_manifest_says_what_personal_data_the_archive_holds_and_it_holds_no_secrets(
    tmp_path: Path,
) -> None:
    study = rich_study()
    owner = study.memberships.get(role="owner").user
    invitation = services.invite(study, owner, "invited@example.org", "observer")
    archive = export_study(study, tmp_path / "study.zip")
    with zipfile.ZipFile(archive) as z:
        manifest = json.loads(z.read("manifest.json"))
        everything = b"".join(z.read(n) for n in z.namelist()).decode()
    assert set(manifest["personal_data"]) >= {"team", "participants", "conversations"}
    assert "e-mail addresses" in manifest["personal_data"]["team"]
    assert invitation.token not in everything and '"token"' not in everything
    assert owner.password not in everything and "pbkdf2" not in everything
    wipe()
    imported = import_study(archive)
    fresh = imported.invitations.get(email="invited@example.org")
    assert fresh.token != invitation.token and fresh.open  # a new link, still working
