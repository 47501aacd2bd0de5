"""Everything a report of one period shows, read once from the desk into plain dataclasses.

``gather(desk, period)`` -> ``ReportData``: the indicators (and those of the previous period /
same period last year when that period has any figure), each unit's status, values, where
each value came from (typed by hand, a file, copied from the first half year) and the file
its report arrived in. The workbook, the narrative and the year-end preview all read this.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from dkdesk.catalogue.model import FieldDef, Period, Plan, Unit
from dkdesk.core.reader import Reader
from dkdesk.core.records import STATUS_EMPTY, ReportStatus, require_period
from dkdesk.core.numbers import format_bool, format_int
from dkdesk.core.validation import Value
from dkdesk.indicators.engine import IndicatorResult
from dkdesk.indicators.overview import compute_overview

if TYPE_CHECKING:
    from dkdesk.indicators.compare import YearOverYear

SOURCE_MANUAL = "manual"
SOURCE_IMPORT = "import"
SOURCE_CARRY = "carry"
ACCEPTED_IMPORTS = ("imported", "unchanged")


@dataclass(frozen=True)
class ImportInfo:
    """One row of the ``imports`` table (without the file's bytes)."""

    id: int
    file_name: str
    imported_at: datetime
    unit: str | None
    period: str | None
    result: str


@dataclass(frozen=True)
class ValueSource:
    kind: str  # manual | import | carry
    file: ImportInfo | None = None

    @property
    def label(self) -> str:
        """"nhập tay" / "tệp X.xlsx ngày 12/06/2024" / "chép từ 6 tháng"."""
        if self.kind == SOURCE_IMPORT:
            if self.file is None:
                return "nhập từ tệp"
            return f"tệp {self.file.file_name} ngày {self.file.imported_at:%d/%m/%Y}"
        if self.kind == SOURCE_CARRY:
            return "chép từ 6 tháng"
        return "nhập tay"


@dataclass(frozen=True)
class UnitReport:
    unit: Unit
    status: ReportStatus
    values: dict[str, Value]
    sources: dict[str, ValueSource]
    last_import: ImportInfo | None  # the latest accepted file for this unit and period

    @property
    def received_on(self) -> date | None:
        when = self.status.received_at or self.status.submitted_at
        return when.date() if when else None

    @property
    def reported(self) -> bool:
        return self.status.status != STATUS_EMPTY and bool(self.values)


@dataclass(frozen=True)
class PeriodIndicators:
    period: Period
    indicators: list[IndicatorResult]


@dataclass(frozen=True)
class ReportData:
    plan: Plan
    period: Period
    made_on: date
    indicators: list[IndicatorResult]
    previous: PeriodIndicators | None
    last_year: PeriodIndicators | None
    units: list[UnitReport]
    consolidator_name: str = ""
    extra: dict[str, object] = field(default_factory=dict)
    year_over_year: YearOverYear | None = None  # against the plan this one follows, when stored

    def unit(self, code: str) -> UnitReport:
        return next(u for u in self.units if u.unit.code == code)

    def total(self, field_code: str) -> tuple[int | None, list[Unit]]:
        """Σ of an int field (or count of "Có" for a bool) over the units that have it on their
        form, and the units whose form has it but who gave no value. None when nobody gave one."""
        total: int | None = None
        missing: list[Unit] = []
        for u in self.units:
            if field_code not in self.plan.form(u.unit.form).fields:
                continue
            v = u.values.get(field_code)
            if v is None:
                missing.append(u.unit)
            elif not isinstance(v, str):
                total = (total or 0) + int(v)
        return total, missing


def office_name(plan: Plan) -> str:
    """"PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI" from the consolidating unit's name."""
    name = plan.unit(plan.info.consolidator).name if plan.has_unit(plan.info.consolidator) else ""
    for suffix in (" quận", " Quận"):
        name = name.removesuffix(suffix)
    return name.upper()


def display_value(f: FieldDef, v: Value | None) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):  # before int: a bool is an int to Python
        return format_bool(v) if f.type == "bool" else str(v)
    if isinstance(v, int):
        return format_int(v) if f.type == "int" else str(v)
    return str(v)


def load_imports(desk: Reader, period: str | None = None) -> dict[int, ImportInfo]:
    """id -> ImportInfo for the imports of one period (all periods when None), in arrival order."""
    return {r.id: ImportInfo(r.id, r.file_name, r.at, r.unit, r.period, r.result)
            for r in desk.imports(period, newest_first=False)}


def _indicators_of(desk: Reader, p: Period | None) -> PeriodIndicators | None:
    if p is None or not desk.has_values(p.code):
        return None
    return PeriodIndicators(p, compute_overview(desk, p.code).indicators)


