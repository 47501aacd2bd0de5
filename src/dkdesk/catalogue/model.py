"""The plan as data: frozen dataclasses built by the loader from a plan file.

Nothing here touches the database or Qt. Every other part of dkdesk reads the plan
through these types (``Plan.unit(code)``, ``Plan.form_fields(unit)``, ...).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal, TypedDict

FieldType = Literal["int", "bool", "text"]
# How an annual figure relates to the H1 figure of the same year:
#   "sum"   - the field counts events of the period: the year = H1 + H2 (accumulates)
#   "stock" - the field is a stock at the end of the period (establishments, workers,
#             staff): the year's value is the latest known one
#   "none"  - free text or a yes/no that the unit answers again for the year
YearRule = Literal["sum", "stock", "none"]
# How an indicator's target reads: "percent" - numerator / denominator x 100 >= target;
# "count" - the numerator itself >= target (a number of things, no denominator needed)
TargetKind = Literal["percent", "count"]


@dataclass(frozen=True)
class PlanInfo:
    code: str
    number: str
    title: str
    year: int
    issuer: str  # "ỦY BAN NHÂN DÂN QUẬN DƯƠNG KINH"
    superior: str  # "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG"
    district: str  # "quận Dương Kinh"
    place: str  # "Dương Kinh" (for "Dương Kinh, ngày ... tháng ... năm ...")
    consolidator: str  # unit code of the consolidating office
    signed_on: date | None
    legal_basis: tuple[str, ...]
    previous: str | None = None  # code of the plan this one follows (year over year)


@dataclass(frozen=True)
class Group:
    code: str
    name: str


@dataclass(frozen=True)
class Period:
    code: str  # "2024-H1" or "2024-Y"
    name: str  # "6 tháng đầu năm 2024"
    kind: Literal["H1", "Y"]
    year: int
    start: date
    end: date
    deadline: date


@dataclass(frozen=True)
class Section:
    code: str
    title: str


@dataclass(frozen=True)
class FieldDef:
    code: str
    label: str
    type: FieldType
    section: str
    measure: str = ""  # đơn vị tính: "người", "cơ sở", "buổi" ...
    help: str = ""  # definition shown as tooltip and in the template's Ghi chú
    part_of: str | None = None  # "of those": value must be <= that field's value
    required: bool = False  # must have a value before the report is submitted
    year_rule: YearRule = "none"
    max_value: int | None = None  # a sanity ceiling for int fields

    @property
    def is_stock(self) -> bool:
        return self.year_rule == "stock"


@dataclass(frozen=True)
class Unit:
    """A reporting unit. Its identity across plans is its code: a renamed unit keeps its code.
    ``active_from``/``active_to`` bound the days it exists (None: no bound); a unit closed by a
    merger names the unit that takes over its work (``successor``, a code of the same plan)."""

    code: str
    name: str
    short_name: str
    group: str
    form: str
    active_from: date | None = None
    active_to: date | None = None
    successor: str | None = None

    def active_between(self, start: date, end: date) -> bool:
        """Whether the unit exists on any day from ``start`` to ``end``."""
        return ((self.active_from is None or self.active_from <= end)
                and (self.active_to is None or self.active_to >= start))


@dataclass(frozen=True)
class Form:
    code: str
    title: str
    fields: tuple[str, ...]  # field codes in display order (includes resolved)


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    target: float  # percent, e.g. 60 for ">= 60%" (a count when target_kind is "count")
    numerator: str  # expression source (see dkdesk.catalogue.expr)
    denominator: str  # "" only for a count target
    responsible: str  # who answers for it, as text for the overview ("Công an quận")
    section: str = ""  # the plan's section ("II.1") it belongs to
    target_kind: TargetKind = "percent"


class _Index(TypedDict, total=False):
    """code -> item, per kind (filled by ``Plan.__post_init__``)."""

    unit: dict[str, Unit]
    period: dict[str, Period]
    field: dict[str, FieldDef]
    form: dict[str, Form]
    group: dict[str, Group]
    section: dict[str, Section]
    indicator: dict[str, Indicator]


@dataclass(frozen=True)
class Plan:
    info: PlanInfo
    groups: tuple[Group, ...]
    periods: tuple[Period, ...]
    sections: tuple[Section, ...]
    fields: tuple[FieldDef, ...]
    forms: tuple[Form, ...]
    units: tuple[Unit, ...]
    indicators: tuple[Indicator, ...]
    source: str = ""  # path of the file it came from
    digest: str = ""  # sha256 of the file's bytes
    _index: _Index = field(default_factory=_Index, compare=False, repr=False, init=False)

    def __post_init__(self) -> None:
        idx = self._index
        idx["unit"] = {u.code: u for u in self.units}
        idx["period"] = {p.code: p for p in self.periods}
        idx["field"] = {f.code: f for f in self.fields}
        idx["form"] = {f.code: f for f in self.forms}
        idx["group"] = {g.code: g for g in self.groups}
        idx["section"] = {s.code: s for s in self.sections}
        idx["indicator"] = {i.code: i for i in self.indicators}

    # lookups: KeyError on an unknown code; callers turn it into a Vietnamese message
    def unit(self, code: str) -> Unit:
        return self._index["unit"][code]

    def period(self, code: str) -> Period:
        return self._index["period"][code]

    def field(self, code: str) -> FieldDef:
        return self._index["field"][code]

    def form(self, code: str) -> Form:
        return self._index["form"][code]

    def group(self, code: str) -> Group:
        return self._index["group"][code]

    def section(self, code: str) -> Section:
        return self._index["section"][code]

    def indicator(self, code: str) -> Indicator:
        return self._index["indicator"][code]

    def has_unit(self, code: str) -> bool:
        return code in self._index["unit"]

    def has_period(self, code: str) -> bool:
        return code in self._index["period"]

    def has_field(self, code: str) -> bool:
        return code in self._index["field"]

    def form_fields(self, unit_code: str) -> tuple[FieldDef, ...]:
        """The fields on a unit's form, in display order."""
        form = self.form(self.unit(unit_code).form)
        return tuple(self.field(c) for c in form.fields)

    def form_sections(self, unit_code: str) -> list[tuple[Section, list[FieldDef]]]:
        """The unit's fields grouped by section, sections in plan order."""
        fields = self.form_fields(unit_code)
        out: list[tuple[Section, list[FieldDef]]] = []
        for s in self.sections:
            own = [f for f in fields if f.section == s.code]
            if own:
                out.append((s, own))
        return out

    def units_in_group(self, group_code: str) -> tuple[Unit, ...]:
        return tuple(u for u in self.units if u.group == group_code)

    def previous_period(self, code: str) -> Period | None:
        """The period that precedes ``code`` of the same kind's cycle:
        Y -> H1 of the same year; H1 -> Y of the previous year."""
        p = self.period(code)
        want = f"{p.year}-H1" if p.kind == "Y" else f"{p.year - 1}-Y"
        return self._index["period"].get(want)

    def same_period_last_year(self, code: str) -> Period | None:
        p = self.period(code)
        return self._index["period"].get(f"{p.year - 1}-{p.kind}")

    # -- units over time ---------------------------------------------------------------
    def unit_active(self, code: str, period_code: str) -> bool:
        """Whether the unit exists on any day of the period (then it is expected to report)."""
        p = self.period(period_code)
        return self.unit(code).active_between(p.start, p.end)

    def active_units(self, period_code: str) -> tuple[Unit, ...]:
        """The units expected to report for the period, in plan order."""
        p = self.period(period_code)
        return tuple(u for u in self.units if u.active_between(p.start, p.end))

    def closed_units(self, period_code: str) -> tuple[Unit, ...]:
        """The units that do not exist on any day of the period (closed before it, or not yet
        founded), in plan order."""
        p = self.period(period_code)
        return tuple(u for u in self.units if not u.active_between(p.start, p.end))

    def closed_note(self, code: str, period_code: str) -> str:
        """What screens say instead of "thiếu số liệu" for a unit not existing in the period:
        "đã ngừng hoạt động từ 01/03/2025" or "chưa thành lập (hoạt động từ 01/07/2025)"; "" when
        the unit exists on some day of it."""
        from datetime import timedelta

        u, p = self.unit(code), self.period(period_code)
        if u.active_between(p.start, p.end):
            return ""
        if u.active_to is not None and u.active_to < p.start:
            return f"đã ngừng hoạt động từ {u.active_to + timedelta(days=1):%d/%m/%Y}"
        assert u.active_from is not None
        return f"chưa thành lập (hoạt động từ {u.active_from:%d/%m/%Y})"

    def predecessors(self, code: str) -> tuple[str, ...]:
        """The codes whose successor chain leads to ``code`` (direct and indirect), plan order."""
        out: list[str] = []
        for u in self.units:
            seen: set[str] = set()
            nxt = u.successor
            while nxt is not None and nxt not in seen:
                if nxt == code:
                    out.append(u.code)
                    break
                seen.add(nxt)
                nxt = self._index["unit"][nxt].successor if nxt in self._index["unit"] else None
        return tuple(out)
