"""A first look at a SQLite database with the standard library only, for the GUI's first screen.

The program shows its window before SQLAlchemy is loaded (about half a second on the office
PCs): ``take_first_look(path, plan)`` reads every period's report statuses and figures with
plain ``sqlite3`` SELECTs, as ``Desk.statuses`` and ``Desk.get_values`` would return them. It
answers only for a database the full open would not change first — the newest schema and the
plan already mirrored — and returns None otherwise (a new file, an upgrade, another plan), so
the caller opens the ``Desk`` as usual. It never writes; it opens no lock. A test compares it
with the ``Desk`` over the same file, so the two readings cannot drift apart.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dkdesk.catalogue.model import Plan
from dkdesk.core.records import STATUS_EMPTY, ReportStatus, UnitValues, ValueInfo
from dkdesk.core.validation import Value
from dkdesk.storage.database import scanned_head_revision, sqlite_uri


@dataclass(frozen=True)
class FirstLook:
    """Statuses and figures of every unit in every period of the plan, as stored."""

    path: Path
    statuses: dict[str, dict[str, ReportStatus]]  # period -> unit -> status
    values: dict[tuple[str, str], UnitValues]  # (unit, period) -> figures with their origin

    def unit_values(self, unit: str, period: str) -> UnitValues:
        found = self.values.get((unit, period))
        if found is not None:
            return found
        return UnitValues(unit, period, self.statuses[period][unit].status, {}, {})


def take_first_look(path: Path, plan: Plan) -> FirstLook | None:
    """Read ``path`` for the first screen, or None when only the full open may read it."""
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None
        con = sqlite3.connect(sqlite_uri(path.resolve(), "mode=ro"), uri=True, timeout=15)
    except (OSError, sqlite3.Error):
        return None
    try:
        return _read(con, path, plan)
    except (sqlite3.Error, ValueError, KeyError):  # an unexpected file: the full open will say what
        return None
    finally:
        con.close()


def _read(con: sqlite3.Connection, path: Path, plan: Plan) -> FirstLook | None:
    head = scanned_head_revision()
    revision = con.execute("SELECT version_num FROM alembic_version").fetchone()
    if head is None or revision is None or revision[0] != head:
        return None  # new or older schema: the full open migrates first
    row = con.execute("SELECT id, digest FROM plans WHERE code = ?", (plan.info.code,)).fetchone()
    if row is None or row[1] != plan.digest:
        return None  # the plan changed: the full open mirrors it first
    plan_id = row[0]
    unit_ids, period_ids = _ids(con, "units", plan_id), _ids(con, "periods", plan_id)
    unit_of = {i: c for c, i in unit_ids.items()}
    field_of = {i: c for c, i in _ids(con, "fields", plan_id).items()}
    statuses: dict[str, dict[str, ReportStatus]] = {}
    values: dict[tuple[str, str], UnitValues] = {}
    for period in plan.periods:
        pid = period_ids[period.code]
        statuses[period.code] = _statuses(con, plan, period.code, pid, unit_ids)
        for unit_code, (vals, info) in _figures(con, plan, pid, unit_of, field_of).items():
            values[(unit_code, period.code)] = UnitValues(
                unit_code, period.code, statuses[period.code][unit_code].status, vals, info)
    return FirstLook(path, statuses, values)


def _ids(con: sqlite3.Connection, table: str, plan_id: int) -> dict[str, int]:
    """code -> row id of one catalogue table (units, periods, fields) of the plan."""
    return dict(con.execute(f"SELECT code, id FROM {table} WHERE plan_id = ?", (plan_id,)).fetchall())


def _statuses(con: sqlite3.Connection, plan: Plan, period: str, pid: int,
              unit_ids: dict[str, int]) -> dict[str, ReportStatus]:
    """Every unit's report status in one period (a unit without a report row is empty)."""
    reports = {r[0]: r for r in con.execute(
        "SELECT unit_id, status, received_at, submitted_at, locked_at, locked_by FROM reports "
        "WHERE period_id = ?", (pid,))}
    out = {}
    for unit in plan.units:
        r = reports.get(unit_ids[unit.code])
        out[unit.code] = (ReportStatus(unit.code, period, r[1], _when(r[2]), _when(r[3]), _when(r[4]), r[5] or "")
                          if r else ReportStatus(unit.code, period, STATUS_EMPTY, None, None, None, ""))
    return out


def _figures(con: sqlite3.Connection, plan: Plan, pid: int, unit_of: dict[int, str],
             field_of: dict[int, str]) -> dict[str, tuple[dict[str, Value], dict[str, ValueInfo]]]:
    """unit -> (its figures, their origin) in one period, typed by the plan's fields."""
    found: dict[str, tuple[dict[str, Value], dict[str, ValueInfo]]] = {}
    for uid, fid, int_value, bool_value, text_value, updated_at, updated_by, source, import_id in con.execute(
            "SELECT unit_id, field_id, int_value, bool_value, text_value, updated_at, updated_by, source, "
            "import_id FROM field_values WHERE period_id = ?", (pid,)):
        unit_code, field_code = unit_of.get(uid), field_of.get(fid)
        if unit_code is None or field_code is None or not plan.has_field(field_code):
            continue
        kind = plan.field(field_code).type
        if kind == "int":
            value: Value | None = int_value
        elif kind == "bool":
            value = None if bool_value is None else bool(bool_value)
        else:
            value = text_value
        if value is None:
            continue
        vals, info = found.setdefault(unit_code, ({}, {}))
        vals[field_code] = value
        info[field_code] = ValueInfo(value, _when(updated_at), updated_by or "", source, import_id)
    return found


def _when(text: str | None) -> datetime | None:
    """A DateTime column as SQLAlchemy writes it on SQLite (``YYYY-MM-DD HH:MM:SS.ffffff``)."""
    return None if text is None else datetime.fromisoformat(text)
