"""Read one filled template into typed values, safely (SPEC §6).

``read_file(path, plan, unit=None, period=None) -> ReadResult`` never raises for a bad file:
the result's ``state`` is ``ok``, ``rejected`` (``errors`` say why, each naming the cell
like ``'Biểu nhập liệu'!E12``, the field and a Vietnamese reason) or ``needs_identification``
(the hidden ``_dkdesk`` sheet is gone but the ``Mã``/``Giá trị`` columns are there: the
caller asks the person for unit and period, then reads again with them).

Order: file name -> bytes (``safety.inspect_package``: size, zip directory, DTD) -> openpyxl in
read-only, cached-values mode (defusedxml active) -> identification -> the reader of the
file's template version (``READERS``, over ``sheet.scan``) -> ``parse_value`` per cell.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Callable, Iterable

from openpyxl import load_workbook

from dkdesk.catalogue.model import Plan
from dkdesk.core.validation import FieldError, FieldErrorException, Value, check_rules, field_name, parse_value
from dkdesk.exchange import consistency
from dkdesk.exchange import layout as L
from dkdesk.exchange import safety
from dkdesk.exchange import sheet as S

OK, REJECTED, NEEDS_ID = "ok", "rejected", "needs_identification"
MAX_ERRORS = 60
EXCEL_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}


@dataclass
class ReadResult:
    path: Path
    sha256: str = ""
    size: int = 0
    content: bytes | None = None
    state: str = REJECTED
    unit: str | None = None
    period: str | None = None
    version: int | None = None
    values: dict[str, Value] = field(default_factory=dict)  # non-empty cells only
    cells: dict[str, str] = field(default_factory=dict)  # field code -> "'Biểu nhập liệu'!E12"
    errors: list[FieldError] = field(default_factory=list)
    # not refusals: shown in the preview and the CLI; the file can still be applied
    warnings: list[FieldError] = field(default_factory=list)
    # the file's structure hash differs from the current form's (see ``check_structure``)
    other_structure: bool = False
    structure_errors: int = 0  # rows that do not match the form (unknown/foreign/duplicated codes)
    absent: list[str] = field(default_factory=list)  # form fields with no row (other structure only)
    guess_unit: str | None = None  # for needs_identification: read from the header block
    guess_period: str | None = None

    @property
    def file_name(self) -> str:
        return self.path.name

    def reject(self, message: str, cell: str = "", code: str = "") -> "ReadResult":
        self.state = REJECTED
        self.errors.append(FieldError(code, message, cell))
        return self

    def reject_row(self, message: str, cell: str = "", code: str = "") -> "ReadResult":
        """A refusal because a row does not match the unit's form (not because of its value)."""
        self.structure_errors += 1
        return self.reject(message, cell, code)


# -- identification ------------------------------------------------------------------------
def _identity(wb: Any) -> dict[str, tuple[str, str]] | None:
    """key -> (value, cell) from the hidden sheet, or None when the sheet is gone."""
    if L.SHEET_ID not in wb.sheetnames:
        return None
    out: dict[str, tuple[str, str]] = {}
    ws = wb[L.SHEET_ID]
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()
    for r, row in enumerate(ws.iter_rows(min_row=1, max_row=50, max_col=2, values_only=True), 1):
        if row and row[0] is not None:
            out[S.text(row[0])] = (S.text(row[1] if len(row) > 1 else None), S.ref(L.SHEET_ID, 2, r))
    return out


