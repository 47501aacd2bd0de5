"""Write the Excel template of a unit for a period (SPEC §6), empty or filled.

``write_template(plan, unit, period, path, values=None)`` writes one workbook:
"Hướng dẫn" (instructions), "Biểu nhập liệu" (header block, then one row per field grouped
by section, only ``Giá trị`` unlocked, tinted and validated, protected without password,
A4 fit to width) and the hidden "_dkdesk" sheet identifying plan, template version, unit,
period and structure. ``write_all_templates`` writes every unit's template into a folder.

A unit's own report to send (``dkdesk template --filled``, the "Gửi báo cáo" button of a unit's
workstation): ``unit_report`` reads the stored values and what the submission rules still miss,
``write_unit_report`` writes the filled workbook (named by ``layout.filled_file_name``: ASCII).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from dkdesk.catalogue.model import FieldDef, Plan
from dkdesk.core.validation import MAX_INT, MAX_TEXT, FieldError, Value, check_rules
from dkdesk.core.xlsx_text import fit_rows, put_value
from dkdesk.exchange import layout as L

if TYPE_CHECKING:
    from dkdesk.core.desk import Desk

_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEAD_FILL = PatternFill("solid", fgColor="D9E2F3")
_SECTION_FILL = PatternFill("solid", fgColor="EDEDED")
_INPUT_FILL = PatternFill("solid", fgColor=L.INPUT_FILL)
_WIDTHS = {"A": 6, "B": 24, "C": 62, "D": 13, "E": 16, "F": 48}

GUIDE_LINES = [
    ("HƯỚNG DẪN ĐIỀN BIỂU BÁO CÁO", True),
    ("", False),
    ("1. Mở trang \"Biểu nhập liệu\". Chỉ nhập vào cột \"Giá trị\" (các ô tô màu vàng); "
     "các ô khác được khóa để tránh sửa nhầm.", False),
    ("2. Số liệu là số nguyên không âm: 0, 1, 2, ... Có thể gõ 1234 hoặc 1.234 (dấu chấm ngăn cách "
     "hàng nghìn). Không nhập số thập phân, số âm hay chữ vào ô số.", False),
    ("3. Các dòng Có/Không: chọn \"Có\" hoặc \"Không\" trong danh sách của ô.", False),
    ("4. Ô để trống nghĩa là chưa có số liệu (không phải số 0). Nếu số liệu bằng 0, hãy gõ 0.", False),
    ("5. Dòng \"Trong đó: ...\" không được lớn hơn dòng tổng ngay phía trên nó.", False),
    ("6. Không thêm, xóa, đổi thứ tự dòng; không đổi tên các trang tính; không xóa trang ẩn "
     "\"_dkdesk\" (trang này cho biết tệp thuộc đơn vị và kỳ báo cáo nào).", False),
    ("7. Lưu tệp dưới dạng Excel (.xlsx) — trong Excel: Tệp > Lưu; trong LibreOffice Calc: "
     "Lưu dạng > \"Excel 2007-365 (.xlsx)\", chọn \"Giữ định dạng hiện tại\". "
     "Không lưu dạng .xls, .ods hay .csv.", False),
    ("8. Gửi lại tệp cho Phòng Lao động - Thương binh và Xã hội quận trước hạn nộp ghi ở đầu biểu.", False),
]


def field_measure(f: FieldDef) -> str:
    if f.type == "bool":
        return "Có/Không"
    if f.type == "text":
        return "Văn bản"
    return f.measure


def row_contents(f: FieldDef, number: int) -> tuple[object, ...]:
    """What the template writes in columns A..F of a field's row (``Giá trị`` empty)."""
    return (number, f.code, f.label, field_measure(f), None, f.help)


