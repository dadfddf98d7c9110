"""Theme labels from distinctive terms: class-based TF-IDF.

The weighting is c-TF-IDF as Grootendorst (2022, "BERTopic: Neural topic modeling with a
class-based TF-IDF procedure", arXiv:2203.05794) defines it: a term's frequency in a theme
(normalised by the theme's size) times log(1 + A / f), where A is the average number of words per
theme and f the term's frequency across all themes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import permutations

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, strip_accents_unicode

from coproduce.core.analysis.themes.corpus import Terms

TERMS = 8


def distinctive_terms(
    themes: Sequence[Sequence[str]],
    top: int = TERMS,
    terms: Terms | None = None,
) -> list[list[str]]:
    """The most distinctive terms of each theme, best first."""
    documents = [" ".join(texts) for texts in themes]
    vectorizer = CountVectorizer(min_df=1, **(terms or Terms()).options(ngrams=(1, 2)))
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
    spelt = _spellings(documents, vectorizer)
    pairs = terms is not None and terms.analyzer is not None
    result = []
    for row, document in zip(weights, documents, strict=True):
        order = np.argsort(-row, kind="stable")
        best = _without_overlaps([str(vocabulary[i]) for i in order if row[i] > 0], top)
        if pairs:
            best = _joined(best, document)
        result.append([" ".join(spelt.get(w, w) for w in term.split()) for term in best])
    return result


def _joined(terms: list[str], document: str) -> list[str]:
    """Join overlapping character pairs into the longer word the texts use, so "計程" and
    "程車" are shown as "計程車"."""
    terms = list(terms)
    joined = True
    while joined:
        joined = False
        for a, b in permutations(terms, 2):
            if a[-1] == b[0] and a + b[1:] in document:
                terms[terms.index(a)] = a + b[1:]
                terms.remove(b)
                joined = True
                break
    return terms


def _spellings(documents: Sequence[str], vectorizer: CountVectorizer) -> dict[str, str]:
    """Each accent-stripped word's most common spelling in the texts ("proprietaire" is shown
    as "propriétaire"), as the vectoriser's accent stripping loses it."""
    tokenize = vectorizer.build_tokenizer()
    seen: dict[str, Counter[str]] = {}
    for document in documents:
        for word in tokenize(document.lower()):
            if not word.isascii():
                seen.setdefault(strip_accents_unicode(word), Counter())[word] += 1
    return {plain: forms.most_common(1)[0][0] for plain, forms in seen.items()}


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
