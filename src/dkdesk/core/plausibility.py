"""Figures far above what the unit reported before: a warning, never a refusal.

A count typed with three zeros too many (12 -> 12.000, or 99.999.999.999) passes every rule of
``validation`` when the field has no ceiling of its own. ``implausible`` points at such a whole
number, so that the person is asked before it is stored:

* against the unit's own figure for the same field in its last period (``reference_values``:
  the nearest earlier period of the plan, ``Plan.previous_period`` again and again, that has
  one): more than ``FACTOR`` times it, and at least ``FLOOR`` (3 -> 40 is no warning);
* with no earlier figure (or 0), a field without a ceiling (``max_value``) of its own: above
  ``CEILING``, more than a district counts of anything (a field with a ceiling refuses above it).

The form shows these as a warning while the person types and asks before saving; ``dkdesk set``
prints them and stores anyway (``warnings_for``); the import preview (and ``import --json``)
lists them per file (``in_file``), the file still ticked. Nothing here writes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator, Mapping

from dkdesk.catalogue.model import FieldDef, Plan
from dkdesk.core.numbers import format_int
from dkdesk.core.validation import FieldError, Value, field_name

if TYPE_CHECKING:  # the form imports this module before the database library is loaded
    from dkdesk.core.desk import Desk

FACTOR = 10  # more than ten times the last period's figure...
FLOOR = 100  # ...and at least this much
CEILING = 1_000_000  # no earlier figure: above this, for a field without a ceiling of its own


@dataclass(frozen=True)
class Reference:
    """The unit's figure for a field in an earlier period."""

    value: int
    period: str  # period code
    period_name: str  # "6 tháng đầu năm 2024"


def reference_values(desk: Desk, unit: str, period: str) -> dict[str, Reference]:
    """For each whole-number field of ``unit``'s form, its figure in the nearest earlier period
    of the plan that has one (none for a field never reported before)."""
    plan = desk.plan
    wanted = {f.code for f in plan.form_fields(unit) if f.type == "int"}
    out: dict[str, Reference] = {}
    seen = {period}
    earlier = plan.previous_period(period)
    while earlier is not None and earlier.code not in seen and wanted - out.keys():
        seen.add(earlier.code)
        stored = desk.get_values(unit, earlier.code).values
        for code in wanted - out.keys():
            v = stored.get(code)
            if isinstance(v, int) and not isinstance(v, bool):
                out[code] = Reference(v, earlier.code, earlier.name)
        earlier = plan.previous_period(earlier.code)
    return out


def _far_above(plan: Plan, unit: str, values: Mapping[str, Value | None],
               reference: Mapping[str, Reference]) -> Iterator[tuple[FieldDef, int, Reference | None]]:
    """(field, figure, the earlier figure it is far above, or None when above ``CEILING``)."""
    for f in plan.form_fields(unit):
        v = values.get(f.code)
        if f.type != "int" or not isinstance(v, int) or isinstance(v, bool):
            continue
        ref = reference.get(f.code)
        if ref is not None and ref.value > 0:
            if v > FACTOR * ref.value and v >= FLOOR:
                yield f, v, ref
        elif f.max_value is None and v > CEILING:
            yield f, v, None


def implausible(plan: Plan, unit: str, values: Mapping[str, Value | None],
                reference: Mapping[str, Reference]) -> list[FieldError]:
    """A warning (Vietnamese, naming the field) for each whole number of ``values`` far above
    the unit's earlier figure, or above ``CEILING`` when there is none to compare with."""
    out: list[FieldError] = []
    for f, v, ref in _far_above(plan, unit, values, reference):
        if ref is not None:
            out.append(FieldError(f.code, (
                f"{field_name(f)}: {format_int(v)} {f.measure}, gấp khoảng {format_int(round(v / ref.value))} "
                f"lần số của {ref.period_name} ({format_int(ref.value)}). Kiểm tra lại có gõ thừa chữ số không.")))
        else:
            out.append(FieldError(f.code, (
                f"{field_name(f)}: {format_int(v)} {f.measure} là số lớn bất thường (trên {format_int(CEILING)}). "
                "Kiểm tra lại có gõ thừa chữ số không.")))
    return out


def in_file(plan: Plan, unit: str, values: Mapping[str, Value | None], reference: Mapping[str, Reference],
            cells: Mapping[str, str]) -> list[FieldError]:
    """The warnings of an imported file's figures (the import preview, ``import --dry-run --json``):
    each names its cell and begins "Số lớn bất thường". The file stays importable."""
    out: list[FieldError] = []
    for f, v, ref in _far_above(plan, unit, values, reference):
        if ref is not None:
            text = (f"Số lớn bất thường: {field_name(f)} {format_int(v)} {f.measure} so với {format_int(ref.value)} "
                    f"của kỳ trước ({ref.period_name}), gấp khoảng {format_int(round(v / ref.value))} lần. "
                    "Kiểm tra lại tệp có gõ thừa chữ số không.")
        else:
            text = (f"Số lớn bất thường: {field_name(f)} {format_int(v)} {f.measure}, trên {format_int(CEILING)} "
                    "(chưa có số kỳ trước để so). Kiểm tra lại tệp có gõ thừa chữ số không.")
        out.append(FieldError(f.code, text, cells.get(f.code, "")))
    return out


def warnings_for(desk: Desk, unit: str, period: str, raw: Mapping[str, object]) -> list[FieldError]:
    """The warnings about the figures of ``raw`` (as ``Desk.set_values`` takes them)."""
    return implausible(desk.plan, unit, desk.parse_values(unit, raw), reference_values(desk, unit, period))
