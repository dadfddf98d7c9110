"""The report as an EPUB 3 book, with its accessibility metadata, a navigation document and a
page list, in the study's language. Built by hand (the format is a zip of XHTML and XML), the
same bytes every time."""

from __future__ import annotations

import io
import zipfile

from coproduce.core.publishing.model import Publication
from coproduce.core.publishing.renderers import sections
from coproduce.core.publishing.renderers.html import STYLE, esc, paragraphs

LANG = "en-GB"
STAMP = (1980, 1, 1, 0, 0, 0)
CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


def chapters(pub: Publication) -> list[tuple[str, str, str]]:
    """(file name, title, body) of each chapter, in reading order."""
    aims = "".join(f"<li>{esc(a)}</li>" for a in pub.aims)
    findings = (
        "".join(
            f'<section aria-labelledby="f{f.number}"><h2 id="f{f.number}">{f.number}. '
            f"{esc(f.title)}</h2>{sections.finding_detail(f)}</section>"
            for f in pub.findings
        )
        or "<p>No findings have been written yet.</p>"
    )
    found = [
        (
            "about.xhtml",
            "About the study",
            paragraphs(pub.summary) + (f"<h2>Its aims</h2><ul>{aims}</ul>" if aims else ""),
        ),
        (
            "evidence.xhtml",
            "The evidence base",
            sections.numbers(pub) + sections.evidence_charts(pub),
        ),
        ("method.xhtml", "How it was done", sections.method(pub)),
        ("findings.xhtml", "What we found", findings),
        ("recommendations.xhtml", "Recommendations", sections.recommendations(pub)),
    ]
    if pub.equity:
        found.append(("voices.xhtml", "Whose voices were heard", sections.equity(pub)))
    if pub.case_studies:
        cases = "".join(
            f"<section><h2>{esc(c.organisation)}</h2>{sections.case_study(c, 2)}</section>"
            for c in pub.case_studies
        )
        found.append(("case-studies.xhtml", "Case studies", cases))
    found.append(("credits.xhtml", "Credits", sections.credits(pub, 2)))
    return found


def xhtml(title: str, body: str, page: int) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
        f'lang="{LANG}" xml:lang="{LANG}">\n<head>\n<meta charset="utf-8"/>\n'
        f'<title>{esc(title)}</title>\n<link rel="stylesheet" href="style.css"/>\n</head>\n<body>\n'
        f'<section epub:type="chapter" role="doc-chapter" aria-labelledby="title">\n'
        f'<span epub:type="pagebreak" role="doc-pagebreak" id="page-{page}" aria-label="{page}"/>\n'
        f'<h1 id="title">{esc(title)}</h1>\n{body}\n</section>\n</body>\n</html>\n'
    )


def navigation(pub: Publication, parts: list[tuple[str, str, str]]) -> str:
    toc = "".join(f'<li><a href="{name}">{esc(title)}</a></li>' for name, title, _b in parts)
    pages = "".join(
        f'<li><a href="{name}#page-{n}">{n}</a></li>' for n, (name, _t, _b) in enumerate(parts, 1)
    )
    return xhtml(
        pub.title,
        f'<nav epub:type="toc" id="toc" role="doc-toc" aria-labelledby="toc-h"><h2 id="toc-h">'
        f"Contents</h2><ol>{toc}</ol></nav>"
        f'<nav epub:type="page-list" id="page-list" hidden="hidden" aria-label="Pages">'
        f"<ol>{pages}</ol></nav>",
        0,
    ).replace('<span epub:type="pagebreak" role="doc-pagebreak" id="page-0" aria-label="0"/>\n', "")


def package(pub: Publication, parts: list[tuple[str, str, str]]) -> str:
    items = "".join(
        f'<item id="c{n}" href="{name}" media-type="application/xhtml+xml"'
        f"{' properties=&quot;svg&quot;' if '<svg' in body else ''}/>\n"
        for n, (name, _t, body) in enumerate(parts, 1)
    ).replace("&quot;", '"')
    spine = "".join(f'<itemref idref="c{n}"/>' for n in range(1, len(parts) + 1))
    modified = f"{pub.edition.isoformat()}T00:00:00Z"
    summary = (
        "A text book with a table of contents, a page list, headings for every part, and every "
        "chart given in words and as a table; no hazards."
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id" xml:lang="{LANG}"
 prefix="a11y: http://www.idpf.org/epub/vocab/package/a11y/#">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="id">urn:coproduce:{esc(pub.slug)}:{pub.edition.isoformat()}</dc:identifier>
<dc:title>{esc(pub.title)}</dc:title>
<dc:language>{LANG}</dc:language>
<dc:creator>{esc(", ".join(pub.partners) or pub.title)}</dc:creator>
<dc:date>{pub.edition.isoformat()}</dc:date>
<dc:rights>Creative Commons Attribution 4.0 (CC BY 4.0)</dc:rights>
<meta property="dcterms:modified">{modified}</meta>
<meta property="schema:accessMode">textual</meta>
<meta property="schema:accessMode">visual</meta>
<meta property="schema:accessModeSufficient">textual</meta>
<meta property="schema:accessibilityFeature">structuralNavigation</meta>
<meta property="schema:accessibilityFeature">tableOfContents</meta>
<meta property="schema:accessibilityFeature">alternativeText</meta>
<meta property="schema:accessibilityFeature">longDescription</meta>
<meta property="schema:accessibilityFeature">readingOrder</meta>
<meta property="schema:accessibilityFeature">pageNavigation</meta>
<meta property="schema:accessibilityHazard">none</meta>
<meta property="schema:accessibilitySummary">{summary}</meta>
<meta property="pageBreakSource">none</meta>
<link rel="dcterms:conformsTo" href="http://www.idpf.org/epub/a11y/accessibility-20170105.html#wcag-aa"/>
<meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>
<meta property="a11y:certifiedBy">Coproduce (automated checks: epubcheck, DAISY Ace)</meta>
</metadata>
<manifest>
<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
<item id="css" href="style.css" media-type="text/css"/>
{items}</manifest>
<spine>{spine}</spine>
</package>
"""


def render_epub(pub: Publication) -> bytes:
    parts = chapters(pub)
    files = {
        "META-INF/container.xml": CONTAINER,
        "EPUB/package.opf": package(pub, parts),
        "EPUB/nav.xhtml": navigation(pub, parts),
        "EPUB/style.css": STYLE,
        **{f"EPUB/{name}": xhtml(title, body, n) for n, (name, title, body) in enumerate(parts, 1)},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        first = zipfile.ZipInfo("mimetype", date_time=STAMP)
        book.writestr(first, "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for path in sorted(files):
            entry = zipfile.ZipInfo(path, date_time=STAMP)
            book.writestr(entry, files[path].encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