def _identify(plan: Plan, ident: dict[str, tuple[str, str]]) -> tuple[str, str, int]:
    def get(key: str, what: str) -> tuple[str, str]:
        value, cell = ident.get(key, ("", f"'{L.SHEET_ID}'"))
        if not value:
            raise S.Refuse(f"Trang nhận dạng \"{L.SHEET_ID}\" thiếu {what}; hãy dùng biểu mẫu gốc do dkdesk xuất ra.",
                          cell)
        return value, cell

    app, cell = get(L.ID_APP, "dấu hiệu dkdesk")
    if app != L.APP_MARK:
        raise S.Refuse(f"Trang \"{L.SHEET_ID}\" không phải của dkdesk.", cell)
    code, cell = get(L.ID_PLAN, "mã kế hoạch")
    if code != plan.info.code:
        raise S.Refuse(f"Tệp thuộc kế hoạch \"{code}\", không phải kế hoạch đang dùng \"{plan.info.code}\".", cell)
    version_text, cell = get(L.ID_VERSION, "phiên bản biểu mẫu")
    try:
        version = int(float(version_text))
    except ValueError:
        raise S.Refuse(f"Phiên bản biểu mẫu \"{version_text}\" không hợp lệ.", cell) from None
    if version not in READERS:
        raise S.Refuse(f"Biểu mẫu phiên bản {version} do một phiên bản dkdesk mới hơn tạo ra; "
                      "hãy cập nhật dkdesk.", cell)
    unit, cell = get(L.ID_UNIT, "mã đơn vị")
    if not plan.has_unit(unit):
        raise S.Refuse(f"Mã đơn vị \"{unit[:40]}\" trong tệp không có trong kế hoạch.", cell)
    period, cell = get(L.ID_PERIOD, "mã kỳ báo cáo")
    if not plan.has_period(period):
        raise S.Refuse(f"Kỳ báo cáo \"{period[:40]}\" trong tệp không có trong kế hoạch {plan.info.code} "
                      f"(các kỳ: {', '.join(p.code for p in plan.periods)}).", cell)
    closed = plan.closed_note(unit, period)
    if closed:  # a unit that did not exist in the period has no report for it
        raise S.Refuse(f"{plan.unit(unit).name} {closed}: không nhận số liệu {plan.period(period).name.lower()}.",
                       cell)
    return unit, period, version


def _guess(plan: Plan, header_texts: Iterable[str]) -> tuple[str | None, str | None]:
    unit = period = None
    for text in header_texts:
        for u in plan.units:
            if u.name in text:
                unit = unit or u.code
        for p in plan.periods:
            if f"({p.code})" in text or text == p.name:
                period = period or p.code
    return unit, period


def _raw_to_value(raw: object) -> object:
    if isinstance(raw, (datetime, date, time)):
        raise ValueError("là ngày/giờ, không phải số liệu của biểu")
    if isinstance(raw, str) and raw.strip() in EXCEL_ERRORS:
        raise ValueError(f"ô báo lỗi công thức {raw.strip()}")
    return raw


def read_rows_v1(plan: Plan, unit: str, sheet: S.EntrySheet, result: ReadResult) -> None:
    """Template format 1: one field per row, code in ``Mã``, value in ``Giá trị``."""
    form = {f.code: f for f in plan.form_fields(unit)}
    seen: dict[str, str] = {}
    for r, code, raw in sheet.rows:
        cell = S.ref(sheet.name, sheet.value_col, r)
        if not code:
            result.reject_row("Ô có giá trị nhưng dòng không có mã trường (cột Mã trống); "
                          "không biết giá trị này thuộc trường nào.", cell)
            continue
        f = form.get(code)
        if f is None:
            where = S.ref(sheet.name, sheet.code_col, r)
            if code in plan._index["field"]:
                result.reject_row(f"Trường mã \"{code}\" không thuộc biểu của {plan.unit(unit).name}.", where, code)
            else:
                result.reject_row(f"Mã trường \"{code[:40]}\" không có trong kế hoạch (dòng bị thêm hoặc sửa mã?).",
                              where, code)
            continue
        if code in seen:
            result.reject_row(f"{field_name(f)} xuất hiện hai lần ({seen[code]} và {cell}): dòng bị chép trùng.",
                          cell, code)
            continue
        seen[code] = cell
        result.cells[code] = cell
        try:
            value = parse_value(f, _raw_to_value(raw))
        except FieldErrorException as exc:
            result.reject(exc.error.message, cell, code)
            continue
        except ValueError as exc:
            result.reject(f"{field_name(f)}: {exc}", cell, code)
            continue
        if value is not None:
            result.values[code] = value
    missing = [f for f in form.values() if f.code not in seen]
    if missing and result.other_structure:  # a template of an older form: those fields get no value
        result.absent = [f.code for f in missing]
    elif missing:
        result.structure_errors += 1
        shown = ", ".join(field_name(f) for f in missing[:5]) + (" ..." if len(missing) > 5 else "")
        result.reject(f"Biểu thiếu {len(missing)} dòng: {shown}. Có thể dòng đã bị xóa; "
                      "hãy dùng lại biểu mẫu gốc.", f"'{sheet.name}'", missing[0].code)


