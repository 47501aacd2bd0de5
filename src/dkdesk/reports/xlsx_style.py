"""The administrative look of a report sheet (SPEC §7) and safe cell writing.

``document_header`` writes the two-column header, title, period and place/date lines;
``page_setup`` makes the sheet print on A4, fit to width, with print titles and page numbers.
``put`` writes a value: numbers as numbers, text always as text (a unit's "=1+1" or "@x" can
never become a formula).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Sequence, cast

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

FONT = "Times New Roman"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="E7EEF7")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
GREY_FILL = PatternFill("solid", fgColor="D9D9D9")
INT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.00%"
FORMULA_STARTS = ("=", "+", "-", "@")


@lru_cache(maxsize=64)
def font(size: float = 12, bold: bool = False, italic: bool = False, underline: bool = False,
         color: str = "000000") -> Font:
    return Font(name=FONT, size=size, bold=bold, italic=italic,
                underline="single" if underline else None, color=color)


def cell_at(ws: Worksheet, row: int, column: int) -> Cell:
    """The cell to write at (row, column): never inside a merged range but its top-left corner,
    which openpyxl returns as a plain ``Cell`` (its stubs type every cell as maybe merged)."""
    return cast(Cell, ws.cell(row=row, column=column))


def first_sheet(wb: Workbook) -> Worksheet:
    """The sheet a new ``Workbook()`` starts with."""
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new workbook always has one worksheet
    return ws


def fit_to_page(ws: Worksheet) -> None:
    """Print scaled to the page width set in ``page_setup.fitToWidth``."""
    props = ws.sheet_properties.pageSetUpPr
    if props is None:
        props = ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    props.fitToPage = True


def put(cell: Cell, value: object, *, number_format: str | None = None) -> Cell:
    """Write a value; a str is always stored as text, even "=SUM(A1)" or "-5" or "@x"."""
    if isinstance(value, str):
        cell.value = value
        if value.startswith(FORMULA_STARTS) or cell.data_type == "f":
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = cast(Any, value)  # numbers, dates, None: openpyxl checks the type itself
        if number_format and value is not None:
            cell.number_format = number_format
    return cell


def merge_text(ws: Worksheet, row: int, first_col: int, last_col: int, text: str, f: Font,
               horizontal: str = "center", height: float | None = None, wrap: bool = True) -> Cell:
    if last_col > first_col:
        ws.merge_cells(start_row=row, start_column=first_col, end_row=row, end_column=last_col)
    cell = cell_at(ws, row, first_col)
    put(cell, text)
    cell.font = f
    cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=wrap)
    if height:
        ws.row_dimensions[row].height = height
    return cell


def document_header(ws: Worksheet, ncols: int, issuer: str, office: str, date_line: str,
                    title: str, subtitle: str) -> int:
    """The Nghị định 30 header over ``ncols`` columns; returns the first free row.

    Set the column widths first: the issuer block takes the first columns until it is wide
    enough for "PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", the motto block the rest."""
    col_widths = [ws.column_dimensions[get_column_letter(c)].width or 9 for c in range(1, ncols + 1)]
    left_end, acc = 1, 0.0
    for c, w in enumerate(col_widths[:-1], start=1):
        acc += w
        left_end = c
        if acc >= 46:
            break
    right_start = left_end + 1 if ncols > 1 else 1
    merge_text(ws, 1, 1, left_end, issuer, font(12))
    merge_text(ws, 1, right_start, ncols, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font(12, bold=True))
    merge_text(ws, 2, 1, left_end, office, font(12, bold=True, underline=True))
    merge_text(ws, 2, right_start, ncols, "Độc lập - Tự do - Hạnh phúc", font(13, bold=True, underline=True))
    merge_text(ws, 3, right_start, ncols, date_line, font(12, italic=True))
    for r in (1, 2):
        ws.row_dimensions[r].height = 18
    ws.row_dimensions[3].height = 20
    merge_text(ws, 5, 1, ncols, title, font(14, bold=True), height=22)
    merge_text(ws, 6, 1, ncols, subtitle, font(13, italic=True), height=20)
    return 8


def header_row(ws: Worksheet, row: int, headers: list[str], height: float = 45, size: float = 11) -> None:
    for col, text in enumerate(headers, start=1):
        cell = put(cell_at(ws, row, col), text)
        cell.font = font(size, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX
        cell.fill = HEAD_FILL
    ws.row_dimensions[row].height = height


def body_cell(ws: Worksheet, row: int, col: int, value: object, *, number_format: str | None = None,
              horizontal: str | None = None, bold: bool = False, size: float = 11, wrap: bool = True) -> Cell:
    cell = put(cell_at(ws, row, col), value, number_format=number_format)
    cell.font = font(size, bold=bold)
    if horizontal is None:
        horizontal = "right" if isinstance(value, (int, float)) and not isinstance(value, bool) else "left"
    cell.alignment = _alignment(horizontal, "top", wrap)
    cell.border = BOX
    return cell


@lru_cache(maxsize=32)
def _alignment(horizontal: str, vertical: str, wrap: bool) -> Alignment:
    return Alignment(horizontal=horizontal, vertical=vertical, wrap_text=wrap)


def widths(ws: Worksheet, values: Sequence[float]) -> None:
    for i, w in enumerate(values, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def page_setup(ws: Worksheet, title_rows: tuple[int, int], *, landscape: bool = True,
               pages_wide: int = 1, title_cols: str | None = None) -> None:
    """A4, fit to ``pages_wide`` pages across, repeat the table header, "Trang x / y" below."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = pages_wide
    ws.page_setup.fitToHeight = 0
    fit_to_page(ws)
    ws.print_options.horizontalCentered = True
    # margins in inches: top/bottom 20 mm, left 30 mm, right 15 mm (Nghị định 30)
    ws.page_margins.left, ws.page_margins.right = 30 / 25.4, 15 / 25.4
    ws.page_margins.top, ws.page_margins.bottom = 20 / 25.4, 20 / 25.4
    ws.page_margins.header, ws.page_margins.footer = 0.3, 0.3
    ws.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
    if title_cols:
        ws.print_title_cols = title_cols
    odd = ws.oddFooter
    assert odd is not None  # openpyxl makes it with the sheet
    footer = odd.center
    footer.text = "Trang &P / &N"
    footer.font = f"{FONT},Regular"
    footer.size = 10
    ws.sheet_view.showGridLines = False


