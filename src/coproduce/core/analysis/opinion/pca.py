"""Two principal components of the vote matrix, and where participants and statements sit.

From ../shared/design/polis-math.md ("PCA", "Projections"). Missing votes are filled with their
statement's mean and every column is centred, so the centred matrix is exactly zero where votes
are missing: it stays sparse, holding (vote - statement mean) where someone voted. Statements
set aside (moderated out, meta) count as a 0 from everyone, which centres to 0 as well.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator, eigsh

from coproduce.core.analysis.opinion.matrix import FloatArray, IntArray, VoteMatrix

COMPONENTS = 2
# Below this many cells a dense SVD is exact and quicker than an iterative solver.
DENSE_CELLS = 250_000
TOLERANCE = 1e-10


@dataclass(frozen=True)
class Projection:
    means: FloatArray  # per statement, over those who voted (0 for statements set aside)
    components: FloatArray  # 2 x statements, unit length (or zero where there is no variance)
    variance: FloatArray  # the two eigenvalues of the centred matrix's Gram matrix
    positions: FloatArray  # participants x 2
    statement_positions: FloatArray  # statements x 2: someone who agreed with only that one
    extremity: FloatArray  # per statement, the length of its position
    columns: IntArray  # indices of the statements in the matrix: those with any vote


def centred(matrix: VoteMatrix) -> tuple[sp.csr_array, FloatArray, IntArray]:
    """The centred matrix over the columns taking part (zero where nobody voted), the
    statement means, and those columns: statements with votes that are not set aside."""
    seen_per_statement = np.asarray(matrix.seen.sum(axis=0)).ravel()
    totals = np.asarray(matrix.values.sum(axis=0)).ravel()
    means = np.divide(
        totals, seen_per_statement, out=np.zeros_like(totals), where=seen_per_statement > 0
    )
    columns = np.flatnonzero((seen_per_statement > 0) & ~matrix.set_aside)
    means[matrix.set_aside] = 0.0
    new_index = np.full(matrix.shape[1], -1, dtype=np.int64)
    new_index[columns] = np.arange(len(columns))
    taking_part = new_index[matrix.cols] >= 0
    cols = matrix.cols[taking_part]
    data = matrix.votes[taking_part] - means[cols]
    x = sp.csr_array(
        (data, (matrix.rows[taking_part], new_index[cols])),
        shape=(matrix.shape[0], len(columns)),
    )
    return x, means, columns


def top_components(
    x: sp.csr_array, start: FloatArray | None = None
) -> tuple[FloatArray, FloatArray]:
    """The top two right singular vectors of x (rows) and their eigenvalues, signs fixed."""
    n_rows, n_cols = x.shape
    vectors = np.zeros((COMPONENTS, n_cols))
    values = np.zeros(COMPONENTS)
    if n_rows == 0 or n_cols == 0 or x.nnz == 0:
        return vectors, values
    if n_rows * n_cols <= DENSE_CELLS or min(n_rows, n_cols) <= COMPONENTS + 1:
        _, singular, vt = np.linalg.svd(x.toarray(), full_matrices=False)
        found = min(COMPONENTS, len(singular))
        vectors[:found] = vt[:found]
        values[:found] = singular[:found] ** 2
    else:
        xt = x.T.tocsr()
        gram = LinearOperator((n_cols, n_cols), matvec=lambda v: xt @ (x @ v), dtype=np.float64)
        v0 = start if start is not None and np.any(start) else np.ones(n_cols)
        eigenvalues, eigenvectors = eigsh(gram, k=COMPONENTS, which="LA", v0=v0, tol=TOLERANCE)
        order = np.argsort(-eigenvalues)
        values = eigenvalues[order]
        vectors = eigenvectors[:, order].T.copy()
    scale = max(float(values[0]), 1.0)
    for i in range(COMPONENTS):
        if values[i] <= TOLERANCE * scale:
            vectors[i], values[i] = 0.0, 0.0
            continue
        # Fixed sign (Polis leaves it to chance): the largest loading is positive.
        if vectors[i, int(np.argmax(np.abs(vectors[i])))] < 0:
            vectors[i] = -vectors[i]
    return vectors, np.maximum(values, 0.0)


def project(
    matrix: VoteMatrix, start: FloatArray | None = None, *, zeroed: bool = False
) -> Projection:
    """Components, participant positions and statement positions for a vote matrix.

    Statements set aside never shape the components (a column of zeros centres to zero). With
    `zeroed` they count as a 0 from everyone, as in Polis: each such statement that has votes
    adds one to every participant's vote count in the sparsity scaling, which moves positions a
    little. Without it they take no part at all, so moderating a statement out changes nothing
    else (see docs/opinion-analysis.md, "Moderated-out statements").
    """
    x, means, columns = centred(matrix)
    components = np.zeros((COMPONENTS, matrix.shape[1]))
    warm = None if start is None else start[columns]
    found, variance = top_components(x, warm)
    components[:, columns] = found
    zeros = 0
    if zeroed:
        voted = np.asarray(matrix.seen.sum(axis=0)).ravel() > 0
        zeros = int((voted & matrix.set_aside).sum())
    n_statements = len(columns) + zeros
    per_participant = np.diff(x.indptr) + zeros
    scale = np.sqrt(n_statements / np.maximum(per_participant, 1))
    positions = (x @ found.T) * scale[:, None]
    # Someone who agreed with only statement j: (1 - mean_j) * component_j, scaled for one vote
    # (and the zeroed statements).
    agreed = (1.0 - means) * np.sqrt(max(n_statements, 1) / (1 + zeros))
    statement_positions = (components * agreed).T
    extremity = np.linalg.norm(statement_positions, axis=1)
    return Projection(
        means, components, variance, positions, statement_positions, extremity, columns
    )
