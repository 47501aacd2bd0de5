"""Year over year: a period of this plan against the same kind of period of the plan it follows.

The plan names the plan it follows (``[plan] previous``); its period of the same kind (H1 for
H1, Y for Y), of the year before when it has several, is last year's. Each indicator of THIS
plan is evaluated over last year's figures mapped onto this period's units:

- a unit is known by its code across plans (a renamed unit keeps its code);
- a unit that no longer exists at the end of this period and has a successor (in this plan,
  else in last year's) hands its figures to the successor, following the chain: a successor's
  last-year figure is the sum of its predecessors' figures (and its own, when it had one) for
  whole-number fields ("sum" and "stock" alike); a yes/no holds only when it held for every one
  of them; a text is kept only when one unit had it;
- the units whose figures were handed on are not expected (listed in ``closed_units``), and the
  indicator's ``note`` says whose figures a successor carries ("gồm số liệu năm trước của …").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Protocol

from dkdesk.catalogue.model import Period, Plan
from dkdesk.core.validation import Value
from dkdesk.indicators.engine import IndicatorResult, _named_units, evaluate, fields_used


class PlansReader(Protocol):
    """What a comparison reads (the ``Desk`` offers it)."""

    @property
    def plan(self) -> Plan: ...

    def period_values(self, period: str, fields: Iterable[str] | None = None,
                      plan: str | None = None) -> dict[tuple[str, str], Value]: ...

    def has_plan(self, code: str) -> bool: ...

    def stored_plan(self, code: str) -> Plan: ...


@dataclass(frozen=True)
class YearOverYear:
    period: str  # this plan's period
    previous_plan: str  # the code of the plan it follows
    previous_period: str  # that plan's period code
    previous_period_name: str  # "6 tháng đầu năm 2024"
    results: dict[str, IndicatorResult]  # indicator code -> last year's result
    folded: dict[str, tuple[str, ...]] = field(default_factory=dict)  # successor -> units whose figures it carries
    notes: dict[str, str] = field(default_factory=dict)  # indicator code -> "… gồm số liệu năm trước của …"

    def result(self, code: str) -> IndicatorResult | None:
        return self.results.get(code)

    def note(self, code: str) -> str:
        return self.notes.get(code, "")

    def previous_json(self, code: str) -> dict[str, object] | None:
        """The "previous" object of ``overview --compare --json`` for one indicator."""
        r = self.results.get(code)
        if r is None:
            return None
        return {"plan": self.previous_plan, "period": self.previous_period, **r.as_json(),
                "note": self.note(code), "units_added": {s: list(p) for s, p in self.folded.items()
                                                         if s in self._named.get(code, ())}}

    _named: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)


def previous_period(this: Plan, period: str, previous: Plan) -> Period | None:
    """Last year's period of the same kind in ``previous`` (the year before, else its latest)."""
    p = this.period(period)
    same_kind = [q for q in previous.periods if q.kind == p.kind and q.year < p.year]
    if not same_kind:
        return None
    exact = [q for q in same_kind if q.year == p.year - 1]
    return (exact or sorted(same_kind, key=lambda q: q.year))[-1]


def fold(this: Plan, previous: Plan, period: str,
         values: dict[tuple[str, str], Value]) -> tuple[dict[tuple[str, str], Value], dict[str, tuple[str, ...]]]:
    """Last year's figures mapped onto the units of this period (see the module); also
    successor -> the units whose figures it now carries (plan order of last year)."""
    end = this.period(period).end
    links = {u.code: u.successor for u in previous.units if u.successor}
    links.update({u.code: u.successor for u in this.units if u.successor})

    def gone(code: str) -> bool:
        if not this.has_unit(code):
            return True
        to = this.unit(code).active_to
        return to is not None and to < end

    def final(code: str) -> str:
        seen = {code}
        while gone(code) and code in links and links[code] not in seen:
            code = links[code]
            seen.add(code)
        return code

    target = {u: final(u) for u in {u for u, _ in values}}
    folded: dict[str, list[str]] = {}
    order = {u.code: i for i, u in enumerate(previous.units)}
    for u, t in sorted(target.items(), key=lambda kv: order.get(kv[0], len(order))):
        if t != u:
            folded.setdefault(t, []).append(u)
    groups: dict[tuple[str, str], list[Value]] = {}
    for (u, f), v in values.items():
        groups.setdefault((target[u], f), []).append(v)
    out: dict[tuple[str, str], Value] = {}
    for key, vs in groups.items():
        if all(isinstance(v, bool) for v in vs):
            out[key] = all(vs)
        elif all(isinstance(v, int) and not isinstance(v, bool) for v in vs):
            out[key] = sum(vs)  # type: ignore[arg-type]
        elif len(vs) == 1:
            out[key] = vs[0]
    return out, {t: tuple(us) for t, us in folded.items()}


def _names(plan: Plan, other: Plan, codes: Iterable[str]) -> str:
    def name(c: str) -> str:
        src = other if other.has_unit(c) else plan
        return src.unit(c).short_name if src.has_unit(c) else c

    return ", ".join(name(c) for c in codes)


def year_over_year(desk: PlansReader, period: str) -> YearOverYear | None:
    """This period against last year's (None when the plan follows no stored plan, or that plan
    has no period of the same kind)."""
    this = desk.plan
    prev_code = this.info.previous
    if not prev_code or not desk.has_plan(prev_code):
        return None
    prev = desk.stored_plan(prev_code)
    last = previous_period(this, period, prev)
    if last is None:
        return None
    values = desk.period_values(last.code, fields_used(this), plan=prev_code)
    mapped, folded = fold(this, prev, period, values)
    handed_on = frozenset(u for us in folded.values() for u in us)
    results: dict[str, IndicatorResult] = {}
    notes: dict[str, str] = {}
    named: dict[str, tuple[str, ...]] = {}
    for ind in this.indicators:
        results[ind.code] = evaluate(this, ind, mapped, period, not_expected=handed_on & _named_units(this, ind))
        reads = _named_units(this, ind)
        named[ind.code] = tuple(s for s in folded if s in reads)
        parts = [f"{_names(this, this, [s])} gồm số liệu năm trước của {_names(this, prev, folded[s])}"
                 for s in named[ind.code]]
        if parts:
            notes[ind.code] = "; ".join(parts) + "."
    return YearOverYear(period, prev_code, last.code, last.name, results, folded, notes, named)
