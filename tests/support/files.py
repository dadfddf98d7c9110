"""Real files for tests: transcripts, a Word document, a WAV recording, CSV rows, zips."""

from __future__ import annotations

import io
import wave
import zipfile
from pathlib import Path

VTT = b"""WEBVTT

00:00:01.000 --> 00:00:04.500
<v Amira>I started volunteering after my own recovery.

00:00:05.000 --> 00:00:09.250
<v Interviewer>What made the difference?

00:00:10.000 --> 00:00:14.000
Being asked, not told.
"""

# A joint interview as a plain-text transcript, speaker by speaker.
TRANSCRIPT = b"""Interviewer: What is the example?

Angela: Members run the shop and decide what it stocks.
We have done it for three years.

Dev: We actually decide things, and then we see them happen.

Interviewer: What helped?

Angela: Paying people for their time, properly and on time.
"""

# Personal data of every kind the check looks for, all invented.
PLANTED = (
    "My name is Josie Wren and my son Tyler goes to Mrs Patel's class. Call me on "
    "07700 900123 or email josie.wren@example.org. We live at 14 Elm Grove Road, "
    "Manchester M14 5TQ. I was born on 12/03/1984. Sarah Jones from the council helped. "
    "It cost 250 pounds in 2019 and 12 people came."
)

# Two stories in the story CSV import's columns.
STORIES_CSV = (
    "type,story,consent,role,sectors,feeling,tags\n"
    "snapshot,We were listened to.,publish,lived_experience,Housing;Education,positive,listening\n"
    "monologue,It took months to get a reply.,quote,practitioner,Local authorities,negative,\n"
)


def word_file(paragraphs: list[str]) -> bytes:
    """A real .docx with these paragraphs."""
    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def recording(seconds: float = 0.2) -> bytes:
    """A real WAV file: silence at 8 kHz."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x00" * int(8000 * seconds))
    return out.getvalue()


def make_zip(path: Path, files: dict[str, str | bytes]) -> Path:
    """A zip at path holding these files."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return path


def png(width: int = 120, height: int = 60) -> bytes:
    """A real PNG image of one colour."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (0, 89, 79)).save(out, format="PNG")
    return out.getvalue()


PNG = png()
