"""Keep codings on the right words when an evidence item's text is redacted."""

from __future__ import annotations

import bisect
from typing import Any

from django.dispatch import receiver

from coproduce.coding.models import Coding
from coproduce.personal_data import Redacted
from coproduce.studies.signals import evidence_text_changed


def original_position(shown: Redacted | None, offset: int, *, end: bool = False) -> int:
    """Where an offset of a redacted text lies in the original (inside a placeholder: its edge)."""
    if shown is None:
        return offset
    starts = [c[2] for c in shown.cuts]
    i = bisect.bisect_right(starts, offset) - 1
    if i < 0:
        return offset
    old_start, old_end, new_start, new_end = shown.cuts[i]
    if offset >= new_end:
        return old_end + (offset - new_end)
    return old_end if end and offset > new_start else old_start


@receiver(evidence_text_changed)
def move_codings(
    sender: Any, study: Any, evidence_id: str, before: Redacted | None, after: Redacted, **_: Any
) -> None:
    codings = list(Coding.objects.filter(study=study, evidence_id=evidence_id))
    for c in codings:
        start = after.position(original_position(before, c.start))
        end = after.position(original_position(before, c.end, end=True), end=True)
        c.start, c.end = start, max(end, start + 1)
        c.passage = after.text[c.start : c.end]
    Coding.objects.bulk_update(codings, ["start", "end", "passage"])