def gather(desk: Reader, period: str, made_on: date | None = None) -> ReportData:
    """Read everything the reports of ``period`` need (Refused on an unknown period)."""
    plan = desk.plan
    require_period(plan, period)
    p = plan.period(period)
    imports = load_imports(desk)
    statuses = desk.statuses(period)
    latest: dict[str, ImportInfo] = {}
    for imp in imports.values():
        if imp.period == period and imp.unit and imp.result in ACCEPTED_IMPORTS:
            latest[imp.unit] = imp  # ordered by time: the last one wins
    units: list[UnitReport] = []
    for u in plan.units:
        uv = desk.get_values(u.code, period)
        sources = {code: ValueSource(info.source, imports.get(info.import_id) if info.import_id else None)
                   for code, info in uv.info.items()}
        units.append(UnitReport(u, statuses[u.code], uv.values, sources, latest.get(u.code)))
    prev = plan.previous_period(period)
    last = plan.same_period_last_year(period)
    return ReportData(
        plan=plan,
        period=p,
        made_on=made_on or date.today(),
        indicators=compute_overview(desk, period).indicators,
        previous=_indicators_of(desk, prev),
        last_year=_indicators_of(desk, last) if last and (prev is None or last.code != prev.code) else None,
        units=units,
        consolidator_name=office_name(plan),
        year_over_year=_year_over_year(desk, period),
    )


def _year_over_year(desk: Reader, period: str) -> YearOverYear | None:
    if not desk.plan.info.previous or not hasattr(desk, "stored_plan"):  # a stand-in may offer less
        return None
    from dkdesk.indicators.compare import PlansReader, year_over_year

    plans: PlansReader = desk  # type: ignore[assignment]
    return year_over_year(plans, period)


def unit_changes(plan: Plan, period: str) -> list[str]:
    """The units that close or open on a day inside ``period`` (those merged into one unit said
    together): "Công an quận ngừng hoạt động từ 01/03/2025", "UBND phường Anh Dũng, ... hoạt động
    đến hết 30/06/2025, sáp nhập vào Ủy ban nhân dân phường Dương Kinh", "... hoạt động từ ..."."""
    from datetime import timedelta

    p = plan.period(period)
    closing: dict[tuple[date, str], list[str]] = {}
    out_from: list[str] = []
    for u in plan.active_units(period):
        if u.active_to is not None and p.start <= u.active_to < p.end:
            to = plan.unit(u.successor).name if u.successor and plan.has_unit(u.successor) else ""
            closing.setdefault((u.active_to, to), []).append(u.name)
        if u.active_from is not None and p.start < u.active_from <= p.end:
            out_from.append(f"{u.name} hoạt động từ {u.active_from:%d/%m/%Y}")
    out = []
    for (to_day, successor), names in closing.items():
        if successor:
            out.append(f"{', '.join(names)} hoạt động đến hết {to_day:%d/%m/%Y}, sáp nhập vào {successor}")
        else:
            out.append(f"{', '.join(names)} ngừng hoạt động từ {to_day + timedelta(days=1):%d/%m/%Y}")
    return out + out_from


def exists_in(plan: Plan, unit: str, period: str) -> bool:
    """Whether the unit exists on some day of the period (else it is "chưa thành lập" or "đã
    ngừng hoạt động" there and no printout expects anything of it)."""
    return not plan.closed_note(unit, period)


def last_year_note(yoy: YearOverYear) -> str:
    """What a printout says under its "Cùng kỳ năm trước" column when last year's figures come
    from the plan this one follows: which period of which plan, and which of today's units carry
    the figures of the units merged into them."""
    folded = list(dict.fromkeys(n for n in yoy.notes.values() if n))
    return (f"Cùng kỳ năm trước: số liệu {yoy.previous_period_name.lower()} của kế hoạch năm trước "
            f"(mã {yoy.previous_plan}), tính theo chỉ tiêu và đơn vị của kỳ này"
            + (f"; {' '.join(folded)}" if folded else "."))


def vn_date_line(place: str, d: date) -> str:
    """"Dương Kinh, ngày 05 tháng 02 năm 2025" (Nghị định 30: a 0 before days < 10 and months 1, 2)."""
    day = f"{d.day:02d}"
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"{place}, ngày {day} tháng {month} năm {d.year}"


def timeliness(received: date | None, deadline: date) -> str:
    """"Đúng hạn" / "Chậm 3 ngày" / "" (not received)."""
    if received is None:
        return ""
    late = (received - deadline).days
    return "Đúng hạn" if late <= 0 else f"Chậm {late} ngày"
