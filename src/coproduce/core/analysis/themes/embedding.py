"""Turning texts into vectors: the two ways of reading texts behind one interface.

Both return one L2-normalised row per text, so a dot product is a cosine similarity, and both
are deterministic for a given input.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix, diags
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer

from coproduce.core.analysis.themes.corpus import Terms

Vectors = NDArray[np.float32]
# Hears how far along reading the texts is, from 0 to 1 (for a method that takes a while).
Reading = Callable[[float], None]


class Embedder(Protocol):
    """What a themes backend offers: one unit-length vector per text."""

    name: str

    def embed(self, texts: Sequence[str], progress: Reading | None = None) -> Vectors: ...


def normalise(vectors: NDArray[np.floating]) -> Vectors:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.asarray(vectors / norms, dtype=np.float32)


class TermEmbedder:
    """The built-in backend, needing no model file: word vectors learnt from the texts themselves.

    Words that keep the same company in these texts ("bus" with "route", "fare", "timetable")
    get close vectors: the positive pointwise mutual information of each pair of words used in
    the same text, with the context distribution smoothed (power 0.75, Levy, Goldberg and Dagan
    2015), reduced by a truncated SVD to a few dimensions (Bullinaria and Levy 2007). A text is
    the IDF-weighted sum of its words' vectors, so two texts sharing no word but the company of
    their words still come out close: on short comments this places texts by topic far better
    than latent semantic analysis of the texts (benchmarks/themes.py). Works for any language:
    words for those written with spaces, pairs of characters for Chinese and Japanese.
    """

    name = "words"

    def __init__(
        self, dimensions: int = 30, terms: Terms | None = None, vocabulary: int = 20_000
    ) -> None:
        self.dimensions = dimensions
        self.terms = terms or Terms()
        self.vocabulary = vocabulary  # the most frequent words kept

    def embed(self, texts: Sequence[str], progress: Reading | None = None) -> Vectors:
        """The texts' vectors (in a second or two even for thousands: no progress to tell)."""
        counts = CountVectorizer(binary=True, max_features=self.vocabulary, **self.terms.options())
        used = counts.fit_transform(texts).astype(np.float64).tocsr()  # text x word, 0 or 1
        n, size = used.shape
        rank = min(self.dimensions, n - 1, size - 1)
        if rank < 2:
            return normalise(used.toarray())
        words = word_vectors(used, rank)
        frequency = np.asarray(used.sum(axis=0)).ravel()
        idf = np.log((1 + n) / (1 + frequency)) + 1
        return normalise(np.asarray((used @ diags(idf)) @ words))


CONTEXT_SMOOTHING = 0.75


def word_vectors(used: csr_matrix, rank: int) -> NDArray[np.float64]:
    """Unit vectors for the words (columns of `used`) from their co-occurrence in texts: the
    SVD of the positive PMI matrix, with smoothed context probabilities."""
    together = (used.T @ used).tocsr()
    together.setdiag(0)
    together.eliminate_zeros()
    pairs = together.tocoo()
    total = float(pairs.data.sum())
    if total == 0:
        return np.asarray(normalise(np.eye(used.shape[1], rank)), dtype=np.float64)
    word = np.asarray(together.sum(axis=1)).ravel() / total
    context = np.asarray(together.sum(axis=0)).ravel() ** CONTEXT_SMOOTHING
    context /= context.sum()
    pmi = np.log(pairs.data / total) - np.log(word[pairs.row]) - np.log(context[pairs.col])
    positive = pmi > 0
    ppmi = csr_matrix(
        (pmi[positive], (pairs.row[positive], pairs.col[positive])), shape=together.shape
    )
    rank = min(rank, ppmi.shape[0] - 1)
    svd = TruncatedSVD(n_components=rank, algorithm="randomized", random_state=0)
    return np.asarray(normalise(svd.fit_transform(ppmi)), dtype=np.float64)
