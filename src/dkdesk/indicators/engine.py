"""Evaluate the plan's indicators (chỉ tiêu) over one period's values, exactly (SPEC §4).

- value = numerator / denominator × 100, as an exact ``Fraction``;
- "Đạt" compares exactly: numerator × 100 ≥ target × denominator;
- a unit is *missing* when it lacks a value for a field the indicator reads (a field that is
  not on the unit's form does not count); the value is computed over the other units and
  the status is ``thieu_so_lieu``;
- denominator 0 with nothing missing: ``khong_ap_dung`` ("Không phát sinh"), value None;
- a count target (``target_kind == "count"``): the value is the numerator itself, "Đạt" when
  numerator ≥ target (no denominator needed);
- evaluated for a period, a unit that does not exist on any day of it (closed before, founded
  after) is not expected: it is left out and listed in ``closed_units``, never "missing".
"""
from __future__ import annotations

import operator
import weakref
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Callable, Mapping

from dkdesk.catalogue.model import Indicator, Plan
from dkdesk.core.numbers import format_decimal, format_percent, plain_number, truncate2
from dkdesk.catalogue import expr

DAT = "dat"
CHUA_DAT = "chua_dat"
THIEU = "thieu_so_lieu"
KHONG_AP_DUNG = "khong_ap_dung"
STATUS_LABELS = {DAT: "Đạt", CHUA_DAT: "Chưa đạt", THIEU: "Thiếu số liệu", KHONG_AP_DUNG: "Không phát sinh"}

Values = Mapping[tuple[str, str], object]  # (unit code, field code) -> int | bool | str


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    name: str
    target: float
    numerator: Fraction | None
    denominator: Fraction | None
    value: Fraction | None  # percent, exact
    status: str
    missing_units: tuple[str, ...]
    responsible: str
    closed_units: tuple[str, ...] = ()  # not existing on any day of the period: not expected
    target_kind: str = "percent"  # "percent" | "count"

    @property
    def is_count(self) -> bool:
        return self.target_kind == "count"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def value_display(self) -> str:
        """ "59,99%" (truncated, never rounded up); a count reads "12"; "" when there is no value."""
        if self.is_count:
            return "" if self.value is None else format_decimal(self.value, 0 if self.value.denominator == 1 else 2)
        return format_percent(self.value)

    @property
    def target_display(self) -> str:
        """ "≥ 60%" (a decimal target reads "≥ 12,5%"); a count target "≥ 5"."""
        return f"≥ {format_target(self.target)}" + ("" if self.is_count else "%")

    @property
    def fraction_display(self) -> str:
        """ "5.999 / 10.000" with Vietnamese grouping; "—" when every unit it needs is missing."""
        if self.is_count:
            return "—" if self.value is None and self.missing_units else ""
        if self.numerator is None or self.denominator is None or (self.denominator == 0 and self.missing_units):
            return "—" if self.missing_units else ""
        return f"{format_decimal(self.numerator, 0)} / {format_decimal(self.denominator, 0)}"

    @property
    def reached(self) -> bool:
        return self.status == DAT

    @property
    def value_truncated(self) -> float | None:
        return None if self.value is None else float(truncate2(self.value))

    def as_json(self) -> dict[str, object]:
        """SPEC §5's object; "closed_units" and "target_kind" only when they say something (a
        unit closed in the period, a count target), so that a one-year plan's output is as it was."""
        out: dict[str, object] = {
            "code": self.code,
            "name": self.name,
            "target": plain_number(Fraction(str(self.target))),
            "numerator": plain_number(self.numerator),
            "denominator": plain_number(self.denominator),
            "value": self.value_truncated,
            "status": self.status,
            "missing_units": list(self.missing_units),
        }
        if self.closed_units:
            out["closed_units"] = list(self.closed_units)
        if self.is_count:
            out["target_kind"] = self.target_kind
        return out


def format_target(target: float) -> str:
    return f"{target:g}".replace(".", ",")


