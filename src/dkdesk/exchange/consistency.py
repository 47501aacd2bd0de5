"""Does a file say the same thing everywhere? Checks made after identification (SPEC §6).

``contradictions(plan, unit, period, source, file_name, sheet)``: the hidden identification (or
the unit and period the person chose) against the visible header rows "Đơn vị báo cáo:" /
"Kỳ báo cáo:" and the file name's unit and period codes (``bao-cao_2024-H1_CA.xlsx``). A blank
or unrecognisable header, a name without codes: no contradiction; a header or a name naming
another unit or period: a refusal naming both sides. Never a guess.

``foreign_cells(plan, unit, sheet)``: every non-empty cell of the entry rows outside ``Mã`` and
``Giá trị`` must be what the template wrote there (``template.row_contents``: NFC, spaces and
numbers-as-floats tolerated); anything else (a figure typed into a merged D:E cell, a note in
column G) is a refusal naming the cell, since the figure would otherwise be lost without a word.
"""
from __future__ import annotations

import re

from dkdesk.catalogue.model import Plan
from dkdesk.core.numbers import clean_text
from dkdesk.core.validation import FieldError
from dkdesk.exchange import layout as L
from dkdesk.exchange import sheet as S
from dkdesk.exchange.template import SIGNATURE_COLUMNS, row_contents, signature_texts

UNIT_LABEL, PERIOD_LABEL = "đơn vị báo cáo", "kỳ báo cáo"
_NAME_SPLIT = re.compile(r"[_\s.()\[\],;+]+")


_DATE_LINE = re.compile(r"ngày .*tháng .*năm")


def _norm(value: object) -> str:
    return clean_text(str(value)).casefold() if value is not None else ""


def header_value(sheet: S.EntrySheet, label: str) -> tuple[str, str] | None:
    """(text, cell) right of the header label ``label`` ("Đơn vị báo cáo:"), or None when blank/missing."""
    cells = sorted(sheet.header_cells)
    for i, (r, _c, v) in enumerate(cells):
        if _norm(v).rstrip(": ") != label:
            continue
        for r2, c2, v2 in cells[i + 1:]:
            if r2 != r:
                break
            if _norm(v2):
                return clean_text(str(v2)), S.ref(sheet.name, c2, r2)
        return None
    return None


def _units_named(plan: Plan, text: str) -> list[str]:
    t = _norm(text)
    found = [u for u in plan.units if _norm(u.name) in t or t in (_norm(u.code), _norm(u.short_name))]
    found.sort(key=lambda u: -len(u.name))
    return [u.code for u in found if len(u.name) == len(found[0].name)] if found else []


def _periods_named(plan: Plan, text: str) -> list[str]:
    t = _norm(text)
    coded = [p.code for p in plan.periods
             if re.search(rf"(?<![0-9a-z]){re.escape(p.code.casefold())}(?![0-9a-z])", t)]
    return coded or [p.code for p in plan.periods if t == _norm(p.name)]


def name_codes(plan: Plan, file_name: str) -> tuple[list[str], list[str]]:
    """(unit codes, period codes) appearing as whole parts of a file name (split on _ . space ( ))."""
    stem = file_name.rsplit(".", 1)[0]
    tokens = {t.upper() for t in _NAME_SPLIT.split(stem) if t}
    units = [u.code for u in plan.units if L.ascii_slug(u.code).upper() in tokens]
    periods = [p.code for p in plan.periods if L.ascii_slug(p.code).upper() in tokens]
    return units, periods


