"""The consolidated workbook of one period (openpyxl), laid out as an administrative document.

Sheets: "Tổng hợp chỉ tiêu" (the plan's indicators, with the previous period beside them when
it has figures), one sheet per group of units (units as rows, int/bool fields as columns,
a totals row), "Tình hình báo cáo", "Ý kiến, kiến nghị" and "Nguồn số liệu" (where each figure
came from). Numbers are number cells with #,##0; text typed by units is always text.
"""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from dkdesk.catalogue.model import FieldDef
from dkdesk.core.desk import STATUS_LABELS
from dkdesk.core.numbers import plain_number, truncate2
from dkdesk.indicators.engine import IndicatorResult
from dkdesk.reports.data import (
    ReportData,
    display_value,
    exists_in,
    last_year_note,
    timeliness,
    unit_changes,
    vn_date_line,
)
from dkdesk.reports.xlsx_style import (
    GREY_FILL,
    INT_FORMAT,
    PERCENT_FORMAT,
    TOTAL_FILL,
    body_cell,
    document_header,
    first_sheet,
    fit_rows,
    font,
    merge_text,
    header_row,
    page_height,
    page_setup,
    rows_height,
    text_lines,
    signature_block,
    widths,
)

SHEET_INDICATORS = "Tổng hợp chỉ tiêu"
SHEET_STATUS = "Tình hình báo cáo"
SHEET_OPINIONS = "Ý kiến, kiến nghị"
SHEET_SOURCES = "Nguồn số liệu"
TARGET_FORMAT = '"≥ "0%'
FIELDS_PER_BLOCK = 10


def _percent(r: IndicatorResult) -> float | None:
    """The truncated percentage as a fraction of 1 for a 0.00% cell (66.666...% -> 0.6666)."""
    return None if r.value is None else float(truncate2(r.value)) / 100


def _header(ws: Worksheet, data: ReportData, ncols: int, title: str) -> int:
    return document_header(ws, ncols, data.plan.info.issuer, data.consolidator_name,
                           vn_date_line(data.plan.info.place, data.made_on), title,
                           f"Kỳ báo cáo: {data.period.name} (hạn nộp {data.period.deadline:%d/%m/%Y})")


def indicators_sheet(ws: Worksheet, data: ReportData) -> None:
    others: list[tuple[str, str, dict[str, IndicatorResult]]] = [
        (f"Kết quả {o.period.name.lower()}", f"Đánh giá {o.period.name.lower()}", {x.code: x for x in o.indicators})
        for o in (data.previous, data.last_year) if o is not None]
    yoy = data.year_over_year if data.last_year is None else None
    if yoy is not None:  # the same period of the plan this one follows, over the units of today
        others.append((f"Cùng kỳ năm trước ({yoy.previous_period_name.lower()})", "Đánh giá cùng kỳ năm trước",
                       yoy.results))
    headers = ["STT", "Mã", "Chỉ tiêu", "Đơn vị chủ trì", "Kế hoạch", "Tử số", "Mẫu số", "Kết quả",
               "Đánh giá", "Đơn vị thiếu số liệu"]
    for result_header, status_header, _ in others:
        headers += [result_header, status_header]
    title = "TỔNG HỢP KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU KẾ HOẠCH PHÒNG, CHỐNG MẠI DÂM"
    widths(ws, [5, 6, 52, 22, 10, 10, 10, 11, 13, 24] + [13, 13] * len(others))
    row = _header(ws, data, len(headers), title)
    header_row(ws, row, headers, height=48)
    first = row
    for i, r in enumerate(data.indicators, start=1):
        row += 1
        body_cell(ws, row, 1, i, horizontal="center")
        body_cell(ws, row, 2, r.code, horizontal="center")
        body_cell(ws, row, 3, r.name)
        body_cell(ws, row, 4, r.responsible)
        if r.is_count:
            body_cell(ws, row, 5, f"≥ {r.target:g}", horizontal="center")
        else:
            body_cell(ws, row, 5, r.target / 100, number_format=TARGET_FORMAT, horizontal="center")
        body_cell(ws, row, 6, plain_number(r.numerator), number_format=INT_FORMAT)
        body_cell(ws, row, 7, plain_number(r.denominator), number_format=INT_FORMAT)
        _result_cell(ws, row, 8, r)
        body_cell(ws, row, 9, r.status_label, horizontal="center", bold=r.status == "dat")
        names = ", ".join(data.plan.unit(u).short_name for u in r.missing_units)
        body_cell(ws, row, 10, names)
        col = 11
        for _, _, results in others:
            prev = results.get(r.code)
            if prev is None:
                body_cell(ws, row, col, None, number_format=PERCENT_FORMAT, horizontal="right")
            else:
                _result_cell(ws, row, col, prev)
            body_cell(ws, row, col + 1, prev.status_label if prev else "", horizontal="center")
            col += 2
    fit_rows(ws, first + 1, row)
    note = ("Ghi chú: Kết quả = Tử số / Mẫu số × 100, lấy 2 chữ số thập phân, không làm tròn lên. "
            "\"Thiếu số liệu\": có đơn vị chưa báo cáo số liệu mà chỉ tiêu cần; kết quả tính trên các "
            "đơn vị đã báo cáo. \"Không phát sinh\": mẫu số bằng 0.")
    if yoy is not None:
        note += " " + last_year_note(yoy)
    _note(ws, row + 2, len(headers), note)
    signature_block(ws, row + 4, len(headers))
    page_setup(ws, (first, first))


