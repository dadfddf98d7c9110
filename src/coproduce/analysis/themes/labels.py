"""Theme labels from distinctive terms: class-based TF-IDF.

The weighting is c-TF-IDF as Grootendorst (2022, "BERTopic: Neural topic modeling with a
class-based TF-IDF procedure", arXiv:2203.05794) defines it: a term's frequency in a theme
(normalised by the theme's size) times log(1 + A / f), where A is the average number of words per
theme and f the term's frequency across all themes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

TERMS = 8


def distinctive_terms(themes: Sequence[Sequence[str]], top: int = TERMS) -> list[list[str]]:
    """The most distinctive terms of each theme, best first."""
    documents = [" ".join(texts) for texts in themes]
    vectorizer = CountVectorizer(
        stop_words="english", ngram_range=(1, 2), strip_accents="unicode", min_df=1
    )
    try:
        counts = vectorizer.fit_transform(documents).toarray().astype(np.float64)
    except ValueError:  # only stop words everywhere
        return [[] for _ in themes]
    vocabulary = vectorizer.get_feature_names_out()
    sizes = counts.sum(axis=1, keepdims=True)
    sizes[sizes == 0] = 1.0
    tf = counts / sizes
    average = counts.sum() / len(themes)
    idf = np.log(1.0 + average / np.maximum(counts.sum(axis=0), 1.0))
    weights = tf * idf
    result = []
    for row in weights:
        order = np.argsort(-row, kind="stable")
        result.append(_without_overlaps([str(vocabulary[i]) for i in order if row[i] > 0], top))
    return result


def _without_overlaps(terms: list[str], top: int) -> list[str]:
    """Drop a single word already inside a chosen pair (and the reverse), so labels say more."""
    chosen: list[str] = []
    for term in terms:
        words = set(term.split())
        if any(words <= set(c.split()) or set(c.split()) <= words for c in chosen):
            continue
        chosen.append(term)
        if len(chosen) == top:
            break
    return chosen
