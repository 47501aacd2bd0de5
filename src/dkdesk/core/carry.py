"""Copy the stock figures (establishments, workers, staff...) of the previous period.

``carry_stock(desk, unit, period)`` copies every field with ``year_rule == "stock"`` that has
a value in ``plan.previous_period(period)`` and is still empty in ``period``. It never
overwrites a figure, writes in one transaction with source "carry" (audited like any change),
and refuses with a Vietnamese reason when there is nothing to copy.
"""
from __future__ import annotations

from dataclasses import dataclass

from dkdesk.catalogue.model import FieldDef, Plan
from dkdesk.core.desk import Desk, Refused
from dkdesk.core.validation import Value


@dataclass(frozen=True)
class CarryResult:
    source_period: str
    copied: dict[str, Value]  # field code -> value written
    kept: list[str]  # stock fields left alone because they already had a value


def stock_fields(plan: Plan, unit: str) -> list[FieldDef]:
    """The fields of a unit's form whose value is a stock carried from period to period."""
    return [f for f in plan.form_fields(unit) if f.is_stock]


def carry_preview(desk: Desk, unit: str, period: str) -> CarryResult:
    """What ``carry_stock`` would write, without writing. Raises Refused when impossible."""
    plan = desk.plan
    prev = plan.previous_period(period)
    if prev is None:
        raise Refused(f"{plan.period(period).name} không có kỳ trước trong kế hoạch để chép số liệu.")
    before = desk.get_values(unit, prev.code).values
    now = desk.get_values(unit, period).values
    copied: dict[str, Value] = {}
    kept: list[str] = []
    for f in stock_fields(plan, unit):
        if f.code not in before:
            continue
        if f.code in now:
            kept.append(f.code)
        else:
            copied[f.code] = before[f.code]
    if not copied:
        name = plan.unit(unit).name
        if kept:
            raise Refused(f"Các số liệu tồn (tổng số cơ sở, người lao động, cán bộ...) của {name} "
                          f"{desk.period_name(period)} đã có; không chép đè.")
        raise Refused(f"{name} chưa có số liệu tồn nào ở kỳ {desk.period_name(prev.code)} để chép.")
    return CarryResult(prev.code, copied, kept)


def carry_stock(desk: Desk, unit: str, period: str, who: str | None = None) -> CarryResult:
    """Write the previous period's stock figures into the empty stock fields (source "carry")."""
    result = carry_preview(desk, unit, period)
    desk.set_values(unit, period, result.copied, who=who, source="carry")
    return result
