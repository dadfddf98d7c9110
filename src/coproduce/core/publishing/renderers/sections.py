"""The publication's parts as HTML, shared by the report and the interactive summary."""

from __future__ import annotations

from coproduce.core.publishing.model import (
    CaseStudy,
    Finding,
    GroupShare,
    Publication,
    Quote,
    Tally,
    Validation,
    shown,
)
from coproduce.core.publishing.renderers.html import bar_chart, esc, lorenz_chart, paragraphs


def numbers(pub: Publication) -> str:
    """The evidence base in numbers: people and contributions per strand."""
    cards = [
        f"<li><strong>{esc(shown(s.people))}</strong> people in {esc(s.title.lower())}, "
        f"{esc(shown(s.items))} contributions"
        + (f", {esc(shown(s.votes))} votes" if s.votes else "")
        + (
            f"; up to {esc(shown(s.most_per_question))} on one question"
            if s.most_per_question
            else ""
        )
        + "</li>"
        for s in pub.evidence
    ]
    return f'<ul class="numbers">{"".join(cards)}</ul>'


def evidence_charts(pub: Publication) -> str:
    people = tuple(Tally(s.title, s.people) for s in pub.evidence)
    parts = [
        bar_chart(
            "people-by-strand",
            "People who took part, by strand",
            "How many people contributed to each strand of the study.",
            people,
        ),
        bar_chart(
            "roles",
            "Who took part, by the role they gave",
            "How many contributors gave each role in co-production.",
            pub.roles,
        ),
        bar_chart(
            "channels",
            "How contributions arrived",
            "Contributions by the channel they came through (web, paper, phone, in person).",
            pub.channels,
        ),
    ]
    for s in pub.evidence:
        if s.breakdown:
            parts.append(
                bar_chart(
                    f"breakdown-{s.strand}",
                    s.breakdown_title,
                    f"{s.breakdown_title}, for the {s.title.lower()} strand.",
                    s.breakdown,
                )
            )
    return "\n".join(p for p in parts if p)


def quote(q: Quote) -> str:
    return (
        f"<blockquote><p>“{esc(q.words)}”</p>"
        f"<footer>{esc(q.role)}, {esc(q.strand.lower())}</footer></blockquote>"
    )


def finding_detail(f: Finding) -> str:
    themes = ", ".join(f.themes) or "—"
    strands = ", ".join(f.strands) or "—"
    chart = bar_chart(
        f"finding-{f.number}",
        f"Finding {f.number}: supporting contributions by strand",
        "How many contributions in each strand support this finding.",
        f.by_strand,
    )
    return (
        paragraphs(f.text)
        + f"<p><strong>Rests on</strong> {esc(shown(f.items))} contributions from "
        f"{esc(shown(f.people))} people, in {esc(strands)}. <strong>Themes:</strong> "
        f"{esc(themes)}.</p>"
        + "".join(quote(q) for q in f.quotes)
        + (validation(f.validation) if f.validation else "")
        + chart
    )


def validation_sentence(v: Validation) -> str:
    """ "Checked with participants: ..." in one sentence, each person counted once."""
    said = []
    if v.people:
        said.append(
            f"{shown(v.people)} participants answered: {v.agree / v.people:.0%} agree,"
            f" {v.disagree / v.people:.0%} disagree, {v.unsure / v.people:.0%} unsure"
        )
    hands = sum(v.room)
    if hands:
        said.append(
            f"at a reflection session {shown(hands)} hands: {v.room[0] / hands:.0%} agree,"
            f" {v.room[1] / hands:.0%} disagree, {v.room[2] / hands:.0%} unsure"
        )
    return "Checked with participants: " + "; ".join(said) + "."


def validation(v: Validation) -> str:
    rows = "".join(
        f'<tr><th scope="row">{esc(role)}</th><td class="number">{esc(shown(a))}</td>'
        f'<td class="number">{esc(shown(d))}</td><td class="number">{esc(shown(u))}</td></tr>'
        for role, a, d, u in v.by_role
    )
    table = (
        "<table><caption>How participants answered, by role (each person once)</caption>"
        '<thead><tr><th scope="col">Role</th><th scope="col" class="number">Agree</th>'
        '<th scope="col" class="number">Disagree</th><th scope="col" class="number">Unsure</th>'
        f"</tr></thead><tbody>{rows}</tbody></table>"
        if rows
        else ""
    )
    revised = "".join(
        f"<p><strong>Revised after checking:</strong> {esc(r)}</p>" for r in v.revised
    )
    return f'<div class="validation"><p>{esc(validation_sentence(v))}</p>{table}{revised}</div>'


