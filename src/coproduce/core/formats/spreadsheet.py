"""Cells that a spreadsheet opens as text, never as a formula.

A CSV cell starting with =, +, -, @, a tab or a carriage return is run as a formula by Excel,
LibreOffice and Google Sheets ("CSV injection"). Following OWASP's advice, such a text cell is
written with a leading apostrophe, which spreadsheets show as text and do not display; NUL bytes,
which some readers stop at, are removed. Numbers are written as they are, so a vote of -1 stays a
number. Reading a file Coproduce wrote, `restored` takes the apostrophe off again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """The value as a CSV cell that cannot run as a formula (text only; numbers unchanged)."""
    if not isinstance(value, str):
        return value
    text = value.replace("\x00", "")
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_row(values: list[object]) -> list[object]:
    """Every cell of a row made safe."""
    return [safe_cell(v) for v in values]


def restored(text: str) -> str:
    """A text cell as it was before safe_cell guarded it."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


class Writer(Protocol):
    def writerow(self, row: Iterable[Any], /) -> Any: ...


class SafeWriter:
    """A csv writer whose every text cell is made safe before it is written."""

    def __init__(self, writer: Writer) -> None:
        self.writer = writer

    def writerow(self, row: Iterable[object]) -> None:
        self.writer.writerow(safe_row(list(row)))

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)
