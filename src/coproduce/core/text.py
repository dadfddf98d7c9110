"""Text no database can store: the NUL character (PostgreSQL refuses it in text) and half of a
UTF-16 surrogate pair (not Unicode at all). Every file and request is checked for them where it
is read, so they are refused with a sentence rather than failing deep inside a write."""

from __future__ import annotations

import re

from coproduce.core.errors import InvalidInput

_SURROGATE = re.compile("[\ud800-\udfff]")


def unstorable(text: str) -> str | None:
    """What in this text cannot be stored, in words, or None."""
    if "\x00" in text:
        return "a NUL character (byte 0)"
    if _SURROGATE.search(text):
        return "half of a UTF-16 surrogate pair"
    return None


def storable(text: str, source: str) -> str:
    """The text unchanged, or InvalidInput naming the line that holds what cannot be stored."""
    found = unstorable(text)
    if found is None:
        return text
    at = (
        text.find("\x00") if "\x00" in text else _SURROGATE.search(text).start()  # type: ignore[union-attr]
    )
    line = text.count("\n", 0, at) + 1
    raise InvalidInput(
        f"{source}, line {line}, holds {found}, which is not text; save it again as plain"
        " UTF-8 text."
    )
