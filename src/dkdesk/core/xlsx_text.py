"""Text written into an .xlsx cell comes back exactly, in openpyxl and in LibreOffice/Excel.

Two traps, both in every workbook dkdesk writes (templates, filled reports, the consolidated
report workbook, the overview sheet):

- OOXML's ``_xHHHH_`` escape: LibreOffice decodes ``_xa_`` in ``tt_mang_xa_hoi`` as a character.
  ``escape_ooxml`` writes the underscore of every ``_x<hex>_`` as ``_x005F_`` (ECMA-376 §22.9.2.19);
  Calc/Excel decode that back to ``_``; openpyxl drops ``x005F_`` in shared strings (what Calc and
  Excel write) but not in the inline strings openpyxl itself writes, so dkdesk's reader passes every
  string through ``unescape_ooxml`` (the same step): every reader gets the original back.
- A string starting with ``=`` (``=> Đề nghị ...``) becomes a live formula in openpyxl.
  ``put_text`` always stores a text cell (``data_type "s"``), quote-prefixed when it looks like one.
"""
from __future__ import annotations

import re
from typing import Any

_ESCAPE_LIKE = re.compile(r"_(?=x[0-9A-Fa-f]+_)")
FORMULA_STARTS = ("=", "+", "-", "@")


def escape_ooxml(text: str) -> str:
    """``tt_mang_xa_hoi`` -> ``tt_mang_x005F_xa_hoi``: every ``_x<hex>_`` survives any reader."""
    return _ESCAPE_LIKE.sub("_x005F_", text)


def unescape_ooxml(text: str) -> str:
    """The reading side of ``escape_ooxml`` (only ``_x005F_``, as openpyxl does for shared strings)."""
    return text.replace("_x005F_", "_") if "_x005F_" in text else text


def put_text(cell: Any, text: str) -> Any:
    """Store ``text`` in an openpyxl cell as text, never as a formula, escaped for OOXML readers."""
    cell.value = escape_ooxml(text)
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def put_value(cell: Any, value: object) -> Any:
    """A str through ``put_text``; anything else (numbers, None) as it is."""
    if isinstance(value, str):
        return put_text(cell, value)
    cell.value = value
    return cell


def text_lines(text: str, width: float, size: float = 11) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide (Times New Roman
    at ``size`` pt), wrapping word by word as LibreOffice and Excel do (a word that does not fit
    starts the next line). Measured on LibreOffice's PDFs, a little pessimistic so that a printed
    cell never cuts its last line."""
    import math

    # about 1.3 letters of Vietnamese a width unit (a 60-wide column wraps CT05's name of 83
    # letters after 74; counting letters only, without the words, cut that second line)
    per_line = max(4.0, width * 1.3 * 11 / size)
    lines = 0
    for part in text.split("\n"):
        lines += 1
        used = 0.0
        for word in part.split():
            if used and used + 1 + len(word) <= per_line:
                used += 1 + len(word)
                continue
            if used:
                lines += 1
            lines += math.ceil(len(word) / per_line) - 1  # a word longer than the line
            used = len(word) - (math.ceil(len(word) / per_line) - 1) * per_line
    return lines


def fit_rows(ws: Any, first_row: int, last_row: int, min_height: float = 15) -> None:
    """Set row heights from the wrapped text (openpyxl and LibreOffice do not auto-fit on open)."""
    for r in range(first_row, last_row + 1):
        lines = 1
        size = 0.0
        for cell in ws[r]:
            if cell.value is None or not isinstance(cell.value, str) or cell.coordinate in ws.merged_cells:
                continue
            width = ws.column_dimensions[cell.column_letter].width or 10
            cell_size = float(cell.font.sz or 11) if cell.font else 11.0
            size = max(size, cell_size)
            lines = max(lines, text_lines(cell.value, width, cell_size))
        ws.row_dimensions[r].height = max(min_height, lines * (size or 11.0) * 1.25 + 3)