def _header_block(ws: Worksheet, plan: Plan, unit: str, period: str) -> None:
    u, p = plan.unit(unit), plan.period(period)
    put_value(ws["A1"], plan.info.issuer)
    ws["A1"].font = Font(bold=True)
    ws.merge_cells("A1:F1")
    put_value(ws["A2"], "BIỂU BÁO CÁO KẾT QUẢ THỰC HIỆN CÔNG TÁC PHÒNG, CHỐNG MẠI DÂM")
    ws["A2"].font = Font(bold=True, size=13)
    ws["A2"].alignment = Alignment(horizontal="center")
    ws.merge_cells("A2:F2")
    rows = [("Địa bàn:", plan.info.district[:1].upper() + plan.info.district[1:]),
            ("Đơn vị báo cáo:", u.name),
            ("Kỳ báo cáo:", f"{p.name} ({p.code})"),
            ("Hạn gửi báo cáo:", p.deadline.strftime("%d/%m/%Y"))]
    for i, (label, value) in enumerate(rows, start=3):
        put_value(ws.cell(i, 1), label).font = Font(bold=True)
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=2)
        put_value(ws.cell(i, 3), value)
        ws.merge_cells(start_row=i, start_column=3, end_row=i, end_column=6)
    put_value(ws.cell(7, 1), "Chỉ nhập vào cột \"Giá trị\" (ô màu vàng). Ô để trống = chưa có số liệu.").font = \
        Font(italic=True, color="595959")
    ws.merge_cells("A7:F7")


def _validations(ws: Worksheet) -> dict[str, DataValidation]:
    whole = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                           showErrorMessage=True, errorTitle="Giá trị không hợp lệ",
                           error="Chỉ nhập số nguyên không âm (0, 1, 2, ...): không nhập chữ, số thập phân "
                                 "hay số âm.",
                           showInputMessage=True, promptTitle="Số nguyên",
                           prompt="Nhập một số nguyên không âm; để trống nếu chưa có số liệu.")
    choice = DataValidation(type="list", formula1='"' + ",".join(L.BOOL_CHOICES) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="Giá trị không hợp lệ",
                            error="Chỉ chọn \"Có\" hoặc \"Không\" trong danh sách.",
                            showInputMessage=True, promptTitle="Có/Không",
                            prompt="Chọn Có hoặc Không trong danh sách.")
    text = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(MAX_TEXT),
                          allow_blank=True, showErrorMessage=True, errorTitle="Nội dung quá dài",
                          error=f"Nội dung tối đa {MAX_TEXT} ký tự.")
    out = {"int": whole, "bool": choice, "text": text}
    for dv in out.values():
        ws.add_data_validation(dv)
    return out


def _entry_sheet(ws: Worksheet, plan: Plan, unit: str, period: str, values: Mapping[str, Value] | None) -> None:
    _header_block(ws, plan, unit, period)
    for col, width in _WIDTHS.items():
        ws.column_dimensions[col].width = width
    for c, title in enumerate(L.HEADERS, start=1):
        cell = put_value(ws.cell(L.HEADER_ROW, c), title)
        cell.font, cell.fill, cell.border = Font(bold=True), _HEAD_FILL, _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    dvs = _validations(ws)
    ceilings: dict[int, DataValidation] = {}
    row, number = L.HEADER_ROW + 1, 0
    for section, fields in plan.form_sections(unit):
        for c in range(1, 7):
            cell = ws.cell(row, c)
            cell.fill, cell.border = _SECTION_FILL, _BOX
        put_value(ws.cell(row, 3), section.title).font = Font(bold=True)
        row += 1
        for f in fields:
            number += 1
            cells = [put_value(ws.cell(row, c), v) for c, v in enumerate(row_contents(f, number), start=1)]
            for cell in cells:
                cell.border, cell.alignment = _BOX, _WRAP
            value_cell = cells[4]
            value_cell.fill = _INPUT_FILL
            value_cell.protection = Protection(locked=False)
            if f.type == "int":
                value_cell.number_format = "#,##0"
                value_cell.alignment = Alignment(horizontal="right", vertical="top")
                ceiling = f.max_value if f.max_value is not None else MAX_INT
                dv = ceilings.get(ceiling)
                if dv is None:
                    dv = DataValidation(type="whole", operator="between", formula1="0", formula2=str(ceiling),
                                        allow_blank=True, showErrorMessage=True,
                                        errorTitle=dvs["int"].errorTitle, error=dvs["int"].error,
                                        showInputMessage=True, promptTitle=dvs["int"].promptTitle,
                                        prompt=dvs["int"].prompt)
                    ws.add_data_validation(dv)
                    ceilings[ceiling] = dv
                dv.add(value_cell.coordinate)
            else:
                if f.type == "bool":
                    value_cell.alignment = Alignment(horizontal="center", vertical="top")
                dvs[f.type].add(value_cell.coordinate)
            if values is not None and values.get(f.code) is not None:
                v = values[f.code]
                put_value(value_cell, ("Có" if v else "Không") if f.type == "bool" else v)
            row += 1
    _print_layout(ws, L.HEADER_ROW + 1, row - 1)
    _signature_block(ws, row + 1)
    ws.freeze_panes = f"A{L.HEADER_ROW + 1}"
    ws.print_title_rows = f"{L.HEADER_ROW}:{L.HEADER_ROW}"
    ws.print_options.horizontalCentered = True
    ws.protection.sheet = True  # no password: stops accidents, not people
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