READERS: dict[int, Callable[[Plan, str, S.EntrySheet, ReadResult], None]] = {1: read_rows_v1}


def _uncached_formulas(content: bytes, sheet: S.EntrySheet) -> list[tuple[int, str]]:
    """(row, formula) of ``Giá trị`` cells holding a formula whose cached value is missing."""
    has_value = {r for r, _code, raw in sheet.rows if raw is not None}
    wb = load_workbook(io.BytesIO(content), read_only=True, data_only=False, keep_links=False)
    try:
        out = []
        ws = wb[sheet.name]
        for r, row in enumerate(ws.iter_rows(min_row=1, max_row=S.MAX_ROWS, min_col=sheet.value_col,
                                             max_col=sheet.value_col, values_only=True), start=1):
            v = row[0] if row else None
            if isinstance(v, str) and v.startswith("=") and r > sheet.header_row and r not in has_value:
                out.append((r, v))
        return out
    finally:
        wb.close()


# -- entry point ---------------------------------------------------------------------------
def read_file(path: str | Path, plan: Plan, unit: str | None = None, period: str | None = None,
              content: bytes | None = None) -> ReadResult:
    """Read a filled template; never raises for a bad file (see the module docstring)."""
    result = ReadResult(Path(path))
    reason = safety.check_suffix(result.path.name)
    if reason:
        return result.reject(reason)
    if content is None:
        try:
            content, reason = safety.read_regular_file(result.path)
            if reason:
                return result.reject(reason)
        except FileNotFoundError:
            return result.reject("Không tìm thấy tệp (có thể đã bị xóa hoặc ổ USB đã rút ra).")
        except PermissionError:
            return result.reject("Không có quyền đọc tệp (có thể tệp đang mở trong Excel); hãy đóng tệp rồi thử lại.")
        except OSError as exc:
            return result.reject(f"Không đọc được tệp (lỗi hệ thống {exc.errno}).")
    result.size, result.sha256 = len(content), hashlib.sha256(content).hexdigest()
    package = safety.inspect_package(content)
    if package.reason:
        return result.reject(package.reason)
    result.content = content
    try:
        _read_workbook(result, plan, content, unit, period, package.has_formulas)
    except S.Refuse as exc:
        result.errors.append(exc.error)
        result.state = REJECTED
    except Exception as exc:  # noqa: BLE001 - any parser failure is a refusal, never a traceback
        result.errors.clear()
        result.reject(_describe_parser_error(exc))
    if len(result.errors) > MAX_ERRORS:
        extra = len(result.errors) - MAX_ERRORS
        result.errors = result.errors[:MAX_ERRORS] + [FieldError("", f"... và {extra} lỗi khác.")]
    return result


def _note_structure(result: ReadResult, plan: Plan, unit: str, stored: tuple[str, str], current: str) -> None:
    """A file whose structure hash is not the current form's: a refusal heading the row errors
    when rows do not match the form, else a warning (every code still belongs to the form)."""
    value, cell = stored
    unit_name = plan.unit(unit).name
    head = (f"Mẫu được tạo từ phiên bản biểu mẫu khác: tệp \"{result.file_name}\" mang mã cấu trúc "
            f"{value[:40] or '(trống)'}, biểu hiện nay của {unit_name} có mã {current} (tệp xuất từ kế hoạch "
            "trước khi sửa, hoặc trang nhận dạng đã bị sửa)")
    if result.structure_errors:
        result.errors.insert(0, FieldError("", f"{head}, và các dòng dưới đây không còn khớp với biểu; không có gì "
                                               "từ tệp này được lưu. Hãy xuất biểu mẫu mới cho đơn vị và chép số "
                                               "liệu sang.", cell))
        return
    message = (f"{head}. Mọi mã trường trong tệp vẫn thuộc biểu của đơn vị nên vẫn có thể nhập; hãy xem kỹ "
               "số liệu trước khi nhập.")
    if result.absent:
        names = ", ".join(field_name(plan.field(c)) for c in result.absent[:5])
        more = " ..." if len(result.absent) > 5 else ""
        message += (f" Tệp không có dòng cho {len(result.absent)} trường của biểu hiện nay ({names}{more}): "
                    "các trường này giữ nguyên số liệu đã lưu.")
    result.warnings.append(FieldError("", message, cell))


