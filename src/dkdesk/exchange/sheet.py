"""The entry sheet of a template: find the ``Mã``/``Giá trị`` header row and collect the rows
below it, in one streaming pass over an openpyxl read-only worksheet.

``scan(ws, name)`` returns an ``EntrySheet`` (or None when the sheet has no such header) and
raises ``Refuse`` for a used range far larger than any template. Shared by every template
version's reader (``reader.READERS``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from dkdesk.core.numbers import clean_text
from dkdesk.core.xlsx_text import unescape_ooxml
from dkdesk.core.validation import FieldError
from dkdesk.exchange import layout as L

MAX_ROWS = 2000  # data below this row is not part of any template
MAX_COLS = 40  # columns read
MAX_DIM_COLS = 200  # a declared used range wider than this is refused
HEADER_SEARCH_ROWS = 40


class Refuse(Exception):
    """A refusal with the cell at fault; turned into the file's error by the reader."""

    def __init__(self, message: str, cell: str = "", code: str = "") -> None:
        super().__init__(message)
        self.error = FieldError(code, message, cell)


def ref(sheet: str, col: int, row: int) -> str:
    return f"'{sheet}'!{get_column_letter(col)}{row}"


def text(v: object) -> str:
    return "" if v is None else clean_text(unescape_ooxml(str(v)))


@dataclass
class EntrySheet:
    name: str
    header_row: int
    code_col: int  # 1-based
    value_col: int
    rows: list[tuple[int, str, object]]  # (row, code, raw value) for rows with a code or a value
    header_texts: list[str]
    # (row, column, raw) of every non-empty cell above the header row / below it outside Mã and Giá trị
    header_cells: list[tuple[int, int, object]] = field(default_factory=list)
    other_cells: list[tuple[int, int, object]] = field(default_factory=list)


def find_header(row: tuple) -> tuple[int, int] | None:
    titles = [text(v).casefold() for v in row]
    try:
        return titles.index(L.COL_CODE_TITLE.casefold()) + 1, titles.index(L.COL_VALUE_TITLE.casefold()) + 1
    except ValueError:
        return None


def scan(ws: Any, name: str) -> EntrySheet | None:
    """One pass over a sheet: find the ``Mã``/``Giá trị`` header, then collect the rows below."""
    sheet: EntrySheet | None = None
    header_texts: list[str] = []
    header_cells: list[tuple[int, int, object]] = []
    rows, cols = ws.max_row or 0, ws.max_column or 0  # the sheet's declared used range
    if rows > MAX_ROWS or cols > MAX_DIM_COLS:
        corner = f"{get_column_letter(min(max(cols, 1), 16384))}{rows}"
        raise Refuse(f"Trang tính \"{name}\" có vùng dữ liệu đến ô {corner} (dòng {rows}), quá lớn so với một "
                      f"biểu báo cáo (tối đa {MAX_ROWS} dòng); hãy xóa phần thừa hoặc dùng lại biểu mẫu gốc.",
                      f"'{name}'!{corner}")
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # read what is there, not what the writer declared (some declare "A1")
    for r, row in enumerate(ws.iter_rows(max_col=MAX_COLS, values_only=True), start=1):
        if sheet is None:
            found = find_header(row)
            if found:
                sheet = EntrySheet(name, r, found[0], found[1], [], header_texts, header_cells)
            elif r >= HEADER_SEARCH_ROWS:
                return None
            else:
                header_texts.extend(text(v) for v in row if isinstance(v, str))
                header_cells.extend((r, c, v) for c, v in enumerate(row, start=1) if v is not None)
            continue
        code = row[sheet.code_col - 1] if len(row) >= sheet.code_col else None
        value = row[sheet.value_col - 1] if len(row) >= sheet.value_col else None
        if isinstance(value, str):
            value = unescape_ooxml(value) if value.strip() else None
        if r > MAX_ROWS:
            if any(v is not None and text(v) != "" for v in row):
                raise Refuse(f"Trang tính có dữ liệu ở dòng {r}, ngoài vùng biểu mẫu (tối đa {MAX_ROWS} dòng); "
                              "hãy xóa phần thừa hoặc dùng lại biểu mẫu gốc.", ref(name, 1, r))
            continue
        if code is not None and text(code) != "" or value is not None:
            sheet.rows.append((r, text(code), value))
        sheet.other_cells.extend((r, c, v) for c, v in enumerate(row, start=1)
                                 if c not in (sheet.code_col, sheet.value_col) and v is not None and text(v) != "")
    return sheet


def entry_sheet(wb: Any) -> EntrySheet | None:
    names = [n for n in wb.sheetnames if n != L.SHEET_ID]
    names.sort(key=lambda n: n != L.SHEET_ENTRY)
    for name in names:
        sheet = scan(wb[name], name)
        if sheet is not None:
            return sheet
    return None
