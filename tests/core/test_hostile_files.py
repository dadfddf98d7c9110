"""Hostile files to every reader: one sentence, never a traceback (issue 20)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from coproduce.core.errors import InvalidInput
from coproduce.core.formats.polis import read_export
from coproduce.core.formats.refi_qda import read_codebook
from coproduce.core.formats.transcripts import TranscriptError, read_transcript
from tests.support.files import word_file


def rewritten(docx: bytes, part: str, body: bytes) -> bytes:
    """The Word file with one part replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, body if item.filename == part else source.read(item))
    return out.getvalue()


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x "y">]><w:document/>', "DTD"),
        (b"this is not XML at all", "could not be opened as a Word document"),
        (b"<unclosed>", "could not be opened as a Word document"),
    ],
)
def test_a_word_transcript_with_a_dtd_or_no_xml_is_refused(body: bytes, says: str) -> None:
    data = rewritten(word_file(["Ann: Hello.", "Bo: Hi."]), "word/document.xml", body)
    with pytest.raises(TranscriptError, match=says):
        read_transcript("interview.docx", data, speakers=True)


def test_a_transcript_with_a_thousand_speakers_is_refused() -> None:
    text = "\n".join(f"Speaker{n}: line {n}." for n in range(1100)).encode()
    with pytest.raises(TranscriptError, match="1,100 different speakers"):
        read_transcript("interview.txt", text, speakers=True)
    assert len(read_transcript("ok.txt", b"Ann: Hi.\nBo: Hello.", speakers=True).turns) == 2


def test_a_codebook_nested_thousands_deep_is_refused() -> None:
    ns = "urn:QDA-XML:codebook:1.0"
    opening = "".join(
        f'<Code guid="{n:08d}-0000-0000-0000-000000000000" name="c{n}" isCodable="true">'
        for n in range(5000)
    )
    closing = "</Code>" * 5000
    xml = (
        f'<?xml version="1.0"?><CodeBook xmlns="{ns}"><Codes>{opening}{closing}</Codes></CodeBook>'
    )
    with pytest.raises(InvalidInput, match="more than 30 levels deep"):
        read_codebook(xml.encode(), source="deep.qdc")


def test_a_polis_zip_with_wrong_declared_sizes_is_refused(tmp_path: Path) -> None:
    good = tmp_path / "good.zip"
    with zipfile.ZipFile(good, "w", zipfile.ZIP_DEFLATED) as z:
        header = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body"
        z.writestr(
            "comments.csv",
            header + "\n" + "1,x,0,0,0,0,1,Hello there\n" * 200,
        )
        z.writestr("votes.csv", "timestamp,datetime,comment-id,voter-id,vote\n1,x,0,0,1\n")
    data = bytearray(good.read_bytes())
    # Lie about the first file's sizes in its central directory entry (offset 24: size).
    central = data.rfind(b"PK\x01\x02", 0, len(data))
    first_central = data.find(b"PK\x01\x02")
    for at in {first_central, central}:
        data[at + 24 : at + 28] = (5).to_bytes(4, "little")
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(data))
    with pytest.raises(InvalidInput, match="cannot be read"):
        read_export(damaged)
