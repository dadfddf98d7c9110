"""A small publication model to render, with no database behind it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from coproduce.core.publishing.model import (
    Finding,
    Publication,
    Quote,
    Recommendation,
    StrandEvidence,
    Tally,
)


def a_publication(**changes: object) -> Publication:
    """A study about buses with one finding, its quote and chart, and one recommendation."""
    base = Publication(
        slug="buses",
        title="Buses in Bury",
        summary="What helps people get about.",
        aims=("Hear from people who use buses.",),
        edition=date(2026, 5, 1),
        team=(),
        partners=("Bury Community Transport",),
        funder="A small grant",
        evidence=(StrandEvidence("story", "Stories", 12, 14),),
        roles=(Tally("Person with lived experience", 9), Tally("Staff or practitioner", 3)),
        channels=(Tally("Web", 14),),
        method=("We listened.",),
        findings=(
            Finding(
                1,
                "Late buses matter",
                "People cannot stay after six.",
                ("Late buses",),
                ("Stories",),
                9,
                7,
                (Quote("The last bus is at six.", "Stories", "Carer"),),
                (Tally("Stories", 9),),
            ),
        ),
        recommendations=(Recommendation(1, "Run later buses", (1,)),),
        recommendations_ordered=False,
        case_studies=(),
    )
    return replace(base, **changes)  # type: ignore[arg-type]
