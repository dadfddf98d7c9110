"""Polis interchange on the real conversations in ../shared/data/polis."""

from __future__ import annotations

import csv
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from coproduce.conversations.models import CurrentVote, Statement
from coproduce.conversations.polis import export_polis, import_polis
from coproduce.core.errors import InvalidInput
from coproduce.core.formats.polis import read_export
from coproduce.studies import services
from tests.support.factories import account
from tests.support.processes import SHARED

pytestmark = pytest.mark.django_db

CONVERSATIONS = sorted(p.name for p in (SHARED / "data" / "polis").glob("*/")) or ["(absent)"]


def fresh_study(slug: str = "polis") -> object:
    return services.create_study(account(f"owner@{slug}.example"), "Polis", slug=slug)


def counts_by_member(conversation: object) -> dict[int, tuple[int, int, int]]:
    numbers = dict(conversation.members.values_list("participant_id", "number"))  # type: ignore[attr-defined]
    tally: dict[int, Counter[int]] = {}
    for pid, value in CurrentVote.objects.filter(conversation=conversation).values_list(
        "participant_id", "value"
    ):
        tally.setdefault(numbers[pid], Counter())[value] += 1
    return {n: (sum(c.values()), c[1], c[-1]) for n, c in tally.items()}


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_imported_counts_equal_participants_votes(shared_polis: Path, name: str) -> None:
    folder = shared_polis / name
    conversation = import_polis(folder, fresh_study())
    ours = counts_by_member(conversation)
    with (folder / "participants-votes.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows
    for row in rows:
        expected = (int(row["n-votes"]), int(row["n-agree"]), int(row["n-disagree"]))
        assert ours.get(int(row["participant"]), (0, 0, 0)) == expected, row["participant"]


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_import_export_import_is_lossless(shared_polis: Path, name: str, tmp_path: Path) -> None:
    first = import_polis(shared_polis / name, fresh_study("one"))
    export_polis(first, tmp_path / "a")
    second = import_polis(tmp_path / "a", fresh_study("two"))
    export_polis(second, tmp_path / "b")
    for file in ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv"):
        a = (tmp_path / "a" / file).read_text(encoding="utf-8")
        b = (tmp_path / "b" / file).read_text(encoding="utf-8").replace(second.code, first.code)
        assert a == b, file
    assert counts_by_member(first) == counts_by_member(second)
    original = read_export(shared_polis / name)
    assert [c.body for c in original.comments] == list(
        Statement.objects.filter(conversation=second)
        .order_by("number")
        .values_list("text", flat=True)
    )


def test_a_zip_imports_like_a_folder(shared_polis: Path, tmp_path: Path) -> None:
    folder = shared_polis / "brexit-consensus"
    archive = tmp_path / "brexit.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for file in folder.glob("*.csv"):
            z.write(file, f"brexit-consensus/{file.name}")
    conversation = import_polis(archive, fresh_study())
    assert conversation.question == "Can there be consensus on Brexit?"
    assert conversation.statements.count() == 50


def test_participants_votes_stand_in_for_a_missing_votes_csv(
    shared_polis: Path, tmp_path: Path
) -> None:
    folder = shared_polis / "brexit-consensus"
    for name in ("comments.csv", "participants-votes.csv", "summary.csv"):
        (tmp_path / name).write_bytes((folder / name).read_bytes())
    conversation = import_polis(tmp_path, fresh_study())
    with (folder / "participants-votes.csv").open(encoding="utf-8") as f:
        expected = {int(r["participant"]): int(r["n-votes"]) for r in csv.DictReader(f)}
    got = {n: c[0] for n, c in counts_by_member(conversation).items()}
    assert {k: v for k, v in expected.items() if v} == got


def write(folder: Path, **files: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name.replace("_", "-").replace("-csv", ".csv")
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return folder


COMMENTS = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
VOTES = "timestamp,datetime,comment-id,voter-id,vote\n"


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"votes_csv": VOTES}, "has no comments.csv"),
        ({"comments_csv": "id,text\n1,hello\n", "votes_csv": VOTES}, "no column 'comment-id'"),
        (
            {"comments_csv": COMMENTS + "1,x,zero,0,0,0,1,Hi\n", "votes_csv": VOTES},
            "line 2, column 'comment-id'",
        ),
        (
            {"comments_csv": COMMENTS + "1,x,1,0,0,0,7,Hi\n", "votes_csv": VOTES},
            "'moderated': must be -1, 0 or 1",
        ),
        (
            {
                "comments_csv": COMMENTS + "1,x,1,0,0,0,1,Hi\n1,x,1,0,0,0,1,Again\n",
                "votes_csv": VOTES,
            },
            "line 3: comment-id 1 appears twice",
        ),
        (
            {"comments_csv": COMMENTS + "1,x,1,0,0,0,1,Hi\n", "votes_csv": VOTES + "1,x,2,0,1\n"},
            "comment-id 2 is not in comments.csv",
        ),
        (
            {"comments_csv": COMMENTS + "1,x,1,0,0,0,1,Hi\n", "votes_csv": VOTES + "1,x,1,0,5\n"},
            "'vote': must be -1, 0 or 1",
        ),
        (
            {"comments_csv": COMMENTS + "1,x,1,0,0,0,1,Hi\n"},
            "neither votes.csv nor participants-votes.csv",
        ),
        (
            {"comments_csv": COMMENTS.encode() + b"1,x,1,0,0,0,1,caf\xe9\n", "votes_csv": VOTES},
            "line 2: the file is not UTF-8",
        ),
        (
            {
                "comments_csv": COMMENTS + '1,x,1,0,0,0,1,"' + "x" * 200_000 + '"\n',
                "votes_csv": VOTES,
            },
            "comments.csv, line",
        ),
    ],
)
def test_bad_polis_files_name_the_row_and_import_nothing(
    tmp_path: Path, files: dict[str, str | bytes], message: str
) -> None:
    study = fresh_study()
    with pytest.raises(InvalidInput, match=message):
        import_polis(write(tmp_path / "export", **files), study)
    assert not study.conversations.exists()  # type: ignore[attr-defined]


