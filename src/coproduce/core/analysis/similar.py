"""Spotting a statement that says the same as one already there.

Texts are compared as sets of character trigrams of their normalised words (Jaccard
similarity), which catches rewordings, typos and changed punctuation without a language model.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

WORD = re.compile(r"\w+", re.UNICODE)
SIMILAR = 0.6  # at or above this, offer "vote on this similar statement instead"


def normalise(text: str) -> str:
    """Lower case, accents folded, punctuation and extra spaces gone."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(WORD.findall(folded))


def trigrams(text: str) -> frozenset[str]:
    padded = f"  {normalise(text)} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def similarity(a: str, b: str) -> float:
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


@dataclass(frozen=True)
class Match:
    key: int
    text: str
    score: float


def most_similar(text: str, existing: Iterable[tuple[int, str]]) -> Match | None:
    """The closest existing statement at or above the similarity threshold, if any."""
    mine = trigrams(text)
    best: Match | None = None
    for key, other in existing:
        theirs = trigrams(other)
        if not mine or not theirs:
            continue
        score = len(mine & theirs) / len(mine | theirs)
        if score >= SIMILAR and (best is None or score > best.score):
            best = Match(key, other, score)
    return best
