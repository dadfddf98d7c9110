"""Transcripts in, turns out: plain text, WebVTT, SubRip and Word files. Pure: no Django.

The kind of file is read from its content, never trusted from its name; a name that says one
thing while the content is another is refused with a sentence saying so. Timestamps are kept
(seconds from the start of the recording) and each turn knows where it sits in the joined text,
so coding and quotes can point at spans and the recording can be cued to them.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from coproduce.core.files import DAMAGED_ZIP
from coproduce.core.formats.safe_zip import oversized_member
from coproduce.core.text import unstorable

SPEAKER_LINE = re.compile(r"^\s*([A-Z][\w'\u2019. -]{0,40}?)\s*:\s+(\S.*)$")
TIMING = re.compile(
    r"^\s*(?:(\d{1,2}):)?(\d{2}):(\d{2})[.,](\d{3})\s+-->\s+"
    r"(?:(\d{1,2}):)?(\d{2}):(\d{2})[.,](\d{3})(?:\s+.*)?$"
)
# Anything that starts like a timestamp and has an arrow is meant as a cue timing.
TIMING_LIKE = re.compile(r"^\s*\d{1,2}:\d{2}[\d:.,]*\s*-+>|-->")
VOICE = re.compile(r"^<v(?:\.[\w.]+)?\s+([^>]+)>")
TAGS = re.compile(r"</?[^>]+>")
KIND_NAMES = {
    "text": "a plain text file",
    "vtt": "a WebVTT subtitle file",
    "srt": "a SubRip (.srt) subtitle file",
    "docx": "a Word document",
}
# A Word transcript unpacks to a few megabytes at most; far more is a damaged or crafted file.
WORD_MAX_UNPACKED = 64 * 1024 * 1024
WORD_MAX_RATIO = 200
SUFFIX_KINDS = {".txt": "text", ".text": "text", ".vtt": "vtt", ".srt": "srt", ".docx": "docx"}


# Far more than any interview or focus group has: more is a file read the wrong way.
MOST_SPEAKERS = 60


class TranscriptError(ValueError):
    """A transcript that cannot be read; the message is one sentence for the person."""


@dataclass(frozen=True)
class Turn:
    text: str
    speaker: str = ""
    start: float | None = None  # seconds into the recording
    end: float | None = None


@dataclass(frozen=True)
class Placed:
    """A turn and where its text sits in the transcript's joined text."""

    turn: Turn
    start_char: int
    end_char: int


@dataclass(frozen=True)
class Transcript:
    kind: str  # "text", "vtt", "srt" or "docx"
    turns: tuple[Turn, ...]

    def placed(self) -> tuple[str, tuple[Placed, ...]]:
        """The turns' texts joined by blank lines, and each turn's span in it."""
        pieces: list[str] = []
        spans: list[Placed] = []
        at = 0
        for turn in self.turns:
            if pieces:
                at += 2
            spans.append(Placed(turn, at, at + len(turn.text)))
            pieces.append(turn.text)
            at += len(turn.text)
        return "\n\n".join(pieces), tuple(spans)

    @property
    def text(self) -> str:
        return self.placed()[0]


def sniff(data: bytes) -> str:
    """What a transcript file is, from its first bytes and shape."""
    if data.startswith(b"PK\x03\x04"):
        return "docx" if is_word(data) else "zip"
    head = data[:4096].lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"WEBVTT"):
        return "vtt"
    if re.match(rb"\d+\s*\r?\n\s*\d{2}:\d{2}:\d{2},\d{3}\s+-->", head):
        return "srt"
    if b"\x00" in data[:4096]:
        return "binary"
    return "text"


