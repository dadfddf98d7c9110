"""Keep codings on the right words when an evidence item's text is redacted."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from coproduce.coding.models import Coding
from coproduce.core.personal_data import Redacted
from coproduce.studies.signals import evidence_text_changed


@receiver(evidence_text_changed)
def move_codings(
    sender: Any, study: Any, evidence_id: str, before: Redacted | None, after: Redacted, **_: Any
) -> None:
    """Map each coding back to the original text (through `before`), then into `after`."""
    codings = list(Coding.objects.filter(study=study, evidence_id=evidence_id))
    for c in codings:
        start, end = (
            (c.start, c.end)
            if before is None
            else (
                before.original(c.start),
                before.original(c.end, end=True),
            )
        )
        c.start, c.end = after.span(start, end)
        c.end = max(c.end, c.start + 1)
        c.passage = after.text[c.start : c.end]
    Coding.objects.bulk_update(codings, ["start", "end", "passage"])
