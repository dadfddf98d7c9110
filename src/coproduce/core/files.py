"""Writing output files whole or not at all.

A file is written beside its final name, then moved into place in one step, so a reader never
sees half a file and a failure (a full disk, a missing folder) leaves the old file as it was.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from coproduce.core.errors import InvalidInput


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A partial file beside `path` to write to; moved into place when the block ends, removed
    when it fails. A failure to write is reported in one sentence naming the file."""
    partial = path.with_name(path.name + ".partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        yield partial
        partial.replace(path)
    except OSError as error:
        _remove(partial)
        raise InvalidInput(f"Could not write {path}: {error.strerror or error}.") from error
    except BaseException:
        _remove(partial)
        raise


def _remove(partial: Path) -> None:
    with contextlib.suppress(OSError):  # nothing to remove where nothing could be written
        partial.unlink(missing_ok=True)


def write_atomically(path: Path, data: bytes | str) -> Path:
    """Write bytes (or text as UTF-8) to `path`, whole or not at all; returns the path."""
    with atomic_path(path) as partial:
        partial.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path
