"""The overview of one period: every indicator computed from one SELECT of the period's values."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from dkdesk.core.reader import Reader
from dkdesk.core.records import STATUS_EMPTY
from dkdesk.core.validation import Value
from dkdesk.indicators.engine import IndicatorResult, Values, evaluate_all, fields_used

if TYPE_CHECKING:
    from dkdesk.indicators.compare import YearOverYear


@dataclass(frozen=True)
class Overview:
    period: str
    indicators: list[IndicatorResult]

    def as_json(self) -> dict[str, object]:
        return {"period": self.period, "indicators": [r.as_json() for r in self.indicators]}


def load_period_values(desk: Reader, period: str, fields: set[str] | None = None) -> dict[tuple[str, str], Value]:
    """(unit code, field code) -> value for one period, in one SELECT (``Desk.period_values``)."""
    return desk.period_values(period, fields)


def compute_overview(desk: Reader, period: str) -> Overview:
    values: Values = load_period_values(desk, period, fields_used(desk.plan))
    return Overview(period, evaluate_all(desk.plan, values, period))


@dataclass(frozen=True)
class Completeness:
    """Who has reported for a period: a unit counts as reported when its report is not empty."""

    period: str
    reported: tuple[str, ...]  # unit codes, plan order
    missing: tuple[str, ...]
    deadline: date
    overdue: bool  # the deadline has passed and someone is still missing

    @property
    def total(self) -> int:
        return len(self.reported) + len(self.missing)

    today: date | None = None
    closed: tuple[str, ...] = ()  # units not existing on any day of the period: not expected


    @property
    def deadline_passed(self) -> bool:
        return (self.today or date.today()) > self.deadline


def period_completeness(desk: Reader, period: str, today: date | None = None) -> Completeness:
    """Reported / missing units of ``period`` and its deadline (``today`` for tests)."""
    statuses = desk.statuses(period)
    closed = tuple(u.code for u in desk.plan.closed_units(period) if statuses[u.code].status == STATUS_EMPTY)
    reported = tuple(u.code for u in desk.plan.units if statuses[u.code].status != STATUS_EMPTY)
    missing = tuple(u.code for u in desk.plan.units if statuses[u.code].status == STATUS_EMPTY and u.code not in closed)
    deadline = desk.plan.period(period).deadline
    now = today or date.today()
    return Completeness(period, reported, missing, deadline, bool(missing) and now > deadline, now, closed)


def previous_year_overview(desk: Reader, period: str) -> Overview | None:
    """The same period of the previous year, when the plan has it (None otherwise)."""
    prev = desk.plan.same_period_last_year(period)
    return None if prev is None else compute_overview(desk, prev.code)


@dataclass(frozen=True)
class OverviewPage:
    """Everything the overview screen, its printout and its Excel sheet show for one period."""

    overview: Overview
    previous: Overview | None  # the same period of the previous year, when the plan has it
    completeness: Completeness
    year_over_year: YearOverYear | None = None  # against the plan this one follows, when stored

    @property
    def period(self) -> str:
        return self.overview.period

    def previous_result(self, code: str) -> IndicatorResult | None:
        if self.previous is None:
            return None
        return next((r for r in self.previous.indicators if r.code == code), None)


def overview_page(desk: Reader, period: str, today: date | None = None) -> OverviewPage:
    yoy = None
    if desk.plan.info.previous and hasattr(desk, "stored_plan"):  # a Desk (a stand-in may offer less)
        from dkdesk.indicators.compare import PlansReader, year_over_year

        plans: PlansReader = desk  # type: ignore[assignment]
        yoy = year_over_year(plans, period)
    return OverviewPage(compute_overview(desk, period), previous_year_overview(desk, period),
                        period_completeness(desk, period, today), yoy)


def default_period(desk: Reader, today: date | None = None) -> str:
    """The period a person most likely wants: the next deadline to come, else the last one passed."""
    now = today or date.today()
    coming = [p for p in desk.plan.periods if p.deadline >= now]
    if coming:
        return min(coming, key=lambda p: p.deadline).code
    return max(desk.plan.periods, key=lambda p: p.deadline).code
