"""The importers that write to the database, fed mangled files by hypothesis with a fixed
budget: a one-sentence refusal (CoproduceError) and nothing half-written, or a whole import;
never anything else (issue 20)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coproduce.archive import export_study, import_study
from coproduce.coding import codebook, qdpx
from coproduce.conversations import seeds
from coproduce.conversations import services as conversations
from coproduce.core.errors import CoproduceError
from coproduce.stories import services as stories
from coproduce.studies.models import Role, Study
from tests.support.factories import study_with_team

pytestmark = pytest.mark.django_db
BUDGET = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
STORIES = b"type,story,consent,title\nwritten,The bus stopped running.,quote,Buses\n"
SEEDS = b"text\nPay people for their time.\nMeet in familiar places.\n"
CODES = b"code,description\nTransport > Buses,Night buses\nHousing,\n"


def mangled(seed: bytes) -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.binary(max_size=400),
        st.tuples(st.integers(0, len(seed)), st.binary(max_size=30)).map(
            lambda cut: seed[: cut[0]] + cut[1] + seed[cut[0] :]
        ),
        st.tuples(st.integers(0, max(0, len(seed) - 1)), st.sampled_from(b',"\n\r\x00;>\xff')).map(
            lambda hit: seed[: hit[0]] + bytes([hit[1]]) + seed[hit[0] + 1 :]
        ),
    )


def whole_or_nothing(call, count) -> None:  # type: ignore[no-untyped-def]
    """Run the import in a savepoint; on refusal, nothing it counts may have changed."""
    before = count()
    try:
        with transaction.atomic():
            call()
            transaction.set_rollback(True)  # each example starts from the same study
    except CoproduceError as error:
        assert str(error).strip()
        assert count() == before


@pytest.fixture
def team_study():  # type: ignore[no-untyped-def]
    study, team = study_with_team("fuzzed")
    talk = conversations.create_conversation(study, team[Role.OWNER], "What helps?")
    return study, team, talk


@BUDGET
@given(mangled(STORIES), mangled(SEEDS), mangled(CODES))
def test_csv_importers(team_study, story_csv: bytes, seed_csv: bytes, code_csv: bytes) -> None:  # type: ignore[no-untyped-def]
    study, team, talk = team_study
    owner = team[Role.OWNER]
    whole_or_nothing(
        lambda: stories.import_stories_csv(study, owner, story_csv), study.stories.count
    )
    whole_or_nothing(lambda: seeds.import_seed_csv(talk, owner, seed_csv), talk.statements.count)
    whole_or_nothing(lambda: codebook.import_csv(study, owner, code_csv), study.codes.count)


@pytest.fixture
def exported(team_study, tmp_path_factory):  # type: ignore[no-untyped-def]
    """The study as a REFI-QDA project and as a study archive, made once for every example."""
    study, team, _talk = team_study
    folder = tmp_path_factory.mktemp("fuzz")
    project = qdpx.export_qdpx(study, team[Role.OWNER])
    archive = export_study(study, folder / "study.zip").read_bytes()
    return folder, project, archive


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_qdpx_and_study_archives(team_study, exported, data) -> None:  # type: ignore[no-untyped-def]
    study, team, _talk = team_study
    owner = team[Role.OWNER]
    folder, project, archive = exported
    for seed, run in (
        (project, lambda raw: qdpx.import_qdpx(study, owner, raw)),
        (archive, lambda raw: _import_archive(folder, raw)),
    ):
        raw = data.draw(mangled(seed))
        whole_or_nothing(lambda raw=raw, run=run: run(raw), Study.objects.count)


def _import_archive(folder: Path, raw: bytes) -> None:
    path = folder / "mangled.zip"
    path.write_bytes(raw)
    Study.objects.filter(slug="fuzzed").delete()  # so a whole archive could come back in
    import_study(path)


def test_a_real_archive_still_imports_after_the_fuzzing_setup(team_study, tmp_path) -> None:  # type: ignore[no-untyped-def]
    study, _team, _talk = team_study
    saved = export_study(study, tmp_path / "study.zip")
    Study.objects.filter(pk=study.pk).delete()
    assert import_study(saved).slug == "fuzzed"
    with zipfile.ZipFile(io.BytesIO(saved.read_bytes())) as z:
        assert z.namelist()
