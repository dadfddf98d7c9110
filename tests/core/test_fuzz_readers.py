"""Every file reader, fed random and mangled input by hypothesis with a fixed budget: it answers
with its one-sentence error (a CoproduceError or TranscriptError), never anything else
(issue 20). Mangled inputs start from real, valid files so the fuzzing reaches deep."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coproduce.core.errors import CoproduceError
from coproduce.core.formats.polis import read_comments, read_export, read_summary, read_votes
from coproduce.core.formats.refi_qda import read_codebook, read_project
from coproduce.core.formats.transcripts import TranscriptError, read_transcript
from tests.support.files import word_file

BUDGET = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
ALLOWED = (CoproduceError, TranscriptError)

COMMENTS = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    "1,Mon,0,0,1,0,1,Buses at night\n1,Mon,1,1,0,1,0,Trams\n"
)
VOTES = "timestamp,datetime,comment-id,voter-id,vote\n1,Mon,0,0,1\n1,Mon,1,0,-1\n"
VTT = (
    b"WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Ann>Hello there.\n\n"
    b"00:00:04.000 --> 00:00:05.500\n<v Bo>Hi.\n"
)
SRT = (
    b"1\n00:00:01,000 --> 00:00:03,000\nAnn: Hello there.\n\n"
    b"2\n00:00:04,000 --> 00:00:05,500\nBo: Hi.\n"
)
QDC = (
    b'<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
    b'<Code guid="11111111-1111-1111-1111-111111111111" name="Transport" isCodable="true">'
    b'<Code guid="22222222-2222-2222-2222-222222222222" name="Buses" isCodable="true"/></Code>'
    b"</Codes></CodeBook>"
)


def mangled(seed: bytes) -> st.SearchStrategy[bytes]:
    """The seed with bytes replaced, cut, repeated or spliced with random bytes."""
    return st.one_of(
        st.binary(max_size=600),
        st.tuples(st.integers(0, len(seed)), st.binary(max_size=40)).map(
            lambda cut: seed[: cut[0]] + cut[1] + seed[cut[0] :]
        ),
        st.tuples(st.integers(0, len(seed)), st.integers(0, len(seed))).map(
            lambda span: seed[: min(span)] + seed[max(span) :]
        ),
        st.tuples(st.integers(0, max(0, len(seed) - 1)), st.integers(0, 255)).map(
            lambda hit: seed[: hit[0]] + bytes([hit[1]]) + seed[hit[0] + 1 :]
        ),
    )


def survives(call, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
    try:
        call(*args, **kwargs)
    except ALLOWED as error:
        assert str(error).strip(), "an error with no sentence"


@BUDGET
@given(mangled(COMMENTS.encode()), mangled(VOTES.encode()))
def test_polis_csv_readers(comments: bytes, votes: bytes) -> None:
    text = comments.decode("utf-8", "replace")
    survives(read_comments, text)
    survives(read_votes, votes.decode("utf-8", "replace"), {0, 1})
    survives(read_summary, text)


@BUDGET
@given(mangled(COMMENTS.encode()), mangled(VOTES.encode()), st.booleans())
def test_polis_exports_as_zips(comments: bytes, votes: bytes, compress: bool) -> None:
    out = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(out, "w", method) as z:
        z.writestr("comments.csv", comments)
        z.writestr("votes.csv", votes)
    raw = out.getvalue()
    for data in (raw, raw[: len(raw) // 2], raw[:-7] + b"\x00" * 7):
        path = Path(f"/tmp/fuzz-polis-{id(data)}.zip")
        path.write_bytes(data)
        try:
            survives(read_export, path)
        finally:
            path.unlink(missing_ok=True)


@BUDGET
@given(
    st.sampled_from(["interview.txt", "interview.vtt", "interview.srt", "interview.docx", "x"]),
    st.one_of(mangled(VTT), mangled(SRT), mangled(b"Ann: Hello.\nBo: Hi.\n")),
    st.booleans(),
)
def test_transcript_readers(name: str, data: bytes, speakers: bool) -> None:
    survives(read_transcript, name, data, speakers=speakers)


WORD = word_file(["Ann: Hello there.", "Bo: Hi."])


@settings(max_examples=60, deadline=None)
@given(mangled(WORD))
def test_word_transcripts(data: bytes) -> None:
    survives(read_transcript, "interview.docx", data, speakers=True)


@BUDGET
@given(mangled(QDC))
def test_codebooks(data: bytes) -> None:
    survives(read_codebook, data, source="codes.qdc")


@BUDGET
@given(mangled(QDC), st.booleans())
def test_projects(data: bytes, valid_zip: bool) -> None:
    if valid_zip:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("project.qde", data.replace(b"CodeBook", b"Project", 1))
        data = out.getvalue()
    survives(read_project, data, source="project.qdpx")


@pytest.mark.parametrize("name", ["comments.csv", "votes.csv"])
def test_a_missing_file_in_a_polis_folder_is_one_sentence(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text(COMMENTS if name == "comments.csv" else VOTES)
    survives(read_export, tmp_path)
