"""Which statement to show a participant next: Polis's routing priority, deterministic.

From ../shared/design/polis-math.md ("Routing priority"): with A agrees, D disagrees, S seen,
P = S - (A + D) passes and E the statement's extremity,
importance = (1 - (P + 1) / (S + 2)) * (E + 1) * (A + 1) / (S + 2) and
priority = (importance * (1 + 8 * 2 ** (-S / 5))) ** 2; meta statements get 49.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

META_PRIORITY = 49.0


@dataclass(frozen=True, slots=True)
class StatementTally:
    """What routing needs to know about one statement."""

    statement_id: int
    agrees: int
    disagrees: int
    seen: int
    extremity: float = 0.0
    is_meta: bool = False


def priority(tally: StatementTally) -> float:
    """Polis's priority: new, divisive-yet-agreed, extreme statements come first."""
    if tally.is_meta:
        return META_PRIORITY
    seen = tally.seen
    passes = seen - (tally.agrees + tally.disagrees)
    importance = (
        (1 - (passes + 1) / (seen + 2)) * (tally.extremity + 1) * (tally.agrees + 1) / (seen + 2)
    )
    return float((importance * (1 + 8 * 2 ** (-seen / 5))) ** 2)


def choose_next(
    candidates: Sequence[StatementTally], *, seed: int, analysed: bool
) -> StatementTally | None:
    """Draw the next statement, weighted by priority; uniform until an analysis exists.

    The draw is seeded (by participant and progress, say), so the same state always gives the
    same statement: reproducible, and a reload does not reshuffle.
    """
    if not candidates:
        return None
    rng = random.Random(seed)  # noqa: S311 - routing, not security
    ordered = sorted(candidates, key=lambda t: t.statement_id)
    if not analysed:
        return rng.choice(ordered)
    weights = [priority(t) for t in ordered]
    if sum(weights) <= 0:
        return rng.choice(ordered)
    return rng.choices(ordered, weights=weights, k=1)[0]
