"""Suggest themes: embed, cluster with an automatic number of themes, label, quote."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import diags
from scipy.sparse.linalg import eigsh
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.neighbors import NearestNeighbors

from coproduce.core.analysis.themes.corpus import (
    Terms,
    Text,
    check_corpus,
    main_language,
    not_english,
    terms_for,
)
from coproduce.core.analysis.themes.embedding import Embedder, TermEmbedder, Vectors
from coproduce.core.analysis.themes.labels import distinctive_terms
from coproduce.core.errors import InvalidInput

MAX_THEMES = 30
NEIGHBOURS = 10
# Below this many texts there is no neighbourhood graph worth the name: plain k-means.
SMALL_CORPUS = 12
SILHOUETTE_SAMPLE = 3000
QUOTES = 3
QUOTE_CHARS = 280
# The share of non-English texts the English MiniLM model tolerates before refusing.
NON_ENGLISH_ALLOWED = 0.05
# The share of texts in other languages than most of them that either backend tolerates.
OTHER_LANGUAGES_ALLOWED = 0.05


def _minilm(language: str) -> Embedder:
    from coproduce.core.analysis.themes.minilm import MiniLMEmbedder

    return MiniLMEmbedder()


def _terms(language: str) -> Embedder:
    return TermEmbedder(terms=terms_for(language))


# Each backend, made for the texts' language.
BACKENDS: dict[str, Callable[[str], Embedder]] = {"default": _terms, "minilm": _minilm}


@dataclass(frozen=True, slots=True)
class Quote:
    """A verbatim passage from one text: `text` is always a substring of the source."""

    id: str
    text: str
    start: int


@dataclass(frozen=True, slots=True)
class SuggestedTheme:
    label: str
    terms: tuple[str, ...]
    ids: tuple[str, ...]
    quotes: tuple[Quote, ...]


@dataclass(frozen=True, slots=True)
class Suggestions:
    themes: tuple[SuggestedTheme, ...]
    unassigned: tuple[str, ...]
    backend: str
    seconds: float
    notes: tuple[str, ...] = field(default=())

    def as_json(self) -> dict[str, object]:
        return {
            "themes": [
                {
                    "label": t.label,
                    "terms": list(t.terms),
                    "ids": list(t.ids),
                    "quotes": [{"id": q.id, "text": q.text} for q in t.quotes],
                }
                for t in self.themes
            ],
            "unassigned": list(self.unassigned),
            "backend": self.backend,
            "seconds": round(self.seconds, 3),
        }


def suggest_themes(
    texts: Sequence[Text],
    *,
    backend: str = "default",
    k: int | None = None,
    embedder: Embedder | None = None,
    source: str = "the input",
) -> Suggestions:
    """Themes for these texts; every text is in one theme or listed as unassigned."""
    started = time.perf_counter()
    check_corpus(texts, source=source)
    if backend not in BACKENDS:
        raise InvalidInput(
            f"There is no themes backend called {backend!r}; use one of {', '.join(BACKENDS)}."
        )
    if k is not None and not 1 <= k <= len(texts):
        raise InvalidInput(
            f"The number of themes must be between 1 and the number of texts ({len(texts)});"
            f" got {k}."
        )
    if backend == "minilm":
        _check_english(texts)
    language = main_language(texts, allowed=OTHER_LANGUAGES_ALLOWED, source=source)
    embedder = embedder or BACKENDS[backend](language)
    vectors = embedder.embed([t.text for t in texts])
    placed = np.flatnonzero(np.linalg.norm(vectors, axis=1) > 0)
    kept = set(placed.tolist())
    unassigned = tuple(texts[i].id for i in range(len(texts)) if i not in kept)
    if len(placed) < 2:
        raise InvalidInput(
            f"The texts in {source} have too few words in common to find themes; add more texts."
        )
    labels = _cluster(vectors[placed], k)
    themes = _themes(texts, placed, labels, vectors, terms_for(language))
    return Suggestions(
        themes=themes,
        unassigned=unassigned,
        backend=embedder.name,
        seconds=time.perf_counter() - started,
    )


def _check_english(texts: Sequence[Text]) -> None:
    foreign = not_english(texts)
    if len(foreign) > NON_ENGLISH_ALLOWED * len(texts):
        shown = ", ".join(repr(i) for i in foreign[:3])
        raise InvalidInput(
            f"{len(foreign)} of {len(texts)} texts (ids {shown}…) are not in English, and the"
            " MiniLM model only reads English; use --backend default for other languages."
        )


def _cluster(vectors: Vectors, k: int | None) -> NDArray[np.intp]:
    """Cluster labels; without `k`, the number of themes with the best silhouette.

    Spectral clustering (Ng, Jordan and Weiss 2001) on the graph linking each text to its
    nearest neighbours follows the shape of the texts rather than assuming round clusters, as
    UMAP then HDBSCAN do in BERTopic, but gives every text a theme. The graph's eigenvectors are
    computed once; each candidate number of themes k clusters the first k of them.
    """
    n = len(vectors)
    # Identical texts cannot be told apart: no more themes than distinct texts.
    distinct = len(np.unique(np.round(vectors, 5), axis=0))
    most = min(k or MAX_THEMES, n - 1, max(distinct, 2))
    spectral = n > SMALL_CORPUS
    points: NDArray[np.floating] = _spectral_points(vectors, most) if spectral else vectors
    if k is not None:
        k = min(k, max(distinct, 1))
        return _kmeans(points[:, : max(k, 2)] if spectral else points, k)
    # Silhouettes are scored on a fixed sample, with its cosine distances computed once.
    sample = np.random.default_rng(0).permutation(n)[:SILHOUETTE_SAMPLE]
    distances = np.clip(1.0 - vectors[sample] @ vectors[sample].T, 0.0, 2.0)
    np.fill_diagonal(distances, 0.0)
    best: tuple[float, NDArray[np.intp]] | None = None
    for candidate in range(2, most + 1):
        labels = _kmeans(points[:, :candidate] if spectral else points, candidate)
        if len(set(labels[sample].tolist())) < 2:
            continue
        score = float(silhouette_score(distances, labels[sample], metric="precomputed"))
        if best is None or score > best[0]:
            best = (score, labels)
    return best[1] if best is not None else np.zeros(n, dtype=np.intp)


def _spectral_points(vectors: Vectors, dimensions: int) -> NDArray[np.float64]:
    """The leading eigenvectors of the neighbour graph's normalised adjacency (Ng et al. 2001)."""
    # On unit vectors, Euclidean neighbours are cosine neighbours, and much faster to find.
    # Small corpora get fewer neighbours, or a small theme would be swallowed by a large one.
    count = min(NEIGHBOURS, max(2, round(len(vectors) ** 0.5)))
    finder = NearestNeighbors(n_neighbors=count, algorithm="brute")
    neighbours = finder.fit(vectors).kneighbors_graph(mode="connectivity")
    affinity = (0.5 * (neighbours + neighbours.T)).tocsr()
    root_degree = np.sqrt(np.asarray(affinity.sum(axis=1)).ravel())
    scale = diags(1.0 / root_degree)
    normalised = scale @ affinity @ scale
    start = np.random.default_rng(0).uniform(-1.0, 1.0, len(vectors))
    values, points = eigsh(normalised, k=dimensions, which="LA", v0=start)
    # Back from the normalised graph to the random-walk one, as sklearn's spectral_embedding does.
    points = points[:, np.argsort(-values, kind="stable")] / root_degree[:, None]
    # Each eigenvector's sign is arbitrary: fix it so the same input gives the same themes.
    signs = np.sign(points[np.argmax(np.abs(points), axis=0), np.arange(dimensions)])
    return np.asarray(points * signs, dtype=np.float64)


