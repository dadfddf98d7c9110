"""Triangulation: accepted themes across strands, counted by distinct items and people.

Each function that changes something takes the acting user (`by`) and checks their role first.
"""

from __future__ import annotations

from dataclasses import dataclass

from coproduce.coding.evidence import evidence_by_id
from coproduce.coding.models import (
    Coding,
    Theme,
    ThemeStatus,
)
from coproduce.core.evidence import Strand
from coproduce.studies.models import Study
from coproduce.studies.permissions import Permission

EDIT = Permission.CHANGE_STUDY


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
