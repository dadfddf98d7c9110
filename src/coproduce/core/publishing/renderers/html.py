"""What the publication's HTML pages share: the page, plain styles, charts with their tables.

Pages work opened from a USB stick (file://): no server, no network, nothing loaded from
elsewhere, and no JavaScript needed. Every chart is an SVG with a title and a description, and
the same numbers follow it as a table.
"""

from __future__ import annotations

from html import escape

from coproduce.core.publishing.model import Tally, shown

STYLE = """
:root { --text: #0b0c0c; --muted: #484949; --brand: #00594f; --link: #1d4f91; --bar: #00594f;
  --panel: #f3f2f1; --border: #b1b4b6; --focus: #ffdd00; }
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  color: var(--text); line-height: 1.5; background: #fff; }
main, header .width, footer .width { max-width: 52rem; margin: 0 auto; padding: 0 1rem; }
header { background: var(--brand); color: #fff; padding: 1rem 0; }
header p { margin: 0; }
a { color: var(--link); }
a:focus, summary:focus { outline: 3px solid var(--focus); outline-offset: 0;
  box-shadow: 0 4px var(--text); }
.skip-link { position: absolute; left: -999rem; }
.skip-link:focus { position: static; display: block; padding: 0.75rem 1rem;
  background: var(--focus); color: var(--text); }
h1 { font-size: 2rem; line-height: 1.2; } h2 { margin-top: 2.5rem; }
.lead { font-size: 1.2rem; }
.numbers { list-style: none; padding: 0; display: grid; gap: 1rem;
  grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); }
.numbers li { background: var(--panel); padding: 1rem; border-left: 5px solid var(--brand); }
.numbers strong { display: block; font-size: 1.75rem; }
details { border: 1px solid var(--border); margin: 0 0 1rem; padding: 0.5rem 1rem; }
summary { cursor: pointer; font-weight: 700; font-size: 1.15rem; }
blockquote { margin: 1rem 0; padding: 0.25rem 1rem; border-left: 5px solid var(--border); }
blockquote footer { color: var(--muted); font-size: 0.95rem; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1.5rem; }
th, td { text-align: left; padding: 0.4rem 0.75rem 0.4rem 0; border-bottom: 1px solid var(--border);
  vertical-align: top; }
td.number, th.number { text-align: right; }
svg.chart { max-width: 100%; height: auto; display: block; }
.muted { color: var(--muted); }
nav.toc ol { columns: 2 16rem; }
@media print {
  header { background: none; color: var(--text); border-bottom: 2px solid var(--text); }
  a { color: var(--text); }
  details { border: 0; padding: 0; } details > summary { list-style: none; }
  h2 { break-after: avoid; } table, figure, blockquote { break-inside: avoid; }
}
"""


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def page(title: str, body: str, *, lang: str = "en-GB", study: str = "") -> bytes:
    """A whole HTML page: one h1 in the body, a skip link, the styles inline."""
    caption = f'<div class="width"><p>{esc(study)}</p></div>' if study else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        '<a class="skip-link" href="#main">Skip to main content</a>\n'
        f"<header>{caption}</header>\n"
        f'<main id="main">\n{body}\n</main>\n'
        '<footer><div class="width"><p class="muted">Made with Coproduce.</p></div></footer>\n'
        "</body>\n</html>\n"
    ).encode()


