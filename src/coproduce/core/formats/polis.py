"""Reading and writing Polis conversation exports (CSV), with no database involved.

Formats from ../shared/design/polis-math.md ("Exports"). Every problem is reported with the
file, the row (line number) and the field, and nothing is half-read.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from coproduce.core.errors import InvalidInput
from coproduce.core.files import DAMAGED_ZIP
from coproduce.core.formats.spreadsheet import restored
from coproduce.core.text import storable

MAX_FIELD = 100_000  # characters; Polis statements are short, so more than this is damage
MAX_FILE = 512 * 1024 * 1024
COMMENT_COLUMNS = ("comment-id", "author-id", "moderated", "comment-body")
VOTE_COLUMNS = ("timestamp", "comment-id", "voter-id", "vote")
PV_FIXED = ("participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")


@dataclass(frozen=True)
class PolisComment:
    comment_id: int
    author_id: int
    moderated: int
    body: str
    timestamp_ms: int | None = None
    is_meta: bool = False
    is_seed: bool = False


class PolisVote(NamedTuple):
    """One row of votes.csv (a tuple: a large export has millions)."""

    timestamp_ms: int | None
    comment_id: int
    voter_id: int
    vote: int


@dataclass(frozen=True)
class PolisParticipantRow:
    participant: int
    xid: str | None
    group_id: int | None
    n_comments: int
    n_votes: int
    n_agree: int
    n_disagree: int
    votes: dict[int, int]


@dataclass
class PolisExport:
    comments: list[PolisComment]
    votes: list[PolisVote]
    participants: list[PolisParticipantRow] = field(default_factory=list)
    summary: dict[str, str] = field(default_factory=dict)
    votes_from_matrix: bool = False

    @property
    def topic(self) -> str:
        return self.summary.get("topic", "").strip()


class Source:
    """A Polis export directory or zip file, read file by file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        if path.is_file():
            try:
                self.zip = zipfile.ZipFile(path)
            except zipfile.BadZipFile:
                raise InvalidInput(
                    f"{path} is neither a folder nor a zip file of a Polis export; "
                    "give the folder holding comments.csv and votes.csv, or its zip."
                ) from None
        elif not path.is_dir():
            raise InvalidInput(f"There is no Polis export at {path}; check the path.")

    def names(self) -> dict[str, str]:
        """Export file names (comments.csv, ...) to where they are, even inside a subfolder."""
        if self.zip is not None:
            found = {}
            for info in self.zip.infolist():
                base = info.filename.rsplit("/", 1)[-1]
                if base.endswith(".csv") and base not in found:
                    if info.file_size > MAX_FILE:
                        raise InvalidInput(f"{self.path}: {info.filename} is too large to import.")
                    found[base] = info.filename
            return found
        return {p.name: str(p) for p in self.path.glob("*.csv")}

    def text(self, where: str, name: str) -> str:
        try:
            raw = self.zip.read(where) if self.zip is not None else Path(where).read_bytes()
        except DAMAGED_ZIP as error:
            raise InvalidInput(
                f"{self.path}: {name} cannot be read ({error}); the zip file is damaged,"
                " download or zip the export again."
            ) from None
        try:
            return storable(raw.decode("utf-8-sig"), name)
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            raise InvalidInput(
                f"{name}, line {line}: the file is not UTF-8 text; save it as UTF-8 and try again."
            ) from None


