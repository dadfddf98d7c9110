"""Base clusters and opinion groups, as Polis forms them but deterministic.

From ../shared/design/polis-math.md ("Clusters"): k-means with up to 100 base clusters on the
positions of the participants who are in the conversation, then weighted k-means on the base
clusters' centres for k = 2 .. min(5, 2 + base clusters // 12), keeping the k with the highest
mean silhouette over the base centres.

Determinism: points are put in a canonical order (by position) before any seeded start, so the
same positions give the same clusters whatever order participants arrived in.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sklearn.cluster import KMeans, kmeans_plusplus
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import silhouette_samples

from coproduce.core.analysis.opinion.matrix import FloatArray, IntArray

BASE_CLUSTERS = 100
MOST_GROUPS = 5
SEED = 20161  # any fixed number: runs must not differ
# Positions are rounded before ordering so that sums taken in another order (a permutation of
# participants) cannot reorder points that are equal in all but the last bits.
DECIMALS = 9


@dataclass(frozen=True)
class BaseClusters:
    centres: FloatArray  # clusters x 2
    sizes: IntArray
    labels: IntArray  # per clustered point: its base cluster


@dataclass(frozen=True)
class Groups:
    k: int  # the best k by silhouette
    labels_by_k: dict[int, IntArray]  # k -> per base cluster: its group
    centres_by_k: dict[int, FloatArray]  # k -> group centres (for a warm start)
    silhouettes: dict[int, float]  # k -> mean silhouette


def canonical(points: FloatArray) -> tuple[FloatArray, IntArray, IntArray]:
    """Distinct points in a fixed order, how many times each occurs, and each point's index."""
    rounded = np.round(points, DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0
    distinct, inverse, counts = np.unique(rounded, axis=0, return_inverse=True, return_counts=True)
    return distinct, counts.astype(np.int64), inverse.ravel().astype(np.int64)


def weighted_kmeans(
    points: FloatArray, weights: npt.NDArray[np.float64], k: int, start: FloatArray | None
) -> tuple[FloatArray, IntArray]:
    """k-means from the given centres, or from a seeded k-means++ start; centres and labels."""
    if start is None or len(start) != k:
        start, _ = kmeans_plusplus(points, n_clusters=k, sample_weight=weights, random_state=SEED)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = KMeans(n_clusters=k, init=start, n_init=1, max_iter=300, tol=1e-8)
        labels = model.fit_predict(points, sample_weight=weights)
    return model.cluster_centers_, labels.astype(np.int64)


def base_clusters(points: FloatArray, start: FloatArray | None = None) -> BaseClusters:
    """Up to 100 base clusters of the clustered participants' positions."""
    distinct, counts, inverse = canonical(points)
    k = min(BASE_CLUSTERS, len(distinct))
    centres, labels = weighted_kmeans(distinct, counts.astype(np.float64), k, start)
    # Drop clusters left empty, keeping the order.
    used = np.unique(labels)
    relabel = np.full(k, -1)
    relabel[used] = np.arange(len(used))
    labels = relabel[labels]
    sizes = np.bincount(labels, weights=counts, minlength=len(used)).astype(np.int64)
    return BaseClusters(centres[used], sizes, labels[inverse])


def largest_k(n_base: int) -> int:
    return min(MOST_GROUPS, 2 + n_base // 12)


def groups(base: BaseClusters, start: dict[int, FloatArray] | None = None) -> Groups | None:
    """Groups of base clusters for every k, the best by silhouette; None with fewer than 2.

    With exactly two base clusters (two camps, each voting as one) each is a group: there is
    no other way to split them and a silhouette needs a third point.
    """
    n_base = len(base.centres)
    if n_base < 2:
        return None
    if n_base == 2:
        return Groups(2, {2: np.array([0, 1])}, {2: base.centres.copy()}, {})
    weights = base.sizes.astype(np.float64)
    best: tuple[float, int] | None = None
    silhouettes: dict[int, float] = {}
    labels_by_k: dict[int, IntArray] = {}
    centres_by_k: dict[int, FloatArray] = {}
    for k in range(2, min(largest_k(n_base), n_base - 1) + 1):
        centres, labels = weighted_kmeans(base.centres, weights, k, (start or {}).get(k))
        if len(np.unique(labels)) < k:
            continue
        score = float(np.mean(silhouette_samples(base.centres, labels)))
        silhouettes[k], labels_by_k[k], centres_by_k[k] = score, labels, centres
        if best is None or score > best[0] + 1e-12:
            best = (score, k)
    if best is None:
        return None
    return Groups(best[1], labels_by_k, centres_by_k, silhouettes)
