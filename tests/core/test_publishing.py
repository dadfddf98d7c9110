"""The publication model and its renderers, pure: no database."""

from __future__ import annotations

from coproduce.core.publishing.bundle import publication_files
from coproduce.core.publishing.model import (
    Finding,
    Publication,
    Quote,
    Recommendation,
    Tally,
    shown,
)
from coproduce.core.publishing.renderers.html import bar_chart
from tests.support.publication import a_publication


def publication(**changes: object) -> Publication:
    """The shared small publication, with a second recommendation and a quote that looks like
    a spreadsheet formula."""
    quoted = Finding(
        1,
        "Late buses matter",
        "Text.",
        ("Late buses",),
        ("Stories",),
        9,
        7,
        (Quote('=HYPERLINK("x")', "Stories", "Person with lived experience"),),
    )
    more = (Recommendation(1, "Run later buses", (1,)), Recommendation(2, "Cheaper fares", ()))
    return a_publication(**{"findings": (quoted,), "recommendations": more, **changes})


def test_small_counts_are_said_as_fewer_than_five() -> None:
    assert [shown(n) for n in (0, 1, 4, 5, 1234)] == [
        "0",
        "fewer than 5",
        "fewer than 5",
        "5",
        "1,234",
    ]


def test_a_chart_has_a_title_a_description_and_its_numbers_as_a_table() -> None:
    svg = bar_chart("roles", "Who took part", "By role.", (Tally("Carers", 3), Tally("Staff", 12)))
    assert 'role="img"' in svg and '<title id="roles-svg-title">Who took part</title>' in svg
    assert "<desc" in svg and "<table>" in svg and "fewer than 5" in svg and ">12<" in svg


def test_recommendations_say_whether_they_are_in_order_of_priority() -> None:
    unordered = publication_files(publication(), pdfs=False)["report.html"].decode()
    assert "Not in any order of priority." in unordered and "<ul><li>Run later buses" in unordered
    ordered = publication_files(publication(recommendations_ordered=True), pdfs=False)[
        "report.html"
    ].decode()
    assert "In order of priority." in ordered and "<ol><li>Run later buses" in ordered


def test_files_are_the_same_bytes_every_time_and_csv_cells_cannot_run() -> None:
    assert publication_files(publication(), pdfs=False) == publication_files(
        publication(), pdfs=False
    )
    quotes = publication_files(publication(), pdfs=False)["data/quotes.csv"].decode()
    assert "'=HYPERLINK" in quotes  # neutralised, as every CSV Coproduce writes
    page = publication_files(publication(), pdfs=False)["summary/index.html"].decode()
    assert page.count("<h1>") == 1 and '<html lang="en-GB">' in page
    assert "http" not in page.split("<main")[1].replace("https://creativecommons", "")


def test_words_for_the_ear_say_per_cent_and_abbreviations_in_full() -> None:
    from coproduce.core.publishing.renderers.audio import for_the_ear

    said = for_the_ear("“45% agree, e.g. NHS staff”: 1,234 votes, etc.")
    assert said == "45 per cent agree, for example N H S staff: 1234 votes, and so on"