SIGNERS = (("NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)"), ("THỦ TRƯỞNG ĐƠN VỊ", "(Ký tên, đóng dấu)"))
DATE_LINE = "......., ngày ..... tháng ..... năm .........."
SIGNATURE_COLUMNS = (1, 4)  # A (A-C merged) and D (D-F merged)


def signature_texts() -> set[str]:
    """What the signature block writes (columns A and D, rows without a code): the reader lets them be."""
    return {DATE_LINE, *(text for pair in SIGNERS for text in pair)}


def _signature_block(ws: Worksheet, row: int) -> None:
    """The date line and "NGƯỜI LẬP BIỂU" (columns A-C) / "THỦ TRƯỞNG ĐƠN VỊ" (D-F) below the
    table. Columns Mã (B) and Giá trị (E) stay empty there: the reader skips these rows."""
    def put(r: int, first: str, last: str, text: str, font: Font) -> None:
        ws.merge_cells(f"{first}{r}:{last}{r}")
        cell = ws[f"{first}{r}"]
        cell.value, cell.font = text, font
        cell.alignment = Alignment(horizontal="center", vertical="center")

    put(row, "D", "F", DATE_LINE, Font(name=PRINT_FONT, italic=True, size=12))
    for (title, hint), (first, last) in zip(SIGNERS, (("A", "C"), ("D", "F"))):
        put(row + 1, first, last, title, Font(name=PRINT_FONT, bold=True, size=12))
        put(row + 2, first, last, hint, Font(name=PRINT_FONT, italic=True, size=11))
    for r in range(row, row + 3):
        ws.row_dimensions[r].height = 18
    ws.row_dimensions[row + 3].height = 60  # room to sign


PRINT_FONT = "Times New Roman"


def _print_layout(ws: Worksheet, first_row: int, last_row: int, landscape: bool = True) -> None:
    """Print as the reports do: Times New Roman, rows as tall as their wrapped text (LibreOffice
    and Excel do not grow them on opening), A4 fit to the width, margins, page numbers."""
    for cells in ws.iter_rows():
        for cell in cells:
            if cell.has_style or cell.value is not None:
                f = cell.font
                cell.font = Font(name=PRINT_FONT, size=f.sz, bold=f.b, italic=f.i, color=f.color)
    fit_rows(ws, first_row, last_row)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left, ws.page_margins.right = 25 / 25.4, 15 / 25.4
    ws.page_margins.top, ws.page_margins.bottom = 15 / 25.4, 15 / 25.4
    ws.page_margins.header = ws.page_margins.footer = 5 / 25.4  # room for the page number (0.5" cut it)
    footer = ws.oddFooter
    assert footer is not None  # openpyxl makes every header/footer part with the sheet
    footer.center.text = "Trang &P / &N"
    footer.center.font = f"{PRINT_FONT},Regular"  # as the reports: not the sans default
    footer.center.size = 10


