"""One worker at a time on a piece of background work, across every worker of a site.

Several `coproduce worker` processes may pick up tasks for the same conversation at once (each
web server queues its own). `only_one("opinion", conversation_id)` lets the first through and
tells the others to stand aside. On PostgreSQL it is a session advisory lock, released when the
work ends or its connection does (a worker killed mid-work holds nothing); on SQLite, whose
workers share one machine, an exclusive lock on a file beside the database, released by the
operating system when the process ends.
"""

from __future__ import annotations

import fcntl
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection


@contextmanager
def only_one(kind: str, number: int) -> Iterator[bool]:
    """True inside when this process holds the work `kind` number `number`, False when another
    process does (then do nothing: the one holding it finishes the work)."""
    if connection.vendor == "postgresql":
        with _advisory_lock(zlib.crc32(kind.encode()) & 0x7FFFFFFF, number) as held:
            yield held
    else:
        with _file_lock(Path(settings.DATA_DIR) / "locks" / f"{kind}-{number}.lock") as held:
            yield held


@contextmanager
def _advisory_lock(space: int, number: int) -> Iterator[bool]:
    key = (space, number % 2**31)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
        held = bool(cursor.fetchone()[0])
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", key)


@contextmanager
def _file_lock(path: Path) -> Iterator[bool]:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)
