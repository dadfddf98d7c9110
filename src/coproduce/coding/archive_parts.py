"""The analysis in the study archive: codebook, codings, themes, findings, recommendations.

Everything here points at evidence, whose ids hold database ids; the archive writes each
strand's natural key instead (coproduce.archive.evidence_keys) and maps it back on import.
Codings and theme items on evidence left out of the archive (withdrawn) are left out with it.
"""

from __future__ import annotations

from typing import Any, NamedTuple
from uuid import UUID

from coproduce.archive import (
    ArchivePart,
    ImportContext,
    evidence_keys,
    register_evidence_keys,
    register_part,
    rows,
)
from coproduce.coding.models import (
    AnalysisSettings,
    Code,
    Coding,
    Document,
    Finding,
    Memo,
    Recommendation,
    Theme,
    ThemeItem,
)
from coproduce.studies.archive_parts import (
    optional_account,
    parse_datetime,
    parse_optional_datetime,
    when,
)
from coproduce.studies.models import Study

CODE_FIELDS = ("name", "description", "colour", "inclusion", "exclusion", "position")
THEME_FIELDS = ("label", "description", "status", "suggested_by", "terms")
THEME_LANGUAGE = "language"  # archives written before themes had languages have none


def document_keys(study: Study) -> dict[str, str]:
    """Imported documents are named by their place in the archive."""
    pks = Document.objects.filter(study=study).order_by("pk").values_list("pk", flat=True)
    return {f"document:{pk}": f"document:{n}" for n, pk in enumerate(pks)}


def code_order(codes: list[Code]) -> list[Code]:
    """Codes by their path, so every parent comes before its children, whatever the ids."""
    by_pk = {c.pk: c for c in codes}

    def path(code: Code) -> list[str]:
        names = [code.name]
        while code.parent_id is not None:
            code = by_pk[code.parent_id]
            names.append(code.name)
        return names[::-1]

    return sorted(codes, key=path)


class CodingRow(NamedTuple):
    """A coding in the archive (a JSON array, in this order)."""

    code: str  # the code's guid
    evidence: str  # the evidence's natural key
    start: int
    end: int
    passage: str
    coder: str  # the coder's e-mail address
    imported_coder: str  # the coder as another tool named them, or ""
    created_at: str | None
    guid: str


class ThemeItemRow(NamedTuple):
    """An item of a theme: the evidence's natural key and the verbatim quote chosen, or ""."""

    evidence: str
    quote: str


class QuoteRef(NamedTuple):
    """A finding's quote: which theme (its index in the part) and which of its items."""

    theme: int
    evidence: str


def dump(study: Study) -> dict[str, Any]:
    keys = evidence_keys(study)
    codes = code_order(list(Code.objects.filter(study=study)))
    guid = {c.pk: str(c.guid) for c in codes}
    codings = [
        CodingRow(
            guid[c.code_id],
            keys[c.evidence_id],
            c.start,
            c.end,
            c.passage,
            c.coder.email,
            c.imported_coder,
            when(c.created_at),
            str(c.guid),
        )
        for c in Coding.objects.filter(study=study).select_related("coder")
        if c.evidence_id in keys
    ]
    codings.sort(key=lambda c: (c.evidence, c.start, c.end, c.code, c.coder, c.imported_coder))
    themes = list(
        Theme.objects.filter(study=study).select_related("reviewed_by").prefetch_related("items")
    )
    theme_index = {t.pk: n for n, t in enumerate(themes)}
    item_key: dict[int, QuoteRef] = {}
    for t in themes:
        for i in t.items.all():
            if i.evidence_id in keys:
                item_key[i.pk] = QuoteRef(theme_index[t.pk], keys[i.evidence_id])
    findings = list(Finding.objects.filter(study=study).prefetch_related("themes", "quotes"))
    finding_index = {f.pk: n for n, f in enumerate(findings)}
    settings = AnalysisSettings.objects.filter(study=study).first()
    return {
        "recommendations_ordered": bool(settings and settings.recommendations_ordered),
        "documents": [
            {
                "name": d.name,
                "text": d.text,
                "imported_from": d.imported_from,
                "consent": d.consent,
                "created_at": when(d.created_at),
            }
            for d in Document.objects.filter(study=study).order_by("pk")
        ],
        "codes": [
            {
                "guid": guid[c.pk],
                "parent": guid[c.parent_id] if c.parent_id else None,
                **{name: getattr(c, name) for name in CODE_FIELDS},
            }
            for c in codes
        ],
        "codings": rows(codings),
        "themes": [
            {
                **{name: getattr(t, name) for name in (*THEME_FIELDS, THEME_LANGUAGE)},
                "code": guid[t.code_id] if t.code_id else None,
                "reviewed_by": t.reviewed_by.email if t.reviewed_by else None,
                "reviewed_at": when(t.reviewed_at),
                "created_at": when(t.created_at),
                "items": rows(
                    ThemeItemRow(keys[i.evidence_id], i.quote)
                    for i in t.items.all()
                    if i.pk in item_key
                ),
            }
            for t in themes
        ],
        "findings": [
            {
                "position": f.position,
                "title": f.title,
                "text": f.text,
                "themes": sorted(theme_index[t.pk] for t in f.themes.all()),
                "quotes": rows(sorted(item_key[q.pk] for q in f.quotes.all() if q.pk in item_key)),
            }
            for f in findings
        ],
        "recommendations": [
            {
                "position": r.position,
                "text": r.text,
                "findings": sorted(finding_index[f.pk] for f in r.findings.all()),
            }
            for r in Recommendation.objects.filter(study=study).prefetch_related("findings")
        ],
        "memos": [
            {
                "guid": str(m.guid),
                "code": guid[m.code_id] if m.code_id else None,
                "evidence": keys[m.evidence_id] if m.evidence_id else None,
                "author": m.author.email if m.author else None,
                "text": m.text,
                "created_at": when(m.created_at),
            }
            for m in Memo.objects.filter(study=study).select_related("author")
            if not m.evidence_id or m.evidence_id in keys
        ],
    }


