"""Coding, agreement, theme review, triangulation, findings and interchange for a study.

Views and the CLI call these; each checks the person's role in the study first.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.coding import codebook
from coproduce.coding.limits import fitted
from coproduce.coding.models import (
    AnalysisSettings,
    Code,
    Coding,
    Document,
    Finding,
    Recommendation,
    Theme,
    ThemeItem,
    ThemeStatus,
)
from coproduce.core.analysis.agreement import Agreement, per_code
from coproduce.core.errors import Conflict, InvalidInput, NotFound
from coproduce.core.evidence import ConsentLevel, EvidenceRecord, Strand
from coproduce.core.formats import refi_qda
from coproduce.studies import services as study_services
from coproduce.studies.models import Study
from coproduce.studies.permissions import Permission
from coproduce.studies.strands import evidence_items

EDIT = Permission.CHANGE_STUDY


def evidence_by_id(
    study: Study, at_least: ConsentLevel = ConsentLevel.STORE
) -> dict[str, EvidenceRecord]:
    return {r.evidence_id: r for r in evidence_items(study, at_least=at_least)}


def evidence(study: Study, evidence_id: str) -> EvidenceRecord:
    found = evidence_by_id(study).get(evidence_id)
    if found is None:
        raise NotFound(
            _("There is no evidence '%(e)s' in this study (or its contributor withdrew).")
            % {"e": evidence_id}
        )
    return found


# Coding --------------------------------------------------------------------------------------


def code_passage(
    study: Study,
    by: Any,
    code: Code,
    evidence_id: str,
    *,
    start: int | None = None,
    end: int | None = None,
    passage: str = "",
) -> Coding:
    """Code a passage, given by its offsets or by its words (which must occur exactly once)."""
    study_services.require(by, EDIT, study)
    if code.study_id != study.pk:
        raise InvalidInput(_("That code belongs to another study."))
    text = evidence(study, evidence_id).text
    if start is None or end is None:
        start, end = locate(text, passage)
    if not 0 <= start < end <= len(text):
        raise InvalidInput(
            _("The passage (%(s)d to %(e)d) lies outside the text's %(n)d characters.")
            % {"s": start, "e": end, "n": len(text)}
        )
    try:
        with transaction.atomic():
            return Coding.objects.create(
                study=study,
                code=code,
                evidence_id=evidence_id,
                start=start,
                end=end,
                passage=text[start:end],
                coder=by,
            )
    except IntegrityError:
        raise Conflict(
            _("You have already coded that passage with '%(c)s'.") % {"c": code.name}
        ) from None


def locate(text: str, passage: str) -> tuple[int, int]:
    wanted = passage.strip()
    if not wanted:
        raise InvalidInput(_("Select or paste the words to code, exactly as they appear."))
    first = text.find(wanted)
    if first < 0:
        raise InvalidInput(_("Those words are not in the text; copy them exactly as they appear."))
    if text.find(wanted, first + 1) >= 0:
        raise InvalidInput(_("Those words appear more than once; select a longer passage."))
    return first, first + len(wanted)


def remove_coding(coding: Coding, by: Any) -> None:
    study_services.require(by, EDIT, coding.study)
    if coding.coder_id != by.pk and not by.has_perm(Permission.MANAGE_TEAM, coding.study):
        raise InvalidInput(_("Only the coder (or the study's owner) can remove a coding."))
    coding.delete()


def coder_of(coding: Coding) -> str:
    return coding.imported_coder or coding.coder.name or coding.coder.email


# Agreement -----------------------------------------------------------------------------------

SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


@dataclass(frozen=True)
class AgreementReport:
    unit: str
    coders: list[str]  # the coders compared
    units: int
    codes: list[Agreement]
    everyone: list[str] = field(default_factory=list)  # everyone who has coded in the study


def agreement(
    study: Study, unit: str = "item", coders: Sequence[str] | None = None
) -> AgreementReport:
    """Per-code agreement over the items (or sentences) that every compared coder coded.

    `coders` names whom to compare; names nobody codes under are ignored, and with fewer than
    two left everyone is compared.
    """
    if unit not in ("item", "segment"):
        raise InvalidInput(_("Agreement is measured per item or per segment."))
    codings = list(Coding.objects.filter(study=study).select_related("coder"))
    by_coder: dict[str, list[Coding]] = defaultdict(list)
    for c in codings:
        by_coder[coder_of(c)].append(c)
    everyone = sorted(by_coder)
    chosen = sorted(name for name in coders or () if name in by_coder)
    if len(chosen) < 2:
        chosen = everyone
    if len(chosen) < 2:
        return AgreementReport(unit, chosen, 0, [], everyone)
    shared = set.intersection(*({c.evidence_id for c in by_coder[name]} for name in chosen))
    texts = evidence_by_id(study)
    items = sorted(i for i in shared if i in texts)
    # Each item's units with their character spans: the whole item, or each sentence.
    segments: dict[str, list[tuple[str, int, int]]] = {}
    for item in items:
        text = texts[item].text
        segments[item] = (
            [(item, 0, len(text))]
            if unit == "item"
            else [
                (f"{item}#{n}", m.start(), m.end())
                for n, m in enumerate(SENTENCE.finditer(text))
                if m.group().strip()
            ]
        )
    units = [u for item in items for u, _s, _e in segments[item]]
    paths = codebook.paths(study)
    applied: dict[str, set[tuple[str, str]]] = {name: set() for name in chosen}
    for name in chosen:
        for c in by_coder[name]:
            for u, start, end in segments.get(c.evidence_id, []):
                if c.start < end and c.end > start:
                    applied[name].add((u, paths[c.code_id]))
    used = {code for pairs in applied.values() for _u, code in pairs}
    names = list(paths.values())
    return AgreementReport(
        unit,
        chosen,
        len(units),
        per_code(applied, units, [n for n in names if n in used]),
        everyone,
    )


# Themes --------------------------------------------------------------------------------------


def suggest(
    study: Study, by: Any, *, backend: str = "default", k: int | None = None
) -> list[Theme]:
    """Replace the unreviewed suggestions with fresh ones from all the study's evidence."""
    # Imported here: numpy, scipy and scikit-learn are slow to load, and only this needs them.
    from coproduce.core.analysis.themes import Text, suggest_themes

    study_services.require(by, EDIT, study)
    items = evidence_items(study)
    texts = [Text(r.evidence_id, r.text) for r in items if r.text.strip()]
    result = suggest_themes(texts, backend=backend, k=k, source=_("this study's evidence"))
    with transaction.atomic():
        Theme.objects.filter(study=study, status=ThemeStatus.SUGGESTED).delete()
        made = []
        for s in result.themes:
            theme = Theme.objects.create(
                study=study, label=s.label[:200], terms=list(s.terms), suggested_by=result.backend
            )
            quotes = {q.id: q.text for q in s.quotes}
            ThemeItem.objects.bulk_create(
                ThemeItem(theme=theme, evidence_id=i, quote=quotes.get(i, "")) for i in s.ids
            )
            made.append(theme)
    return made


