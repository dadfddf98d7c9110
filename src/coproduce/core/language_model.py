"""py3langid's model read for many texts at once.

py3langid (BSD-3-Clause; the method of langid.py, Lui and Baldwin 2012) reads one text at a
time, walking its bytes through the model's automaton in Python: 11,000 comments took 2 s, and as
long again when a corpus's texts were read a second time against its own languages. Here the walks
of all the texts advance together, one byte position at a time, as NumPy array operations, and
each text's features are counted once for every reading. The scores are py3langid's own: naive
Bayes over log(1 + count) of each feature the walk passes, divided by the square root of the
text's length in bytes and normalised to probabilities (the tests check that both agree). It
reads py3langid 0.4's tables, so pyproject.toml keeps py3langid below 0.5.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix

# When fewer texts than this are still being walked (the few long ones), each finishes alone:
# an array operation over a handful of texts costs more than a plain loop.
FEW_LEFT = 8
# Texts walked and scored together: the walk's arrays hold a number for every byte of them,
# and the scores one for every language.
TOGETHER = 4096


@dataclass(frozen=True, slots=True)
class Batch:
    """What the walk found in each of a batch of texts: log(1 + count) of each feature."""

    counts: csr_matrix  # texts x the features found (columns: `used`)
    used: NDArray[np.int64]  # the model's feature numbers of the columns
    lengths: NDArray[np.int64]  # each text's length in bytes


Features = tuple[Batch, ...]  # every text's, TOGETHER a batch, in order


class LanguageModel:
    """py3langid's model: its automaton over bytes and its naive Bayes tables."""

    def __init__(self, identifier: Any) -> None:
        self.moves = np.frombuffer(identifier.tk_nextmove, dtype=np.uint32)
        self.rows = np.asarray(identifier.tk_row, dtype=np.int64) << 8
        self.output = np.asarray(identifier.tk_output, dtype=np.int64)
        self.table = identifier.nb_ptc  # features x languages
        self.prior = np.asarray(identifier.nb_pc, dtype=np.float32)
        self.codes: list[str] = list(identifier.nb_classes)
        # The same tables as plain Python sequences, for walking one text alone.
        self._moves = identifier.tk_nextmove
        self._rows = self.rows.tolist()
        self._output = list(identifier.tk_output)

    def features(self, texts: Sequence[str]) -> Features:
        return tuple(
            self._batch(texts[start : start + TOGETHER]) for start in range(0, len(texts), TOGETHER)
        )

    def read(
        self, features: Features, among: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        """Each text's most likely language (of those `among`, or of all) and its probability."""
        columns = [n for n, code in enumerate(self.codes) if among is None or code in among]
        return [read for batch in features for read in self._read(batch, columns)]

    def _batch(self, texts: Sequence[str]) -> Batch:
        encoded = [_encoded(text) for text in texts]
        lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
        which, found = self._walk(encoded, lengths)
        used, column = np.unique(found, return_inverse=True)
        ones = np.ones(len(found), dtype=np.float32)
        counts = csr_matrix((ones, (which, column)), shape=(len(texts), len(used)))
        counts.sum_duplicates()
        counts.data = np.log1p(counts.data)
        return Batch(counts=counts, used=used, lengths=lengths)

    def _read(self, batch: Batch, columns: list[int]) -> list[tuple[str, float]]:
        table = np.asarray(self.table[batch.used][:, columns], dtype=np.float32)
        scores = np.asarray(batch.counts @ table, dtype=np.float32) + self.prior[columns]
        scores[np.diff(batch.counts.indptr) == 0] = 0.0  # nothing to go on: all alike
        scores /= np.sqrt(np.maximum(batch.lengths, 1)).astype(np.float32)[:, None]
        scores = np.exp(scores - scores.max(axis=1, keepdims=True))
        scores /= scores.sum(axis=1, keepdims=True)
        codes = [self.codes[n] for n in columns]
        first: dict[str, int] = {}
        for n, code in enumerate(codes):  # a language the model has twice (two scripts): one
            if code in first:
                scores[:, first[code]] += scores[:, n]
                scores[:, n] = 0.0
            else:
                first[code] = n
        best = scores.argmax(axis=1)
        sure = scores[np.arange(len(best)), best]
        return [(codes[b], float(p)) for b, p in zip(best.tolist(), sure.tolist(), strict=True)]

    def _walk(
        self, encoded: list[bytes], lengths: NDArray[np.int64]
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """(text, feature) for each feature that each text's walk passes, repeats included."""
        order = np.argsort(-lengths, kind="stable")  # the texts still walking come first
        positions = np.arange(lengths.max(initial=0))
        walking = len(lengths) - np.searchsorted(np.sort(lengths), positions, side="right")
        buffer = np.frombuffer(b"".join(encoded[n] for n in order.tolist()), dtype=np.uint8)
        starts = np.concatenate(([0], np.cumsum(lengths[order])[:-1])).astype(np.int64)
        state = np.zeros(len(order), dtype=np.int64)
        which: list[NDArray[np.int64]] = [np.zeros(0, dtype=np.int64)]
        found: list[NDArray[np.int64]] = [np.zeros(0, dtype=np.int64)]
        for position, count in enumerate(walking.tolist()):
            if count < FEW_LEFT:
                for n in range(count):
                    text = int(order[n])
                    rest = self._walk_one(encoded[text][position:], int(state[n]))
                    which.append(np.full(len(rest), text, dtype=np.int64))
                    found.append(np.asarray(rest, dtype=np.int64))
                break
            moved = self.moves[self.rows[state[:count]] + buffer[starts[:count] + position]]
            state[:count] = moved
            feature = self.output[moved]
            hit = np.flatnonzero(feature >= 0)
            which.append(order[hit])
            found.append(feature[hit])
        return np.concatenate(which), np.concatenate(found)

    def _walk_one(self, data: bytes, state: int) -> list[int]:
        moves, rows, output = self._moves, self._rows, self._output
        found = []
        for byte in data:
            state = moves[rows[state] + byte]
            if output[state] >= 0:
                found.append(output[state])
        return found


def _encoded(text: str) -> bytes:
    """The bytes py3langid reads: all-capital text lowered, composed (NFC), in UTF-8."""
    if text.isupper():
        text = text.lower()
    return unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass")
