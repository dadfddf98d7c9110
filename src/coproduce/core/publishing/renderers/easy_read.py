"""The Easy Read version as an HTML page and a tagged PDF: the picture on the left, the words
on the right, one idea a row, in large type; hard words in bold and explained at the end; the
pictures' licence printed."""

from __future__ import annotations

import base64
import io
import re

from coproduce.core.errors import InvalidInput
from coproduce.core.publishing import easy_read as rules
from coproduce.core.publishing import symbols
from coproduce.core.publishing.easy_read import EasyRead, Point
from coproduce.core.publishing.renderers.html import esc, page
from coproduce.core.publishing.renderers.pdf import render_tagged_pdf

STYLE = """<style>
main.easy-read { max-width: 46rem; }
main.easy-read p, main.easy-read li, main.easy-read dd, main.easy-read dt {
  font-size: SIZEpt; line-height: 1.5; }
main.easy-read h1 { font-size: calc(SIZEpt * 1.6); }
main.easy-read h2 { font-size: calc(SIZEpt * 1.3); margin-top: 2rem; }
.point { display: flex; align-items: center; gap: 1.25rem; margin: 0 0 1.25rem;
  break-inside: avoid; }
.point .picture { flex: 0 0 5.5rem; }
.point img { width: 5.5rem; height: 5.5rem; object-fit: contain; display: block; }
.point p { margin: 0; }
.words dt { font-weight: 700; margin-top: 0.75rem; }
.words dd { margin: 0; }
header p, footer p { font-size: SIZEpt; }
</style>"""
# In print every word is at least the version's size, the page numbers too.
PRINT = """<style>@page { @bottom-right { content: "Page " counter(page) " of " counter(pages);
  font-size: SIZEpt; } } body { font-size: SIZEpt; }</style>"""


def picture_source(point: Point) -> str:
    picture = point.picture
    if picture is None:
        return ""
    if picture.image:
        return picture.image
    data = base64.b64encode(symbols.svg(picture.symbol)).decode("ascii")
    return f"data:image/svg+xml;base64,{data}"


def bolded(text: str, words: tuple[str, ...]) -> str:
    """The words, escaped, with each explained hard word (or phrase) in bold."""
    if not words:
        return esc(text)
    names = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    pattern = re.compile(rf"\b(?:{names})(?:s|es)?\b", re.I)
    out, last = [], 0
    for match in pattern.finditer(text):
        out += [esc(text[last : match.start()]), f"<strong>{esc(match.group(0))}</strong>"]
        last = match.end()
    return "".join(out) + esc(text[last:])


def point_html(point: Point, hard: tuple[str, ...]) -> str:
    alt = point.picture.alt if point.picture else ""
    text = "<br>".join(bolded(line, hard) for line in point.text.splitlines() if line.strip())
    return (
        f'<div class="point"><div class="picture"><img src="{esc(picture_source(point))}" '
        f'alt="{esc(alt)}"></div><p>{text}</p></div>'
    )


def render_easy_read_html(version: EasyRead, study: str) -> bytes:
    hard = tuple(w.word for w in version.words if w.meaning.strip())
    parts = []
    for n, part in enumerate(version.parts):
        if not part.points:
            continue
        points = "".join(point_html(p, hard) for p in part.points)
        parts.append(f'<h2 id="part-{n + 1}">{esc(part.heading)}</h2>{points}')
    words = "".join(
        f"<dt>{esc(w.word)}</dt><dd>{esc(w.meaning)}</dd>" for w in version.words if w.meaning
    )
    if words:
        parts.append(f'<h2 id="hard-words">Hard words</h2><dl class="words">{words}</dl>')
    parts.append(f'<p class="muted">{esc(symbols.ATTRIBUTION)}</p>')
    body = (
        f'<div class="easy-read-body"><h1>{esc(version.title)}</h1>'
        f"<p>This is an Easy Read version of the study “{esc(study)}”.</p>"
        + "".join(parts)
        + "</div>"
    )
    html = page(version.title, body, lang=version.lang, study=study).decode()
    html = html.replace('<main id="main">', '<main id="main" class="easy-read">', 1)
    return html.replace(
        "</head>", STYLE.replace("SIZE", str(version.text_size)) + "</head>", 1
    ).encode()


def page_count(pdf: bytes) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    try:
        return len(document)
    finally:
        document.close()


def render_easy_read(version: EasyRead, study: str, *, pdf: bool = True) -> dict[str, bytes]:
    """The Easy Read page and (with `pdf`) its tagged PDF; refused, naming each sentence, when
    a rule is broken (the page count is checked on the PDF itself)."""
    found = rules.problems(version)
    if found:
        raise InvalidInput(rules.refusal(version, found))
    html = render_easy_read_html(version, study)
    if not pdf:
        return {"easy-read/index.html": html}
    document = render_tagged_pdf(
        html, "Easy Read version", PRINT.replace("SIZE", str(version.text_size))
    )
    found = rules.problems(version, pages=page_count(document))
    if found:
        raise InvalidInput(rules.refusal(version, found))
    return {"easy-read/index.html": html, "easy-read.pdf": document}
