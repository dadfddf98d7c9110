"""The vote matrix: participants x statements, sparse, the latest vote per pair counting.

From ../shared/design/polis-math.md ("Votes", "Who is clustered"). Agree is +1, disagree -1,
pass 0; a missing vote is no value at all, which is why everything here is sparse: a pass is a
stored 0, a missing vote is not stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

# Polis: a participant is clustered once they have voted on min(7, statements) statements;
# if fewer than 15 qualify, those with most votes are added until there are 15.
VOTES_TO_JOIN = 7
FEWEST_CLUSTERED = 15


@dataclass(frozen=True)
class VoteLog:
    """Votes in the order they were cast, by participant key and statement key.

    Keys are any integers (database ids, Polis participant and comment ids). `statements` lists
    every statement of the conversation, voted on or not; `moderated_out` and `meta` are
    statement keys that the opinion math sets aside (Polis zeroes them for projection and leaves
    them out of representative statements).
    """

    participant: IntArray
    statement: IntArray
    value: npt.NDArray[np.int8]
    statements: IntArray
    moderated_out: frozenset[int] = frozenset()
    meta: frozenset[int] = frozenset()

    @classmethod
    def of(
        cls,
        votes: Iterable[tuple[int, int, int]],
        statements: Sequence[int] | None = None,
        *,
        moderated_out: Iterable[int] = (),
        meta: Iterable[int] = (),
    ) -> VoteLog:
        """Build from (participant, statement, value) triples in the order they were cast."""
        rows = np.array(list(votes), dtype=np.int64).reshape(-1, 3)
        keys = np.unique(rows[:, 1]) if statements is None else np.asarray(statements)
        return cls(
            participant=rows[:, 0].copy(),
            statement=rows[:, 1].copy(),
            value=rows[:, 2].astype(np.int8),
            statements=np.unique(np.concatenate([keys.astype(np.int64), rows[:, 1]])),
            moderated_out=frozenset(int(k) for k in moderated_out),
            meta=frozenset(int(k) for k in meta),
        )


@dataclass(frozen=True)
class VoteMatrix:
    """The latest vote per participant and statement as sparse matrices, rows and columns keyed.

    `values` holds the votes (passes as stored zeros); `seen` holds 1 wherever a vote exists.
    Rows are participants in ascending key order, columns statements in ascending key order, so
    the matrix does not depend on the order the votes arrived in beyond "latest counts".
    """

    participants: IntArray
    statements: IntArray
    values: sp.csr_array
    seen: sp.csr_array
    set_aside: npt.NDArray[np.bool_]  # per statement: moderated out or meta
    # The same votes as coordinate lists (row, column, value), one entry per voted cell.
    rows: IntArray
    cols: IntArray
    votes: FloatArray

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.participants), len(self.statements))


def build(log: VoteLog) -> VoteMatrix:
    """The vote matrix of a log: the latest vote per participant and statement counts."""
    statements = np.asarray(log.statements, dtype=np.int64)
    participants, rows = np.unique(log.participant, return_inverse=True)
    cols = np.searchsorted(statements, log.statement)
    if len(log.statement) and not np.array_equal(statements[cols], log.statement):
        raise ValueError("a vote names a statement that is not in the conversation")
    values = log.value.astype(np.int8)
    if len(values) and not np.isin(values, (-1, 0, 1)).all():
        raise ValueError("votes must be 1 (agree), -1 (disagree) or 0 (pass)")
    # The latest vote per cell: walk the log backwards and keep each cell's first occurrence.
    cell = rows.astype(np.int64) * max(len(statements), 1) + cols
    _, last = np.unique(cell[::-1], return_index=True)
    keep = len(cell) - 1 - last
    shape = (len(participants), len(statements))
    r, c, v = rows[keep], cols[keep], values[keep]
    matrix = sp.csr_array((v.astype(np.float64), (r, c)), shape=shape)
    seen = sp.csr_array((np.ones(len(keep)), (r, c)), shape=shape)
    set_aside = np.isin(statements, sorted(log.moderated_out | log.meta))
    return VoteMatrix(
        participants,
        statements,
        matrix,
        seen,
        set_aside,
        r.astype(np.int64),
        c.astype(np.int64),
        v.astype(np.float64),
    )


def in_conversation(
    votes_per_participant: IntArray, n_statements: int, already_in: npt.NDArray[np.bool_] | None
) -> npt.NDArray[np.bool_]:
    """Who is clustered: enough votes, once in always in, topped up to 15 by most votes."""
    needed = min(VOTES_TO_JOIN, n_statements)
    chosen = votes_per_participant >= needed
    chosen &= votes_per_participant > 0
    if already_in is not None:
        chosen |= already_in
    short = FEWEST_CLUSTERED - int(chosen.sum())
    if short > 0:
        # Most votes first; among equals, the earlier row (lower participant key).
        candidates = np.flatnonzero(~chosen & (votes_per_participant > 0))
        order = np.lexsort((candidates, -votes_per_participant[candidates]))
        chosen[candidates[order[:short]]] = True
    return chosen
