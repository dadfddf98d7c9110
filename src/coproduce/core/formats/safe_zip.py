"""Zip files from outside: refuse ones that unpack to far more than they weigh. Pure.

Used for study archives and Word documents (a .docx is a zip), so a "zip bomb" is refused
before anything is unpacked.
"""

from __future__ import annotations

import zipfile


def oversized_member(
    archive: zipfile.ZipFile, *, max_member: int, max_total: int, max_ratio: float
) -> zipfile.ZipInfo | None:
    """The first member that makes the archive too big to unpack, or None if it is sound:
    one member over `max_member` bytes, all of them over `max_total`, or compressed more than
    `max_ratio` times (as only crafted archives are)."""
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > max_member or total > max_total or ratio > max_ratio:
            return info
    return None
