"""Findings (headlines resting on accepted themes) and recommendations, in the team's order.

Each function that changes something takes the acting user (`by`) and checks their role first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.coding.evidence import evidence_by_id
from coproduce.coding.models import (
    AnalysisSettings,
    Finding,
    Recommendation,
    Theme,
    ThemeItem,
    ThemeStatus,
)
from coproduce.coding.triangulation import supporting_items
from coproduce.core.errors import InvalidInput
from coproduce.core.evidence import ConsentLevel, EvidenceRecord, Strand, held_back
from coproduce.studies import services as study_services
from coproduce.studies.limits import fitted
from coproduce.studies.models import Study
from coproduce.studies.permissions import Permission

EDIT = Permission.CHANGE_STUDY


def _accepted(study: Study, theme_ids: Iterable[int]) -> list[Theme]:
    themes = list(Theme.objects.filter(study=study, pk__in=list(theme_ids)))
    if any(t.status != ThemeStatus.ACCEPTED for t in themes):
        raise InvalidInput(_("Accept a theme before a finding rests on it."))
    return themes


def save_finding(
    study: Study,
    by: User,
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
    by: User,
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


def move_finding(finding: Finding, by: User, steps: int) -> None:
    """Move a finding up (negative steps) or down the team's list."""
    _move(finding, by, steps)


def move_recommendation(recommendation: Recommendation, by: User, steps: int) -> None:
    """Move a recommendation up (negative steps) or down the team's list."""
    _move(recommendation, by, steps)


def delete_finding(finding: Finding, by: User) -> None:
    """Delete a finding; the recommendations that answered it stay, unlinked."""
    _delete(finding, by)


def delete_recommendation(recommendation: Recommendation, by: User) -> None:
    """Delete a recommendation."""
    _delete(recommendation, by)


def _move(item: Listed, by: User, steps: int) -> None:
    study_services.require(by, EDIT, item.study)
    with transaction.atomic():
        items = [i for i in _siblings(item) if i.pk != item.pk]
        here = [i.pk for i in _siblings(item)].index(item.pk)
        items.insert(max(0, min(len(items), here + steps)), item)
        _renumber(items)


def _delete(item: Listed, by: User) -> None:
    study_services.require(by, EDIT, item.study)
    with transaction.atomic():
        item.delete()
        _renumber(_siblings(item))


def set_priority_order(study: Study, by: User, ordered: bool) -> None:
    study_services.require(by, EDIT, study)
    AnalysisSettings.objects.update_or_create(
        study=study, defaults={"recommendations_ordered": ordered}
    )


def recommendations_ordered(study: Study) -> bool:
    found = AnalysisSettings.objects.filter(study=study).first()
    return bool(found and found.recommendations_ordered)


@dataclass(frozen=True)
class Evidence:
    """What backs a finding, as outputs may show it: counts, strands and quotable quotes, and
    the quotes held back by the rule for what may leave, each with the reason (no words)."""

    items: int
    people: int
    strands: list[Strand]
    quotes: list[tuple[str, EvidenceRecord]]
    held_back: list[tuple[str, str]] = field(default_factory=list)  # (evidence id, reason)


def finding_evidence(finding: Finding) -> Evidence:
    records = evidence_by_id(finding.study)
    ids: set[str] = set().union(*(supporting_items(t) for t in finding.themes.all()))
    found = [records[i] for i in ids if i in records]
    quotes: list[tuple[str, EvidenceRecord]] = []
    held: list[tuple[str, str]] = []
    for q in finding.quotes.all():
        record = records.get(q.evidence_id)
        reason = quote_held_back(q.quote, record)
        if reason is None and record is not None:
            quotes.append((q.quote, record))
        else:
            held.append((q.evidence_id, reason or ""))
    return Evidence(
        items=len(found),
        people=len({r.author for r in found if r.author}),
        strands=sorted({r.strand for r in found}, key=list(Strand).index),
        quotes=quotes,
        held_back=held,
    )


def quote_held_back(words: str, record: EvidenceRecord | None) -> str | None:
    """Why these words may not be quoted from this item, or None when they may."""
    if record is None:
        return _("its contributor has withdrawn or it is no longer evidence")
    reason = held_back(record, ConsentLevel.QUOTE)
    if reason is not None:
        return reason
    if words not in record.text:
        # Chosen before the personal-data check: the words may hold what was redacted since.
        return _("its words are not in the checked text; choose them again on the theme's page")
    return None
