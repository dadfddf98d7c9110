"""CSV cells that a spreadsheet cannot run as formulas (OWASP's CSV injection advice)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from coproduce.core.formats.spreadsheet import FORMULA_STARTS, restored, safe_cell


def test_formula_starts_become_text_and_numbers_stay_numbers() -> None:
    assert (
        safe_cell('=HYPERLINK("http://x.example","Click")')
        == '\'=HYPERLINK("http://x.example","Click")'
    )
    assert safe_cell("@SUM(1+1)") == "'@SUM(1+1)"
    assert safe_cell("+44 7700 900123") == "'+44 7700 900123"
    assert safe_cell("-2 for me") == "'-2 for me"
    assert safe_cell("\tindented") == "'\tindented"
    assert safe_cell("\rreturn") == "'\rreturn"
    assert safe_cell("nul\x00byte") == "nulbyte"
    assert safe_cell("Plain words = fine") == "Plain words = fine"
    assert safe_cell(-1) == -1 and safe_cell(0) == 0 and safe_cell(None) is None


@given(st.text())
def test_a_safe_cell_never_starts_a_formula_and_reads_back_as_written(text: str) -> None:
    cell = safe_cell(text)
    assert isinstance(cell, str)
    assert not cell.startswith(FORMULA_STARTS) and "\x00" not in cell
    assert restored(cell) == text.replace("\x00", "")
