"""The text of an item cut where codings start and end, so each piece knows which codings
cover it: the item's page highlights coded passages with their codes beside them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from coproduce.coding.models import Coding


@dataclass(frozen=True)
class Piece:
    """A run of the text and the codings covering all of it (none: not coded)."""

    text: str
    codings: tuple[Coding, ...]

    @property
    def codes(self) -> str:
        """The covering codes' paths, for the highlight's title."""
        return "; ".join(sorted({c.code.path() for c in self.codings}))

    @property
    def colour(self) -> str:
        return self.codings[0].code.colour if self.codings else ""


def pieces(text: str, codings: Sequence[Coding]) -> list[Piece]:
    """The text in order, cut at every coding's start and end (spans outside the text, as a
    changed text may leave, are clipped). Joined again, the pieces are the text."""
    spans = [(max(0, c.start), min(len(text), c.end), c) for c in codings]
    spans = [(s, e, c) for s, e, c in spans if s < e]
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    found = []
    for start, end in pairwise(cuts):
        covering = tuple(c for s, e, c in spans if s <= start and end <= e)
        found.append(Piece(text[start:end], covering))
    return found
