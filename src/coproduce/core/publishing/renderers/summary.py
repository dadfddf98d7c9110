"""The interactive summary: the evidence in numbers, each key finding a summary that opens its
detail and evidence (HTML details: no JavaScript needed), recommendations, case studies, how it
was done, and links to every other output. Works opened from a USB stick."""

from __future__ import annotations

from coproduce.core.publishing.model import Publication
from coproduce.core.publishing.renderers import sections
from coproduce.core.publishing.renderers.html import esc, page


def render_summary(pub: Publication, outputs: tuple[tuple[str, str], ...]) -> bytes:
    """`outputs` are (relative link, what it is) for every other output of the publication."""
    findings = (
        "".join(
            f'<details id="finding-{f.number}"><summary>{f.number}. {esc(f.title)}</summary>'
            f"{sections.finding_detail(f)}</details>"
            for f in pub.findings
        )
        or "<p>No findings have been written yet.</p>"
    )
    cases = "".join(
        f"<details><summary>{esc(c.organisation)}</summary>{sections.case_study(c, 3)}</details>"
        for c in pub.case_studies
    )
    links = "".join(f'<li><a href="{esc(href)}">{esc(what)}</a></li>' for href, what in outputs)
    body = [
        f"<h1>{esc(pub.title)}</h1>",
        f'<p class="lead">{esc(pub.summary)}</p>' if pub.summary else "",
        '<h2 id="numbers">The evidence in numbers</h2>' + sections.numbers(pub),
        '<h2 id="findings">Key findings</h2><p>Open a finding to read its detail and the '
        "evidence it rests on.</p>" + findings,
        '<h2 id="recommendations">Recommendations</h2>' + sections.recommendations(pub),
        ('<h2 id="case-studies">Case studies</h2>' + cases) if cases else "",
        ('<h2 id="voices">Whose voices were heard</h2>' + sections.equity(pub))
        if pub.equity
        else "",
        '<h2 id="method">How it was done</h2>' + sections.method(pub),
        '<h2 id="outputs">Everything this study published</h2>' + f"<ul>{links}</ul>",
        '<h2 id="credits">Credits</h2>' + sections.credits(pub),
    ]
    return page(f"{pub.title}: summary", "\n".join(b for b in body if b), study=pub.title)
