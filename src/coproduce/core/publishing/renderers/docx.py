"""The report as a Word document (.docx): real heading styles, a table of contents, charts as
pictures with alt text and their numbers as tables whose header rows repeat, in en-GB."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import datetime

from docx import Document
from docx.document import Document as Doc
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import _Row

from coproduce.core.publishing.model import Equity, Finding, Publication, Tally, shown
from coproduce.core.publishing.renderers.sections import validation_sentence

Chart = Callable[[str, tuple[Tally, ...]], None]

LANG = "en-GB"
STAMP = (1980, 1, 1, 0, 0, 0)


def chart_png(bars: tuple[Tally, ...]) -> bytes:
    """A plain horizontal bar chart as a PNG (the numbers are also given as a table)."""
    from PIL import Image, ImageDraw, ImageFont

    row, left, width = 44, 330, 1000
    image = Image.new("RGB", (width, row * len(bars) + 20), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(24)
    top = max(b.count for b in bars) or 1
    for n, bar in enumerate(bars):
        y = n * row + 10
        length = max(2, round((width - left - 140) * bar.count / top))
        draw.text((left - 12, y + 16), bar.label[:26], fill="black", font=font, anchor="rm")
        draw.rectangle((left, y, left + length, y + 32), fill=(0, 89, 79))
        draw.text(
            (left + length + 10, y + 16), shown(bar.count), fill="black", font=font, anchor="lm"
        )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def render_docx(pub: Publication) -> bytes:
    document = Document()
    _language(document)
    made = datetime(pub.edition.year, pub.edition.month, pub.edition.day)
    props = document.core_properties
    props.title, props.language, props.author = pub.title, LANG, "Coproduce"
    props.created = props.modified = made
    props.last_printed = made
    props.revision = 1
    document.add_heading(pub.title, 0)
    if pub.summary:
        document.add_paragraph(pub.summary)
    document.add_heading("Contents", 1)
    _contents(document)

    def chart(title: str, bars: tuple[Tally, ...]) -> None:
        if not bars:
            return
        document.add_picture(io.BytesIO(chart_png(bars)), width=Cm(15))
        picture = document.inline_shapes[-1]._inline
        picture.docPr.set(
            "descr", f"{title}: " + "; ".join(f"{b.label} {shown(b.count)}" for b in bars)
        )
        picture.docPr.set("title", title)
        document.add_paragraph(title, style="Caption")
        table = document.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        head = table.rows[0]
        head.cells[0].text, head.cells[1].text = "What", "How many"
        _repeat_header(head)
        for bar in bars:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = bar.label, shown(bar.count)

    document.add_heading("About the study", 1)
    for aim in pub.aims:
        document.add_paragraph(aim, style="List Bullet")
    document.add_heading("The evidence base", 1)
    for s in pub.evidence:
        document.add_paragraph(
            f"{s.title}: {shown(s.people)} people, {shown(s.items)} contributions"
            + (f", {shown(s.votes)} votes" if s.votes else ""),
            style="List Bullet",
        )
    chart("People who took part, by strand", tuple(Tally(s.title, s.people) for s in pub.evidence))
    chart("Who took part, by the role they gave", pub.roles)
    document.add_heading("How it was done", 1)
    for line in pub.method:
        document.add_paragraph(line)
    document.add_heading("What we found", 1)
    for finding in pub.findings:
        _finding(document, finding, chart)
    document.add_heading("Recommendations", 1)
    document.add_paragraph(
        "In order of priority." if pub.recommendations_ordered else "Not in any order of priority."
    )
    style = "List Number" if pub.recommendations_ordered else "List Bullet"
    for r in pub.recommendations:
        document.add_paragraph(r.text, style=style)
    if pub.equity:
        _equity(document, pub.equity)
    if pub.case_studies:
        document.add_heading("Case studies", 1)
        for case in pub.case_studies:
            document.add_heading(case.organisation, 2)
            for label, words in (
                ("What the organisation does", case.what_it_does),
                ("Its co-production example", case.example),
                ("What made it work", case.enabling_factors),
                ("Challenges", case.challenges),
            ):
                if words.strip():
                    document.add_heading(label, 3)
                    document.add_paragraph(words)
            for q in (*case.quotes_staff, *case.quotes_service_users):
                document.add_paragraph(f"“{q.words}” ({q.role})", style="Quote")
    document.add_heading("Credits", 1)
    for line in (*pub.partners, *pub.acknowledgements, *pub.attribution):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return _fixed_dates(out.getvalue())


def _finding(document: Doc, f: Finding, chart: Chart) -> None:
    document.add_heading(f"{f.number}. {f.title}", 2)
    if f.text:
        document.add_paragraph(f.text)
    document.add_paragraph(
        f"Rests on {shown(f.items)} contributions from {shown(f.people)} people, in "
        f"{', '.join(f.strands) or '—'}. Themes: {', '.join(f.themes) or '—'}."
    )
    for q in f.quotes:
        document.add_paragraph(f"“{q.words}” ({q.role}, {q.strand.lower()})", style="Quote")
    if f.validation:
        document.add_paragraph(validation_sentence(f.validation))
        for reason in f.validation.revised:
            document.add_paragraph(f"Revised after checking: {reason}")
    chart(f"Finding {f.number}: supporting contributions by strand", f.by_strand)


def _equity(document: Doc, e: Equity) -> None:
    document.add_heading("Whose voices were heard", 1)
    document.add_paragraph(
        f"{shown(e.people)} people took part"
        + (f", {shown(e.silent)} of whom enrolled but gave nothing" if e.silent else "")
        + f". The most active tenth of people made {e.top_tenth:.0%} of all contributions and"
        f" the single most active person {e.top_person:.0%}; the Gini coefficient is"
        f" {e.gini:.2f} (0 when everyone contributes alike, near 1 when one person does)."
    )
    for caption, groups in (("By role", e.by_role), ("By channel", e.by_channel)):
        if not groups:
            continue
        document.add_paragraph(caption, style="Caption")
        table = document.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        head = table.rows[0]
        head.cells[0].text, head.cells[1].text = "Group", "Share of people"
        head.cells[2].text = "Share of contributions"
        _repeat_header(head)
        for g in groups:
            cells = table.add_row().cells
            cells[0].text = g.label
            cells[1].text, cells[2].text = f"{g.people_share:.0%}", f"{g.contribution_share:.0%}"
    for sentence in e.differences:
        document.add_paragraph(sentence, style="List Bullet")
    if e.talk:
        document.add_paragraph(
            "In the joint interviews, the share of words spoken: "
            + "; ".join(f"{name} {share:.0%}" for name, share in e.talk)
            + "."
        )


def _language(document: Doc) -> None:
    """Every run in the document is in en-GB, unless it says otherwise."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    run = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = run.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run.append(lang)
    lang.set(qn("w:val"), LANG)
    lang.set(qn("w:eastAsia"), LANG)
    lang.set(qn("w:bidi"), LANG)


def _contents(document: Doc) -> None:
    """A table-of-contents field over headings 1 to 3 (Word and LibreOffice fill it in)."""
    paragraph = document.add_paragraph()
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), 'TOC \\o "1-3" \\h \\z \\u')
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "Update this field to see the contents (in Word: right-click, Update Field)."
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _repeat_header(row: _Row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _fixed_dates(data: bytes) -> bytes:
    """The same zip with a fixed date on every entry, so the same report gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=STAMP)
            target.writestr(entry, source.read(info), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
