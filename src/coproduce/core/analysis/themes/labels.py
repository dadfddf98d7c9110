"""Theme labels from distinctive terms: class-based TF-IDF.

The weighting is c-TF-IDF as Grootendorst (2022, "BERTopic: Neural topic modeling with a
class-based TF-IDF procedure", arXiv:2203.05794) defines it: a term's frequency in a theme
(normalised by the theme's size) times log(1 + A / f), where A is the average number of words per
theme and f the term's frequency across all themes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import permutations

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

from coproduce.core.analysis.themes.corpus import WORD_CHARACTERS, Terms, strip_accents

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
                seen.setdefault(strip_accents(word), Counter())[word] += 1
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


# Words, with apostrophes inside kept ("don't").
WORDS = f"(?u)[{WORD_CHARACTERS}]+(?:['\u2019][{WORD_CHARACTERS}]+)*"
_WORDS = re.compile(WORDS)
CLAUSE_BREAK = re.compile(r"[.,;:!?()\[\]\"\u201c\u201d\u2026/]+")
PHRASE_WORDS = (2, 4)  # a label phrase is two to four words
PHRASE_LEAST_TEXTS = 2  # ...that at least this many of the theme's texts use
PHRASE_LEAST_SHARE = 0.05  # ...and at least this share of them


class Phrases:
    """The phrases a label may be, counted once over one language's texts: how many texts use
    each. Themes then count their own texts' phrases against these."""

    def __init__(self, texts: Sequence[str], terms: Terms | None = None) -> None:
        self.terms = terms or Terms()
        self.cut = None if self.terms.analyzer is not None else phrases_of(self.terms)
        self.everywhere: Counter[str] = Counter()
        self.of: dict[str, set[str]] = {}  # each text's phrases, cut once
        if self.cut is not None:
            for text in texts:
                if text not in self.of:
                    self.of[text] = set(self.cut(text))
                self.everywhere.update(self.of[text])

    def label_for(self, texts: Sequence[str], distinctive: Sequence[str] = ()) -> str:
        """A short phrase the theme's texts use, as they spell it ("paid time for
        co-researchers"): of the phrases of two to four words that several of its texts share,
        not starting or ending on a stop word, the one most particular to this theme (its texts
        using it, against all texts using it), among those holding one of its `distinctive`
        terms when any does. Empty when no phrase is shared enough, or for languages written
        without spaces (their labels are their terms)."""
        if self.cut is None or len(texts) < PHRASE_LEAST_TEXTS:
            return ""
        inside: Counter[str] = Counter()
        for text in texts:
            inside.update(self.of.get(text) or set(self.cut(text)))
        least = max(PHRASE_LEAST_TEXTS, PHRASE_LEAST_SHARE * len(texts))
        words = {w for term in distinctive for w in strip_accents(term.lower()).split()}
        scored = [
            (
                count * count / max(self.everywhere[phrase], 1),
                bool(words & set(phrase.split())),
                phrase,
            )
            for phrase, count in inside.items()
            if count >= least
        ]
        if not scored:
            return ""
        holding = [s for s in scored if s[1]] or scored
        best = max(holding, key=lambda s: (s[0], s[2]))[2]
        return as_written(best, texts)


def phrases_of(terms: Terms) -> Callable[[str], list[str]]:
    """Cut a text into the phrases a label may be: runs of two to four words as written (stop
    words kept inside, so the phrase reads as the texts say it), none starting or ending on a
    stop word."""
    stop = frozenset(CountVectorizer(**terms.options()).get_stop_words() or ())

    def cut(text: str) -> list[str]:
        found = []
        for clause in CLAUSE_BREAK.split(text):  # a phrase does not run across punctuation
            words = _WORDS.findall(strip_accents(clause.lower()))  # as the vectorisers see them
            may_end = [len(w) > 1 and w not in stop for w in words]
            for size in range(PHRASE_WORDS[0], PHRASE_WORDS[1] + 1):
                found += [
                    " ".join(words[i : i + size])
                    for i in range(len(words) - size + 1)
                    if may_end[i] and may_end[i + size - 1]
                ]
        return found

    return cut


def as_written(phrase: str, texts: Sequence[str]) -> str:
    """The phrase as the texts most often write it (case and accents), found in them."""

    pattern = re.compile(
        f"(?<![{WORD_CHARACTERS}])"
        + r"[\s\-\u2010-\u2015]+".join(re.escape(w) for w in phrase.split())
        + f"(?![{WORD_CHARACTERS}])",
        re.IGNORECASE,
    )
    forms: Counter[str] = Counter()
    for text in texts:
        plain = strip_accents(text)
        if len(plain) != len(text):
            continue  # the offsets would not line up
        for match in pattern.finditer(plain):
            forms[text[match.start() : match.end()]] += 1
    if not forms:
        return phrase
    written = forms.most_common(1)[0][0]
    return " ".join(written.split())