def _describe_parser_error(exc: Exception) -> str:
    name = type(exc).__name__
    if name in ("EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden", "NotSupportedError"):
        return "Tệp chứa cấu trúc XML nguy hiểm (thực thể/DTD); tệp bị từ chối."
    return f"Tệp .xlsx bị hỏng hoặc không đọc được ({name}); hãy mở và lưu lại bằng Excel/LibreOffice."


def _read_workbook(result: ReadResult, plan: Plan, content: bytes, unit: str | None, period: str | None,
                   has_formulas: bool) -> None:
    wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True, keep_links=False)
    try:
        ident = _identity(wb)
        sheet = S.entry_sheet(wb)
    finally:
        wb.close()
    version = max(READERS)
    stored_hash: tuple[str, str] | None = None
    source = "đơn vị, kỳ đã chọn cho tệp"
    if ident is not None and unit is None:
        unit, period, version = _identify(plan, ident)
        source = f"trang nhận dạng \"{L.SHEET_ID}\" ghi"
        stored_hash = ident.get(L.ID_STRUCTURE, ("", f"'{L.SHEET_ID}'"))
    if sheet is None:
        what = "trang \"Biểu nhập liệu\" không còn" if ident is not None else "không tìm thấy"
        raise S.Refuse(f"Không phải biểu mẫu dkdesk: {what} hàng tiêu đề có cột \"{L.COL_CODE_TITLE}\" và cột "
                      f"\"{L.COL_VALUE_TITLE}\".")
    result.version = version
    if unit is None or period is None:
        result.state = NEEDS_ID
        result.guess_unit, result.guess_period = _guess(plan, sheet.header_texts)
        result.errors.append(FieldError("", f"Tệp không còn trang nhận dạng \"{L.SHEET_ID}\": cần chọn đơn vị "
                                            "và kỳ báo cáo của tệp."))
        return
    if not plan.has_unit(unit) or not plan.has_period(period):
        raise S.Refuse(f"Đơn vị \"{unit}\" hoặc kỳ \"{period}\" không có trong kế hoạch.")
    result.unit, result.period = unit, period
    result.state = OK
    lies = consistency.contradictions(plan, unit, period, source, result.file_name, sheet)
    if lies:  # header or file name names another report: nothing else matters
        result.state = REJECTED
        result.errors.extend(lies)
        return
    current_hash = L.structure_hash(plan, unit)
    result.other_structure = stored_hash is not None and stored_hash[0] != current_hash
    for e in consistency.foreign_cells(plan, unit, sheet, any_number=result.other_structure):
        result.reject(e.message, e.cell, e.field)
    READERS[version](plan, unit, sheet, result)
    if result.other_structure and stored_hash is not None:
        _note_structure(result, plan, unit, stored_hash, current_hash)
    if has_formulas:
        for r, formula in _uncached_formulas(content, sheet):
            code = next((c for rr, c, _ in sheet.rows if rr == r), "")
            label = field_name(plan.field(code)) + ": " if code in plan._index["field"] else ""
            result.reject(f"{label}ô có công thức {formula[:60]} nhưng chưa có kết quả tính; hãy mở tệp bằng "
                          "Excel hoặc LibreOffice Calc, để chương trình tính xong rồi lưu lại.",
                          S.ref(sheet.name, sheet.value_col, r), code)
    for e in check_rules(plan, unit, result.values):
        result.reject(e.message, result.cells.get(e.field, ""), e.field)
    if result.state == OK and not result.values:
        result.reject(f"Tệp chưa có số liệu nào: mọi ô cột \"{L.COL_VALUE_TITLE}\" đều trống.",
                      f"'{sheet.name}'")