def _review(theme: Theme, by: Any) -> None:
    study_services.require(by, EDIT, theme.study)


def rename(theme: Theme, by: Any, label: str, description: str = "") -> Theme:
    _review(theme, by)
    if not label.strip():
        raise InvalidInput(_("A theme needs a name."))
    theme.label = fitted(label, Theme, "label", _("theme's name"))
    theme.description = description.strip()
    theme.save(update_fields=["label", "description"])
    return theme


def accept(theme: Theme, by: Any, *, as_code: bool = False) -> Theme:
    """Accept a theme (a person's decision); optionally make it a code applied to its items."""
    _review(theme, by)
    with transaction.atomic():
        theme.status = ThemeStatus.ACCEPTED
        theme.reviewed_by, theme.reviewed_at = by, timezone.now()
        if as_code and theme.code is None:
            theme.code = codebook.find_or_add(theme.study, by, ["Themes", theme.label])
            texts = evidence_by_id(theme.study)
            for item in theme.items.all():
                if item.evidence_id in texts and texts[item.evidence_id].text:
                    Coding.objects.get_or_create(
                        study=theme.study,
                        code=theme.code,
                        evidence_id=item.evidence_id,
                        start=0,
                        end=len(texts[item.evidence_id].text),
                        coder=by,
                        imported_coder="",
                        defaults={"passage": texts[item.evidence_id].text},
                    )
        theme.save()
    return theme