def is_word(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def read_transcript(name: str, data: bytes, *, speakers: bool = False) -> Transcript:
    """Read a transcript file. With `speakers`, "Name: text" lines start turns (interviews);
    otherwise text becomes one turn per paragraph. Raises TranscriptError."""
    kind = sniff(data)
    if kind in ("zip", "binary"):
        raise TranscriptError(f"{name} is not a transcript: use a .txt, .vtt, .srt or .docx file.")
    claimed = SUFFIX_KINDS.get(PurePath(name).suffix.lower())
    if claimed is not None and claimed != kind and not (claimed == "text" and kind != "docx"):
        raise TranscriptError(
            f"{name} is {KIND_NAMES[kind]}, not {KIND_NAMES[claimed]}: "
            "rename it or choose the right file."
        )
    if kind == "docx":
        paragraphs = word_paragraphs(name, data)
        turns = speaker_turns(paragraphs) if speakers else [Turn(p) for p in paragraphs]
    else:
        text = decode(name, data)
        if kind in ("vtt", "srt"):
            turns = cue_turns(name, text, kind)
        else:
            paragraphs = [p for p in re.split(r"\n\s*\n", normalise(text)) if p.strip()]
            lines = [line for line in normalise(text).split("\n") if line.strip()]
            turns = speaker_turns(lines) if speakers else [Turn(tidy(p)) for p in paragraphs]
    turns = [t for t in turns if t.text]
    if not turns:
        raise TranscriptError(f"{name} has no text in it; check that it is the right file.")
    voices = {t.speaker for t in turns if t.speaker}
    if speakers and len(voices) > MOST_SPEAKERS:
        raise TranscriptError(
            f"{name} has {len(voices):,} different speakers; an interview has at most"
            f" {MOST_SPEAKERS}. Check that each turn starts with the speaker's name and a colon,"
            " and that other lines do not."
        )
    return Transcript(kind, tuple(turns))


def decode(name: str, data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TranscriptError(
            f"{name} is not UTF-8 text (byte {error.start + 1} is not valid): "
            "save it as UTF-8 and try again."
        ) from None
    found = unstorable(text)
    if found is not None:
        raise TranscriptError(f"{name} holds {found}, which is not text; save it as UTF-8 text.")
    return text


def normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def tidy(text: str) -> str:
    return " ".join(text.split())


# A damaged .docx: the zip's errors, a missing part, or (lxml's SyntaxError) a part not XML.
WORD_DAMAGED: tuple[type[Exception], ...] = (*DAMAGED_ZIP, KeyError, SyntaxError)


def word_paragraphs(name: str, data: bytes) -> list[str]:
    try:
        return _word_paragraphs(name, data)
    except TranscriptError:
        raise
    except WORD_DAMAGED as error:
        raise TranscriptError(
            f"{name} could not be opened as a Word document ({type(error).__name__}); "
            "save it again from Word as .docx."
        ) from None


def _word_paragraphs(name: str, data: bytes) -> list[str]:
    import docx  # python-docx
    from docx.opc.exceptions import PackageNotFoundError

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        too_big = oversized_member(
            archive,
            max_member=WORD_MAX_UNPACKED,
            max_total=WORD_MAX_UNPACKED,
            max_ratio=WORD_MAX_RATIO,
        )
        if too_big is not None:
            raise TranscriptError(
                f"{name} unpacks to far more than a Word transcript does ({too_big.filename});"
                " it is damaged or not a real document: save it again from Word."
            )
        parts = [n for n in archive.namelist() if n.endswith(".xml") or n.endswith(".rels")]
        declares = next((n for n in parts if b"<!DOCTYPE" in archive.read(n)[:4096]), None)
    if declares is not None:
        raise TranscriptError(
            f"{name} declares a DTD in {declares}, which Word never writes and Coproduce never"
            " reads; save the document again from Word as .docx."
        )
    try:
        document = docx.Document(io.BytesIO(data))
    except PackageNotFoundError as error:
        raise TranscriptError(
            f"{name} could not be opened as a Word document ({error}); "
            "save it again from Word as .docx."
        ) from None
    texts = [tidy(p.text) for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts.extend(tidy(cell.text) for cell in row.cells)
    return [t for t in texts if t]


def speaker_turns(lines: list[str]) -> list[Turn]:
    """ "Name: text" lines start a turn; other lines continue the current one."""
    turns: list[Turn] = []
    for line in lines:
        found = SPEAKER_LINE.match(line)
        if found:
            turns.append(Turn(tidy(found.group(2)), speaker=tidy(found.group(1))))
        elif turns:
            last = turns[-1]
            turns[-1] = Turn(tidy(f"{last.text} {line}"), last.speaker, last.start, last.end)
        else:
            turns.append(Turn(tidy(line)))
    return turns


def seconds(hours: str | None, minutes: str, secs: str, millis: str) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(secs) + int(millis) / 1000


def cue_turns(name: str, text: str, kind: str) -> list[Turn]:
    """Cues of a WebVTT or SubRip file, checked line by line so that a broken cue is named.

    webvtt-py (used to read voices and tags) skips cues it cannot read; here every line with an
    arrow must be a valid timing, each cue must have text, and end after it starts.
    """
    import webvtt

    lines = normalise(text).split("\n")
    checked: list[tuple[int, float, float, list[str]]] = []
    i = 1 if kind == "vtt" else 0
    while i < len(lines):
        line = lines[i]
        if not TIMING_LIKE.search(line):
            i += 1
            continue
        timing = TIMING.match(line)
        if timing is None:
            raise TranscriptError(
                f"{name}, line {i + 1}: {line.strip()!r} is not a cue timing "
                "(it should look like 00:01:02.000 --> 00:01:05.000); correct it and try again."
            )
        g = timing.groups()
        start, end = seconds(*g[:4]), seconds(*g[4:])
        if end < start:
            raise TranscriptError(
                f"{name}, line {i + 1}: the cue ends before it starts; correct its timing."
            )
        body: list[str] = []
        i += 1
        while i < len(lines) and lines[i].strip() and not TIMING_LIKE.search(lines[i]):
            body.append(lines[i])
            i += 1
        if kind == "srt" and body and body[-1].strip().isdigit() and i < len(lines):
            body.pop()  # the next cue's number, when cues are not separated by a blank line
        if not any(b.strip() for b in body):
            raise TranscriptError(
                f"{name}, line {i}: the cue starting at {line.split('-->')[0].strip()} has no "
                "text; add its words or remove it."
            )
        checked.append((i, start, end, body))
    if not checked:
        raise TranscriptError(f"{name} has no cues in it; check that it is the right file.")
    try:
        parsed = list(webvtt.from_buffer(io.StringIO(text), format=kind).captions)
    except Exception as error:  # webvtt-py's own errors: the file as a whole is malformed
        raise TranscriptError(f"{name} is not a valid {KIND_NAMES[kind]} ({error}).") from None
    voices = [c.voice for c in parsed] if len(parsed) == len(checked) else [None] * len(checked)
    turns = []
    for (_, start, end, body), voice in zip(checked, voices, strict=True):
        raw = " ".join(b.strip() for b in body)
        found = VOICE.match(raw)
        speaker = voice or (found.group(1).strip() if found else "")
        words = tidy(TAGS.sub("", raw))
        labelled = SPEAKER_LINE.match(words)
        if not speaker and labelled:
            speaker, words = tidy(labelled.group(1)), tidy(labelled.group(2))
        turns.append(Turn(words, speaker=speaker, start=start, end=end))
    return turns
