"""Retrieval: every passage coded with a code (and its sub-codes), across strands, with its
item, strand, role and coder; filtered by coder, role and strand; exported as CSV, a web page
or a Word document. Only passages of items the person may read are retrieved."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from html import escape

from coproduce.accounts.models import User
from coproduce.coding import codebook
from coproduce.coding.codings import coder_of
from coproduce.coding.evidence import evidence_for
from coproduce.coding.models import Code, Coding
from coproduce.studies.models import Study

COLUMNS = ("code", "evidence_id", "strand", "role", "coder", "passage")


@dataclass(frozen=True)
class Passage:
    code: str  # its path, "Parent > Child"
    evidence_id: str
    strand: str
    role: str
    coder: str
    text: str


@dataclass(frozen=True)
class Filters:
    code: Code | None = None  # with its sub-codes; None: every code
    coder: str = ""  # as coder_of names them
    role: str = ""
    strand: str = ""


def under(code: Code, study: Study) -> set[int]:
    """The code's id and its sub-codes', at any depth."""
    children: dict[int | None, list[int]] = {}
    for c in Code.objects.filter(study=study).only("pk", "parent_id"):
        children.setdefault(c.parent_id, []).append(c.pk)
    found, waiting = set(), [code.pk]
    while waiting:
        pk = waiting.pop()
        found.add(pk)
        waiting += children.get(pk, [])
    return found


def passages(study: Study, by: User, filters: Filters) -> list[Passage]:
    """The coded passages the filters ask for, by code (in codebook order), then item."""
    readable = evidence_for(study, by)
    paths = codebook.paths(study)
    order = {pk: n for n, pk in enumerate(paths)}
    found = Coding.objects.filter(study=study).select_related("coder")
    if filters.code is not None:
        found = found.filter(code_id__in=under(filters.code, study))
    result = []
    for coding in found:
        record = readable.get(coding.evidence_id)
        if record is None:
            continue  # not an item this person may read (or its contributor withdrew)
        coder = coder_of(coding)
        role, strand = str(record.role), str(record.strand)
        if filters.coder and coder != filters.coder:
            continue
        if (filters.role and role != filters.role) or (filters.strand and strand != filters.strand):
            continue
        result.append(
            (
                order.get(coding.code_id, 0),
                coding.evidence_id,
                coding.start,
                Passage(
                    paths.get(coding.code_id, ""),
                    coding.evidence_id,
                    strand,
                    role,
                    coder,
                    coding.passage,
                ),
            )
        )
    return [p for *_, p in sorted(result, key=lambda r: r[:3])]


def as_csv(found: list[Passage]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for p in found:
        writer.writerow([p.code, p.evidence_id, p.strand, p.role, p.coder, p.text])
    return out.getvalue().encode("utf-8-sig")


def as_html(study: Study, found: list[Passage], title: str) -> bytes:
    """A page on its own (no server needed): each code's passages under its heading."""
    body = [f"<h1>{escape(title)}</h1>", f"<p>{escape(study.title)}: {len(found)} passages.</p>"]
    current = None
    for p in found:
        if p.code != current:
            body.append(f"<h2>{escape(p.code)}</h2>")
            current = p.code
        body.append(
            f"<blockquote><p>{escape(p.text)}</p><footer>{escape(p.evidence_id)}, "
            f"{escape(p.strand)}, {escape(p.role)}; coded by {escape(p.coder)}</footer>"
            "</blockquote>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body><main>{''.join(body)}</main></body></html>\n"
    ).encode()


def as_docx(study: Study, found: list[Passage], title: str) -> bytes:
    """A Word document: a heading for each code, its passages quoted beneath."""
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.add_heading(title, level=0)
    document.add_paragraph(f"{study.title}: {len(found)} passages.")
    current = None
    for p in found:
        if p.code != current:
            document.add_heading(p.code, level=1)
            current = p.code
        document.add_paragraph(p.text, style="Quote")
        document.add_paragraph(f"{p.evidence_id}, {p.strand}, {p.role}; coded by {p.coder}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
