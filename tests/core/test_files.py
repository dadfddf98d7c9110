"""Output files are written whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from coproduce.core.errors import InvalidInput
from coproduce.core.files import atomic_path, write_atomically


def test_a_file_appears_whole_and_replaces_the_old_one(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "out.json"
    assert write_atomically(target, "première") == target
    assert target.read_text(encoding="utf-8") == "première"
    write_atomically(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in target.parent.iterdir()] == ["out.json"]


def test_a_failure_part_way_leaves_the_old_file_and_no_partial(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target) as partial:
        partial.write_text("half of the new")
        raise RuntimeError("the disk is full")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_an_unwritable_place_is_one_sentence(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(InvalidInput, match=r"^Could not write .*a-file/out\.zip: .+\.$"):
        write_atomically(blocker / "out.zip", b"data")