@lru_cache(maxsize=512)
def parsed(source: str) -> expr.Node:
    """The parsed expression, cached: each definition is parsed once per process. An empty
    source (the denominator of a count target) reads 0."""
    if not source.strip():
        return expr.Num(Fraction(0))
    return expr.parse(source)


_OPS: dict[str, Callable[[int, int | Fraction], bool]] = {
    ">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt, "=": operator.eq, "!=": operator.ne}


class _PlanCache:
    """What the engine derives from a plan once: each unit's form fields, scope members,
    plan order. Plans are immutable, so this lives as long as the plan object."""

    def __init__(self, plan: Plan) -> None:
        self.forms = {u.code: frozenset(plan.form(u.form).fields) for u in plan.units}
        self.order = {u.code: i for i, u in enumerate(plan.units)}
        self.scopes: dict[expr.Scope, tuple[str, ...]] = {}


_CACHES: dict[int, tuple[weakref.ref[Plan], _PlanCache]] = {}


def _cache(plan: Plan) -> _PlanCache:
    hit = _CACHES.get(id(plan))
    if hit is not None and hit[0]() is plan:
        return hit[1]
    cache = _PlanCache(plan)
    key = id(plan)

    def forget(_ref: weakref.ref[Plan]) -> None:
        _CACHES.pop(key, None)

    _CACHES[key] = (weakref.ref(plan, forget), cache)
    return cache


def scope_units(plan: Plan, scope: expr.Scope) -> tuple[str, ...]:
    """The plan's units a scope names, in plan order (unknown codes are skipped)."""
    cache = _cache(plan)
    units = cache.scopes.get(scope)
    if units is None:
        if scope.kind == "all":
            units = tuple(u.code for u in plan.units)
        elif scope.kind == "group":
            units = tuple(u.code for u in plan.units if u.group in scope.codes)
        else:
            units = tuple(c for c in scope.codes if plan.has_unit(c))
        cache.scopes[scope] = units
    return units


class _Eval:
    def __init__(self, plan: Plan, values: Values, excluded: set[str],
                 only: set[str] | None = None) -> None:
        self.plan, self.values, self.excluded, self.only = plan, values, excluded, only

    def units(self, scope: expr.Scope) -> list[str] | tuple[str, ...]:
        units = scope_units(self.plan, scope)
        if not self.excluded and self.only is None:
            return units
        return [u for u in units if u not in self.excluded and (self.only is None or u in self.only)]

    def node(self, n: expr.Node) -> Fraction:
        if isinstance(n, expr.Num):
            return n.value
        if isinstance(n, expr.BinOp):
            a, b = self.node(n.left), self.node(n.right)
            if n.op == "+":
                return a + b
            if n.op == "-":
                return a - b
            if n.op == "*":
                return a * b
            if b == 0:
                raise ZeroDivisionError
            return a / b
        if isinstance(n, expr.Sum):
            total = 0  # whole numbers: exact, and cheaper than Fraction additions
            get, fld = self.values.get, n.field
            for u in self.units(n.scope):
                v = get((u, fld))
                if isinstance(v, int):  # bool is an int: True counts 1
                    total += v
            return Fraction(total)
        assert isinstance(n, expr.Count)
        return Fraction(sum(1 for u in self.units(n.scope) if n.cond is None or self.cond(u, n.cond)))

    def cond(self, unit: str, c: expr.Cond | expr.Cmp) -> bool:
        if isinstance(c, expr.Cmp):
            v = self.values.get((unit, c.field))
            if not isinstance(v, (int, float, Fraction)):  # no value, or text
                return False
            y = int(c.value) if isinstance(c.value, bool) else c.value
            return bool(_OPS[c.op](int(v), y))
        results = (self.cond(unit, p) for p in c.parts)
        return any(results) if c.op == "or" else all(results)


def missing_units(plan: Plan, ind: Indicator, values: Values,
                  closed: frozenset[str] | set[str] = frozenset()) -> tuple[str, ...]:
    """Units in the indicator's scope that lack a value for a field it reads on their form
    (a unit in ``closed`` is not expected: never missing)."""
    cache = _cache(plan)
    forms = cache.forms
    missing: set[str] = set()
    for scope, fields in _reads(ind.numerator) + _reads(ind.denominator):
        for u in scope_units(plan, scope):
            if u not in missing and u not in closed and any(f in forms[u] and (u, f) not in values for f in fields):
                missing.add(u)
    return tuple(sorted(missing, key=cache.order.__getitem__))


def _named_units(plan: Plan, ind: Indicator) -> set[str]:
    """Every unit the indicator's expressions name (through their scopes)."""
    out: set[str] = set()
    for scope, _ in _reads(ind.numerator) + _reads(ind.denominator):
        out.update(scope_units(plan, scope))
    return out


def closed_units(plan: Plan, ind: Indicator, period: str | None) -> tuple[str, ...]:
    """The units the indicator reads that do not exist on any day of ``period``, plan order."""
    if period is None or not plan.has_period(period):
        return ()
    named = _named_units(plan, ind)
    return tuple(u.code for u in plan.closed_units(period) if u.code in named)


@lru_cache(maxsize=512)
def _reads(source: str) -> list[tuple[expr.Scope, frozenset[str]]]:
    return [(scope, frozenset(fields)) for scope, fields in expr.scopes(parsed(source))]


def evaluate_over(plan: Plan, ind: Indicator, values: Values, *, only: set[str] | None = None,
                  excluded: set[str] | None = None) -> tuple[Fraction | None, Fraction | None]:
    """Numerator and denominator over the units in ``only`` (all when None) minus ``excluded``;
    (None, None) when a division inside an expression meets zero."""
    ev = _Eval(plan, values, excluded or set(), only)
    try:
        return ev.node(parsed(ind.numerator)), ev.node(parsed(ind.denominator))
    except ZeroDivisionError:
        return None, None


def evaluate(plan: Plan, ind: Indicator, values: Values, period: str | None = None,
             not_expected: frozenset[str] = frozenset()) -> IndicatorResult:
    """One indicator over one period's values ((unit, field) -> value), per SPEC §4; with
    ``period`` the units not existing in it are left out (``closed_units``), and so are the
    units in ``not_expected`` (a comparison: units whose figures a successor carries)."""
    closed = closed_units(plan, ind, period)
    if not_expected:
        extra = _named_units(plan, ind) & not_expected
        closed = tuple(u.code for u in plan.units if u.code in extra or u.code in closed)
    missing = missing_units(plan, ind, values, frozenset(closed))
    num, den = evaluate_over(plan, ind, values, excluded=set(missing) | set(closed))
    target = Fraction(str(ind.target))
    value: Fraction | None = None
    if ind.target_kind == "count":
        den = None if not ind.denominator else den
        nobody = bool(missing) and set(missing) >= _named_units(plan, ind) - set(closed)
        if num is None or nobody:  # no unit it reads has reported: no number to show
            status = THIEU if missing else KHONG_AP_DUNG
        else:
            value = num
            status = THIEU if missing else DAT if num >= target else CHUA_DAT
    elif num is None or den is None or den == 0:
        status = THIEU if missing else KHONG_AP_DUNG
    else:
        value = num * 100 / den
        if missing:
            status = THIEU
        else:
            status = DAT if num * 100 >= target * den else CHUA_DAT
    return IndicatorResult(ind.code, ind.name, ind.target, num, den, value, status, missing, ind.responsible,
                           closed, ind.target_kind)


def evaluate_all(plan: Plan, values: Values, period: str | None = None) -> list[IndicatorResult]:
    return [evaluate(plan, ind, values, period) for ind in plan.indicators]


def fields_used(plan: Plan) -> set[str]:
    out: set[str] = set()
    for ind in plan.indicators:
        out |= expr.fields_read(parsed(ind.numerator)) | expr.fields_read(parsed(ind.denominator))
    return out
