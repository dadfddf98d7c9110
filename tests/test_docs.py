"""The docs say what the code does."""

from __future__ import annotations

import re

from coproduce.clidoc import reference
from tests.support.processes import ROOT


def test_cli_reference_matches_help() -> None:
    written = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert written == reference(), "docs/cli.md is out of date: run `make docs` and commit it"


def test_readme_gives_the_two_commands_and_links_the_docs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    for page in ("getting-started.md", "concepts.md", "deployment.md", "cli.md"):
        assert f"docs/{page}" in readme
        assert (ROOT / "docs" / page).is_file()


def test_every_level_of_commands_is_in_the_reference() -> None:
    written = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for heading, option in (
        ("## coproduce import polis", "--consent"),
        ("## coproduce export polis", "--out"),
        ("## coproduce analyse polis", "--json"),
    ):
        section = written.split(heading + "\n", 1)[1].split("\n## ", 1)[0]
        assert option in section, f"{heading} lacks {option}"


LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
DOCS_PATH = re.compile(r"\bdocs/[\w./-]+\.md\b")


def test_every_relative_link_in_the_docs_resolves() -> None:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    broken = []
    for page in pages:
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://", "mailto:", "#")):
                continue
            path = (page.parent / target.split("#", 1)[0]).resolve()
            if not path.exists() or not path.is_relative_to(ROOT):
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
    assert not broken, broken


MD_NAME = re.compile(r"(?<![\w/.-])[\w-]+\.md\b")


def test_pages_named_in_the_docs_are_in_the_repository() -> None:
    """A page named in passing ("see deployment.md") is one of ours, not a file kept elsewhere."""
    pages = [ROOT / "README.md", *(ROOT / "docs").rglob("*.md")]
    ours = {page.name for page in pages}
    named = {
        (page.name, name)
        for page in pages
        for name in MD_NAME.findall(page.read_text(encoding="utf-8"))
    }
    assert not sorted((page, name) for page, name in named if name not in ours)


def test_docs_named_in_project_files_exist() -> None:
    named = {
        found
        for name in ("pyproject.toml", "Makefile", ".ci/run")
        for found in DOCS_PATH.findall((ROOT / name).read_text(encoding="utf-8"))
    }
    assert named, "pyproject.toml names no docs page (the test would prove nothing)"
    missing = sorted(path for path in named if not (ROOT / path).is_file())
    assert not missing, missing
