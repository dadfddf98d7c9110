"""A whole publication as files: the outputs, an index page and a manifest. Pure and
reproducible: the same Publication gives the same bytes."""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Mapping
from pathlib import Path

from coproduce.core.publishing.model import Publication
from coproduce.core.publishing.renderers.audio import render_audio, speak_all
from coproduce.core.publishing.renderers.braille import render_brf
from coproduce.core.publishing.renderers.docx import render_docx
from coproduce.core.publishing.renderers.easy_read import render_easy_read
from coproduce.core.publishing.renderers.epub import render_epub
from coproduce.core.publishing.renderers.html import esc, page
from coproduce.core.publishing.renderers.open_data import render_open_data
from coproduce.core.publishing.renderers.pdf import render_tagged_pdf
from coproduce.core.publishing.renderers.poster import Built, render_posters
from coproduce.core.publishing.renderers.report import render_report
from coproduce.core.publishing.renderers.standards import render_standards
from coproduce.core.publishing.renderers.summary import render_summary
from coproduce.core.publishing.renderers.video import render_video

FORMATS = {
    ".html": "HTML page",
    ".csv": "CSV table",
    ".json": "JSON",
    ".md": "Text (Markdown)",
    ".pdf": "PDF, tagged (PDF/UA-1)",
    ".png": "PNG image, 150 dpi",
    ".qdpx": "REFI-QDA project",
    ".epub": "EPUB 3 book",
    ".docx": "Word document",
    ".brf": "Braille (BRF), UEB grade 2",
    ".mp3": "MP3 audio",
    ".m3u": "Playlist (M3U)",
    ".txt": "Text",
    ".mp4": "MP4 video, captioned",
    ".vtt": "Captions (WebVTT)",
}
OUTPUTS = (
    ("summary/index.html", "Interactive summary: the key findings, each opening its evidence"),
    ("report.html", "Report: the whole study on one page, ready to print"),
    ("report.epub", "Report as an EPUB 3 book, for e-readers and screen readers"),
    ("report.docx", "Report as a Word document"),
    ("reporting-standards.html", "Reporting standards: GRIPP2 short form and UK Standards"),
    ("data/datapackage.json", "Open data: CSV tables with their description (CC BY 4.0)"),
    ("data/README.md", "Open data: how to use it, licence and attribution"),
)


def outputs(pub: Publication, pdfs: bool) -> tuple[tuple[str, str], ...]:
    """Every output a reader is offered, with what it is."""
    easy: tuple[tuple[str, str], ...] = ()
    if pub.easy_read:
        easy = (("easy-read/index.html", "Easy Read version: short sentences with pictures"),)
    if not pdfs:
        return (*OUTPUTS, *easy)
    if pub.easy_read:
        easy += (("easy-read.pdf", "Easy Read version as an accessible PDF (tagged, A4)"),)
    documents = [
        ("summary.pdf", "Summary as an accessible PDF (tagged, A4)"),
        ("report.pdf", "Report as an accessible PDF (tagged, A4)"),
        ("summary.brf", "Summary in braille (UEB grade 2, BRF for embossers and displays)"),
        ("audio/playlist.m3u", "Summary read aloud: MP3 tracks, one a section (playlist)"),
        ("audio/transcript.txt", "Summary read aloud: the words of every track"),
        ("video/summary.mp4", "Summary as a video with closed captions (MP4)"),
        ("video/summary.vtt", "The video's captions (WebVTT)"),
    ]
    posters = [("posters/overview.pdf", "Poster: the study at a glance (PDF)")]
    posters += [
        (f"posters/{c.slug}.pdf", f"Poster: {c.organisation}, a case study (PDF)")
        for c in pub.case_studies
    ]
    pngs = [(path[:-4] + ".png", what.replace("(PDF)", "(image)")) for path, what in posters]
    return (*OUTPUTS, *easy, *documents, *sorted([*posters, *pngs]))


def publication_files(
    pub: Publication,
    *,
    pdfs: bool = True,
    extra: dict[str, bytes] | None = None,
    extra_outputs: tuple[tuple[str, str], ...] = (),
    built: Mapping[str, Built] | None = None,
) -> dict[str, bytes]:
    """Every file of the publication, by its path in the publication folder, with
    `manifest.json` (each file's format, size and SHA-256) last.

    `pdfs` False leaves out what other programs make (the posters and tagged PDFs, by
    WeasyPrint; braille, by liblouis; audio and video, by espeak-ng and ffmpeg). `extra` are
    files made elsewhere (the Polis exports, the coded project), offered to readers as
    `extra_outputs` says. `built` are the posters of the last build: a poster whose source did
    not change is not rendered again.
    """
    offered = (*outputs(pub, pdfs), *extra_outputs)
    links = tuple((f"../{path}", what) for path, what in offered if path != "summary/index.html")
    files: dict[str, bytes] = {
        "summary/index.html": render_summary(pub, links),
        "report.html": render_report(pub),
        "report.epub": render_epub(pub),
        "report.docx": render_docx(pub),
        "reporting-standards.html": render_standards(pub),
        **{f"data/{name}": data for name, data in render_open_data(pub).items()},
        **(extra or {}),
    }
    if pub.easy_read:
        files |= render_easy_read(pub.easy_read, pub.title, pdf=pdfs)
    sources: dict[str, str] = {}
    if pdfs:
        poster_files, sources = render_posters(pub, built)
        files |= poster_files
        files["report.pdf"] = render_tagged_pdf(files["report.html"], "report")
        files["summary.pdf"] = render_tagged_pdf(files["summary/index.html"], "summary")
        files["summary.brf"] = render_brf(pub)
        with tempfile.TemporaryDirectory() as folder:
            narration = speak_all(pub, Path(folder))  # spoken once, for the audio and the video
            files |= render_audio(pub, narration)
            files |= render_video(pub, narration)
    files["index.html"] = index_page(pub, files, offered)
    files["manifest.json"] = manifest(pub, files, sources)
    return dict(sorted(files.items()))


def index_page(
    pub: Publication, files: dict[str, bytes], offered: tuple[tuple[str, str], ...]
) -> bytes:
    rows = "".join(
        f'<tr><td><a href="{esc(path)}">{esc(what)}</a></td>'
        f"<td>{esc(file_format(path))}</td><td>{esc(size(len(files[path])))}</td></tr>"
        for path, what in offered
        if path in files
    )
    body = (
        f"<h1>{esc(pub.title)}</h1>"
        f'<p class="lead">{esc(pub.summary)}</p>'
        f"<p>What this study published, edition of {pub.edition.isoformat()}.</p>"
        "<table><caption>Every output, with its format and size</caption>"
        '<thead><tr><th scope="col">Output</th><th scope="col">Format</th>'
        f'<th scope="col">Size</th></tr></thead><tbody>{rows}</tbody></table>'
        '<p><a href="manifest.json">Every file, with its checksum</a></p>'
    )
    return page(pub.title, body, study=pub.title)


def file_format(path: str) -> str:
    return next((name for end, name in FORMATS.items() if path.endswith(end)), "File")


def size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} bytes"


def manifest(pub: Publication, files: dict[str, bytes], sources: Mapping[str, str]) -> bytes:
    """Every file with its format, size and checksum; for files rendered from a source (the
    posters), the source's fingerprint, so a rebuild knows what it need not render again."""
    entries = [
        {
            "path": path,
            "format": file_format(path),
            "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            **({"source": sources[path]} if path in sources else {}),
        }
        for path, data in sorted(files.items())
    ]
    body = {"study": pub.slug, "edition": pub.edition.isoformat(), "files": entries}
    return (json.dumps(body, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
