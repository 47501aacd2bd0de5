"""Year-end preparation: start the annual period from the first half year's figures.

Decision (the plan's ``year_rule`` of each field):
- ``stock`` fields (establishments, workers, staff... counted at the end of the period): the
  first-half value is proposed as the starting annual value; the unit corrects it if it moved.
- ``sum`` fields (events of the period): the year is H1 + H2, and H2 is not known, so copying
  H1 would understate the year while looking complete. They are NOT proposed unless the
  specialist asks for them (``include_sum=True``), and then only as a starting point
  marked "chưa gồm 6 tháng cuối năm".
- ``none`` fields (yes/no, free text) are answered again for the year: never copied.

``preview`` lists, per unit and field, the H1 value, the proposed value and the current annual
value; ``apply`` writes the chosen rows in one transaction through ``desk.set_values(...,
source="carry")`` (audited), and never overwrites an annual value already entered.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from dkdesk.core.desk import STATUS_APPROVED, Desk, Refused
from dkdesk.core.reader import Reader
from dkdesk.core.records import require_period
from dkdesk.core.validation import Value

COPY = "copy"  # will be written if ticked
KEEP = "keep"  # the annual period already has a value: left as it is
LOCKED = "locked"  # the unit's annual report is approved (locked)
NOTE_SUM = "số 6 tháng đầu năm, chưa gồm 6 tháng cuối năm"


@dataclass(frozen=True)
class CarryRow:
    unit: str
    unit_name: str
    field: str
    label: str
    rule: str  # stock | sum
    h1_value: Value
    proposed: Value | None
    current: Value | None
    action: str  # copy | keep | locked
    note: str = ""
    unit_short: str = ""

    @property
    def selectable(self) -> bool:
        return self.action == COPY


def first_half_of(desk: Reader, period: str) -> str:
    """The H1 period of an annual period's year; Refused when there is none."""
    require_period(desk.plan, period)
    p = desk.plan.period(period)
    if p.kind != "Y":
        raise Refused(f'Kỳ "{p.name}" không phải kỳ báo cáo năm: chỉ chuẩn bị được số liệu cả năm.')
    h1 = f"{p.year}-H1"
    if not desk.plan.has_period(h1):
        raise Refused(f"Kế hoạch không có kỳ 6 tháng đầu năm {p.year} để lấy số liệu.")
    return h1


def preview(desk: Reader, period: str, include_sum: bool = False) -> list[CarryRow]:
    """What preparing ``period`` (an annual period) from its first half would do."""
    h1 = first_half_of(desk, period)
    statuses = desk.statuses(period)
    rules = ("stock", "sum") if include_sum else ("stock",)
    rows: list[CarryRow] = []
    for unit in desk.plan.units:
        before = desk.get_values(unit.code, h1).values
        now = desk.get_values(unit.code, period).values
        locked = statuses[unit.code].status == STATUS_APPROVED
        for f in desk.plan.form_fields(unit.code):
            if f.type != "int" or f.year_rule not in rules or f.code not in before:
                continue
            current = now.get(f.code)
            action = LOCKED if locked else (KEEP if current is not None else COPY)
            rows.append(CarryRow(unit.code, unit.name, f.code, f.label, f.year_rule, before[f.code],
                                 before[f.code], current, action, NOTE_SUM if f.year_rule == "sum" else "",
                                 unit.short_name))
    return rows


@dataclass(frozen=True)
class CarryResult:
    written: int
    kept: int  # rows skipped because the annual value exists (or appeared meanwhile)
    units: tuple[str, ...]


def apply(desk: Desk, period: str, rows: Iterable[CarryRow], who: str | None = None) -> CarryResult:
    """Write the chosen rows (only ``COPY`` ones) in one transaction, as source "carry".

    A value already in the annual period is never overwritten, even one typed after the
    preview was made. All or nothing: a refusal (locked report, rule broken) writes nothing."""
    first_half_of(desk, period)
    by_unit: dict[str, dict[str, Value]] = {}
    for r in rows:
        if r.action == COPY and r.proposed is not None:
            by_unit.setdefault(r.unit, {})[r.field] = r.proposed
    written, kept = desk.fill_empty(period, by_unit, who=who, source="carry")
    return CarryResult(written, kept, tuple(by_unit))
