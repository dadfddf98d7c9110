"""The whole opinion analysis: votes in, groups, positions and statements out. No Django."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment
from scipy.spatial import ConvexHull, QhullError

from coproduce.core.analysis.opinion import clusters, pca, repness
from coproduce.core.analysis.opinion.matrix import (
    FloatArray,
    IntArray,
    VoteLog,
    VoteMatrix,
    build,
    in_conversation,
)
from coproduce.core.analysis.routing import META_PRIORITY

FEWEST_STATEMENTS = 2
# Polis's k smoothing: a new best number of groups takes over after winning this many runs in a
# row. Only used when replaying a conversation's history (`smooth_k=True`).
WINS_TO_CHANGE_K = 4


@dataclass(frozen=True)
class KHold:
    """Which number of groups is in use, and which one is challenging it, for how many runs."""

    current: int
    challenger: int
    wins: int

    def after(self, best: int) -> KHold:
        if best == self.current:
            return KHold(self.current, best, 0)
        wins = self.wins + 1 if best == self.challenger else 1
        if wins >= WINS_TO_CHANGE_K:
            return KHold(best, best, 0)
        return KHold(self.current, best, wins)


FEWEST_POSITIONS = 3


class ModeratedOut(Enum):
    """How statements that are moderated out (or meta) take part in the map.

    LEFT_OUT (Coproduce's own conversations): they take no part, so moderating a statement out
    moves nobody. ZEROED (Polis exports): as Polis does, they count as a 0 vote from everyone in
    the projection, and votes cast on them count towards joining the conversation; this matches
    Polis's own groups far more closely (docs/opinion-analysis.md).
    """

    LEFT_OUT = "left out"
    ZEROED = "zeroed"


@dataclass(frozen=True)
class StatementResult:
    key: int
    agree: int
    disagree: int
    seen: int
    extremity: float
    position: tuple[float, float]
    priority: float
    set_aside: bool
    group_agree: float  # group-informed consensus
    group_disagree: float
    # Per group, in group id order: (agree, disagree, seen) among its members.
    by_group: tuple[tuple[int, int, int], ...] = ()


@dataclass(frozen=True)
class RepresentativeStatement:
    key: int
    side: str
    agree: int
    disagree: int
    seen: int
    p: float
    p_test: float
    r: float
    r_test: float
    metric: float
    significant: bool


@dataclass(frozen=True)
class OpinionGroup:
    id: int
    members: tuple[int, ...]
    centre: tuple[float, float]
    representative: tuple[RepresentativeStatement, ...]
    # The outline of the members' positions (convex hull, counter-clockwise), for maps.
    hull: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True)
class ConsensusStatement:
    key: int
    p: float
    p_test: float
    count: int
    seen: int


@dataclass(frozen=True)
class WarmStart:
    """What the next run needs from the last one: where to start and which ids to keep.

    Small next to a whole result (no statements or repness), and plain JSON both ways so that
    a stored analysis can warm-start the next one in another process.
    """

    statement_keys: IntArray
    components: FloatArray
    clustered: IntArray  # participant keys in the conversation ("once in, always in")
    base_centres: FloatArray
    group_centres: dict[int, FloatArray]
    groups: dict[int, tuple[int, ...]]  # group id -> member participant keys
    k_hold: KHold | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "statement_keys": self.statement_keys.tolist(),
            "components": self.components.tolist(),
            "clustered": self.clustered.tolist(),
            "base_centres": self.base_centres.tolist(),
            "group_centres": {str(k): c.tolist() for k, c in self.group_centres.items()},
            "groups": {str(g): list(m) for g, m in self.groups.items()},
            "k_hold": None
            if self.k_hold is None
            else [self.k_hold.current, self.k_hold.challenger, self.k_hold.wins],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WarmStart:
        hold = data.get("k_hold")
        return cls(
            statement_keys=np.array(data["statement_keys"], dtype=np.int64),
            components=np.array(data["components"], dtype=np.float64).reshape(2, -1),
            clustered=np.array(data["clustered"], dtype=np.int64),
            base_centres=np.array(data["base_centres"], dtype=np.float64).reshape(-1, 2),
            group_centres={
                int(k): np.array(c, dtype=np.float64).reshape(-1, 2)
                for k, c in data["group_centres"].items()
            },
            groups={
                int(g): tuple(int(m) for m in members) for g, members in data["groups"].items()
            },
            k_hold=None if hold is None else KHold(*(int(h) for h in hold)),
        )


@dataclass(frozen=True)
class Analysis:
    """The result. Participant and statement keys are the ones the votes came with."""

    participants: IntArray
    positions: FloatArray
    group_of: IntArray  # per participant: group id, or -1 when not clustered
    clustered: npt.NDArray[np.bool_]
    groups: tuple[OpinionGroup, ...]
    statements: tuple[StatementResult, ...]
    consensus_agree: tuple[ConsensusStatement, ...]
    consensus_disagree: tuple[ConsensusStatement, ...]
    statement_keys: IntArray
    components: FloatArray
    base_centres: FloatArray
    group_centres: dict[int, FloatArray] = field(default_factory=dict)
    silhouettes: dict[int, float] = field(default_factory=dict)
    message: str | None = None
    seconds: float = 0.0
    k_hold: KHold | None = None

    def warm_start(self) -> WarmStart:
        return WarmStart(
            statement_keys=self.statement_keys,
            components=self.components,
            clustered=self.participants[self.clustered],
            base_centres=self.base_centres,
            group_centres=self.group_centres,
            groups={g.id: g.members for g in self.groups},
            k_hold=self.k_hold,
        )

    def group_by_participant(self) -> dict[int, int | None]:
        return {
            int(p): (int(g) if g >= 0 else None)
            for p, g in zip(self.participants, self.group_of, strict=True)
        }

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-ready data; every number finite."""
        return {
            "participants": {str(k): v for k, v in self.group_by_participant().items()},
            "groups": [
                {
                    "id": g.id,
                    "size": len(g.members),
                    "centre": [finite(c) for c in g.centre],
                    "hull": [[finite(x), finite(y)] for x, y in g.hull],
                    "repness": [
                        {
                            "statement": r.key,
                            "side": r.side,
                            "agree": r.agree,
                            "disagree": r.disagree,
                            "seen": r.seen,
                            "p": finite(r.p),
                            "p_test": finite(r.p_test),
                            "r": finite(r.r),
                            "r_test": finite(r.r_test),
                            "metric": finite(r.metric),
                            "significant": r.significant,
                        }
                        for r in g.representative
                    ],
                }
                for g in self.groups
            ],
            "consensus": {
                side: [
                    {
                        "statement": c.key,
                        "p": finite(c.p),
                        "p_test": finite(c.p_test),
                        "count": c.count,
                        "seen": c.seen,
                    }
                    for c in found
                ]
                for side, found in (
                    ("agree", self.consensus_agree),
                    ("disagree", self.consensus_disagree),
                )
            },
            "statements": [
                {
                    "statement": s.key,
                    "agree": s.agree,
                    "disagree": s.disagree,
                    "seen": s.seen,
                    "extremity": finite(s.extremity),
                    "position": [finite(c) for c in s.position],
                    "priority": finite(s.priority),
                    "set_aside": s.set_aside,
                    "group_consensus": {
                        "agree": finite(s.group_agree),
                        "disagree": finite(s.group_disagree),
                    },
                    "groups": {
                        str(g.id): {"agree": a, "disagree": d, "seen": n}
                        for g, (a, d, n) in zip(self.groups, s.by_group, strict=True)
                    },
                }
                for s in self.statements
            ],
            "message": self.message,
            "seconds": round(self.seconds, 4),
        }


def finite(value: float) -> float:
    """A JSON-safe float: NaN and infinities never leave the analysis."""
    number = float(value)
    return round(number, 10) if math.isfinite(number) else 0.0


def priorities(
    agree: FloatArray,
    disagree: FloatArray,
    seen: FloatArray,
    extremity: FloatArray,
    meta: np.ndarray,
) -> FloatArray:
    """Polis's routing priority for every statement (see coproduce.core.analysis.routing)."""
    passes = seen - (agree + disagree)
    importance = (1 - (passes + 1) / (seen + 2)) * (extremity + 1) * (agree + 1) / (seen + 2)
    value = (importance * (1 + 8 * 2 ** (-seen / 5))) ** 2
    return np.where(meta, META_PRIORITY, value)


def column_sums(matrix: sp.csr_array) -> FloatArray:
    return np.asarray(matrix.sum(axis=0), dtype=np.float64).ravel()


def indicator(matrix: VoteMatrix, value: int) -> sp.csr_array:
    found = matrix.values.tocsr().copy()
    found.data = (found.data == value).astype(np.float64)
    return found


def analyse(
    log: VoteLog,
    previous: Analysis | WarmStart | None = None,
    *,
    smooth_k: bool = False,
    moderated_out: ModeratedOut = ModeratedOut.LEFT_OUT,
) -> Analysis:
    """Analyse a conversation's votes; with `previous`, warm-start from it and keep group ids.

    `smooth_k` holds the number of groups as Polis does across runs (see KHold); a one-shot
    analysis takes the best k. `moderated_out` says how set-aside statements take part.
    """
    started = time.perf_counter()
    if isinstance(previous, Analysis):
        previous = previous.warm_start()
    matrix = build(log)
    zeroed = moderated_out is ModeratedOut.ZEROED
    projection = pca.project(matrix, warm_components(matrix, previous), zeroed=zeroed)
    clustered = participants_in(matrix, projection, previous, zeroed=zeroed)
    totals = Totals.of(matrix)
    grouping = find_groups(matrix, projection, clustered, totals, previous, smooth_k=smooth_k)
    meta = np.isin(matrix.statements, sorted(log.meta))
    consensus_agree, consensus_disagree = keyed_consensus(matrix, totals)
    return Analysis(
        participants=matrix.participants,
        positions=np.nan_to_num(projection.positions),
        group_of=grouping.group_of,
        clustered=clustered,
        groups=grouping.groups,
        statements=statement_results(matrix, projection, totals, grouping, meta),
        consensus_agree=consensus_agree,
        consensus_disagree=consensus_disagree,
        statement_keys=matrix.statements,
        components=projection.components,
        base_centres=grouping.base_centres,
        group_centres=grouping.group_centres,
        silhouettes=grouping.silhouettes,
        message=grouping.message,
        seconds=time.perf_counter() - started,
        k_hold=grouping.k_hold,
    )


def warm_components(matrix: VoteMatrix, previous: WarmStart | None) -> FloatArray | None:
    """The previous run's first component for the statements it knew (zero for new ones)."""
    if previous is None or not len(previous.statement_keys):
        return None
    start = np.zeros(matrix.shape[1])
    where = np.searchsorted(previous.statement_keys, matrix.statements)
    where = np.clip(where, 0, len(previous.statement_keys) - 1)
    known = previous.statement_keys[where] == matrix.statements
    start[known] = previous.components[0, where[known]]
    return start


def participants_in(
    matrix: VoteMatrix, projection: pca.Projection, previous: WarmStart | None, *, zeroed: bool
) -> npt.NDArray[np.bool_]:
    """Who has voted enough to be placed in groups ("once in, always in" across runs)."""
    # Left out, votes on statements set aside do not count towards joining either; zeroed, as
    # in Polis, every vote counts.
    counted = matrix.seen if zeroed else matrix.seen[:, projection.columns]
    votes = np.asarray(counted.sum(axis=1), dtype=np.int64).ravel()
    already = None if previous is None else np.isin(matrix.participants, previous.clustered)
    statements_voted = int((column_sums(counted) > 0).sum())
    return in_conversation(votes, statements_voted, already)


@dataclass(frozen=True)
class Totals:
    """Everyone's votes as indicator matrices (agree, disagree, seen) and their column sums."""

    agree: sp.csr_array
    disagree: sp.csr_array
    seen: sp.csr_array
    total_agree: FloatArray
    total_disagree: FloatArray
    total_seen: FloatArray
    usable: npt.NDArray[np.bool_]  # statements not set aside

    @classmethod
    def of(cls, matrix: VoteMatrix) -> Totals:
        agree, disagree, seen = indicator(matrix, 1), indicator(matrix, -1), matrix.seen
        return cls(
            agree,
            disagree,
            seen,
            column_sums(agree),
            column_sums(disagree),
            column_sums(seen),
            ~matrix.set_aside,
        )


@dataclass(frozen=True)
class Grouping:
    """The opinion groups found, or the sentence saying why there are none yet."""

    group_of: IntArray  # per participant: group id, or -1 when not clustered
    counts: repness.Counts  # per group, in label order
    label_of: IntArray  # the label of each group, in id order
    groups: tuple[OpinionGroup, ...] = ()
    base_centres: FloatArray = field(default_factory=lambda: np.zeros((0, 2)))
    group_centres: dict[int, FloatArray] = field(default_factory=dict)
    silhouettes: dict[int, float] = field(default_factory=dict)
    k_hold: KHold | None = None
    message: str | None = None

    @classmethod
    def none(cls, matrix: VoteMatrix, message: str | None, **found: Any) -> Grouping:
        n_participants, n_statements = matrix.shape
        empty = np.zeros((0, n_statements))
        return cls(
            group_of=np.full(n_participants, -1, dtype=np.int64),
            counts=repness.Counts(empty, empty, empty),
            label_of=np.zeros(0, dtype=np.int64),
            message=message,
            **found,
        )


NO_GROUPS_YET = (
    "Not enough votes to form groups yet "
    "(needs votes that place participants in at least 2 different positions)."
)


def find_groups(
    matrix: VoteMatrix,
    projection: pca.Projection,
    clustered: npt.NDArray[np.bool_],
    totals: Totals,
    previous: WarmStart | None,
    *,
    smooth_k: bool,
) -> Grouping:
    """Cluster the placed participants into base clusters, then into opinion groups."""
    message = shortfall(matrix, projection, clustered)
    if message is not None:
        return Grouping.none(matrix, message)
    rows = np.flatnonzero(clustered)
    positions = projection.positions[rows]
    base = clusters.base_clusters(positions, None if previous is None else previous.base_centres)
    found = clusters.groups(base, None if previous is None else previous.group_centres)
    if found is None:
        return Grouping.none(matrix, NO_GROUPS_YET, base_centres=base.centres)
    k, k_hold = found.k, None
    if smooth_k:
        held = previous.k_hold if previous is not None else None
        k_hold = KHold(k, k, 0) if held is None else held.after(k)
        k = k_hold.current if k_hold.current in found.labels_by_k else k
    labels = found.labels_by_k[k][base.labels]
    centres = np.array([positions[labels == g].mean(axis=0) for g in range(k)])
    ids = group_ids(matrix.participants[rows], labels, centres, previous)
    group_of = np.full(matrix.shape[0], -1, dtype=np.int64)
    group_of[rows] = ids[labels]
    membership = sp.csr_array((np.ones(len(rows)), (labels, rows)), shape=(k, matrix.shape[0]))
    counts = repness.Counts(
        (membership @ totals.agree).toarray(),
        (membership @ totals.disagree).toarray(),
        (membership @ totals.seen).toarray(),
    )
    tested = repness.tests(counts)
    groups = []
    for g in np.argsort(ids):
        members = matrix.participants[rows][labels == g]
        chosen = repness.representative(counts, tested, int(g), totals.usable)
        groups.append(
            OpinionGroup(
                id=int(ids[g]),
                members=tuple(int(m) for m in members),
                centre=(float(centres[g][0]), float(centres[g][1])),
                representative=tuple(keyed_repness(matrix, r) for r in chosen),
                hull=outline(positions[labels == g]),
            )
        )
    return Grouping(
        group_of=group_of,
        counts=counts,
        # Counts are in label order, groups in id order: the label of each group by id.
        label_of=np.argsort(ids),
        groups=tuple(groups),
        base_centres=base.centres,
        group_centres=found.centres_by_k,
        silhouettes=found.silhouettes,
        k_hold=k_hold,
    )


def statement_results(
    matrix: VoteMatrix,
    projection: pca.Projection,
    totals: Totals,
    grouping: Grouping,
    meta: npt.NDArray[np.bool_],
) -> tuple[StatementResult, ...]:
    """Each statement's counts, place on the map, routing priority and group consensus."""
    counts = grouping.counts
    informed_agree, informed_disagree = (
        repness.group_informed(counts) if len(grouping.groups) else (np.zeros(matrix.shape[1]),) * 2
    )
    priority = priorities(
        totals.total_agree, totals.total_disagree, totals.total_seen, projection.extremity, meta
    )
    return tuple(
        StatementResult(
            key=int(matrix.statements[j]),
            agree=int(totals.total_agree[j]),
            disagree=int(totals.total_disagree[j]),
            seen=int(totals.total_seen[j]),
            extremity=float(projection.extremity[j]),
            position=(
                float(projection.statement_positions[j, 0]),
                float(projection.statement_positions[j, 1]),
            ),
            priority=float(priority[j]),
            set_aside=bool(matrix.set_aside[j]),
            group_agree=float(informed_agree[j]),
            group_disagree=float(informed_disagree[j]),
            by_group=tuple(
                (int(counts.agree[g, j]), int(counts.disagree[g, j]), int(counts.seen[g, j]))
                for g in grouping.label_of
            ),
        )
        for j in range(matrix.shape[1])
    )


def keyed_consensus(
    matrix: VoteMatrix, totals: Totals
) -> tuple[tuple[ConsensusStatement, ...], tuple[ConsensusStatement, ...]]:
    """The statements most people agree with, and disagree with, by their keys."""
    sides = repness.consensus(
        totals.total_agree,
        totals.total_disagree,
        totals.total_seen,
        totals.usable & (totals.total_seen > 0),
    )
    agree, disagree = (
        tuple(
            ConsensusStatement(int(matrix.statements[c.statement]), c.p, c.p_test, c.count, c.seen)
            for c in side
        )
        for side in sides
    )
    return agree, disagree


def outline(points: FloatArray) -> tuple[tuple[float, float], ...]:
    """The convex hull of a group's positions, rounded; the distinct points when fewer than 3
    or all in a line."""
    distinct = np.unique(np.round(np.nan_to_num(points), 6), axis=0)
    if len(distinct) >= 3:
        try:
            hull = ConvexHull(distinct)
            distinct = distinct[hull.vertices]
        except QhullError:  # all on one line: keep the two ends
            order = np.lexsort((distinct[:, 1], distinct[:, 0]))
            distinct = distinct[[order[0], order[-1]]]
    return tuple((float(x), float(y)) for x, y in distinct)


def keyed_repness(matrix: VoteMatrix, r: repness.Representative) -> RepresentativeStatement:
    return RepresentativeStatement(
        key=int(matrix.statements[r.statement]),
        side=r.side,
        agree=r.agree,
        disagree=r.disagree,
        seen=r.seen,
        p=r.p,
        p_test=r.p_test,
        r=r.r,
        r_test=r.r_test,
        metric=r.metric,
        significant=r.significant,
    )


def shortfall(matrix: VoteMatrix, projection: pca.Projection, clustered: np.ndarray) -> str | None:
    """Why groups cannot be formed yet, in one sentence; None when they can."""
    usable_voted = int((~matrix.set_aside[projection.columns]).sum())
    if usable_voted < FEWEST_STATEMENTS:
        need = f"votes on at least {FEWEST_STATEMENTS} statements that are not moderated out"
    elif int(clustered.sum()) < FEWEST_POSITIONS:
        need = f"at least {FEWEST_POSITIONS} participants who have voted"
    elif not projection.variance.any():
        need = (
            "agree and disagree votes from several people on the same statements; "
            "passes alone, or one vote per statement, place nobody"
        )
    else:
        return None
    return f"Not enough votes to form groups yet (needs {need})."


def group_ids(
    members: IntArray, labels: IntArray, centres: FloatArray, previous: WarmStart | None
) -> IntArray:
    """An id per group label: the previous run's id where membership overlaps most, else in order
    of size (largest first, then by position), so the same votes always give the same ids."""
    k = len(centres)
    sizes = np.bincount(labels, minlength=k)
    order = np.lexsort((centres[:, 1], centres[:, 0], -sizes))
    ids = np.empty(k, dtype=np.int64)
    ids[order] = np.arange(k)
    if previous is None or not previous.groups:
        return ids
    old = {g: set(m) for g, m in previous.groups.items()}
    old_ids = sorted(old)
    overlap = np.array(
        [[len(old[o] & set(members[labels == g].tolist())) for o in old_ids] for g in range(k)]
    )
    rows, cols = linear_sum_assignment(-overlap)
    mapped = np.full(k, -1, dtype=np.int64)
    for r, c in zip(rows, cols, strict=True):
        if overlap[r, c] > 0:
            mapped[r] = old_ids[c]
    free = (i for i in range(k + len(old_ids)) if i not in set(mapped.tolist()))
    for g in order:
        if mapped[g] < 0:
            mapped[g] = next(free)
    return mapped
