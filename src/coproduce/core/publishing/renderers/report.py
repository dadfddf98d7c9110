"""The report: one HTML page with a table of contents, for reading on screen or printing."""

from __future__ import annotations

from coproduce.core.publishing.model import Publication
from coproduce.core.publishing.renderers import sections
from coproduce.core.publishing.renderers.html import esc, page, paragraphs


def render_report(pub: Publication) -> bytes:
    toc = [
        ("about", "About the study"),
        ("evidence", "The evidence base"),
        ("method", "How it was done"),
        ("findings", "What we found"),
        ("recommendations", "Recommendations"),
    ]
    if pub.equity:
        toc.append(("voices", "Whose voices were heard"))
    if pub.case_studies:
        toc.append(("case-studies", "Case studies"))
    if pub.limitations:
        toc.append(("limitations", "Limitations"))
    toc.append(("credits", "Credits"))
    aims = "".join(f"<li>{esc(a)}</li>" for a in pub.aims)
    findings = (
        "".join(
            f'<section aria-labelledby="finding-{f.number}-h"><h3 id="finding-{f.number}-h">'
            f"{f.number}. {esc(f.title)}</h3>{sections.finding_detail(f)}</section>"
            for f in pub.findings
        )
        or "<p>No findings have been written yet.</p>"
    )
    cases = "".join(
        f'<section aria-labelledby="case-{esc(c.slug)}"><h3 id="case-{esc(c.slug)}">'
        f"{esc(c.organisation)}</h3>{sections.case_study(c)}</section>"
        for c in pub.case_studies
    )
    limits = "".join(f"<p>{esc(x)}</p>" for x in pub.limitations)
    body = [
        f"<h1>{esc(pub.title)}</h1>",
        f'<p class="lead">{esc(pub.summary)}</p>' if pub.summary else "",
        f'<p class="muted">Edition of {pub.edition.isoformat()}.</p>',
        '<nav class="toc" aria-labelledby="toc"><h2 id="toc">Contents</h2><ol>'
        + "".join(f'<li><a href="#{k}">{esc(v)}</a></li>' for k, v in toc)
        + "</ol></nav>",
        f'<h2 id="about">About the study</h2>{paragraphs(pub.summary)}'
        + (f"<h3>Its aims</h3><ul>{aims}</ul>" if aims else ""),
        f'<h2 id="evidence">The evidence base</h2>{sections.numbers(pub)}'
        f"{sections.evidence_charts(pub)}",
        f'<h2 id="method">How it was done</h2>{sections.method(pub)}',
        f'<h2 id="findings">What we found</h2>{findings}',
        f'<h2 id="recommendations">Recommendations</h2>{sections.recommendations(pub)}',
        f'<h2 id="voices">Whose voices were heard</h2>{sections.equity(pub)}' if pub.equity else "",
        f'<h2 id="case-studies">Case studies</h2>{cases}' if pub.case_studies else "",
        f'<h2 id="limitations">Limitations</h2>{limits}' if pub.limitations else "",
        f'<h2 id="credits">Credits</h2>{sections.credits(pub)}',
    ]
    return page(f"{pub.title}: report", "\n".join(b for b in body if b), study=pub.title)