def set_aside(theme: Theme, by: Any) -> Theme:
    _review(theme, by)
    if theme.findings.exists():
        raise Conflict(_("A finding rests on this theme; unlink it from the finding first."))
    theme.status, theme.reviewed_by, theme.reviewed_at = ThemeStatus.SET_ASIDE, by, timezone.now()
    theme.save()
    return theme


def merge(themes: Sequence[Theme], by: Any, label: str = "") -> Theme:
    """Merge themes into the first; the others' items move to it and they are removed."""
    if len(themes) < 2:
        raise InvalidInput(_("Choose two or more themes to merge."))
    first, rest = themes[0], themes[1:]
    _review(first, by)
    with transaction.atomic():
        have = set(first.items.values_list("evidence_id", flat=True))
        for other in rest:
            if other.study_id != first.study_id:
                raise InvalidInput(_("Themes from different studies cannot be merged."))
            for item in other.items.all():
                if item.evidence_id not in have:
                    ThemeItem.objects.create(
                        theme=first, evidence_id=item.evidence_id, quote=item.quote
                    )
                    have.add(item.evidence_id)
            for finding in other.findings.all():
                finding.themes.add(first)
            other.delete()
        if label.strip():
            first.label = fitted(label, Theme, "label", _("theme's name"))
            first.save(update_fields=["label"])
    return first


def split(theme: Theme, by: Any, evidence_ids: Iterable[str], label: str) -> Theme:
    """Move the chosen items of a theme into a new theme of the same status."""
    _review(theme, by)
    moving = list(theme.items.filter(evidence_id__in=list(evidence_ids)))
    if not moving or len(moving) == theme.items.count():
        raise InvalidInput(_("Choose some, but not all, of the theme's items to split off."))
    if not label.strip():
        raise InvalidInput(_("Give the new theme a name."))
    label = fitted(label, Theme, "label", _("theme's name"))
    with transaction.atomic():
        new = Theme.objects.create(
            study=theme.study,
            label=label,
            status=theme.status,
            suggested_by=theme.suggested_by,
        )
        ThemeItem.objects.filter(pk__in=[m.pk for m in moving]).update(theme=new)
    return new


def add_theme(study: Study, by: Any, label: str, evidence_ids: Iterable[str] = ()) -> Theme:
    """A theme the team writes itself: accepted from the start."""
    study_services.require(by, EDIT, study)
    if not label.strip():
        raise InvalidInput(_("A theme needs a name."))
    theme = Theme.objects.create(
        study=study,
        label=fitted(label, Theme, "label", _("theme's name")),
        status=ThemeStatus.ACCEPTED,
        reviewed_by=by,
        reviewed_at=timezone.now(),
    )
    known = evidence_by_id(study)
    for i in evidence_ids:
        if i not in known:
            raise NotFound(_("There is no evidence '%(e)s' in this study.") % {"e": i})
        ThemeItem.objects.get_or_create(theme=theme, evidence_id=i)
    return theme


def mark_quote(theme: Theme, by: Any, evidence_id: str, words: str) -> ThemeItem:
    """Choose verbatim words from one of the theme's items as a quote for it."""
    _review(theme, by)
    item = theme.items.filter(evidence_id=evidence_id).first()
    if item is None:
        raise NotFound(_("That item is not part of this theme."))
    text = evidence(theme.study, evidence_id).text
    start, end = locate(text, words)
    item.quote = text[start:end]
    item.save(update_fields=["quote"])
    return item


# Triangulation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Support:
    items: int
    people: int


@dataclass(frozen=True)
class MatrixRow:
    theme: Theme
    cells: dict[Strand, Support]
    strands: int
    items: int
    people: int


def supporting_items(theme: Theme) -> set[str]:
    ids = set(theme.items.values_list("evidence_id", flat=True))
    if theme.code_id is not None:
        ids |= set(
            Coding.objects.filter(code_id=theme.code_id).values_list("evidence_id", flat=True)
        )
    return ids


