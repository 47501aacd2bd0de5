"""The overview of one period as an Excel sheet (Qt-free; numbers in number cells).

``fill_overview_sheet(ws, plan, page)`` fills a worksheet (the consolidated report may reuse
it); ``write_overview_workbook(path, plan, page)`` writes a one-sheet workbook. Results are
stored as fractions with a ``0.00%`` format, truncated to 2 decimals (SPEC §4), so that a
figure below its target never reads as reaching it; numerators and denominators as integers.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dkdesk.reports.xlsx_style import cell_at, first_sheet

from dkdesk.catalogue.model import Plan
from dkdesk.core.numbers import plain_number, truncate2
from dkdesk.core.xlsx_text import put_value
from dkdesk.indicators.engine import CHUA_DAT, DAT, KHONG_AP_DUNG, THIEU, IndicatorResult
from dkdesk.indicators.overview import OverviewPage
from dkdesk.reports.overview_html import last_year
from dkdesk.reports.xlsx_style import fit_rows, page_setup, text_lines

SHEET_TITLE = "Tổng quan chỉ tiêu"
STATUS_FILL = {DAT: "C8E6C9", CHUA_DAT: "FFCDD2", THIEU: "FFE0B2", KHONG_AP_DUNG: "E0E0E0"}
_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
FONT = "Times New Roman"


def _percent(r: IndicatorResult | None) -> float | None:
    """The result as a spreadsheet fraction (59,99% -> 0.5999), truncated; None without value."""
    if r is None or r.value is None:
        return None
    return float(truncate2(r.value) / 100)


def headers(page: OverviewPage, plan: Plan) -> list[str]:
    cols = ["STT", "Mã", "Chỉ tiêu", "Mục tiêu", "Kết quả", "Tử số", "Mẫu số", "Đánh giá",
            "Đơn vị chủ trì", "Đơn vị thiếu số liệu"]
    last = last_year(page, plan)
    if last is not None:
        cols.append(last.title)
    return cols


def fill_overview_sheet(ws: Worksheet, plan: Plan, page: OverviewPage, today: date | None = None) -> None:
    period = plan.period(page.period)
    cols = headers(page, plan)
    ws.title = SHEET_TITLE
    put_value(ws["A1"], plan.info.issuer)
    put_value(ws["A2"], f"KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU - {period.name.upper()}")
    put_value(ws["A3"], plan.info.title)
    for name in ("A1", "A2", "A3"):
        ws[name].font = Font(name=FONT, bold=name != "A3", size=13 if name == "A2" else 12)
    header_row = 5
    for c, title in enumerate(cols, start=1):
        cell = put_value(ws.cell(header_row, c), title)
        cell.font = Font(name=FONT, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = PatternFill("solid", fgColor="DCE6F1")
        cell.border = _BOX
    last = last_year(page, plan)
    for i, r in enumerate(page.overview.indicators, start=1):
        row = header_row + i
        prev = last.result(r.code) if last else None
        missing = ", ".join(plan.unit(u).name for u in r.missing_units)
        cells: list[int | float | str | None] = [
            i, r.code, r.name, r.target if r.is_count else float(r.target) / 100,
            plain_number(r.value) if r.is_count else _percent(r), plain_number(r.numerator),
            plain_number(r.denominator), r.status_label, r.responsible, missing]
        if last is not None:
            cells.append(plain_number(prev.value) if prev is not None and prev.is_count else _percent(prev))
        for c, value in enumerate(cells, start=1):
            cell = put_value(ws.cell(row, c), value)
            cell.font = Font(name=FONT)
            cell.border = _BOX
            cell.alignment = Alignment(vertical="center", wrap_text=c in (3, 9, 10))
            if (c in (4, 5) and r.is_count) or (c == 11 and prev is not None and prev.is_count):
                cell.number_format = "#,##0"
            elif c == 11 and prev is not None and prev.is_count:
                cell.number_format = "#,##0"
            elif c in (4, 5, 11):
                cell.number_format = "0.00%"
            elif c in (6, 7):
                cell.number_format = "#,##0"
        status_cell = ws.cell(row, 8)
        status_cell.fill = PatternFill("solid", fgColor=STATUS_FILL[r.status])
        status_cell.alignment = Alignment(horizontal="center", vertical="center")
    done = page.completeness
    note_row = header_row + len(page.overview.indicators) + 2
    put_value(ws.cell(note_row, 1), f"Đơn vị đã báo cáo: {len(done.reported)}/{done.total}. Hạn nộp: "
                                    f"{done.deadline:%d/%m/%Y}{' (đã quá hạn)' if done.deadline_passed else ''}.")
    if done.missing:
        missing_names = ", ".join(plan.unit(u).name for u in done.missing)
        put_value(ws.cell(note_row + 1, 1), f"Chưa báo cáo: {missing_names}.")
    when = today or date.today()
    put_value(ws.cell(note_row + 2, 1), f"Số liệu tổng hợp ngày {when:%d/%m/%Y}. Kết quả lấy 2 chữ số thập phân, "
                                        "không làm tròn lên." + (f" {last.note}" if last and last.note else ""))
    widths = [5, 7, 60, 10, 10, 11, 11, 15, 28, 32, 14]
    for c_idx, w in enumerate(widths[: len(cols)], start=1):
        ws.column_dimensions[get_column_letter(c_idx)].width = w
    _print_layout(ws, header_row, note_row, len(cols))


def _print_layout(ws: Worksheet, header_row: int, note_row: int, ncols: int) -> None:
    """Rows as tall as their wrapped text, the notes wrapped across the table's width, A4
    landscape fit to the width with the header repeated (LibreOffice and Excel do not grow rows)."""
    total = sum(ws.column_dimensions[get_column_letter(c)].width or 9 for c in range(1, ncols + 1))
    for r in (1, 2, 3):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
        ws.cell(r, 1).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.row_dimensions[r].height = text_lines(str(ws.cell(r, 1).value or ""), total, 13) * 13 * 1.25 + 3
    fit_rows(ws, header_row + 1, note_row - 2)
    last = note_row + (4 if ws.cell(note_row + 3, 1).value else 3)  # + the year-over-year note, when written
    for r in range(note_row, last):
        cell = ws.cell(r, 1)
        cell.font = Font(name=FONT, italic=r == note_row + 2)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
        ws.row_dimensions[r].height = text_lines(str(cell.value or ""), total) * 11 * 1.25 + 3
    ws.row_dimensions[header_row].height = 32
    ws.freeze_panes = cell_at(ws, header_row + 1, 1)
    page_setup(ws, (header_row, header_row))
    ws.sheet_view.showGridLines = True  # a working sheet too: keep the grid on screen


def write_overview_workbook(path: str | Path, plan: Plan, page: OverviewPage, today: date | None = None) -> Path:
    """Write a one-sheet workbook with the overview; returns the path written."""
    wb = Workbook()
    fill_overview_sheet(first_sheet(wb), plan, page, today)
    out = Path(path)
    wb.save(out)
    return out
