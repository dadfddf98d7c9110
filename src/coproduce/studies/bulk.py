"""Large writes in chunks, so that SQLite's single write lock is never held for long.

SQLite lets one connection write at a time; a writer that finds the lock taken retries for up
to its timeout. A bulk write (an import) therefore commits a chunk at a time and, between two
chunks, pauses long enough for a waiting writer (a vote, a sign-in) to get in. PostgreSQL has no
such lock: there the chunks only keep transactions short, and nothing pauses.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import TypeVar

from django.db import connection, transaction

# Seconds between two chunks on SQLite: longer than the 25-50 ms a waiting writer's first
# retries are apart, so one of them falls in the gap.
BETWEEN_CHUNKS = 0.05

Row = TypeVar("Row")


def pause_between_chunks() -> float:
    """The pause this database wants between two chunks of a bulk write."""
    return BETWEEN_CHUNKS if connection.vendor == "sqlite" else 0.0


def let_others_write(pause: float | None = None) -> None:
    """After a chunk: pause (outside a caller's transaction, where it would help no one)."""
    seconds = pause_between_chunks() if pause is None else pause
    if seconds and not connection.in_atomic_block:
        time.sleep(seconds)


def batches(rows: Sequence[Row], size: int) -> Iterator[Sequence[Row]]:
    """The rows `size` at a time, each batch written in a transaction of its own (a savepoint
    inside a caller's), with the pause after each."""
    for start in range(0, len(rows), size):
        with transaction.atomic():
            yield rows[start : start + size]
        let_others_write()