def fit_rows(ws: Worksheet, first_row: int, last_row: int, min_height: float = 16) -> None:
    """Set row heights from the wrapped text (openpyxl and LibreOffice do not auto-fit on open)."""
    import math

    for r in range(first_row, last_row + 1):
        lines = 1
        size = 11.0
        for cell in ws[r]:
            if cell.value is None or not isinstance(cell.value, str) or cell.coordinate in ws.merged_cells:
                continue
            letter = cell.column_letter
            width = ws.column_dimensions[letter].width or 10
            size = max(size, float(cell.font.sz or 11)) if cell.font else size
            per_line = max(1.0, width * 1.15 * 11 / float(cell.font.sz or 11))
            n = sum(max(1, math.ceil(len(part) / per_line)) for part in cell.value.split("\n"))
            lines = max(lines, n)
        ws.row_dimensions[r].height = max(min_height, lines * size * 1.3 + 3)


def signature_block(ws: Worksheet, row: int, ncols: int, left_title: str = "NGƯỜI LẬP BIỂU",
                    right_title: str = "TRƯỞNG PHÒNG") -> int:
    """"NGƯỜI LẬP BIỂU" (left half) and "TRƯỞNG PHÒNG" (right half), room to sign; returns the next row."""
    half = max(1, ncols // 2)
    merge_text(ws, row, 1, half, left_title, font(12, bold=True), height=18)
    merge_text(ws, row, half + 1, ncols, right_title, font(12, bold=True), height=18)
    merge_text(ws, row + 1, 1, half, "(Ký, ghi rõ họ tên)", font(11, italic=True))
    merge_text(ws, row + 1, half + 1, ncols, "(Ký, ghi rõ họ tên, đóng dấu)", font(11, italic=True))
    for r in range(row + 2, row + 6):
        ws.row_dimensions[r].height = 16
    return row + 6
