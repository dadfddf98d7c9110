"""Accessible formats of the publication, each checked by the tools its readers rely on."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest

from coproduce.core.errors import InvalidInput
from coproduce.core.publishing.bundle import publication_files
from coproduce.core.publishing.model import (
    Finding,
    Publication,
    Quote,
    Recommendation,
    StrandEvidence,
    Tally,
)
from coproduce.core.publishing.renderers.pdf import render_tagged_pdf
from tests.support.pdf import language_of, structure_of, text_of


def publication() -> Publication:
    return Publication(
        slug="buses",
        title="Buses in Bury",
        summary="What helps people get about.",
        aims=("Hear from people who use buses.",),
        edition=date(2026, 5, 1),
        team=(),
        partners=("Bury Community Transport",),
        funder="",
        evidence=(StrandEvidence("story", "Stories", 12, 14),),
        roles=(Tally("Person with lived experience", 9), Tally("Staff or practitioner", 3)),
        channels=(Tally("Web", 14),),
        method=("We listened.",),
        findings=(
            Finding(
                1,
                "Late buses matter",
                "People cannot stay after six.",
                ("Late buses",),
                ("Stories",),
                9,
                7,
                (Quote("The last bus is at six.", "Stories", "Carer"),),
                (Tally("Stories", 9),),
            ),
        ),
        recommendations=(Recommendation(1, "Run later buses", (1,)),),
        recommendations_ordered=False,
        case_studies=(),
    )


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
