"""Writing output files whole or not at all.

A file is written beside its final name, then moved into place in one step, so a reader never
sees half a file and a failure (a full disk, a missing folder) leaves the old file as it was.
"""

from __future__ import annotations

import contextlib
import zipfile
import zlib
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


# What a damaged zip file raises while it is read: a bad header or checksum, data that does
# not inflate, sizes or offsets that lie, a compression or encryption zipfile cannot read.
DAMAGED_ZIP: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
)


@contextlib.contextmanager
def reading_zip(source: str) -> Iterator[None]:
    """Turn the errors of a damaged zip file, read inside this block, into one sentence."""
    try:
        yield
    except InvalidInput:
        raise
    except DAMAGED_ZIP as error:
        raise InvalidInput(
            f"{source} is damaged and cannot be read ({type(error).__name__}); make or download"
            " it again."
        ) from None