def _result_cell(ws: Worksheet, row: int, col: int, r: IndicatorResult) -> None:
    """A percentage as a 0.00% cell; a count target's result as a whole number."""
    if r.is_count:
        body_cell(ws, row, col, plain_number(r.value), number_format=INT_FORMAT, horizontal="right")
    else:
        body_cell(ws, row, col, _percent(r), number_format=PERCENT_FORMAT, horizontal="right")


def _note(ws: Worksheet, row: int, ncols: int, text: str, bold: bool = False) -> None:
    merge_text(ws, row, 1, ncols, text, font(11, italic=not bold, bold=bold), horizontal="left",
               height=20 if bold else 32)


def _group_fields(data: ReportData, group: str) -> list[FieldDef]:
    codes: list[str] = []
    for u in data.plan.units_in_group(group):
        for f in data.plan.form_fields(u.code):
            if f.type != "text" and f.code not in codes:
                codes.append(f.code)
    order = {f.code: i for i, f in enumerate(data.plan.fields)}
    return [data.plan.field(c) for c in sorted(codes, key=order.__getitem__)]


def field_blocks(fields: list[FieldDef], per_block: int = FIELDS_PER_BLOCK) -> list[list[FieldDef]]:
    """Split a group's columns into tables of at most ``per_block`` fields, of balanced sizes."""
    if not fields:
        return []
    n = -(-len(fields) // per_block)
    size = -(-len(fields) // n)
    return [fields[i:i + size] for i in range(0, len(fields), size)]


def group_sheet(ws: Worksheet, data: ReportData, group: str) -> None:
    """Units as rows, fields as columns; a wide group is printed as several stacked tables
    (each at most FIELDS_PER_BLOCK fields, as many on a page as fit, never one cut in two)."""
    plan = data.plan
    fields = _group_fields(data, group)
    units = [u for u in data.units if u.unit.group == group
             and (u.values or exists_in(plan, u.unit.code, data.period.code))]  # not a ward not yet founded
    blocks = field_blocks(fields)
    ncols = 2 + max((len(b) for b in blocks), default=0)
    name = plan.group(group).name
    widths(ws, [5, 30] + [13] * (ncols - 2))
    row = _header(ws, data, ncols, f"SỐ LIỆU BÁO CÁO CỦA {name.upper()}")
    number = 2
    room = page_height(ws, ncols)
    used = rows_height(ws, 1, row - 1)
    for b, block in enumerate(blocks):
        start = row
        if len(blocks) > 1:
            _note(ws, row, ncols, f"Bảng {b + 1}/{len(blocks)}", bold=True)
            row += 1
        headers = ["STT", "Đơn vị"] + [f.label + (f" ({f.measure})" if f.measure else "") for f in block]
        header_row(ws, row, headers, height=150, size=10)
        fit_rows(ws, row, row, min_height=40)
        row += 1
        body_cell(ws, row, 1, "(1)", horizontal="center", size=9)
        body_cell(ws, row, 2, "(2)", horizontal="center", size=9)
        for col in range(3, len(headers) + 1):  # columns numbered across the whole sheet
            number += 1
            body_cell(ws, row, col, f"({number})", horizontal="center", size=9)
        first_body = row + 1
        for i, u in enumerate(units, start=1):
            row += 1
            body_cell(ws, row, 1, i, horizontal="center")
            body_cell(ws, row, 2, u.unit.name)
            form = set(plan.form(u.unit.form).fields)
            for col, f in enumerate(block, start=3):
                v = u.values.get(f.code)
                if f.type == "bool":
                    cell = body_cell(ws, row, col, display_value(f, v), horizontal="center")
                else:
                    cell = body_cell(ws, row, col, v, number_format=INT_FORMAT)
                if f.code not in form:
                    cell.fill = GREY_FILL
        row += 1
        body_cell(ws, row, 1, "", horizontal="center").fill = TOTAL_FILL
        body_cell(ws, row, 2, "Cộng", bold=True, horizontal="center").fill = TOTAL_FILL
        for col, f in enumerate(block, start=3):
            vals = [v for u in units if isinstance(v := u.values.get(f.code), int)]  # int and bool fields
            total = sum(int(v) for v in vals) if vals else None
            fmt = '#,##0" Có"' if f.type == "bool" else INT_FORMAT
            body_cell(ws, row, col, total, number_format=fmt, bold=True).fill = TOTAL_FILL
        fit_rows(ws, first_body, row)
        height = rows_height(ws, start, row + 1)
        if b and used + height > room:  # the table would be cut: it starts a new page
            ws.row_breaks.append(Break(id=start - 1))
            used = 0.0
        used += height
        row += 2
    _note(ws, row, ncols,
          "Ghi chú: ô để trống là đơn vị chưa báo cáo số liệu đó; ô tô xám là chỉ tiêu không có trong "
          "biểu mẫu của đơn vị. Dòng Cộng của cột Có/Không là số đơn vị trả lời Có.")
    page_setup(ws, None, pages_wide=1)  # each table has its own header: nothing repeated


def status_sheet(ws: Worksheet, data: ReportData) -> None:
    headers = ["STT", "Đơn vị", "Nhóm", "Trạng thái", "Ngày nhận báo cáo", "Đúng hạn / chậm",
               "Tệp số liệu"]
    widths(ws, [5, 42, 24, 16, 14, 14, 34])
    row = _header(ws, data, len(headers), "TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ")
    header_row(ws, row, headers, height=36)
    first = row
    for i, u in enumerate(data.units, start=1):
        row += 1
        body_cell(ws, row, 1, i, horizontal="center")
        body_cell(ws, row, 2, u.unit.name)
        body_cell(ws, row, 3, data.plan.group(u.unit.group).name)
        received = u.received_on
        closed = "" if received else data.plan.closed_note(u.unit.code, data.period.code)
        body_cell(ws, row, 4, closed[:1].upper() + closed[1:] if closed else STATUS_LABELS[u.status.status],
                  horizontal="center")
        body_cell(ws, row, 5, received.strftime("%d/%m/%Y") if received else "", horizontal="center")
        body_cell(ws, row, 6, "" if closed else timeliness(received, data.period.deadline) or "Chưa nhận",
                  horizontal="center")
        body_cell(ws, row, 7, u.last_import.file_name if u.last_import else "")
    done = sum(1 for u in data.units if u.received_on)
    expected = sum(1 for u in data.units if u.received_on or not data.plan.closed_note(u.unit.code, data.period.code))
    text = f"Đã nhận báo cáo của {done}/{expected} đơn vị. Hạn nộp: {data.period.deadline:%d/%m/%Y}."
    changes = unit_changes(data.plan, data.period.code)
    if changes:  # why a unit reported for part of the period only
        text += "\nĐơn vị thay đổi trong kỳ: " + "; ".join(changes) + "."
    _note(ws, row + 2, len(headers), text)
    width = sum(ws.column_dimensions[get_column_letter(c)].width or 9 for c in range(1, len(headers) + 1))
    ws.row_dimensions[row + 2].height = max(32, text_lines(text, width) * 14 + 4)
    fit_rows(ws, first + 1, row)
    signature_block(ws, row + 4, len(headers))
    page_setup(ws, (first, first))


def opinions_sheet(ws: Worksheet, data: ReportData) -> None:
    text_fields = [f for f in data.plan.fields if f.type == "text"]
    headers = ["STT", "Đơn vị"] + [f.label for f in text_fields]
    widths(ws, [5, 28] + [48] * len(text_fields))
    row = _header(ws, data, len(headers), "Ý KIẾN, KIẾN NGHỊ CỦA CÁC ĐƠN VỊ")
    header_row(ws, row, headers, height=30)
    first = row
    n = 0
    for u in data.units:
        texts = [u.values.get(f.code) for f in text_fields]
        if not any(texts):
            continue
        n += 1
        row += 1
        body_cell(ws, row, 1, n, horizontal="center")
        body_cell(ws, row, 2, u.unit.name)
        for col, t in enumerate(texts, start=3):
            body_cell(ws, row, col, t or "")
    if n == 0:
        _note(ws, row + 2, len(headers), "Chưa có đơn vị nào gửi ý kiến, kiến nghị.")
    fit_rows(ws, first + 1, row)
    page_setup(ws, (first, first))


def sources_sheet(ws: Worksheet, data: ReportData) -> None:
    headers = ["STT", "Đơn vị", "Mã", "Chỉ tiêu báo cáo", "Giá trị", "Nguồn"]
    widths(ws, [6, 18, 20, 60, 10, 40])
    row = _header(ws, data, len(headers), "NGUỒN SỐ LIỆU")
    header_row(ws, row, headers, height=30)
    first = row
    n = 0
    for u in data.units:
        for f in data.plan.form_fields(u.unit.code):
            if f.type == "text" or f.code not in u.values:
                continue
            n += 1
            row += 1
            v = u.values[f.code]
            body_cell(ws, row, 1, n, horizontal="center")
            body_cell(ws, row, 2, u.unit.short_name)
            body_cell(ws, row, 3, f.code)
            body_cell(ws, row, 4, f.label)
            if f.type == "int":
                body_cell(ws, row, 5, v, number_format=INT_FORMAT)
            else:
                body_cell(ws, row, 5, display_value(f, v), horizontal="center")
            body_cell(ws, row, 6, u.sources[f.code].label if f.code in u.sources else "")
    fit_rows(ws, first + 1, row)
    page_setup(ws, (first, first))


def sheet_title(name: str) -> str:
    """A valid Excel sheet name: no : \\ / ? * [ ], at most 31 characters."""
    for ch in ':\\/?*[]':
        name = name.replace(ch, "-")
    return name.strip("'")[:31] or "Nhóm"


def build_workbook(data: ReportData) -> Workbook:
    wb = Workbook()
    ws = first_sheet(wb)
    ws.title = SHEET_INDICATORS
    indicators_sheet(ws, data)
    for g in data.plan.groups:
        if any(u.unit.group == g.code for u in data.units):
            group_sheet(wb.create_sheet(sheet_title(g.name)), data, g.code)
    status_sheet(wb.create_sheet(SHEET_STATUS), data)
    opinions_sheet(wb.create_sheet(SHEET_OPINIONS), data)
    sources_sheet(wb.create_sheet(SHEET_SOURCES), data)
    wb.properties.title = f"Báo cáo tổng hợp {data.period.name}"
    wb.properties.creator = "dkdesk"
    return wb


def write_workbook(data: ReportData, path: Path) -> None:
    build_workbook(data).save(path)