def contradictions(plan: Plan, unit: str, period: str, source: str, file_name: str,
                   sheet: S.EntrySheet) -> list[FieldError]:
    """Refusals when the header or the file name names another unit or period than ``source`` says."""
    u, p = plan.unit(unit), plan.period(period)
    own_unit, own_period = f"{u.name} ({unit})", f"{p.name} ({period})"
    advice = ("không biết tệp là báo cáo nào nên không nhập gì. Hãy hỏi lại đơn vị gửi tệp; nếu tệp là báo cáo "
              "của đơn vị/kỳ kia, hãy chép số liệu sang biểu mẫu đúng của đơn vị/kỳ đó.")
    out: list[FieldError] = []
    name_units, name_periods = name_codes(plan, file_name)
    sides = [(UNIT_LABEL, "Đơn vị báo cáo", _units_named, unit, own_unit, "", name_units,
              lambda c: plan.unit(c).name, "mã đơn vị"),
             (PERIOD_LABEL, "Kỳ báo cáo", _periods_named, period, own_period, "kỳ ", name_periods,
              lambda c: plan.period(c).name, "mã kỳ")]
    for label, title, named_in, own, own_text, kind, in_name, name_of, code_word in sides:
        found = header_value(sheet, label)
        named = named_in(plan, found[0]) if found else []
        if found and named and own not in named:
            out.append(FieldError("", f"Tệp mâu thuẫn: {source} là {kind}{own_text}, nhưng dòng \"{title}\" ghi "
                                      f"\"{found[0][:80]}\" ({kind}{name_of(named[0])}); {advice}", found[1]))
        for code in in_name:
            if code != own:
                out.append(FieldError("", f"Tệp mâu thuẫn: {source} là {kind}{own_text}, nhưng tên tệp "
                                          f"\"{file_name}\" mang {code_word} {code} ({name_of(code)}); {advice}"))
    return out


def _same_number(raw: object, number: int) -> bool:
    if isinstance(raw, bool):
        return False
    if isinstance(raw, int | float):
        return raw == number
    return _norm(raw) in (str(number), f"{number}.0", f"{number},0")


def foreign_cells(plan: Plan, unit: str, sheet: S.EntrySheet, any_number: bool = False) -> list[FieldError]:
    """Cells of the entry rows, outside ``Mã``/``Giá trị``, holding what the template never wrote there.
    ``any_number``: a template of another form version, whose ``STT`` numbering differs."""
    if (sheet.code_col, sheet.value_col) != (L.HEADERS.index(L.COL_CODE_TITLE) + 1,
                                             L.HEADERS.index(L.COL_VALUE_TITLE) + 1):
        return []  # not dkdesk's column layout: nothing to compare with
    form = plan.form_fields(unit)
    expected = {f.code: row_contents(f, n) for n, f in enumerate(form, start=1)}
    n_of = {f.code: n for n, f in enumerate(form, start=1)}  # the STT the template wrote
    titles = {_norm(section.title) for section, _fields in plan.form_sections(unit)}
    signed = {_norm(t) for t in signature_texts()}
    codes = {r: code for r, code, _raw in sheet.rows}
    out: list[FieldError] = []
    for r, c, raw in sheet.other_cells:
        code = codes.get(r, "")
        cell = S.ref(sheet.name, c, r)
        want: object = None
        if c <= len(L.HEADERS):
            if code in expected:
                want = expected[code][c - 1]
                if c == 1 and (_same_number(raw, n_of[code]) or any_number and isinstance(raw, int | float)) \
                        or c != 1 and _norm(raw) == _norm(want):
                    continue
            elif code:
                continue  # a code not in the form: refused by the row reader already
            elif c == 3 and _norm(raw) in titles:
                continue
            elif c in SIGNATURE_COLUMNS and (_norm(raw) in signed or _DATE_LINE.search(_norm(raw))):
                continue  # the signature block below the table (a date written in by hand included)
        shown = clean_text(str(raw))[:60]
        column = f"cột \"{L.HEADERS[c - 1]}\"" if c <= len(L.HEADERS) else "ngoài các cột của biểu"
        should = f" (biểu mẫu gốc ghi \"{clean_text(str(want))[:60]}\")" if want not in (None, "") else \
            " (biểu mẫu gốc để trống ô này)"
        out.append(FieldError(code if code in expected else "",
                              f"Ô {cell} ({column}) có \"{shown}\"{should}: chỉ nhập số liệu vào cột "
                              f"\"{L.COL_VALUE_TITLE}\". Nội dung gõ ở ô khác (kể cả ô đã gộp) sẽ không được nhập, "
                              "nên tệp bị từ chối; hãy chuyển nội dung về đúng ô "
                              f"{S.ref(sheet.name, sheet.value_col, r)} (hoặc xóa đi) rồi gửi lại.", cell))
    return out