def rows(text: str, name: str, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Each data row with its line number, after checking the header has the columns needed."""
    csv.field_size_limit(MAX_FIELD)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [c for c in required if c not in header]
    if missing:
        raise InvalidInput(
            f"{name}: the header has no column {missing[0]!r}; a Polis export's {name} starts "
            f"with {', '.join(required)}."
        )
    try:
        for row in reader:
            if None in row:
                raise InvalidInput(f"{name}, line {reader.line_num}: more fields than columns.")
            yield reader.line_num, row
    except csv.Error as error:
        raise InvalidInput(f"{name}, line {reader.line_num}: {error}.") from None


def integer(
    value: str | None, name: str, line: int, column: str, blank_ok: bool = False
) -> int | None:
    text = (value or "").strip()
    if text == "" and blank_ok:
        return None
    try:
        return int(text)
    except ValueError:
        raise InvalidInput(
            f"{name}, line {line}, column {column!r}: {text[:40]!r} is not a whole number."
        ) from None


def required_int(value: str | None, name: str, line: int, column: str) -> int:
    number = integer(value, name, line, column)
    assert number is not None
    return number


def flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "t", "yes"}


def read_comments(text: str) -> list[PolisComment]:
    name = "comments.csv"
    comments: dict[int, PolisComment] = {}
    for line, row in rows(text, name, COMMENT_COLUMNS):
        cid = required_int(row["comment-id"], name, line, "comment-id")
        if cid in comments:
            raise InvalidInput(f"{name}, line {line}: comment-id {cid} appears twice.")
        moderated = required_int(row["moderated"], name, line, "moderated")
        if moderated not in (-1, 0, 1):
            raise InvalidInput(f"{name}, line {line}, column 'moderated': must be -1, 0 or 1.")
        comments[cid] = PolisComment(
            comment_id=cid,
            author_id=required_int(row["author-id"], name, line, "author-id"),
            moderated=moderated,
            body=restored(row["comment-body"] or ""),
            timestamp_ms=integer(row.get("timestamp"), name, line, "timestamp", blank_ok=True),
            is_meta=flag(row.get("is-meta")),
            is_seed=flag(row.get("is-seed")),
        )
    return sorted(comments.values(), key=lambda c: c.comment_id)


def read_votes(text: str, known: set[int]) -> list[PolisVote]:
    """Every vote, checked. Read by column position: a large export has millions of votes, and
    building a dictionary per row would take most of an import's time; a row that does not
    read plainly is read again the slow way, which names what is wrong with it."""
    name = "votes.csv"
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""))
    votes = []
    try:
        header = next(reader, [])
        missing = [c for c in VOTE_COLUMNS if c not in header]
        if missing:
            raise InvalidInput(
                f"{name}: the header has no column {missing[0]!r}; a Polis export's {name}"
                f" starts with {', '.join(VOTE_COLUMNS)}."
            )
        fields = itemgetter(*(header.index(c) for c in VOTE_COLUMNS))
        width = len(header)
        values = {-1, 0, 1}
        for row in reader:
            if not row:
                continue  # a blank line, as DictReader skips it
            try:
                if len(row) > width:
                    raise ValueError
                stamp, cid, voter, value = fields(row)
                vote = PolisVote(int(stamp) if stamp else None, int(cid), int(voter), int(value))
            except (ValueError, IndexError):
                vote = _slow_vote(row, header, reader.line_num)
            if vote.comment_id not in known or vote.vote not in values:
                _refuse_vote(vote, known, reader.line_num)
            votes.append(vote)
    except csv.Error as error:
        raise InvalidInput(f"{name}, line {reader.line_num}: {error}.") from None
    return votes


def _refuse_vote(vote: PolisVote, known: set[int], line: int) -> None:
    if vote.comment_id not in known:
        raise InvalidInput(
            f"votes.csv, line {line}: comment-id {vote.comment_id} is not in comments.csv."
        )
    raise InvalidInput(f"votes.csv, line {line}, column 'vote': must be -1, 0 or 1.")


def _slow_vote(row: list[str], header: list[str], line: int) -> PolisVote:
    """One row of votes.csv read field by field, refusing it with the sentence that fits."""
    name = "votes.csv"
    if len(row) > len(header):
        raise InvalidInput(f"{name}, line {line}: more fields than columns.")
    field = dict(zip(header, row, strict=False))
    return PolisVote(
        timestamp_ms=integer(field.get("timestamp"), name, line, "timestamp", blank_ok=True),
        comment_id=required_int(field.get("comment-id"), name, line, "comment-id"),
        voter_id=required_int(field.get("voter-id"), name, line, "voter-id"),
        vote=required_int(field.get("vote"), name, line, "vote"),
    )


def read_participants(text: str, known: set[int]) -> list[PolisParticipantRow]:
    name = "participants-votes.csv"
    result = []
    for line, row in rows(text, name, PV_FIXED):
        votes: dict[int, int] = {}
        for column, cell in row.items():
            if column in PV_FIXED or column == "xid" or not (cell or "").strip():
                continue
            cid = integer(column, name, 1, column)
            assert cid is not None
            if cid not in known:
                raise InvalidInput(
                    f"{name}: column {column!r} is not a comment-id in comments.csv."
                )
            value = required_int(cell, name, line, column)
            if value not in (-1, 0, 1):
                raise InvalidInput(f"{name}, line {line}, column {column!r}: must be -1, 0 or 1.")
            votes[cid] = value

        def number(column: str, row: dict[str, str] = row, line: int = line) -> int:
            return required_int(row[column], name, line, column)

        result.append(
            PolisParticipantRow(
                participant=number("participant"),
                xid=restored((row.get("xid") or "").strip()) or None,
                group_id=integer(row["group-id"], name, line, "group-id", blank_ok=True),
                n_comments=number("n-comments"),
                n_votes=number("n-votes"),
                n_agree=number("n-agree"),
                n_disagree=number("n-disagree"),
                votes=votes,
            )
        )
    return result


def read_summary(text: str) -> dict[str, str]:
    reader = csv.reader(io.StringIO(text, newline=""))
    return {r[0].strip(): restored(",".join(r[1:]).strip()) for r in reader if r}


def read_export(path: Path) -> PolisExport:
    """Read a Polis export directory or zip, checking every row."""
    source = Source(path)
    files = source.names()
    if "comments.csv" not in files:
        raise InvalidInput(f"{path} has no comments.csv, so it is not a Polis export.")
    comments = read_comments(source.text(files["comments.csv"], "comments.csv"))
    known = {c.comment_id for c in comments}
    participants = []
    if "participants-votes.csv" in files:
        pv_text = source.text(files["participants-votes.csv"], "participants-votes.csv")
        participants = read_participants(pv_text, known)
    if "votes.csv" in files:
        votes = read_votes(source.text(files["votes.csv"], "votes.csv"), known)
        from_matrix = False
    elif participants:
        votes = [
            PolisVote(None, cid, p.participant, value)
            for p in participants
            for cid, value in sorted(p.votes.items())
        ]
        from_matrix = True
    else:
        raise InvalidInput(
            f"{path} has neither votes.csv nor participants-votes.csv; export the votes too."
        )
    summary = {}
    if "summary.csv" in files:
        summary = read_summary(source.text(files["summary.csv"], "summary.csv"))
    return PolisExport(comments, votes, participants, summary, from_matrix)


def polis_datetime(moment: datetime) -> str:
    """Polis's human-readable time, in UTC."""
    return moment.astimezone(UTC).strftime("%a %b %d %H:%M:%S UTC %Y")


def to_ms(moment: datetime) -> int:
    return round(moment.timestamp() * 1000)


def from_ms(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)