def bar_chart(ident: str, title: str, description: str, bars: tuple[Tally, ...]) -> str:
    """A horizontal bar chart as SVG, then the same numbers as a table."""
    if not bars:
        return ""
    row, label_width, width = 30, 220, 640
    top = max(b.count for b in bars) or 1
    shapes = []
    for n, bar in enumerate(bars):
        y = n * row + 4
        length = round((width - label_width - 90) * bar.count / top)
        shapes.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" font-size="14">'
            f"{esc(bar.label[:30])}</text>"
            f'<rect x="{label_width}" y="{y}" width="{max(length, 1)}" height="22" fill="#00594f"/>'
            f'<text x="{label_width + length + 6}" y="{y + 17}" font-size="14">'
            f"{esc(shown(bar.count))}</text>"
        )
    height = len(bars) * row + 8
    table = "".join(
        f'<tr><th scope="row">{esc(b.label)}</th><td class="number">{esc(shown(b.count))}</td></tr>'
        for b in bars
    )
    return (
        f'<figure aria-labelledby="{ident}-title">\n'
        f'<figcaption id="{ident}-title">{esc(title)}</figcaption>\n'
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{ident}-svg-title {ident}-svg-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-svg-title">{esc(title)}</title>'
        f'<desc id="{ident}-svg-desc">{esc(description)}</desc>{"".join(shapes)}</svg>\n'
        f'<table><caption class="muted">{esc(title)}: the numbers</caption>'
        '<thead><tr><th scope="col">What</th>'
        '<th scope="col" class="number">How many</th></tr></thead>'
        f"<tbody>{table}</tbody></table>\n</figure>"
    )


def lorenz_chart(
    ident: str, title: str, points: tuple[tuple[float, float], ...], gini: float
) -> str:
    """The Lorenz curve as SVG against the line of equality, then the same curve as a table
    (every tenth of people), so it reads without the picture."""
    size, pad = 320, 48

    def xy(x: float, y: float) -> str:
        return f"{pad + x * size:.1f},{pad + size - y * size:.1f}"

    curve = " ".join(xy(x, y) for x, y in points)
    ticks = "".join(
        f'<text x="{pad + t * size:.0f}" y="{pad + size + 20}" text-anchor="middle" font-size="13">'
        f"{t:.0%}</text>"
        f'<text x="{pad - 8}" y="{pad + size - t * size + 5:.0f}" text-anchor="end" font-size="13">'
        f"{t:.0%}</text>"
        for t in (0, 0.5, 1)
    )
    description = (
        f"The curve shows what share of all contributions the least active people made, from"
        f" none to everyone. The straight diagonal is perfect equality; the further the curve"
        f" sags below it, the more a few people dominate. Gini coefficient {gini:.2f}."
    )
    rows = []
    for tenth in range(1, 11):
        share = tenth / 10
        y = next((py for px, py in points if px >= share - 1e-9), 1.0)
        rows.append(f'<tr><th scope="row">{share:.0%}</th><td class="number">{y:.0%}</td></tr>')
    return (
        f'<figure aria-labelledby="{ident}-title">\n'
        f'<figcaption id="{ident}-title">{esc(title)}</figcaption>\n'
        f'<svg class="chart" viewBox="0 0 {size + 2 * pad} {size + 2 * pad}" role="img" '
        f'aria-labelledby="{ident}-svg-title {ident}-svg-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-svg-title">{esc(title)}</title>'
        f'<desc id="{ident}-svg-desc">{esc(description)}</desc>'
        f'<rect x="{pad}" y="{pad}" width="{size}" height="{size}" fill="none" stroke="#595959"/>'
        f'<line x1="{pad}" y1="{pad + size}" x2="{pad + size}" y2="{pad}" stroke="#595959"'
        ' stroke-dasharray="6 4"/>'
        f'<polyline points="{curve}" fill="none" stroke="#00594f" stroke-width="3"/>{ticks}'
        f'<text x="{pad + size / 2}" y="{pad + size + 40}" text-anchor="middle" font-size="13">'
        "People, least active first</text></svg>\n"
        f'<p class="muted">{esc(description)}</p>'
        f'<table><caption class="muted">{esc(title)}: the numbers</caption>'
        '<thead><tr><th scope="col">The least active share of people</th>'
        '<th scope="col" class="number">made this share of contributions</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>\n</figure>"
    )


def paragraphs(text: str) -> str:
    """Plain text with blank lines between paragraphs, as HTML paragraphs."""
    parts = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(f"<p>{esc(p)}</p>" for p in parts)
