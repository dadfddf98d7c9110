"""What each group thinks: representative statements, consensus, group-informed consensus.

From ../shared/design/polis-math.md ("Per group and statement counts", "Representative
statements", "Consensus"). Everything is computed for all groups and statements at once on
arrays of shape groups x statements.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from coproduce.core.analysis.opinion.matrix import FloatArray

Z_90 = 1.2816  # one-sided 90%
TOP = 5

Side = Literal["agree", "disagree"]


@dataclass(frozen=True)
class Counts:
    """Agrees, disagrees and votes seen (passes included), groups x statements."""

    agree: FloatArray
    disagree: FloatArray
    seen: FloatArray


def p_smoothed(count: FloatArray, seen: FloatArray) -> FloatArray:
    """(n + 1) / (seen + 2): the share with a pseudocount, never 0 or 1."""
    return (count + 1.0) / (seen + 2.0)


def one_proportion_test(count: FloatArray, seen: FloatArray) -> FloatArray:
    """2 sqrt(seen + 1) ((n + 1) / (seen + 1) - 1/2): is the share above one half?"""
    return 2.0 * np.sqrt(seen + 1.0) * ((count + 1.0) / (seen + 1.0) - 0.5)


def two_proportion_test(
    count: FloatArray, seen: FloatArray, count_rest: FloatArray, seen_rest: FloatArray
) -> FloatArray:
    """z for "this share is above the rest's", +1 added to all four counts; 0 when p is 1."""
    p1 = (count + 1.0) / (seen + 1.0)
    p2 = (count_rest + 1.0) / (seen_rest + 1.0)
    p = (count + count_rest + 2.0) / (seen + seen_rest + 2.0)
    spread = p * (1.0 - p) * (1.0 / (seen + 1.0) + 1.0 / (seen_rest + 1.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (p1 - p2) / np.sqrt(spread)
    return np.where((p >= 1.0) | (spread <= 0.0), 0.0, z)


@dataclass(frozen=True)
class Repness:
    """Every test for every group and statement (groups x statements)."""

    pa: FloatArray
    pd: FloatArray
    pat: FloatArray
    pdt: FloatArray
    ra: FloatArray
    rd: FloatArray
    rat: FloatArray
    rdt: FloatArray

    @property
    def significant(self) -> np.ndarray:
        return ((self.rat > Z_90) & (self.pat > Z_90)) | ((self.rdt > Z_90) & (self.pdt > Z_90))

    @property
    def agree_side(self) -> np.ndarray:
        return self.rat > self.rdt

    @property
    def metric(self) -> FloatArray:
        agree = self.ra * self.rat * self.pa * self.pat
        disagree = self.rd * self.rdt * self.pd * self.pdt
        return np.where(self.agree_side, agree, disagree)


def tests(counts: Counts) -> Repness:
    """All the group-against-the-rest tests."""
    total_a = counts.agree.sum(axis=0, keepdims=True)
    total_d = counts.disagree.sum(axis=0, keepdims=True)
    total_s = counts.seen.sum(axis=0, keepdims=True)
    rest_a, rest_d, rest_s = (
        total_a - counts.agree,
        total_d - counts.disagree,
        total_s - counts.seen,
    )
    pa, pd = p_smoothed(counts.agree, counts.seen), p_smoothed(counts.disagree, counts.seen)
    return Repness(
        pa=pa,
        pd=pd,
        pat=one_proportion_test(counts.agree, counts.seen),
        pdt=one_proportion_test(counts.disagree, counts.seen),
        ra=pa / p_smoothed(rest_a, rest_s),
        rd=pd / p_smoothed(rest_d, rest_s),
        rat=two_proportion_test(counts.agree, counts.seen, rest_a, rest_s),
        rdt=two_proportion_test(counts.disagree, counts.seen, rest_d, rest_s),
    )


@dataclass(frozen=True)
class Representative:
    """A statement that sets a group apart, with the figures behind it."""

    statement: int  # column index
    side: Side
    agree: int
    disagree: int
    seen: int
    p: float  # pa or pd
    p_test: float
    r: float  # ra or rd
    r_test: float
    metric: float
    significant: bool


def representative(
    counts: Counts, result: Repness, group: int, usable: np.ndarray
) -> list[Representative]:
    """The top five for one group: best agree first, then agrees, then disagrees.

    With none significant, the best agree candidate (some votes; highest pa * pat, ra > 1
    preferred) stands in, marked not significant.
    """
    agree_side = result.agree_side[group]
    metric = result.metric[group]
    chosen = np.flatnonzero(result.significant[group] & usable)
    if len(chosen) == 0:
        candidates = np.flatnonzero(usable & (counts.seen[group] > 0))
        if len(candidates) == 0:
            return []
        score = result.pa[group, candidates] * result.pat[group, candidates]
        preferred = result.ra[group, candidates] > 1.0
        best = candidates[np.lexsort((candidates, -score, ~preferred))[0]]
        return [entry(counts, result, group, int(best), "agree", significant=False)]
    # Highest metric first; equal metrics by statement order.
    chosen = chosen[np.lexsort((chosen, -metric[chosen]))][:TOP]
    agrees = [int(j) for j in chosen if agree_side[j]]
    disagrees = [int(j) for j in chosen if not agree_side[j]]
    return [entry(counts, result, group, j, "agree") for j in agrees] + [
        entry(counts, result, group, j, "disagree") for j in disagrees
    ]


def entry(
    counts: Counts, result: Repness, g: int, j: int, side: Side, *, significant: bool = True
) -> Representative:
    agree = side == "agree"
    return Representative(
        statement=j,
        side=side,
        agree=int(counts.agree[g, j]),
        disagree=int(counts.disagree[g, j]),
        seen=int(counts.seen[g, j]),
        p=float(result.pa[g, j] if agree else result.pd[g, j]),
        p_test=float(result.pat[g, j] if agree else result.pdt[g, j]),
        r=float(result.ra[g, j] if agree else result.rd[g, j]),
        r_test=float(result.rat[g, j] if agree else result.rdt[g, j]),
        metric=float(result.metric[g, j])
        if significant
        else float(result.pa[g, j] * result.pat[g, j]),
        significant=significant,
    )


@dataclass(frozen=True)
class Agreed:
    """A statement most people agree (or disagree) with."""

    statement: int  # column index
    p: float
    p_test: float
    count: int
    seen: int


def consensus(
    agree: FloatArray, disagree: FloatArray, seen: FloatArray, usable: np.ndarray
) -> tuple[list[Agreed], list[Agreed]]:
    """Over everyone: statements with p > 1/2 and a significant test, top five by p * test."""
    found: list[list[Agreed]] = []
    for count in (agree, disagree):
        p = p_smoothed(count, seen)
        test = one_proportion_test(count, seen)
        ok = np.flatnonzero(usable & (p > 0.5) & (test > Z_90))
        ranked = ok[np.lexsort((ok, -(p[ok] * test[ok])))][:TOP]
        found.append(
            [
                Agreed(int(j), float(p[j]), float(test[j]), int(count[j]), int(seen[j]))
                for j in ranked
            ]
        )
    return found[0], found[1]


def group_informed(counts: Counts) -> tuple[FloatArray, FloatArray]:
    """Per statement: the product over groups of (agrees + 1) / (seen + 2), and of disagrees."""
    return (
        np.prod(p_smoothed(counts.agree, counts.seen), axis=0),
        np.prod(p_smoothed(counts.disagree, counts.seen), axis=0),
    )