def _kmeans(points: NDArray[np.floating], k: int) -> NDArray[np.intp]:
    model = KMeans(n_clusters=k, n_init=4, random_state=0)
    return np.asarray(model.fit_predict(points), dtype=np.intp)


def _themes(
    texts: Sequence[Text],
    placed: NDArray[np.intp],
    labels: NDArray[np.intp],
    vectors: Vectors,
    terms: Terms,
) -> tuple[SuggestedTheme, ...]:
    clusters = sorted(set(labels.tolist()), key=lambda c: (-int((labels == c).sum()), c))
    members = [placed[labels == c] for c in clusters]
    found = distinctive_terms([[texts[i].text for i in m] for m in members], terms=terms)
    themes = []
    for rows, words in zip(members, found, strict=True):
        centroid = vectors[rows].mean(axis=0)
        nearest = rows[np.argsort(-(vectors[rows] @ centroid), kind="stable")[:QUOTES]]
        themes.append(
            SuggestedTheme(
                label=", ".join(words[:3]) if words else texts[rows[0]].text[:40],
                terms=tuple(words),
                ids=tuple(texts[i].id for i in sorted(rows.tolist())),
                quotes=tuple(quote(texts[i]) for i in nearest),
            )
        )
    return tuple(themes)


_SENTENCE_END = re.compile(r"[.!?…](?=\s)")


def quote(text: Text, limit: int = QUOTE_CHARS) -> Quote:
    """A verbatim passage: the whole text, or its opening sentences up to `limit` characters."""
    body = text.text.strip()
    start = text.text.index(body)
    if len(body) > limit:
        ends = [m.end() for m in _SENTENCE_END.finditer(body) if m.end() <= limit]
        cut = ends[-1] if ends else body.rfind(" ", 0, limit)
        body = body[: cut if cut > 0 else limit].rstrip()
    assert body in text.text  # a quote is never paraphrased
    return Quote(id=text.id, text=body, start=start)
