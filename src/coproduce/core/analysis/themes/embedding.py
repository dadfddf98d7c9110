"""Turning texts into vectors: the two backends behind one interface.

Both return one L2-normalised row per text, so a dot product is a cosine similarity, and both
are deterministic for a given input.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
from numpy.typing import NDArray
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer

from coproduce.core.analysis.themes.corpus import Terms

Vectors = NDArray[np.float32]


class Embedder(Protocol):
    """What a themes backend offers: one unit-length vector per text."""

    name: str

    def embed(self, texts: Sequence[str]) -> Vectors: ...


def normalise(vectors: NDArray[np.floating]) -> Vectors:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.asarray(vectors / norms, dtype=np.float32)


class TermEmbedder:
    """The built-in backend, needing no model file: latent semantic analysis.

    TF-IDF over words (stop words of the texts' language left out), then a truncated SVD
    (Deerwester et al. 1990) to 50 dimensions, so texts that share no word but share company
    ("bus", "transport") still come out close. Works for any language: words for those written
    with spaces, pairs of characters for Chinese and Japanese.
    """

    name = "default"

    def __init__(self, dimensions: int = 50, terms: Terms | None = None) -> None:
        self.dimensions = dimensions
        self.terms = terms or Terms()

    def embed(self, texts: Sequence[str]) -> Vectors:
        tfidf = TfidfVectorizer(sublinear_tf=True, max_df=0.5, **self.terms.options())
        matrix = tfidf.fit_transform(texts)
        rank = min(self.dimensions, matrix.shape[0] - 1, matrix.shape[1] - 1)
        if rank < 2:
            return normalise(matrix.toarray())
        svd = TruncatedSVD(n_components=rank, algorithm="randomized", random_state=0)
        return normalise(svd.fit_transform(matrix))
