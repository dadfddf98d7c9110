"""Posters: one per case study and one overview, A3 portrait, as tagged PDF (PDF/UA) and PNG.

Each poster is one page. When the words do not fit, the type is made smaller, step by step,
until they do; a poster that still does not fit at the smallest size is refused in one sentence
(the team shortens the record or chooses fewer quotes), never cut off.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape

from coproduce.core.errors import InvalidInput
from coproduce.core.publishing.model import CaseStudy, Publication, Quote, shown

SIZES = (1.0, 0.92, 0.85, 0.78, 0.72, 0.66, 0.6)  # of the full type size, largest first
QUOTES_PER_SIDE = 2
PNG_DPI = 150

STYLE = """
@page { size: A3 portrait; margin: 16mm; }
html { font-family: "DejaVu Sans", sans-serif; color: #0b0c0c; }
body { margin: 0; }
header { background: #00594f; color: #fff; padding: 8mm 10mm; margin-bottom: 8mm; }
header p { margin: 0; font-size: 1.1rem; }
header .logo { float: right; max-height: 28mm; max-width: 60mm; background: #fff; padding: 2mm;
  margin-left: 6mm; }
h1 { font-size: 2.6rem; line-height: 1.1; margin: 2mm 0 0; }
h2 { font-size: 1.3rem; color: #00594f; margin: 6mm 0 2mm; border-bottom: 1mm solid #7cc4b5; }
p, li { line-height: 1.4; margin: 0 0 2mm; }
.columns { columns: 2; column-gap: 10mm; }
.columns section { break-inside: avoid; }
blockquote { margin: 3mm 0; padding: 3mm 5mm; background: #f3f2f1; border-left: 2mm solid #00594f;
  break-inside: avoid; font-size: 1.1rem; }
blockquote footer { font-size: 0.85rem; color: #484949; margin-top: 1mm; }
.voices { display: flex; gap: 8mm; }
.voices section { flex: 1; }
.numbers { display: flex; flex-wrap: wrap; gap: 4mm; list-style: none; padding: 0; }
.numbers li { background: #f3f2f1; padding: 3mm 5mm; border-left: 2mm solid #00594f; }
.numbers strong { display: block; font-size: 1.6rem; }
footer.credits { margin-top: 6mm; font-size: 0.8rem; color: #484949; }
"""


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def document(title: str, body: str, scale: float) -> str:
    return (
        f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{esc(title)}</title>'
        f'<meta name="author" content="Coproduce"><style>{STYLE}'
        f"html {{ font-size: {15 * scale:.2f}pt; }}</style></head><body>{body}</body></html>"
    )


def quotes(items: tuple[Quote, ...], who: str) -> str:
    return "".join(
        f"<blockquote><p>“{esc(q.words)}”</p><footer>{esc(who)}</footer></blockquote>"
        for q in items[:QUOTES_PER_SIDE]
    )


def case_study_body(pub: Publication, case: CaseStudy) -> str:
    parts = [
        ("What they do", case.what_it_does),
        ("Their co-production example", case.example),
        ("What made it work", case.enabling_factors),
        ("Challenges", case.challenges),
        ("Outcomes, as staff see them", case.outcomes_staff),
        ("Outcomes, as service users see them", case.outcomes_service_users),
    ]
    sections = "".join(
        f"<section><h2>{esc(h)}</h2><p>{esc(t)}</p></section>" for h, t in parts if t.strip()
    )
    voices = (
        '<div class="voices">'
        f"<section><h2>Staff and volunteers</h2>{quotes(case.quotes_staff, 'Staff or volunteer')}"
        "</section>"
        f"<section><h2>Service users</h2>{quotes(case.quotes_service_users, 'Service user')}"
        "</section></div>"
        if case.quotes_staff or case.quotes_service_users
        else ""
    )
    logo = (
        f'<img class="logo" src="{esc(case.logo)}" alt="{esc(case.organisation)} logo">'
        if case.logo.startswith(("data:image/png;base64,", "data:image/jpeg;base64,"))
        else ""
    )
    return (
        f"<header>{logo}<p>{esc(pub.title)}: a case study</p><h1>{esc(case.organisation)}</h1>"
        "</header>"
        f'<main><div class="columns">{sections}</div>{voices}</main>{credits(pub)}'
    )


def overview_body(pub: Publication) -> str:
    numbers = "".join(
        f"<li><strong>{esc(shown(s.people))}</strong>people in {esc(s.title.lower())}</li>"
        for s in pub.evidence
    )
    findings = "".join(f"<li>{esc(f.title)}</li>" for f in pub.findings)
    tag = "ol" if pub.recommendations_ordered else "ul"
    recs = "".join(f"<li>{esc(r.text)}</li>" for r in pub.recommendations)
    return (
        f"<header><p>What we found</p><h1>{esc(pub.title)}</h1></header><main>"
        f'<p>{esc(pub.summary)}</p><ul class="numbers">{numbers}</ul>'
        f"<h2>Key findings</h2><ol>{findings}</ol>"
        + (
            f"<h2>Recommendations{'' if pub.recommendations_ordered else ' (not in any order)'}"
            f"</h2><{tag}>{recs}</{tag}>"
            if recs
            else ""
        )
        + f"</main>{credits(pub)}"
    )


def credits(pub: Publication) -> str:
    partners = ", ".join(pub.partners)
    line = f"{pub.title}. Edition of {pub.edition.isoformat()}."
    if partners:
        line += f" With {partners}."
    if pub.funder:
        line += f" Funded by {pub.funder}."
    return f'<footer class="credits"><p>{esc(line)}</p></footer>'


def render_pdf(title: str, body: str) -> bytes:
    """The poster as a one-page tagged PDF (PDF/UA-1), the type made smaller until it fits."""
    from weasyprint import HTML

    for scale in SIZES:
        rendered = HTML(string=document(title, body, scale)).render(pdf_variant="pdf/ua-1")
        if len(rendered.pages) == 1:
            out = io.BytesIO()
            rendered.write_pdf(out, pdf_variant="pdf/ua-1", pdf_identifier=b"coproduce-poster")
            return out.getvalue()
    raise InvalidInput(
        f"The poster “{title}” does not fit on one A3 page even in small type; shorten its "
        "record or choose fewer quotes."
    )


def render_png(pdf: bytes) -> bytes:
    """The poster's page as a PNG at 150 dpi."""
    import pypdfium2

    document_ = pypdfium2.PdfDocument(pdf)
    try:
        image = document_[0].render(scale=PNG_DPI / 72).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG", dpi=(PNG_DPI, PNG_DPI))
        return out.getvalue()
    finally:
        document_.close()


@dataclass(frozen=True)
class Built:
    """A poster already built: the fingerprint of what it was built from, and its files."""

    source: str
    pdf: bytes
    png: bytes


def source_of(title: str, body: str) -> str:
    """A fingerprint of everything a poster is made from (words, styles, sizes tried)."""
    made_from = "\n".join([title, body, STYLE, repr(SIZES), str(PNG_DPI)])
    return hashlib.sha256(made_from.encode()).hexdigest()


def render_posters(
    pub: Publication, built: Mapping[str, Built] | None = None
) -> tuple[dict[str, bytes], dict[str, str]]:
    """Every poster, by its path in the publication (PDF and PNG of each), and the fingerprint
    of each file's source. A poster in `built` (by path without extension) whose source has
    not changed is not rendered again."""
    posters = {"posters/overview": (f"{pub.title}: overview", overview_body(pub))}
    for case in pub.case_studies:
        posters[f"posters/{case.slug}"] = (
            f"{case.organisation}: a case study",
            case_study_body(pub, case),
        )
    files: dict[str, bytes] = {}
    sources: dict[str, str] = {}
    for path, (title, body) in posters.items():
        source = source_of(title, body)
        known = (built or {}).get(path)
        if known is not None and known.source == source:
            pdf, png = known.pdf, known.png
        else:
            pdf = render_pdf(title, body)
            png = render_png(pdf)
        files[f"{path}.pdf"], files[f"{path}.png"] = pdf, png
        sources[f"{path}.pdf"] = sources[f"{path}.png"] = source
    return files, sources
