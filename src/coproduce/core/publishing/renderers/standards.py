"""The reporting-standards page: GRIPP2's short form and the UK Standards for Public
Involvement, filled from what the study recorded, with each gap named for the team to fill.

GRIPP2 (Staniszewska et al., BMJ 2017) short form: aim, methods, results, outcomes, critical
reflection. UK Standards for Public Involvement (NIHR and partners, 2019): inclusive
opportunities, working together, support and learning, communications, impact, governance.
"""

from __future__ import annotations

from coproduce.core.publishing.model import Publication, shown
from coproduce.core.publishing.renderers.html import esc, page

GAP = "Not recorded in Coproduce: the team writes this before the study reports."


def row(label: str, text: str) -> str:
    shown_text = esc(text) if text.strip() else f'<strong class="gap">{esc(GAP)}</strong>'
    return f'<tr><th scope="row">{esc(label)}</th><td>{shown_text}</td></tr>'


def table(caption: str, rows: list[tuple[str, str]]) -> str:
    body = "".join(row(label, text) for label, text in rows)
    return (
        f'<table><caption>{esc(caption)}</caption><thead><tr><th scope="col">Item</th>'
        f'<th scope="col">From the study</th></tr></thead><tbody>{body}</tbody></table>'
    )


def gripp2(pub: Publication) -> list[tuple[str, str]]:
    people = "; ".join(f"{s.title}: {shown(s.people)} people" for s in pub.evidence)
    roles = "; ".join(f"{r.label}: {shown(r.count)}" for r in pub.roles)
    return [
        ("1. Aim: the aim of involving people in the study", "; ".join(pub.aims)),
        (
            "2. Methods: how people were involved",
            " ".join(pub.method)
            + (f" Who took part: {people}." if people else "")
            + (f" Roles they gave: {roles}." if roles else ""),
        ),
        (
            "3. Results: what came of their involvement",
            " ".join(f"{f.number}. {f.title}." for f in pub.findings),
        ),
        ("4. Outcomes: how involvement changed the study, its people and its results", ""),
        ("5. Critical reflection: what went well and what did not", " ".join(pub.limitations)),
    ]


def uk_standards(pub: Publication) -> list[tuple[str, str]]:
    channels = "; ".join(f"{c.label}: {shown(c.count)}" for c in pub.channels)
    return [
        (
            "Inclusive opportunities",
            f"People could take part through several channels ({channels})." if channels else "",
        ),
        (
            "Working together",
            "The team: " + "; ".join(f"{p.name} ({p.role})" for p in pub.team) + "."
            if pub.team
            else "",
        ),
        ("Support and learning", ""),
        (
            "Communications",
            "The study published an interactive summary, a report (web page, tagged PDF, Word "
            "and EPUB), posters and open data.",
        ),
        (
            "Impact",
            " ".join(f"{r.number}. {r.text}" for r in pub.recommendations),
        ),
        (
            "Governance",
            "Participants gave consent to a written text they can read again, can see and erase "
            "what is held about them, and can withdraw at any time; an audit log records who "
            "looked at restricted material.",
        ),
    ]


def render_standards(pub: Publication) -> bytes:
    gaps = sum(1 for _l, t in (*gripp2(pub), *uk_standards(pub)) if not t.strip())
    body = (
        f"<h1>{esc(pub.title)}: reporting standards</h1>"
        "<p>Filled from what the study recorded in Coproduce. "
        + (
            f"{gaps} items are marked for the team to write.</p>"
            if gaps
            else "Every item is filled.</p>"
        )
        + "<h2>GRIPP2 short form</h2>"
        + table("GRIPP2 short form (Staniszewska et al., BMJ 2017)", gripp2(pub))
        + "<h2>UK Standards for Public Involvement</h2>"
        + table("UK Standards for Public Involvement (2019)", uk_standards(pub))
    )
    return page(f"{pub.title}: reporting standards", body, study=pub.title)