def equity(pub: Publication) -> str:
    """Whose voices were heard: the Lorenz curve, shares by role and channel, differences
    between counting items and people, talk time and whose words were quoted."""
    e = pub.equity
    if e is None:
        return ""
    lead = (
        f"<p>{esc(shown(e.people))} people took part"
        + (f", {esc(shown(e.silent))} of whom enrolled but gave nothing" if e.silent else "")
        + f". The most active tenth of people made {e.top_tenth:.0%} of all contributions and"
        f" the single most active person {e.top_person:.0%}; the Gini coefficient is"
        f" {e.gini:.2f} (0 when everyone contributes alike, near 1 when one person does).</p>"
    )
    chart = lorenz_chart("equity-lorenz", "How evenly people contributed", e.lorenz, e.gini)
    parts = [lead, chart, _shares("Who took part, by role", e.by_role, "Role")]
    parts.append(
        _shares("How people joined and how contributions arrived", e.by_channel, "Channel")
    )
    if e.differences:
        parts.append(
            "<p>Counting each person once, rather than each contribution, changes these"
            " results:</p><ul>" + "".join(f"<li>{esc(d)}</li>" for d in e.differences) + "</ul>"
        )
    if e.talk:
        parts.append(
            "<p>In the joint interviews, the share of words spoken: "
            + "; ".join(f"{esc(name)} {share:.0%}" for name, share in e.talk)
            + ".</p>"
        )
    if e.quoted:
        rows = "".join(
            f'<tr><th scope="row">{esc(q.label)}</th>'
            f'<td class="number">{q.contribution_share:.0%}</td>'
            f'<td class="number">{q.people_share:.0%}</td></tr>'
            for q in e.quoted
        )
        parts.append(
            "<table><caption>Whose words the findings quote, by role</caption><thead><tr>"
            '<th scope="col">Role</th><th scope="col" class="number">Share of quotes</th>'
            '<th scope="col" class="number">Share of participants</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>"
        )
    if e.quoted_by_strand:
        parts.append(
            "<p>The quotes in the findings come from: "
            + "; ".join(f"{esc(name)} {share:.0%}" for name, share in e.quoted_by_strand)
            + ".</p>"
        )
    return "".join(parts)


def _shares(caption: str, groups: tuple[GroupShare, ...], what: str) -> str:
    if not groups:
        return ""
    rows = "".join(
        f'<tr><th scope="row">{esc(g.label)}</th><td class="number">{g.people_share:.0%}</td>'
        f'<td class="number">{g.contribution_share:.0%}</td></tr>'
        for g in groups
    )
    return (
        f"<table><caption>{esc(caption)}</caption><thead><tr>"
        f'<th scope="col">{esc(what)}</th><th scope="col" class="number">Share of people</th>'
        '<th scope="col" class="number">Share of contributions</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def recommendations(pub: Publication) -> str:
    if not pub.recommendations:
        return "<p>No recommendations were made.</p>"
    tag = "ol" if pub.recommendations_ordered else "ul"
    note = (
        "<p>In order of priority.</p>"
        if pub.recommendations_ordered
        else "<p>Not in any order of priority.</p>"
    )
    items = "".join(
        f"<li>{esc(r.text)}"
        + (
            f' <span class="muted">(from finding {", ".join(str(n) for n in r.findings)})</span>'
            if r.findings
            else ""
        )
        + "</li>"
        for r in pub.recommendations
    )
    return f"{note}<{tag}>{items}</{tag}>"


FIELDS = (
    ("what_it_does", "What the organisation does"),
    ("who_it_serves", "Who it serves"),
    ("example", "Its co-production example"),
    ("enabling_factors", "What made it work"),
    ("challenges", "Challenges"),
    ("outcomes_staff", "Outcomes, as staff see them"),
    ("outcomes_service_users", "Outcomes, as service users see them"),
)


def case_study(c: CaseStudy, level: int = 3) -> str:
    parts = [
        f"<h{level + 1}>{esc(label)}</h{level + 1}>{paragraphs(getattr(c, name))}"
        for name, label in FIELDS
        if getattr(c, name).strip()
    ]
    voices = "".join(quote(q) for q in (*c.quotes_staff, *c.quotes_service_users))
    return "".join(parts) + voices


def method(pub: Publication) -> str:
    return "".join(f"<p>{esc(p)}</p>" for p in pub.method)


def credits(pub: Publication, level: int = 3) -> str:
    """The team, partners, funder and attributions; `level` is their headings' level."""
    h = f"h{level}"
    team = "".join(f"<li>{esc(p.name)}, {esc(p.role)}</li>" for p in pub.team)
    partners = "".join(f"<li>{esc(p)}</li>" for p in pub.partners)
    out = []
    if team:
        out.append(f"<{h}>The team</{h}><ul>{team}</ul>")
    if partners:
        out.append(f"<{h}>Partner organisations</{h}><ul>{partners}</ul>")
    if pub.funder:
        out.append(f"<p>Funded by {esc(pub.funder)}.</p>")
    out += [f"<p>{esc(a)}</p>" for a in (*pub.acknowledgements, *pub.attribution)]
    return "".join(out)
