"""Shared fixtures: real databases, real processes, real browsers; nothing of ours is mocked."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.processes import SHARED, empty_database_env, need, serving


@pytest.fixture(scope="session", autouse=True)
def static_files(django_db_blocker: object) -> None:
    """Collect static files once, as `coproduce serve` does, so pages render as in production."""
    from coproduce.site.runtime import collect_static

    collect_static()


@pytest.fixture
def shared_polis() -> Path:
    path = SHARED / "data" / "polis"
    if not path.is_dir():
        # Shared material is not a dependency to install: absent, these tests skip (even in CI).
        pytest.skip(f"the shared Polis exports are not at {path} (../shared beside the repo)")
    return path


@pytest.fixture
def fresh_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment for a CLI run against its own empty data directory and empty database."""
    yield from empty_database_env(tmp_path / "data")


@pytest.fixture
def fresh_env_2(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A second, separate empty data directory and database."""
    yield from empty_database_env(tmp_path / "data-2")


@pytest.fixture
def chromium() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    need(Path(path).exists(), "Debian's chromium is not installed (make system-packages-test)")
    return path


@pytest.fixture(scope="session")
def site(django_db_setup: None, django_db_blocker: object) -> Iterator[str]:
    """`coproduce serve` (the production server) running on the test database; yields its URL.

    Without its background worker: tests that run queued work do it themselves, and a second
    worker would race them. test_opinion_background starts a server with its worker.
    """
    with serving("--no-worker") as url:
        yield url


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests using the served site are marked `served`, so `make test-fast` can leave them out."""
    for item in items:
        if "site" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.served)