def load(context: ImportContext, data: dict[str, Any]) -> None:
    study = context.study
    if data["recommendations_ordered"]:
        AnalysisSettings.objects.create(study=study, recommendations_ordered=True)
    for n, row in enumerate(data["documents"]):
        document = Document.objects.create(
            study=study,
            name=row["name"],
            text=row["text"],
            imported_from=row["imported_from"],
            consent=row["consent"],
            created_at=parse_datetime(row["created_at"]),
        )
        context.remember("evidence", f"document:{n}", f"document:{document.pk}")
    for row in data["codes"]:
        parent = (
            context.get("code", row["parent"], f"code {row['name']!r}") if row["parent"] else None
        )
        code = Code.objects.create(
            study=study,
            parent=parent,
            guid=UUID(row["guid"]),
            **{name: row[name] for name in CODE_FIELDS},
        )
        context.remember("code", row["guid"], code)

    def evidence(key: str, where: str) -> str:
        found: str = context.get("evidence", key, where)
        return found

    coders: dict[str, Any] = {}
    batch = []
    for c in map(CodingRow._make, data["codings"]):
        where = f"a coding on {c.evidence}"
        if c.coder not in coders:
            coders[c.coder] = optional_account(c.coder)
        batch.append(
            Coding(
                study=study,
                code=context.get("code", c.code, where),
                evidence_id=evidence(c.evidence, where),
                start=c.start,
                end=c.end,
                passage=c.passage,
                coder=coders[c.coder],
                imported_coder=c.imported_coder,
                created_at=parse_datetime(str(c.created_at)),
                guid=UUID(c.guid),
            )
        )
    Coding.objects.bulk_create(batch, batch_size=500)
    themes = []
    items: dict[tuple[int, str], ThemeItem] = {}
    for n, row in enumerate(data["themes"]):
        where = f"theme {row['label']!r}"
        theme = Theme.objects.create(
            study=study,
            **{name: row[name] for name in THEME_FIELDS},
            language=row.get(THEME_LANGUAGE, ""),
            code=context.get("code", row["code"], where) if row["code"] else None,
            reviewed_by=optional_account(row["reviewed_by"]),
            reviewed_at=parse_optional_datetime(row["reviewed_at"]),
            created_at=parse_datetime(row["created_at"]),
        )
        themes.append(theme)
        for item in map(ThemeItemRow._make, row["items"]):
            items[(n, item.evidence)] = ThemeItem.objects.create(
                theme=theme, evidence_id=evidence(item.evidence, where), quote=item.quote
            )
    findings: list[Finding] = []
    for row in data["findings"]:
        finding = Finding.objects.create(
            study=study, position=row["position"], title=row["title"], text=row["text"]
        )
        finding.themes.set([themes[n] for n in row["themes"]])
        quotes = map(QuoteRef._make, row["quotes"])
        finding.quotes.set([items[(q.theme, q.evidence)] for q in quotes])
        context.remember("finding", str(len(findings)), finding)  # by its place, as dumped
        findings.append(finding)
    for row in data["recommendations"]:
        recommendation = Recommendation.objects.create(
            study=study, position=row["position"], text=row["text"]
        )
        recommendation.findings.set([findings[n] for n in row["findings"]])
    for row in data.get("memos", []):  # archives written before memos have none
        where = f"a memo ({row['text'][:40]!r})"
        Memo.objects.create(
            study=study,
            guid=UUID(row["guid"]),
            code=context.get("code", row["code"], where) if row["code"] else None,
            evidence_id=evidence(row["evidence"], where) if row["evidence"] else "",
            author=optional_account(row["author"]),
            text=row["text"],
            created_at=parse_datetime(row["created_at"]),
        )


register_part(
    ArchivePart(
        "analysis",
        1,
        90,
        dump,
        load,
        holds=(
            "Coded passages (verbatim words) with their coders' e-mail addresses, themes, "
            "quotes, findings, and memos with their authors' e-mail addresses."
        ),
    )
)
register_evidence_keys("document", document_keys)
