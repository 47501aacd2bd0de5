"""``Desk``: the one object that owns the database and offers dkdesk's operations.

The CLI and the GUI call only this (and the operation modules that take a ``Desk``). Each
public method is one user action and one transaction; results are plain dataclasses.
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Iterator, Mapping

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.orm import Session, sessionmaker

from dkdesk.catalogue.loader import load_plan
from dkdesk.catalogue.model import FieldDef, Plan
from dkdesk.core.records import (  # noqa: F401 - re-exported: callers import them from here
    STATUS_EMPTY,
    STATUS_DRAFT,
    STATUS_SUBMITTED,
    STATUS_APPROVED,
    STATUS_LABELS,
    Refused,
    ValueInfo,
    UnitValues,
    SaveResult,
    ReportStatus,
    AuditEntry,
    encode,
    period_name,
    default_who,
)
from dkdesk.core.validation import (
    FieldError,
    FieldErrorException,
    ValidationFailed,
    Value,
    check_rules,
    parse_value,
)
from dkdesk.storage import database
from dkdesk.storage.models import (
    AuditRow,
    FieldRow,
    Meta,
    PeriodRow,
    PlanRow,
    ReportRow,
    UnitRow,
    ValueRow,
)


class Desk:
    """Owns the engine; hands out one session per user action."""

    def __init__(self, engine: Engine, plan: Plan, who: str = "") -> None:
        self.engine = engine
        self.plan = plan
        self.who = who or default_who()
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._ids: dict[str, dict[str, int]] = {}
        self._codes: dict[str, dict[int, str]] = {}
        self.read_only = False  # another dkdesk is the writer: every write is refused
        self.read_only_reason = ""
        self._lock = None  # dkdesk.safety.lock.SharedLock (SQLite): the writer lock, shared in-process

    # -- opening -----------------------------------------------------------------------
    @classmethod
    def open(cls, db: str | Path | None = None, plan_path: str | Path | None = None,
             who: str = "", *, plan: Plan | None = None, checked: bool = False) -> "Desk":
        """Open (create or upgrade) the database and mirror the plan into it.

        ``plan``: the plan already loaded from ``plan_path`` (the quick start has it);
        ``checked``: the caller ran ``quick_check`` on this very file moments ago."""
        from dkdesk import paths

        db = paths.chosen_db(db)
        plan = plan or load_plan(plan_path or paths.default_plan_path())
        from dkdesk.safety import guard

        if not checked:
            guard.check_before_open(db)  # quick_check of an existing SQLite file: damaged -> DamagedDatabase
        engine = database.open_engine(db)
        lock = None
        try:
            lock = guard.before_migrate(engine)  # the writer lock (SQLite)
            database.migrate(engine)
            desk = cls(engine, plan, who)
            desk._sync_catalogue()
            guard.after_open(desk, lock)  # read-only when another dkdesk is the writer
        except Exception:
            if lock is not None:
                lock.release()
            engine.dispose()
            raise
        return desk

    def reopen(self) -> None:
        """After the file under the engine was replaced (restore): fresh connections, schema
        upgraded if needed, catalogue mirrored again (row ids may differ)."""
        self.engine.dispose()
        database.migrate(self.engine)
        self._sync_catalogue()

    def close(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        self.engine.dispose()

    def __enter__(self) -> "Desk":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def sqlite_path(self) -> Path | None:
        return database.sqlite_path(str(self.engine.url))

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction for one user action: commit on success, roll back on any error.

        Refused when the desk is read-only; a disk-full / read-only-file error becomes a
        Vietnamese ``Refused`` (the transaction was rolled back, nothing written)."""
        if self.read_only:
            raise Refused(self.read_only_reason or "Cơ sở dữ liệu đang mở ở chế độ chỉ đọc.")
        from dkdesk.safety.errors import storage_error_message

        try:
            with self._sessions() as session, session.begin():
                yield session
        except Exception as exc:
            message = storage_error_message(exc, self.sqlite_path)
            if message is None:
                raise
            raise Refused(message) from exc

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._sessions() as session:
            session.connection(execution_options={"sqlite_begin": "DEFERRED"})
            yield session

    # -- catalogue mirror ----------------------------------------------------------------
    def _sync_catalogue(self) -> None:
        plan = self.plan
        now = datetime.now()
        with self.read() as s:  # the usual case: the mirror is current, nothing to write
            row = s.scalar(select(PlanRow).where(PlanRow.code == plan.info.code))
            if row is not None and row.digest == plan.digest:
                self._load_ids(s, row.id)
                return
        with self.write() as s:
            row = s.scalar(select(PlanRow).where(PlanRow.code == plan.info.code))
            if row is None:
                row = PlanRow(code=plan.info.code, title=plan.info.title, year=plan.info.year,
                              digest="", loaded_at=now)
                s.add(row)
                s.flush()
                if s.get(Meta, "application") is None:
                    s.add(Meta(key="application", value=database.APPLICATION_ID))
                    s.add(Meta(key="created_at", value=now.isoformat(timespec="seconds")))
            if row.digest != plan.digest:
                self._mirror(s, row, now)
            self._load_ids(s, row.id)

    def _mirror(self, s: Session, row: PlanRow, now: datetime) -> None:
        plan = self.plan
        row.title, row.year, row.digest, row.loaded_at = plan.info.title, plan.info.year, plan.digest, now

        def upsert(model, items, make, update):  # noqa: ANN001
            existing = {r.code: r for r in s.scalars(select(model).where(model.plan_id == row.id))}
            wanted = set()
            for item in items:
                wanted.add(item.code)
                r = existing.get(item.code)
                if r is None:
                    s.add(make(item))
                else:
                    update(r, item)
                    r.active = True
            for code, r in existing.items():
                if code not in wanted:
                    r.active = False  # never deleted: its figures stay

        upsert(UnitRow, plan.units,
               lambda u: UnitRow(plan_id=row.id, code=u.code, name=u.name, group_code=u.group, active=True),
               lambda r, u: (setattr(r, "name", u.name), setattr(r, "group_code", u.group)))
        upsert(PeriodRow, plan.periods,
               lambda p: PeriodRow(plan_id=row.id, code=p.code, name=p.name, deadline=p.deadline, active=True),
               lambda r, p: (setattr(r, "name", p.name), setattr(r, "deadline", p.deadline)))
        upsert(FieldRow, plan.fields,
               lambda f: FieldRow(plan_id=row.id, code=f.code, label=f.label, type=f.type, active=True),
               lambda r, f: (setattr(r, "label", f.label), setattr(r, "type", f.type)))
        s.flush()

    def _load_ids(self, s: Session, plan_id: int) -> None:
        self.plan_id = plan_id
        for key, model in (("unit", UnitRow), ("period", PeriodRow), ("field", FieldRow)):
            rows = s.execute(select(model.code, model.id).where(model.plan_id == plan_id)).all()
            self._ids[key] = {c: i for c, i in rows}
            self._codes[key] = {i: c for c, i in rows}

    def unit_id(self, code: str) -> int:
        if not self.plan.has_unit(code):
            raise Refused(f'Không có đơn vị mã "{code}" trong kế hoạch. '
                          f'Các mã đơn vị: {", ".join(u.code for u in self.plan.units)}.')
        return self._ids["unit"][code]

    def period_id(self, code: str) -> int:
        if not self.plan.has_period(code):
            raise Refused(f'Không có kỳ báo cáo "{code}" trong kế hoạch. '
                          f'Các kỳ: {", ".join(p.code for p in self.plan.periods)}.')
        return self._ids["period"][code]

    def field_id(self, code: str) -> int:
        return self._ids["field"][code]

    def code_of(self, kind: str, row_id: int | None) -> str | None:
        return None if row_id is None else self._codes[kind].get(row_id)

    # -- values --------------------------------------------------------------------------
    def get_values(self, unit: str, period: str) -> UnitValues:
        uid, pid = self.unit_id(unit), self.period_id(period)
        with self.read() as s:
            rows = s.scalars(select(ValueRow).where(ValueRow.unit_id == uid, ValueRow.period_id == pid)).all()
            status = self._status_row(s, uid, pid)
        values: dict[str, Value] = {}
        info: dict[str, ValueInfo] = {}
        for r in rows:
            code = self._codes["field"].get(r.field_id)
            if code is None:
                continue
            v = self._row_value(r, self.plan.field(code)) if self.plan.has_field(code) else None
            if v is None:
                continue
            values[code] = v
            info[code] = ValueInfo(v, r.updated_at, r.updated_by, r.source, r.import_id)
        return UnitValues(unit, period, status.status if status else STATUS_EMPTY, values, info)

    @staticmethod
    def _row_value(r: ValueRow, f: FieldDef) -> Value | None:
        if f.type == "int":
            return r.int_value
        if f.type == "bool":
            return r.bool_value
        return r.text_value

    def parse_values(self, unit: str, raw: Mapping[str, object]) -> dict[str, Value | None]:
        """Raw input for a unit -> typed values. Raises ValidationFailed listing every field."""
        self.unit_id(unit)
        form = {f.code: f for f in self.plan.form_fields(unit)}
        parsed: dict[str, Value | None] = {}
        errors: list[FieldError] = []
        for code, value in raw.items():
            f = form.get(code)
            if f is None:
                if code in self.plan._index["field"]:
                    msg = f'Trường "{code}" không thuộc biểu mẫu của {self.plan.unit(unit).name}.'
                else:
                    msg = f'Không có trường mã "{code}" trong kế hoạch.'
                errors.append(FieldError(code, msg))
                continue
            try:
                parsed[code] = parse_value(f, value)
            except FieldErrorException as exc:
                errors.append(exc.error)
        if errors:
            raise ValidationFailed(errors)
        return parsed

    def set_values(self, unit: str, period: str, raw: Mapping[str, object], *, who: str | None = None,
                   source: str = "manual", import_id: int | None = None,
                   session: Session | None = None, replace: bool = False) -> SaveResult:
        """Validate and store values, all or nothing, with an audit row per change.

        ``raw`` maps field codes to raw input; None or "" clears a value (audited). With
        ``replace`` the fields of the form absent from ``raw`` are cleared too. ``session``
        lets an import batch put several units into one transaction.
        """
        self.period_id(period)
        parsed = self.parse_values(unit, raw)
        if session is None:
            with self.write() as s:
                return self._store(s, unit, period, parsed, who, source, import_id, replace)
        return self._store(session, unit, period, parsed, who, source, import_id, replace)

    def _store(self, s: Session, unit: str, period: str, parsed: dict[str, Value | None],
               who: str | None, source: str, import_id: int | None, replace: bool) -> SaveResult:
        uid, pid = self.unit_id(unit), self.period_id(period)
        who = self.who if who is None else who
        report = self._status_row(s, uid, pid)
        if report is not None and report.status == STATUS_APPROVED:
            raise Refused(f"Báo cáo {self.period_name(period)} của {self.plan.unit(unit).name} đã được duyệt "
                          "và khóa; muốn sửa phải mở khóa trước.")
        rows = {r.field_id: r for r in s.scalars(
            select(ValueRow).where(ValueRow.unit_id == uid, ValueRow.period_id == pid))}
        form = self.plan.form_fields(unit)
        current: dict[str, Value | None] = {}
        for f in form:
            r = rows.get(self.field_id(f.code))
            current[f.code] = self._row_value(r, f) if r else None
        after = dict(current)
        if replace:
            after = {f.code: None for f in form}
        after.update(parsed)
        errors = check_rules(self.plan, unit, after)
        if errors:
            raise ValidationFailed(errors)
        now = datetime.now()
        new = changed = unchanged = cleared = 0
        inserts: list[dict] = []  # new values and audit rows: one multi-row INSERT each (imports write hundreds)
        audits: list[dict] = []
        for f in form:
            if f.code not in parsed and not replace:
                continue
            old, value = current[f.code], after[f.code]
            if old == value and type(old) is type(value):
                if value is not None:
                    unchanged += 1
                continue
            fid = self.field_id(f.code)
            r = rows.get(fid)
            if value is None:
                s.execute(delete(ValueRow).where(ValueRow.id == r.id))  # type: ignore[union-attr]
                cleared += 1
            else:
                typed = {"int_value": value if f.type == "int" else None,
                         "bool_value": value if f.type == "bool" else None,
                         "text_value": value if f.type == "text" else None,
                         "updated_at": now, "updated_by": who, "source": source, "import_id": import_id}
                if r is None:
                    inserts.append({"unit_id": uid, "period_id": pid, "field_id": fid, **typed})
                    new += 1
                else:
                    for key, v in typed.items():
                        setattr(r, key, v)
                    changed += 1
            audits.append({"at": now, "who": who, "action": "value", "unit_id": uid, "period_id": pid,
                           "field_id": fid, "old_value": encode(old), "new_value": encode(value),
                           "source": source, "import_id": import_id, "note": ""})
        if inserts:
            s.execute(insert(ValueRow), inserts)
        if audits:
            s.execute(insert(AuditRow), audits)
        if new or changed or cleared:
            self._touch_report(s, uid, pid, now, source, any(v is not None for v in after.values()))
        return SaveResult(new, changed, unchanged, cleared)

    def _touch_report(self, s: Session, uid: int, pid: int, now: datetime, source: str, has_values: bool) -> None:
        report = self._status_row(s, uid, pid)
        if report is None:
            report = ReportRow(unit_id=uid, period_id=pid, status=STATUS_EMPTY, locked_by="", updated_at=now)
            s.add(report)
        if report.status in (STATUS_EMPTY, STATUS_DRAFT):
            report.status = STATUS_DRAFT if has_values else STATUS_EMPTY
        if source == "import":
            report.received_at = now
            if report.status == STATUS_DRAFT:
                report.status = STATUS_SUBMITTED
                report.submitted_at = now
        report.updated_at = now

    # -- report status and locking ----------------------------------------------------------
    @staticmethod
    def _status_row(s: Session, uid: int, pid: int) -> ReportRow | None:
        return s.scalar(select(ReportRow).where(ReportRow.unit_id == uid, ReportRow.period_id == pid))

    def period_name(self, period: str) -> str:
        return period_name(self.plan, period)

    def statuses(self, period: str) -> dict[str, ReportStatus]:
        """Every unit's report status for a period (units without a row are empty)."""
        pid = self.period_id(period)
        with self.read() as s:
            rows = {r.unit_id: r for r in s.scalars(select(ReportRow).where(ReportRow.period_id == pid))}
        out = {}
        for u in self.plan.units:
            r = rows.get(self._ids["unit"][u.code])
            out[u.code] = ReportStatus(u.code, period, r.status if r else STATUS_EMPTY,
                                       r.received_at if r else None, r.submitted_at if r else None,
                                       r.locked_at if r else None, r.locked_by if r else "")
        return out

    def status(self, unit: str, period: str) -> ReportStatus:
        self.unit_id(unit)
        return self.statuses(period)[unit]

    def set_status(self, unit: str, period: str, status: str, *, who: str | None = None,
                   note: str = "") -> ReportStatus:
        """Move a report between draft, submitted and approved (locked). Audited."""
        if status not in STATUS_LABELS or status == STATUS_EMPTY:
            raise Refused(f'Trạng thái "{status}" không hợp lệ.')
        uid, pid = self.unit_id(unit), self.period_id(period)
        who = self.who if who is None else who
        now = datetime.now()
        with self.write() as s:
            report = self._status_row(s, uid, pid)
            if report is None:
                report = ReportRow(unit_id=uid, period_id=pid, status=STATUS_EMPTY, locked_by="", updated_at=now)
                s.add(report)
            old = report.status
            if old == status:
                return self._report_status(unit, period, report)
            if status == STATUS_SUBMITTED:
                missing = check_rules(self.plan, unit, self._values_in(s, uid, pid, unit), submitting=True)
                if missing:
                    raise ValidationFailed(missing)
                report.submitted_at = now
            if status == STATUS_APPROVED:
                report.locked_at, report.locked_by = now, who
            if old == STATUS_APPROVED:
                report.locked_at, report.locked_by = None, ""
            report.status, report.updated_at = status, now
            action = "lock" if status == STATUS_APPROVED else ("unlock" if old == STATUS_APPROVED else "status")
            s.add(AuditRow(at=now, who=who, action=action, unit_id=uid, period_id=pid, field_id=None,
                           old_value=old, new_value=status, source="manual", import_id=None, note=note))
            return self._report_status(unit, period, report)

    def _values_in(self, s: Session, uid: int, pid: int, unit: str) -> dict[str, Value | None]:
        rows = {r.field_id: r for r in s.scalars(
            select(ValueRow).where(ValueRow.unit_id == uid, ValueRow.period_id == pid))}
        out: dict[str, Value | None] = {}
        for f in self.plan.form_fields(unit):
            r = rows.get(self.field_id(f.code))
            out[f.code] = self._row_value(r, f) if r else None
        return out

    @staticmethod
    def _report_status(unit: str, period: str, r: ReportRow) -> ReportStatus:
        return ReportStatus(unit, period, r.status, r.received_at, r.submitted_at, r.locked_at, r.locked_by)

    # -- audit -------------------------------------------------------------------------
    def history(self, unit: str | None = None, period: str | None = None, field: str | None = None,
                since: date | None = None, until: date | None = None, limit: int = 5000) -> list[AuditEntry]:
        """Audit entries, newest first, filtered by unit, period, field and date range."""
        q = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
        if unit:
            q = q.where(AuditRow.unit_id == self.unit_id(unit))
        if period:
            q = q.where(AuditRow.period_id == self.period_id(period))
        if field:
            q = q.where(AuditRow.field_id == self._ids["field"].get(field, -1))
        if since:
            q = q.where(AuditRow.at >= datetime.combine(since, datetime.min.time()))
        if until:
            q = q.where(AuditRow.at <= datetime.combine(until, datetime.max.time()))
        with self.read() as s:
            rows = s.scalars(q).all()
        return [AuditEntry(r.id, r.at, r.who, r.action, self.code_of("unit", r.unit_id),
                           self.code_of("period", r.period_id), self.code_of("field", r.field_id),
                           r.old_value, r.new_value, r.source, r.import_id, r.note) for r in rows]
