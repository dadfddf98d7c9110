"""The docs say what the code does."""

from __future__ import annotations

from coproduce.clidoc import reference
from tests.conftest import ROOT


def test_cli_reference_matches_help() -> None:
    written = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert written == reference(), "docs/cli.md is out of date: run `make docs` and commit it"


def test_readme_gives_the_two_commands_and_links_the_docs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    for page in ("getting-started.md", "concepts.md", "deployment.md", "cli.md"):
        assert f"docs/{page}" in readme
        assert (ROOT / "docs" / page).is_file()