def triangulation(study: Study) -> tuple[list[Strand], list[MatrixRow]]:
    """Accepted themes x strands: distinct items and people supporting each theme in each."""
    records = evidence_by_id(study)
    strands = sorted({r.strand for r in records.values()}, key=list(Strand).index)
    rows = []
    for theme in Theme.objects.filter(study=study, status=ThemeStatus.ACCEPTED):
        found = [records[i] for i in supporting_items(theme) if i in records]
        cells = {}
        for strand in strands:
            mine = [r for r in found if r.strand == strand]
            cells[strand] = Support(len(mine), len({r.author for r in mine if r.author}))
        rows.append(
            MatrixRow(
                theme=theme,
                cells=cells,
                strands=sum(1 for c in cells.values() if c.items),
                items=len(found),
                people=len({r.author for r in found if r.author}),
            )
        )
    rows.sort(key=lambda r: (-r.strands, -r.people, r.theme.label))
    return strands, rows


# Findings and recommendations ----------------------------------------------------------------


def _accepted(study: Study, theme_ids: Iterable[int]) -> list[Theme]:
    themes = list(Theme.objects.filter(study=study, pk__in=list(theme_ids)))
    if any(t.status != ThemeStatus.ACCEPTED for t in themes):
        raise InvalidInput(_("Accept a theme before a finding rests on it."))
    return themes


def save_finding(
    study: Study,
    by: Any,
    title: str,
    text: str = "",
    theme_ids: Iterable[int] = (),
    finding: Finding | None = None,
) -> Finding:
    study_services.require(by, EDIT, study)
    if not title.strip():
        raise InvalidInput(_("Give the finding a headline."))
    title = fitted(title, Finding, "title", _("headline"))
    themes = _accepted(study, theme_ids)
    with transaction.atomic():
        if finding is None:
            finding = Finding.objects.create(
                study=study, title=title.strip(), text=text.strip(), position=study.findings.count()
            )
        else:
            finding.title, finding.text = title.strip(), text.strip()
            finding.save()
        finding.themes.set(themes)
        quotes = ThemeItem.objects.filter(theme__in=themes).exclude(quote="")
        finding.quotes.set(quotes)
    return finding


def save_recommendation(
    study: Study,
    by: Any,
    text: str,
    finding_ids: Iterable[int] = (),
    recommendation: Recommendation | None = None,
) -> Recommendation:
    """Add a recommendation, or change one (its words and the findings it answers)."""
    study_services.require(by, EDIT, study)
    if not text.strip():
        raise InvalidInput(_("Write the recommendation."))
    findings = Finding.objects.filter(study=study, pk__in=list(finding_ids))
    with transaction.atomic():
        if recommendation is None:
            recommendation = Recommendation.objects.create(
                study=study, text=text.strip(), position=study.recommendations.count()
            )
        else:
            recommendation.text = text.strip()
            recommendation.save()
        recommendation.findings.set(findings)
    return recommendation


Listed = Finding | Recommendation


def _siblings(item: Listed) -> list[Listed]:
    model = type(item)
    return list(model.objects.filter(study_id=item.study_id).order_by("position", "pk"))


def _renumber(items: Sequence[Listed]) -> None:
    for n, item in enumerate(items):
        if item.position != n:
            item.position = n
            item.save(update_fields=["position"])


def move(item: Listed, by: Any, steps: int) -> None:
    """Move a finding or recommendation up (negative steps) or down the team's list."""
    study_services.require(by, EDIT, item.study)
    with transaction.atomic():
        items = [i for i in _siblings(item) if i.pk != item.pk]
        here = [i.pk for i in _siblings(item)].index(item.pk)
        items.insert(max(0, min(len(items), here + steps)), item)
        _renumber(items)


def delete(item: Listed, by: Any) -> None:
    """Delete a finding (its recommendations stay, unlinked) or a recommendation."""
    study_services.require(by, EDIT, item.study)
    with transaction.atomic():
        item.delete()
        _renumber(_siblings(item))


def set_priority_order(study: Study, by: Any, ordered: bool) -> None:
    study_services.require(by, EDIT, study)
    AnalysisSettings.objects.update_or_create(
        study=study, defaults={"recommendations_ordered": ordered}
    )


