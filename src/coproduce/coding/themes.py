"""Themes: machine suggestions the team reviews (rename, merge, split, accept, set aside) and
themes the team writes itself. Nothing suggested reaches an output until a person accepts it.

Each function that changes something takes the acting user (`by`) and checks their role first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.coding import codebook
from coproduce.coding.codings import locate
from coproduce.coding.evidence import evidence, evidence_by_id
from coproduce.coding.models import (
    Coding,
    Theme,
    ThemeItem,
    ThemeRun,
    ThemeStatus,
)
from coproduce.core.errors import Conflict, InvalidInput, NotFound
from coproduce.studies import services as study_services
from coproduce.studies.background import run_recorded
from coproduce.studies.limits import fitted
from coproduce.studies.models import Study
from coproduce.studies.permissions import Permission
from coproduce.studies.strands import evidence_items

EDIT = Permission.CHANGE_STUDY


def suggest(
    study: Study,
    by: User,
    *,
    backend: str = "default",
    k: int | None = None,
    run: ThemeRun | None = None,
) -> list[Theme]:
    """Replace the unreviewed suggestions with fresh ones from all the study's evidence; with
    `run`, note its progress, notes and unassigned texts on it as it goes."""
    # Imported here: numpy, scipy and scikit-learn are slow to load, and only this needs them.
    from coproduce.core.analysis.themes import Text, suggest_themes

    study_services.require(by, EDIT, study)
    items = evidence_items(study)
    texts = [Text(r.evidence_id, r.text) for r in items if r.text.strip()]

    def progress(step: str, done: float) -> None:
        if run is not None:
            run.step, run.percent = step[:200], round(100 * done)
            run.save(update_fields=["step", "percent"])

    result = suggest_themes(
        texts, backend=backend, k=k, source=_("this study's evidence"), progress=progress
    )
    with transaction.atomic():
        Theme.objects.filter(study=study, status=ThemeStatus.SUGGESTED).delete()
        made = []
        for s in result.themes:
            theme = Theme.objects.create(
                study=study,
                label=s.label[:200],
                terms=list(s.terms),
                suggested_by=result.backend,
                language=s.language,
            )
            quotes = {q.id: q.text for q in s.quotes}
            ThemeItem.objects.bulk_create(
                ThemeItem(theme=theme, evidence_id=i, quote=quotes.get(i, "")) for i in s.ids
            )
            made.append(theme)
        if run is not None:
            run.notes = list(result.notes)
            run.unassigned = [[i, result.reasons.get(i, "")] for i in result.unassigned]
            run.save(update_fields=["notes", "unassigned"])
    return made


def run_suggestions(run_id: int) -> ThemeRun:
    """Run a queued suggestion (what the background worker does), noting each step on it."""
    run = ThemeRun.objects.select_related("study", "asked_by").get(pk=run_id)

    def work() -> None:
        if run.asked_by is None:
            raise InvalidInput(_("The person who asked has left the study; ask again."))
        suggest(run.study, run.asked_by, backend=run.backend, k=run.k, run=run)
        run.percent = 100
        run.save(update_fields=["percent"])

    run_recorded(
        run,
        running=ThemeRun.State.RUNNING,
        done=ThemeRun.State.DONE,
        failed=ThemeRun.State.FAILED,
        unexpected=_("Suggesting stopped on an unexpected error; the server's log has it."),
        work=work,
    )
    return run


def _review(theme: Theme, by: User) -> None:
    study_services.require(by, EDIT, theme.study)


def rename(theme: Theme, by: User, label: str, description: str = "") -> Theme:
    _review(theme, by)
    if not label.strip():
        raise InvalidInput(_("A theme needs a name."))
    theme.label = fitted(label, Theme, "label", _("theme's name"))
    theme.description = description.strip()
    theme.save(update_fields=["label", "description"])
    return theme


def accept(theme: Theme, by: User, *, as_code: bool = False) -> Theme:
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


def set_aside(theme: Theme, by: User) -> Theme:
    _review(theme, by)
    if theme.findings.exists():
        raise Conflict(_("A finding rests on this theme; unlink it from the finding first."))
    theme.status, theme.reviewed_by, theme.reviewed_at = ThemeStatus.SET_ASIDE, by, timezone.now()
    theme.save()
    return theme


def merge(themes: Sequence[Theme], by: User, label: str = "") -> Theme:
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


def split(theme: Theme, by: User, evidence_ids: Iterable[str], label: str) -> Theme:
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


def add_theme(study: Study, by: User, label: str, evidence_ids: Iterable[str] = ()) -> Theme:
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


def mark_quote(theme: Theme, by: User, evidence_id: str, words: str) -> ThemeItem:
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
