"""Agreement between coders: Cohen's kappa for two, Krippendorff's alpha (nominal) for any number.

Pure Python and numpy, no Django. Kappa comes from scikit-learn (BSD). Alpha is written here
from Krippendorff's definition, because the PyPI package `krippendorff` is GPL:

    alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c * n_k

Here o_ck are the coincidences: each unit with m >= 2 values contributes, for every ordered
pair of values from different coders, 1 / (m - 1). n_c = sum_k o_ck, and n is the number of
pairable values. (K. Krippendorff, "Computing Krippendorff's Alpha-Reliability", 2011,
University of Pennsylvania.)

A value that is undefined is None, with the reason in `Agreement.note`. For example, every
unit may be coded alike by everyone, so chance agreement is already total.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import permutations


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable]) -> float | None:
    """Cohen's kappa of two coders' labels for the same units; None when undefined."""
    if len(first) != len(second):
        raise ValueError("both coders must label the same units")
    if not first:
        return None
    from sklearn.metrics import cohen_kappa_score

    labels = sorted({repr(v) for v in (*first, *second)})
    if len(labels) < 2:
        return None  # one value used throughout: chance agreement is total
    value = float(cohen_kappa_score([repr(v) for v in first], [repr(v) for v in second]))
    return value if math.isfinite(value) else None


def krippendorff_alpha(units: Iterable[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's alpha for nominal data: one sequence per unit, one value per coder
    (None where that coder did not code the unit). None when undefined."""
    coincidences: defaultdict[tuple[Hashable, Hashable], float] = defaultdict(float)
    for values in units:
        present = [v for v in values if v is not None]
        m = len(present)
        if m < 2:
            continue  # a unit coded by fewer than two coders is not pairable
        for a, b in permutations(range(m), 2):
            coincidences[(present[a], present[b])] += 1.0 / (m - 1)
    totals: defaultdict[Hashable, float] = defaultdict(float)
    for (c, _k), weight in coincidences.items():
        totals[c] += weight
    n = sum(totals.values())
    if n <= 1:
        return None
    observed = sum(w for (c, k), w in coincidences.items() if c != k)
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k)
    if expected == 0:
        return None  # every value the same: no disagreement was possible
    return 1.0 - (n - 1) * observed / expected


@dataclass(frozen=True)
class Agreement:
    code: str
    units: int  # units in the comparison
    coders: int
    percent: float | None  # share of units where every coder who coded agreed
    kappa: float | None  # two coders only
    alpha: float | None
    note: str = ""


def per_code(
    codings: Mapping[str, Iterable[tuple[str, str]]],
    units: Sequence[str],
    codes: Sequence[str],
) -> list[Agreement]:
    """Agreement per code at the unit the team picked (an item, or a segment).

    `codings` maps each coder to the (unit, code) pairs they applied. Every coder is taken to
    have looked at every unit, so a code not applied counts as "absent". Each code is then a
    yes/no judgement per unit and coder.
    """
    coders = sorted(codings)
    applied = {coder: set(pairs) for coder, pairs in codings.items()}
    found = []
    for code in codes:
        table = [[(unit, code) in applied[coder] for coder in coders] for unit in units]
        kappa = None
        note = ""
        if len(coders) == 2:
            kappa = cohen_kappa([row[0] for row in table], [row[1] for row in table])
        alpha = krippendorff_alpha(table)
        agreed = sum(1 for row in table if len(set(row)) == 1)
        if alpha is None:
            note = (
                "not defined: every coder made the same judgement on every unit"
                if table
                else "no units to compare"
            )
        found.append(
            Agreement(
                code=code,
                units=len(units),
                coders=len(coders),
                percent=agreed / len(units) if units else None,
                kappa=kappa,
                alpha=alpha,
                note=note,
            )
        )
    return found