def recommendations_ordered(study: Study) -> bool:
    found = AnalysisSettings.objects.filter(study=study).first()
    return bool(found and found.recommendations_ordered)


@dataclass(frozen=True)
class Evidence:
    """What backs a finding, as outputs may show it: counts, strands and quotable quotes."""

    items: int
    people: int
    strands: list[Strand]
    quotes: list[tuple[str, EvidenceRecord]]


def finding_evidence(finding: Finding) -> Evidence:
    records = evidence_by_id(finding.study)
    ids: set[str] = set().union(*(supporting_items(t) for t in finding.themes.all()))
    found = [records[i] for i in ids if i in records]
    quotable = evidence_by_id(finding.study, ConsentLevel.QUOTE)
    quotes = [
        (q.quote, quotable[q.evidence_id])
        for q in finding.quotes.all()
        if q.evidence_id in quotable
    ]
    return Evidence(
        items=len(found),
        people=len({r.author for r in found if r.author}),
        strands=sorted({r.strand for r in found}, key=list(Strand).index),
        quotes=quotes,
    )


# REFI-QDA projects ---------------------------------------------------------------------------


def coder_guid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"coproduce:coder:{name}"))


def export_qdpx(study: Study, by: Any) -> bytes:
    """The coded project, for a team member allowed to export the study."""
    study_services.require(by, Permission.EXPORT_STUDY, study)
    return project_bytes(study)


def project_bytes(study: Study) -> bytes:
    """The coded project as .qdpx: every evidence item, the codebook, every coding and coder."""
    records = evidence_by_id(study)
    codings = defaultdict(list)
    coders = {}
    for c in Coding.objects.filter(study=study).select_related("code", "coder"):
        name = coder_of(c)
        coders[name] = coder_guid(name)
        codings[c.evidence_id].append(c)
    sources = []
    for evidence_id, record in records.items():
        source = refi_qda.Source(
            guid=str(uuid.uuid5(uuid.NAMESPACE_URL, f"coproduce:{study.pk}:{evidence_id}")),
            name=evidence_id,
            text=record.text,
        )
        for c in codings.get(evidence_id, []):
            if c.end <= len(record.text):
                source.selections.append(
                    refi_qda.Selection(
                        str(c.guid),
                        c.start,
                        c.end,
                        str(c.code.guid),
                        coders[coder_of(c)],
                        c.created_at,
                    )
                )
        sources.append(source)
    project = refi_qda.Project(
        name=study.title,
        codes=codebook.nodes(study),
        users=[refi_qda.Person(g, n) for n, g in sorted(coders.items())],
        sources=sources,
    )
    return refi_qda.write_project(project)


def import_qdpx(
    study: Study,
    by: Any,
    data: bytes,
    *,
    source: str = "the project",
    consent: ConsentLevel = ConsentLevel.STORE,
) -> tuple[int, int, int]:
    """Add a .qdpx's codes, its texts as documents and their codings; all or nothing."""
    study_services.require(by, EDIT, study)
    project = refi_qda.read_project(data, source=source)
    users = {u.guid: u.name or u.guid for u in project.users}
    with transaction.atomic():
        codes = codebook.add_nodes(study, by, project.codes)
        added = 0
        for s in project.sources:
            document = Document.objects.create(
                study=study,
                name=s.name[:300] or _("Imported text"),
                text=s.text,
                imported_from=source[:300],
                consent=int(consent),
            )
            for sel in s.selections:
                if sel.code not in codes:
                    raise InvalidInput(
                        _("A coding in '%(d)s' of %(s)s uses a code that is not in its codebook.")
                        % {"d": s.name, "s": source}
                    )
                Coding.objects.get_or_create(
                    study=study,
                    code=codes[sel.code],
                    evidence_id=f"document:{document.pk}",
                    start=sel.start,
                    end=sel.end,
                    coder=by,
                    imported_coder=users.get(sel.coder or "", sel.coder or _("unnamed coder"))[
                        :200
                    ],
                    defaults={"passage": s.text[sel.start : sel.end]},
                )
                added += 1
    return len(codes), len(project.sources), added