def _guide_sheet(ws: Worksheet, plan: Plan, unit: str, period: str) -> None:
    ws.column_dimensions["A"].width = 78  # fits a portrait A4 page unshrunk
    for i, (text, bold) in enumerate(GUIDE_LINES, start=1):
        cell = put_value(ws.cell(i, 1), text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if bold:
            cell.font = Font(bold=True, size=13)
    extra = len(GUIDE_LINES) + 2
    put_value(ws.cell(extra, 1), f"Đơn vị: {plan.unit(unit).name} — Kỳ: {plan.period(period).name} — "
                      f"Hạn nộp: {plan.period(period).deadline:%d/%m/%Y}").font = Font(italic=True)
    _print_layout(ws, 1, extra, landscape=False)
    ws.protection.sheet = True


def _id_sheet(ws: Worksheet, plan: Plan, unit: str, period: str) -> None:
    rows = [(L.ID_APP, L.APP_MARK), (L.ID_PLAN, plan.info.code), (L.ID_VERSION, str(L.TEMPLATE_VERSION)),
            (L.ID_UNIT, unit), (L.ID_PERIOD, period), (L.ID_STRUCTURE, L.structure_hash(plan, unit)),
            (L.ID_CREATED, datetime.now().strftime("%d/%m/%Y %H:%M"))]
    for i, (key, value) in enumerate(rows, start=1):
        put_value(ws.cell(i, 1), key)
        put_value(ws.cell(i, 2), value)  # all text: survives re-saving unchanged
    ws.sheet_state = "hidden"  # LibreOffice turns "veryHidden" into "hidden" anyway
    ws.protection.sheet = True


def build_template(plan: Plan, unit: str, period: str, values: Mapping[str, Value] | None = None) -> Workbook:
    """The workbook for one unit and period; ``values`` pre-fills ``Giá trị`` (a filled report)."""
    plan.unit(unit), plan.period(period)  # KeyError on unknown codes: callers check first
    wb = Workbook()
    guide = wb.worksheets[0]
    guide.title = L.SHEET_GUIDE
    _guide_sheet(guide, plan, unit, period)
    _entry_sheet(wb.create_sheet(L.SHEET_ENTRY), plan, unit, period, values)
    _id_sheet(wb.create_sheet(L.SHEET_ID), plan, unit, period)
    wb.active = 1
    guide.sheet_view.tabSelected = False
    wb.properties.creator = "dkdesk"
    wb.properties.title = f"Báo cáo phòng, chống mại dâm - {plan.unit(unit).name} - {plan.period(period).name}"
    return wb


def write_template(plan: Plan, unit: str, period: str, path: str | Path,
                   values: Mapping[str, Value] | None = None) -> Path:
    """Write one workbook (written to a temporary name then renamed: never half a file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    try:
        build_template(plan, unit, period, values).save(tmp)
        tmp.replace(path)  # refused on Windows while the old file is open in Excel: it stays as it was
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_all_templates(plan: Plan, period: str, folder: str | Path) -> list[Path]:
    """Every unit's empty template for ``period`` into ``folder``, with ASCII file names (a unit
    that does not exist on any day of the period has none)."""
    folder = Path(folder)
    return [write_template(plan, u.code, period, folder / L.template_file_name(u.code, period))
            for u in plan.active_units(period)]


@dataclass(frozen=True)
class UnitReport:
    """A unit's stored report for a period, as it would be sent: its values, and what the
    submission rules (``check_rules(..., submitting=True)``) still find missing."""

    unit: str
    period: str
    values: dict[str, Value]
    missing: list[FieldError]


def unit_report(desk: Desk, unit: str, period: str) -> UnitReport:
    desk.unit_id(unit), desk.period_id(period)  # Refused when unknown
    values = desk.get_values(unit, period).values
    missing = check_rules(desk.plan, unit, values, submitting=True)
    return UnitReport(unit, period, values, missing)


def write_unit_report(desk: Desk, unit: str, period: str, path: str | Path) -> Path:
    """The unit's filled template with its stored values (``dkdesk template --filled``): the file
    a unit sends to the consolidating office, which imports it as any filled template."""
    desk.unit_id(unit), desk.period_id(period)
    return write_template(desk.plan, unit, period, path, desk.get_values(unit, period).values)
