"""Text that a spreadsheet shows as written and never runs as a formula.

A household's name or hamlet (from ``household add`` or a roster) or a diary line such as
``=HYPERLINK("http://…","Bấm vào")`` or ``=1+1`` must not become a live formula in a file
an officer opens.  openpyxl stores any text starting with ``=`` as a formula; Excel also
reads ``+``, ``-`` and ``@`` at the start of a CSV field as one.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # openpyxl is loaded only where a workbook is written
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_field(value: Any) -> Any:
    """A CSV field Excel will not run: text starting like a formula gets a leading ``'``
    (the usual defence; Excel shows the text after it)."""
    return "'" + value if _looks_like_formula(value) else value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_field(value) for value in values]


def row_cells(sheet: WriteOnlyWorksheet, values: Iterable[Any]) -> list[Any]:
    """A row for ``sheet.append`` in a write-only workbook: every text as a text cell."""
    from openpyxl.cell import WriteOnlyCell

    cells: list[Any] = []
    for value in values:
        if isinstance(value, str):
            cell: WriteOnlyCell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            cells.append(cell)
        else:
            cells.append(value)
    return cells


def no_formulas(book: Workbook) -> None:
    """Every cell of ``book`` that would be a formula is kept as its text (call before
    saving a workbook that never means to write formulas)."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def workbook_bytes(book: Workbook) -> bytes:
    """``book`` saved as .xlsx bytes, every formula-like text kept as text."""
    no_formulas(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
