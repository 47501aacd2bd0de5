"""Each unit's part in one indicator for one period (the "who contributed what" view).

``contributions(plan, indicator, values)`` lists every unit in the indicator's scope, in plan
order, with its part of the numerator and denominator (the expression evaluated over that unit
alone) and whether it is missing. For indicators built of sums and counts (all of SPEC §4)
the parts of the units that are not missing add up to the indicator's numerator and
denominator. A missing unit's parts are None: it is left out of the totals.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from dkdesk.catalogue.model import Indicator, Plan
from dkdesk.core.reader import Reader
from dkdesk.catalogue import expr
from dkdesk.indicators.engine import Values, closed_units, evaluate_over, missing_units, parsed, scope_units


@dataclass(frozen=True)
class Contribution:
    unit: str
    unit_name: str
    numerator: Fraction | None  # None when the unit is missing
    denominator: Fraction | None
    missing: bool
    values: dict[str, object]  # the fields the indicator reads, as stored (absent = no value)
    closed: bool = False  # the unit does not exist on any day of the period (not expected, left out)

    @property
    def value(self) -> Fraction | None:
        """The unit's own percentage, None when it has no denominator."""
        if self.numerator is None or not self.denominator:
            return None
        return self.numerator * 100 / self.denominator


def indicator_units(plan: Plan, ind: Indicator) -> tuple[str, ...]:
    """Every unit any aggregate of the indicator reaches, in plan order."""
    seen: set[str] = set()
    for source in (ind.numerator, ind.denominator):
        for scope, _ in expr.scopes(parsed(source)):
            seen.update(scope_units(plan, scope))
    return tuple(u.code for u in plan.units if u.code in seen)


def contributions(plan: Plan, ind: Indicator, values: Values, period: str | None = None) -> list[Contribution]:
    """Per-unit parts of ``ind`` over ``values`` ((unit, field) -> value of one period); with
    ``period``, a unit not existing in it is listed as closed, without parts."""
    closed = set(closed_units(plan, ind, period))
    missing = set(missing_units(plan, ind, values, frozenset(closed)))
    fields = sorted(expr.fields_read(parsed(ind.numerator)) | expr.fields_read(parsed(ind.denominator)))
    out: list[Contribution] = []
    for code in indicator_units(plan, ind):
        own = {f: values[(code, f)] for f in fields if (code, f) in values}
        if code in closed:
            out.append(Contribution(code, plan.unit(code).name, None, None, False, own, True))
            continue
        if code in missing:
            out.append(Contribution(code, plan.unit(code).name, None, None, True, own))
            continue
        num, den = evaluate_over(plan, ind, values, only={code})
        out.append(Contribution(code, plan.unit(code).name, num, den, False, own))
    return out


def unit_contributions(desk: Reader, indicator: str, period: str) -> list[Contribution]:
    """The contributions of every unit to ``indicator`` in ``period``, read from the database."""
    ind = desk.plan.indicator(indicator)
    fields = expr.fields_read(parsed(ind.numerator)) | expr.fields_read(parsed(ind.denominator))
    return contributions(desk.plan, ind, desk.period_values(period, fields), period)
