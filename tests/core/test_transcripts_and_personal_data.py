"""Transcript reading (plain text, WebVTT, SubRip, Word) and the personal-data check. Pure."""

from __future__ import annotations

import io
import zipfile

import pytest

from coproduce.core.formats.transcripts import TranscriptError, read_transcript, sniff
from coproduce.core.personal_data import find_personal_data, redact
from tests.support.files import PLANTED, VTT, word_file

SRT = b"""1
00:00:01,000 --> 00:00:03,000
We met in the library.

2
00:00:04,000 --> 00:00:06,500
Nobody wore a lanyard.
"""


def word_bomb() -> bytes:
    """A .docx-shaped zip whose document unpacks to 80 MB from a few kilobytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:t>" + b" " * (80 * 1024 * 1024))
    return out.getvalue()


def test_a_word_file_that_unpacks_to_far_too_much_is_refused() -> None:
    with pytest.raises(TranscriptError, match="unpacks to far more than a Word transcript"):
        read_transcript("bomb.docx", word_bomb())


def test_webvtt_keeps_timestamps_and_voices() -> None:
    transcript = read_transcript("story.vtt", VTT)
    assert transcript.kind == "vtt"
    assert [(t.speaker, t.start, t.end) for t in transcript.turns] == [
        ("Amira", 1.0, 4.5),
        ("Interviewer", 5.0, 9.25),
        ("", 10.0, 14.0),
    ]
    text, placed = transcript.placed()
    assert text.startswith("I started volunteering")
    for p in placed:
        assert text[p.start_char : p.end_char] == p.turn.text


def test_subrip_is_read_with_its_timings() -> None:
    transcript = read_transcript("story.srt", SRT)
    assert [(t.text, t.start) for t in transcript.turns] == [
        ("We met in the library.", 1.0),
        ("Nobody wore a lanyard.", 4.0),
    ]


def test_plain_text_with_speakers_and_continuation_lines() -> None:
    data = b"Sam: We tried it.\nIt took a year.\n\nJo: And then it worked.\n"
    transcript = read_transcript("interview.txt", data, speakers=True)
    assert [(t.speaker, t.text) for t in transcript.turns] == [
        ("Sam", "We tried it. It took a year."),
        ("Jo", "And then it worked."),
    ]


def test_word_documents_are_read_paragraph_by_paragraph() -> None:
    data = word_file(["Manager: We share the budget.", "", "Member: They really do."])
    assert sniff(data) == "docx"
    transcript = read_transcript("interview.docx", data, speakers=True)
    assert [(t.speaker, t.text) for t in transcript.turns] == [
        ("Manager", "We share the budget."),
        ("Member", "They really do."),
    ]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.vtt", b"WEBVTT\n\n00:00:01.000 -> 00:00:02.000\nHi\n", "line 3"),
        ("a.vtt", b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\n", "has no text"),
        ("a.vtt", b"WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nHi\n", "ends before it starts"),
        ("a.vtt", b"WEBVTT\n\n", "has no cues"),
        ("a.docx", word_file([]), "has no text"),
        ("a.docx", b"PK\x03\x04 not really a zip", "not a transcript"),
        ("a.txt", b"   \n\n  ", "has no text"),
        ("a.txt", b"caf\xe9", "not UTF-8"),
        ("a.vtt", word_file(["Hello"]), "is a Word document, not a WebVTT"),
        ("a.docx", b"Just words", "is a plain text file, not a Word document"),
        ("a.txt", b"\x00\x01\x02binary", "not a transcript"),
    ],
)
def test_bad_transcripts_get_one_clear_sentence(name: str, data: bytes, message: str) -> None:
    with pytest.raises(TranscriptError) as error:
        read_transcript(name, data)
    text = str(error.value)
    assert message in text and name in text and "\n" not in text


def test_planted_personal_data_is_found() -> None:
    hits = {(h.kind, h.text) for h in find_personal_data(PLANTED)}
    assert hits == {
        ("name", "Josie Wren"),
        ("name", "Tyler"),
        ("name", "Patel"),
        ("phone", "07700 900123"),
        ("email", "josie.wren@example.org"),
        ("address", "14 Elm Grove Road"),
        ("postcode", "M14 5TQ"),
        ("date_of_birth", "12/03/1984"),
        ("name", "Sarah Jones"),
    }


def test_ordinary_text_has_no_hits() -> None:
    text = (
        "The group met every week in the community centre. People said being paid for their "
        "time mattered, and that the council listened more in 2023 than before."
    )
    assert find_personal_data(text) == []


def test_redaction_keeps_quote_spans_valid() -> None:
    hits = find_personal_data(PLANTED)
    redacted = redact(PLANTED, [(h.start, h.end, h.kind) for h in hits])
    assert "Josie" not in redacted.text and "M14 5TQ" not in redacted.text
    assert "[name]" in redacted.text and "[postcode]" in redacted.text
    # A quote marked on the original, before or after redaction, maps onto the redacted text.
    quote = "from the council helped"
    start = PLANTED.index(quote)
    a, b = redacted.span(start, start + len(quote))
    assert redacted.text[a:b] == quote
    # A quote that includes a redacted name shows the placeholder in its place.
    whole = PLANTED.index("Sarah Jones from")
    a, b = redacted.span(whole, whole + len("Sarah Jones from"))
    assert redacted.text[a:b] == "[name] from"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "Ich heiße Anna Becker und wohne in Graz. Mein Sohn heißt Lukas.",
            ["Anna Becker", "Lukas"],
        ),
        ("Je m'appelle Camille Dubois, ma fille Léa va à l'école.", ["Camille Dubois", "Léa"]),
        ("Me llamo Lucía García y mi hijo se llama Mateo.", ["Lucía García", "Mateo"]),
        ("Fy enw i yw Gareth Jones ac mae fy merch Elin yn yr ysgol.", ["Gareth Jones", "Elin"]),
        ("Die Regierung muss mehr Busse für Arbeiter bereitstellen und Mieten senken.", []),
    ],
)
def test_names_are_found_as_the_text_language_introduces_them(text: str, names: list[str]) -> None:
    from coproduce.core.personal_data import find_personal_data

    assert [h.text for h in find_personal_data(text) if h.kind == "name"] == names
