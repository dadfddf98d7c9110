"""The summary in braille: Unified English Braille grade 2 (the UK standard since 2011), as a
BRF file for braille embossers and displays.

Translation is liblouis's (`lou_translate`, Debian's liblouis-bin, LGPL-2.1+) with its UEB grade 2
table and the BRF display table. Layout follows what transcribers expect: 40 cells a line, 25
lines a page, the braille page number at the right of each page's first line, a form feed between
pages, a title page and contents, headings centred with a blank line before, paragraphs starting
in cell 3, list items in cell 1 running over to cell 3.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass

from coproduce.core.errors import ConfigurationError
from coproduce.core.publishing.model import Publication, shown

CELLS, LINES = 40, 25
TABLES = "en-us-brf.dis,en-ueb-g2.ctb"
DIGITS = "JABCDEFGHI"  # braille numbers: the number sign, then a-j for 1-9 and 0


@dataclass(frozen=True)
class Block:
    kind: str  # "heading", "paragraph" or "item"
    text: str


def blocks(pub: Publication) -> list[Block]:
    """The summary's words, in reading order, as headings, paragraphs and list items."""
    found = [Block("heading", "The evidence in numbers")]
    for s in pub.evidence:
        found.append(
            Block("item", f"{s.title}: {shown(s.people)} people, {shown(s.items)} contributions.")
        )
    found.append(Block("heading", "Key findings"))
    for f in pub.findings:
        found.append(Block("heading", f"{f.number}. {f.title}"))
        if f.text:
            found.append(Block("paragraph", f.text))
        found.append(
            Block(
                "paragraph",
                f"This rests on {shown(f.items)} contributions from {shown(f.people)} people.",
            )
        )
        found += [Block("item", f"“{q.words}” ({q.role})") for q in f.quotes]
    found.append(Block("heading", "Recommendations"))
    if not pub.recommendations_ordered:
        found.append(Block("paragraph", "Not in any order of priority."))
    found += [Block("item", r.text) for r in pub.recommendations]
    found.append(Block("heading", "How it was done"))
    found += [Block("paragraph", line) for line in pub.method]
    return [Block(b.kind, " ".join(b.text.split())) for b in found if b.text.strip()]


def translate(texts: list[str]) -> list[str]:
    """Each text in UEB grade 2, as BRF characters (one liblouis run for all of them)."""
    program = shutil.which("lou_translate")
    if program is None:
        raise ConfigurationError(
            "Braille needs liblouis's lou_translate; install Debian's liblouis-bin and "
            "liblouis-data."
        )
    run = subprocess.run(
        [program, "--forward", TABLES],
        input="\n".join(texts) + "\n",
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    out = run.stdout.split("\n")[: len(texts)]
    return [line.rstrip() for line in out]


def number(n: int) -> str:
    return "#" + "".join(DIGITS[int(d)] for d in str(n))


def wrap(text: str, first: int, rest: int) -> list[str]:
    """Words into lines of at most CELLS cells: the first line indented `first` cells, the
    rest `rest` (a word longer than a line is split with a hyphen)."""
    lines, line = [], " " * first
    for word in text.split():
        while len(word) > CELLS - rest:
            lines += [line] if line.strip() else []
            line = " " * rest + word[: CELLS - rest - 1] + "-"
            lines.append(line)
            word, line = word[CELLS - rest - 1 :], " " * rest
        candidate = (line + " " + word) if line.strip() else line + word
        if len(candidate) <= CELLS:
            line = candidate
        else:
            lines.append(line)
            line = " " * rest + word
    if line.strip():
        lines.append(line)
    return lines


def lay_out(kind: str, text: str) -> list[str]:
    if kind == "heading":
        return ["", *(line.strip().center(CELLS).rstrip() for line in wrap(text, 0, 0))]
    if kind == "item":
        return wrap(text, 0, 2)
    return wrap(text, 2, 0)


def paginate(lines: list[str], first_page: int) -> list[list[str]]:
    """Lines into pages: line 1 carries the page number at the right; no page starts blank."""
    pages: list[list[str]] = []
    body = LINES - 1
    chunk: list[str] = []
    for line in lines:
        if not chunk and not line.strip():
            continue
        chunk.append(line)
        if len(chunk) == body:
            pages.append(chunk)
            chunk = []
    if chunk:
        pages.append(chunk)
    return [[number(first_page + n).rjust(CELLS), *page] for n, page in enumerate(pages)]


def render_brf(pub: Publication) -> bytes:
    content = blocks(pub)
    title_words = [pub.title, "A summary of what the study found", f"Edition of {pub.edition}"]
    translated = translate([b.text for b in content] + title_words + ["Contents"])
    body_texts, title_braille = translated[: len(content)], translated[len(content) :]
    title_page = [
        "",
        "",
        *(
            line.strip().center(CELLS).rstrip()
            for t in title_braille[:3]
            for line in [*wrap(t, 0, 0), ""]
        ),
    ]
    headings = [
        (i, t)
        for i, (b, t) in enumerate(zip(content, body_texts, strict=True))
        if b.kind == "heading"
    ]
    contents_lines_count = 2 + sum(len(wrap(t, 0, 2)) for _i, t in headings)
    contents_pages = max(1, -(-contents_lines_count // (LINES - 1)))
    first_body_page = 2 + contents_pages
    # Lay out the body, noting the page each heading lands on.
    lines: list[str] = []
    where: dict[int, int] = {}
    for i, (block, text) in enumerate(zip(content, body_texts, strict=True)):
        laid = lay_out(block.kind, text)
        if block.kind == "heading":
            where[i] = len(lines) + 1  # its first line (after the blank line before it)
        lines += laid
    pages = paginate(lines, first_body_page)
    on = _pages_of(lines, set(where.values()), first_body_page)
    located = {i: on[n] for i, n in where.items() if n in on}
    contents = ["", title_braille[3].center(CELLS).rstrip()]
    for i, text in headings:
        page_ref = number(located.get(i, first_body_page))
        entry = wrap(text, 0, 2)
        last = entry[-1]
        dots = CELLS - len(last) - len(page_ref) - 2
        entry[-1] = (last + " " + '"' * max(dots, 0) + " " + page_ref) if dots >= 1 else last
        if dots < 1:
            entry.append(page_ref.rjust(CELLS))
        contents += entry
    every = [
        [number(1).rjust(CELLS), *title_page[1:LINES]],
        *paginate(contents, 2)[:contents_pages],
        *pages,
    ]
    text = "\f".join("\r\n".join(line.rstrip() for line in page) + "\r\n" for page in every)
    return text.encode("ascii")


def _pages_of(lines: list[str], wanted: set[int], first: int) -> dict[int, int]:
    """The page each wanted line lands on, as paginate lays the lines out."""
    page, on_page, found = first, 0, {}
    for n, line in enumerate(lines):
        if on_page == 0 and not line.strip():
            continue
        if n in wanted:
            found[n] = page
        on_page += 1
        if on_page == LINES - 1:
            page, on_page = page + 1, 0
    return found
