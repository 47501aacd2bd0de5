"""Edits of a plan, as pure functions ``Plan -> Plan`` (the plan dataclasses are frozen).

Each refuses bad input with a Vietnamese ``PlanError`` and returns a plan that passed the same
strict loader as a plan file: the edited plan is written with ``dump_plan`` and read back with
``load_plan_text`` before it is returned (so its ``digest`` is that of the text to store).

Dates: ``close_unit(plan, code, on)`` and ``merge_units(..., on=...)`` take the first day the old
unit no longer exists ("ngừng hoạt động từ ngày"); its ``active_to`` is the day before.
"""
from __future__ import annotations

import dataclasses
import re
import unicodedata
from datetime import date, timedelta
from typing import Iterable

from dkdesk.catalogue.loader import PlanError, load_plan_text
from dkdesk.catalogue.model import FieldDef, Form, Indicator, Period, Plan, PlanInfo, TargetKind, Unit
from dkdesk.catalogue.plan_dump import dump_plan


def checked(plan: Plan) -> Plan:
    """The plan written and read back by the strict loader (raises ``PlanError`` naming the place)."""
    return load_plan_text(dump_plan(plan), name=f'kế hoạch "{plan.info.code}"')


def _d(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _unit(plan: Plan, code: str) -> Unit:
    if not plan.has_unit(code):
        raise PlanError(f'Không có đơn vị mã "{code}" trong kế hoạch {plan.info.code}.')
    return plan.unit(code)


def _replace_units(plan: Plan, units: Iterable[Unit]) -> Plan:
    return dataclasses.replace(plan, units=tuple(units))


def _shift(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29/02 in a year that has none
        return day.replace(year=day.year + years, day=28)


def _year_text(text: str, old: int, new: int) -> str:
    return text.replace(str(old), str(new))


def _plan_year_text(text: str, old: int, new: int) -> str:
    """"năm 2024" (or "Năm 2024") -> "năm 2025" in a label or a name; no other number changes
    ("Quyết định số 29/QĐ-... ngày 16/01/2024", "năm 20245" stay)."""
    return re.sub(rf"(?<![^\W\d_])([Nn]ăm\s+){old}(?!\d)", rf"\g<1>{new}", text)


def next_year(plan: Plan, year: int | None = None, code: str | None = None) -> Plan:
    """Next year's plan made from this one: periods and deadlines moved on, the year in the
    code, title and number changed, ``previous`` = this plan, the units closed before the new
    year dropped (those founded before it lose their ``active_from``), no signing date yet."""
    old = plan.info.year
    new = old + 1 if year is None else year
    if new <= old:
        raise PlanError(f"Năm của kế hoạch mới ({new}) phải sau năm {old}.")
    delta = new - old
    new_code = code or (_year_text(plan.info.code, old, new) if str(old) in plan.info.code
                        else f"{plan.info.code}-{new}")
    if new_code == plan.info.code:
        raise PlanError(f'Mã kế hoạch mới phải khác mã "{plan.info.code}".')
    periods = tuple(Period(f"{p.year + delta}-{p.kind}", _year_text(p.name, p.year, p.year + delta), p.kind,
                           p.year + delta, _shift(p.start, delta), _shift(p.end, delta), _shift(p.deadline, delta))
                    for p in plan.periods)
    start = min(p.start for p in periods)
    units = [dataclasses.replace(u, active_from=None if u.active_from and u.active_from <= start else u.active_from)
             for u in plan.units if u.active_to is None or u.active_to >= start]
    info = dataclasses.replace(plan.info, code=new_code, year=new, title=_year_text(plan.info.title, old, new),
                               number=_year_text(plan.info.number, old, new), signed_on=None,
                               previous=plan.info.code)

    def said(text: str) -> str:
        return _plan_year_text(text, old, new)

    # "năm 2024" in what a person reads of the forms and indicators becomes "năm 2025"
    fields = tuple(dataclasses.replace(f, label=said(f.label), help=said(f.help)) for f in plan.fields)
    sections = tuple(dataclasses.replace(s, title=said(s.title)) for s in plan.sections)
    forms = tuple(dataclasses.replace(f, title=said(f.title)) for f in plan.forms)
    indicators = tuple(dataclasses.replace(i, name=said(i.name)) for i in plan.indicators)
    return checked(dataclasses.replace(plan, info=info, periods=periods, units=tuple(units), fields=fields,
                                       sections=sections, forms=forms, indicators=indicators))


def set_info(plan: Plan, **changes: object) -> Plan:
    """The plan's general data changed (``title=``, ``number=``, ``code=``, ``issuer=``...)."""
    known = {f.name for f in dataclasses.fields(PlanInfo)}
    bad = sorted(set(changes) - known)
    if bad:
        raise PlanError(f"Thông tin chung không có mục {', '.join(bad)}.")
    return checked(dataclasses.replace(plan, info=dataclasses.replace(plan.info, **changes)))  # type: ignore[arg-type]


def set_target(plan: Plan, indicator: str, target: float, kind: TargetKind | None = None) -> Plan:
    """An indicator's target (and its kind: "percent" or "count") changed."""
    if indicator not in {i.code for i in plan.indicators}:
        raise PlanError(f'Không có chỉ tiêu mã "{indicator}" trong kế hoạch {plan.info.code}.')
    if isinstance(target, bool) or not isinstance(target, (int, float)):
        raise PlanError(f"Chỉ tiêu {indicator}: mục tiêu phải là một số.")
    ind = plan.indicator(indicator)
    kind = ind.target_kind if kind is None else kind
    if kind not in ("percent", "count"):
        raise PlanError(f'Chỉ tiêu {indicator}: loại mục tiêu "{kind}" không hợp lệ (percent hoặc count).')
    if kind == "percent" and not ind.denominator:
        raise PlanError(f"Chỉ tiêu {indicator} không có mẫu số nên chỉ đặt được mục tiêu số lượng.")
    return _with_indicator(plan, dataclasses.replace(ind, target=float(target), target_kind=kind))


def rename_indicator(plan: Plan, indicator: str, name: str) -> Plan:
    if indicator not in {i.code for i in plan.indicators}:
        raise PlanError(f'Không có chỉ tiêu mã "{indicator}" trong kế hoạch {plan.info.code}.')
    if not name.strip():
        raise PlanError(f"Chỉ tiêu {indicator}: tên không được để trống.")
    return _with_indicator(plan, dataclasses.replace(plan.indicator(indicator), name=name.strip()))


def _with_indicator(plan: Plan, ind: Indicator) -> Plan:
    return checked(dataclasses.replace(plan, indicators=tuple(ind if i.code == ind.code else i
                                                              for i in plan.indicators)))


def set_deadline(plan: Plan, period: str, deadline: date) -> Plan:
    """A period's deadline changed."""
    if not plan.has_period(period):
        raise PlanError(f'Không có kỳ báo cáo "{period}" trong kế hoạch {plan.info.code}.')
    p = plan.period(period)
    if deadline < p.start:
        raise PlanError(f"Kỳ {p.name}: hạn nộp {_d(deadline)} trước ngày bắt đầu kỳ {_d(p.start)}.")
    return checked(dataclasses.replace(plan, periods=tuple(dataclasses.replace(x, deadline=deadline)
                                                           if x.code == period else x for x in plan.periods)))


def add_unit(plan: Plan, code: str, name: str, *, group: str, form: str, short_name: str = "",
             active_from: date | None = None) -> Plan:
    """A new reporting unit (from ``active_from`` when given)."""
    code, name = code.strip(), name.strip()
    if plan.has_unit(code):
        raise PlanError(f'Mã đơn vị "{code}" đã có trong kế hoạch ({plan.unit(code).name}).')
    if not name:
        raise PlanError(f'Đơn vị "{code}": tên không được để trống.')
    if group not in {g.code for g in plan.groups}:
        raise PlanError(f'Đơn vị "{code}": không có nhóm "{group}".')
    if form not in {f.code for f in plan.forms}:
        raise PlanError(f'Đơn vị "{code}": không có biểu mẫu "{form}".')
    unit = Unit(code, name, short_name.strip() or name, group, form, active_from)
    return checked(_replace_units(plan, (*plan.units, unit)))


def rename_unit(plan: Plan, code: str, name: str, short_name: str | None = None) -> Plan:
    """The unit keeps its code (its identity across years) and takes a new name."""
    unit = _unit(plan, code)
    if not name.strip():
        raise PlanError(f'Đơn vị "{code}": tên không được để trống.')
    new = dataclasses.replace(unit, name=name.strip(),
                              short_name=(short_name or "").strip() or (name.strip() if short_name is not None
                                                                        else unit.short_name))
    return checked(_replace_units(plan, (new if u.code == code else u for u in plan.units)))


def close_unit(plan: Plan, code: str, on: date, successor: str | None = None) -> Plan:
    """The unit no longer exists from ``on`` (its last day is the day before)."""
    unit = _unit(plan, code)
    last = on - timedelta(days=1)
    if unit.active_from is not None and last < unit.active_from:
        raise PlanError(f"Đơn vị {unit.name}: ngày ngừng hoạt động {_d(on)} không sau ngày bắt đầu "
                        f"hoạt động {_d(unit.active_from)}.")
    if successor is not None:
        _unit(plan, successor)
    new = dataclasses.replace(unit, active_to=last, successor=successor)
    return checked(_replace_units(plan, (new if u.code == code else u for u in plan.units)))


def reopen_unit(plan: Plan, code: str) -> Plan:
    """Undo a closing: the unit exists to the end again, without successor."""
    unit = _unit(plan, code)
    new = dataclasses.replace(unit, active_to=None, successor=None)
    return checked(_replace_units(plan, (new if u.code == code else u for u in plan.units)))


def merge_units(plan: Plan, codes: Iterable[str], into_code: str, into_name: str, on: date, *,
                group: str | None = None, form: str | None = None, short_name: str = "") -> Plan:
    """The units ``codes`` become one from ``on``: each is closed the day before with successor
    ``into_code``. A new code is added as a unit founded on ``on`` (group and form of the first
    merged unit unless given); an existing code (one of the merged units, or another) goes on,
    renamed to ``into_name``."""
    codes = [c for c in dict.fromkeys(codes)]
    if not codes:
        raise PlanError("Chưa chọn đơn vị nào để sáp nhập.")
    old = [_unit(plan, c) for c in codes]
    into_code, into_name = into_code.strip(), into_name.strip()
    if not into_code or not into_name:
        raise PlanError("Đơn vị sau sáp nhập cần mã và tên.")
    closing = [u for u in old if u.code != into_code]
    if not closing:
        raise PlanError(f'Sáp nhập cần ít nhất một đơn vị khác "{into_code}".')
    last = on - timedelta(days=1)
    for u in closing:
        if u.active_to is not None and u.active_to < last:
            raise PlanError(f"Đơn vị {u.name} đã ngừng hoạt động từ {_d(u.active_to + timedelta(days=1))}.")
    units = [dataclasses.replace(u, active_to=last, successor=into_code) if u in closing else u
             for u in plan.units]
    if plan.has_unit(into_code):
        units = [dataclasses.replace(u, name=into_name, short_name=short_name.strip() or into_name)
                 if u.code == into_code else u for u in units]
        return checked(_replace_units(plan, units))
    first = old[0]
    plan = _replace_units(plan, units)
    return add_unit(plan, into_code, into_name, group=group or first.group, form=form or first.form,
                    short_name=short_name, active_from=on)


FIELD_CODE = re.compile(r"^[a-z][a-z0-9_]*$")  # the loader's rule for a field code


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def check_field_code(code: str) -> str:
    """``code`` as a field code may be written (NFC, trimmed), or a ``PlanError`` saying why not."""
    code = _clean(code)
    if not code:
        raise PlanError("Chưa nhập mã trường.")
    if not FIELD_CODE.match(code):
        raise PlanError(f'Mã trường "{code}" không hợp lệ: chỉ dùng chữ thường không dấu (a-z), chữ số và '
                        'dấu gạch dưới "_", bắt đầu bằng một chữ (ví dụ yt_so_co_so_moi).')
    return code


def edit_field(plan: Plan, code: str, *, label: str | None = None, help: str | None = None,
               measure: str | None = None) -> Plan:
    """A field's label, help text or unit of measure changed. Its code never changes: figures,
    templates and indicators know the field by it (SPEC §4)."""
    if not plan.has_field(code):
        raise PlanError(f'Không có trường mã "{code}" trong kế hoạch {plan.info.code}.')
    old = plan.field(code)
    changes: dict[str, str] = {}
    if label is not None:
        changes["label"] = _clean(label)
        if not changes["label"]:
            raise PlanError(f'Trường "{code}": nhãn không được để trống.')
    if help is not None:
        changes["help"] = _clean(help)
    if measure is not None:
        changes["measure"] = _clean(measure)
    new = dataclasses.replace(old, **changes)  # type: ignore[arg-type]
    return checked(dataclasses.replace(plan, fields=tuple(new if f.code == code else f for f in plan.fields)))


def add_new_int_field(plan: Plan, forms: Iterable[str], code: str, label: str, *, section: str,
                      measure: str = "", help: str = "", year_rule: str = "sum") -> Plan:
    """A whole-number field new to the plan, put at the end of each of ``forms`` ("Thêm trường
    số…"). Refused: a code the plan has already, a code the loader would not read, an empty
    label, no form, an unknown form or section."""
    code = check_field_code(code)
    if plan.has_field(code):
        raise PlanError(f'Mã trường "{code}" đã có trong kế hoạch ({plan.field(code).label}). Chọn mã khác.')
    label = _clean(label)
    if not label:
        raise PlanError(f'Trường "{code}": nhãn không được để trống.')
    chosen = list(dict.fromkeys(forms))
    if not chosen:
        raise PlanError(f'Trường "{code}": chưa chọn biểu mẫu nào để thêm trường vào.')
    if section not in {s.code for s in plan.sections}:
        raise PlanError(f'Trường "{code}": không có mục "{section}" trong kế hoạch.')
    if year_rule not in ("sum", "stock"):
        raise PlanError(f'Trường "{code}": cách tính cả năm "{year_rule}" không hợp lệ (sum hoặc stock).')
    out = plan
    for form in chosen:
        out = add_int_field(out, form, code, label, section=section, measure=_clean(measure),
                            help=_clean(help), year_rule=year_rule, check=False)
    return checked(out)


def add_int_field(plan: Plan, form: str, code: str, label: str, *, section: str, measure: str = "",
                  help: str = "", year_rule: str = "sum", required: bool = False, check: bool = True) -> Plan:
    """A new whole-number field, put at the end of a form (the field may be new to the plan, or
    one another form already has). ``check=False``: not yet through the loader (a caller making
    several edits checks the last)."""
    code = check_field_code(code)
    if form not in {f.code for f in plan.forms}:
        raise PlanError(f'Không có biểu mẫu "{form}" trong kế hoạch.')
    the_form = plan.form(form)
    if code in the_form.fields:
        raise PlanError(f'Biểu mẫu "{form}" đã có trường "{code}".')
    fields = plan.fields
    if plan.has_field(code):
        if plan.field(code).type != "int":
            raise PlanError(f'Trường "{code}" đã có trong kế hoạch nhưng không phải kiểu số nguyên.')
    else:
        if not label.strip():
            raise PlanError(f'Trường "{code}": nhãn không được để trống.')
        fields = (*fields, FieldDef(code=code, label=label.strip(), type="int", section=section,
                                    measure=measure, help=help, required=required,
                                    year_rule=year_rule))  # type: ignore[arg-type]
    forms = tuple(Form(f.code, f.title, (*f.fields, code)) if f.code == form else f for f in plan.forms)
    out = dataclasses.replace(plan, fields=fields, forms=forms)
    return checked(out) if check else out