def test_a_byte_order_mark_is_fine(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "bom",
        comments_csv="\ufeff" + COMMENTS + "1,x,1,0,0,0,1,<b>Hi</b> there\n",
        votes_csv="\ufeff" + VOTES + "1,x,1,0,1\n2,x,1,0,-1\n",
    )
    conversation = import_polis(folder, fresh_study())
    assert counts_by_member(conversation) == {0: (1, 0, 1)}


def test_formula_statements_are_text_in_the_export_and_come_back_as_written(
    tmp_path: Path,
) -> None:
    folder = write(
        tmp_path / "formulas",
        comments_csv=COMMENTS
        + '1,x,1,0,0,0,1,"=HYPERLINK(""http://x.example"",""Click"")"\n'
        + "2,x,2,0,0,0,1,@SUM(1+1)\n"
        + "3,x,3,0,0,0,1,-2 is what I would give it\n",
        votes_csv=VOTES + "1,x,1,0,1\n1,x,2,0,-1\n1,x,3,1,-1\n",
    )
    conversation = import_polis(folder, fresh_study())
    written = export_polis(conversation, tmp_path / "out")
    with (written / "comments.csv").open(encoding="utf-8", newline="") as f:
        bodies = [row["comment-body"] for row in csv.DictReader(f)]
    assert bodies == [
        '\'=HYPERLINK("http://x.example","Click")',
        "'@SUM(1+1)",
        "'-2 is what I would give it",
    ]
    with (written / "votes.csv").open(encoding="utf-8", newline="") as f:
        assert "-1" in {row["vote"] for row in csv.DictReader(f)}  # numbers stay numbers
    again = import_polis(written, fresh_study("again"))
    assert list(again.statements.order_by("number").values_list("text", flat=True)) == [
        '=HYPERLINK("http://x.example","Click")',
        "@SUM(1+1)",
        "-2 is what I would give it",
    ]
