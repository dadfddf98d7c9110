"""Tagged PDF (PDF/UA-1) of the report and the summary, checked by Coproduce before writing.

WeasyPrint tags what it is given, but it writes a "UA" file even when an image has no alt text;
so the page is checked first (a language, a title, alt text on every image, header cells in
every table), and a page that fails is refused in one sentence naming what is missing. Charts
become images whose alt text is the chart's title and description (the data table follows them).
"""

from __future__ import annotations

import base64
import io
import re
from html.parser import HTMLParser

from coproduce.core.errors import InvalidInput

SVG = re.compile(r"<svg class=\"chart\"[^>]*>.*?</svg>", re.S)
SVG_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.S)
SVG_DESC = re.compile(r"<desc[^>]*>(.*?)</desc>", re.S)
PRINT = (
    "<style>@page { size: A4; margin: 18mm 16mm; "
    "@bottom-right { content: counter(page) ' of ' counter(pages); font-size: 9pt; } }"
    " body { font-size: 11pt; } .skip-link { display: none; }"
    " details > summary { list-style: none; }"
    " header { background: none; color: #0b0c0c; border-bottom: 2px solid #0b0c0c; }"
    " a { color: #0b0c0c; } svg.chart, img.chart { max-width: 100%; }"
    " .numbers { display: block; } .numbers li { margin: 0 0 3mm; }</style>"
)


def charts_as_images(page: str) -> str:
    """Each inline SVG chart as an image whose alt text is its title and description."""

    def swap(match: re.Match[str]) -> str:
        svg = match.group(0)
        title = SVG_TITLE.search(svg)
        desc = SVG_DESC.search(svg)
        alt = " ".join(m.group(1) for m in (title, desc) if m)
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        return f'<img class="chart" src="data:image/svg+xml;base64,{data}" alt="{alt}">'

    return SVG.sub(swap, page)


class Checker(HTMLParser):
    """What a tagged PDF needs from its page, and what is missing."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.lang = ""
        self.title = ""
        self.in_title = False
        self.tables = 0
        self.header_cells = 0
        self.images = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang") or ""
        elif tag == "title":
            self.in_title = True
        elif tag == "img":
            self.images += 1
            if not (found.get("alt") or "").strip() and found.get("role") != "presentation":
                where = (found.get("src") or "")[:40]
                self.problems.append(f"image {self.images} ({where}…) has no alt text")
        elif tag == "table":
            self.tables += 1
        elif tag == "th":
            self.header_cells += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data


def problems_of(page: str) -> list[str]:
    checker = Checker()
    checker.feed(page)
    problems = list(checker.problems)
    if not checker.lang:
        problems.insert(0, "the page has no language")
    if not checker.title.strip():
        problems.insert(0, "the page has no title")
    if checker.tables and checker.header_cells < checker.tables:
        problems.append("a table has no header cells")
    return problems


def render_tagged_pdf(page: bytes, name: str, print_style: str = "") -> bytes:
    """The HTML page as a tagged PDF/UA-1, A4, with bookmarks from its headings; refused in
    one sentence when the page lacks what a tagged PDF needs. `print_style` (a <style>
    element) comes after the usual print styles, to change them."""
    from weasyprint import HTML

    text = page.decode("utf-8")
    text = charts_as_images(text).replace("<details>", "<details open>")
    text = text.replace("</head>", PRINT + print_style + "</head>", 1)
    problems = problems_of(text)
    if problems:
        raise InvalidInput(
            f"The {name} cannot be made an accessible PDF: {'; '.join(problems)}. "
            "Give each its words and build again."
        )
    out = io.BytesIO()
    HTML(string=text).write_pdf(out, pdf_variant="pdf/ua-1", pdf_identifier=name.encode())
    return out.getvalue()
