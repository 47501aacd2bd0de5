"""``Desk``: the one object that owns the database and offers dkdesk's operations.

The CLI and the GUI call only this (and the operation modules that take a ``Desk``). Each
public method is one user action and one transaction; results are plain dataclasses.
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping, TypeVar

from sqlalchemy import ColumnElement, Engine, and_, delete, insert, or_, select
from sqlalchemy.orm import Session, sessionmaker

from dkdesk.catalogue.loader import PlanError, load_plan, load_plan_text
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
    ImportFile,
    ImportRecord,
    PlanSummary,
    encode,
    period_name,
    default_who,
    require_period,
    require_unit,
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
from dkdesk.storage.values import columns, decode
from dkdesk.storage.models import (
    AuditRow,
    FieldRow,
    ImportRow,
    Meta,
    PeriodRow,
    PlanRow,
    ReportRow,
    UnitRow,
    ValueRow,
)

if TYPE_CHECKING:
    from dkdesk.safety.lock import SharedLock

_Catalogue = TypeVar("_Catalogue", UnitRow, PeriodRow, FieldRow)


# Plans read from their text in a database, by (code, SHA-256 of the text), for the whole process:
# a text is parsed and checked once however often a Desk is opened over it (a Plan is immutable).
# Only texts that passed the strict loader are kept; a changed text has another digest.
_STORED_PLANS: dict[tuple[str, str], Plan] = {}
_STORED_PLANS_KEPT = 16


class Desk:
    """Owns the engine; hands out one session per user action."""

    def __init__(self, engine: Engine, plan: Plan, who: str = "") -> None:
        self.engine = engine
        self.plan = plan
        self.who = who or default_who()
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._ids: dict[str, dict[str, int]] = {}
        self._codes: dict[str, dict[int, str]] = {}
        self._field_types: dict[int, tuple[str, str]] = {}
        self.read_only = False  # read-only medium or another dkdesk is the writer: every write is refused
        self.read_only_reason = ""
        self._lock: SharedLock | None = None  # the writer lock (SQLite), shared in-process
        self.file_plan_code = plan.info.code  # the plan of the plan file, mirrored on every open
        self._file_plan = plan

    # -- opening -----------------------------------------------------------------------
    @classmethod
    def open(cls, db: str | Path | None = None, plan_path: str | Path | None = None,
             who: str = "", plan: str | None = None) -> "Desk":
        """Open (create or upgrade) the database and mirror the plan file into it.

        The working plan (``desk.plan``) is ``plan`` (a plan code stored in the database) when
        given; else the plan file when ``plan_path`` is given; else the newest plan stored
        (highest year, then the latest loaded), which is the plan file's own on a database
        holding one plan."""
        from dkdesk import paths

        db = paths.chosen_db(db)
        file_plan = load_plan(plan_path or paths.default_plan_path())
        from dkdesk.safety import guard

        guard.check_before_open(db)  # quick_check of an existing SQLite file: damaged -> DamagedDatabase
        engine = database.open_engine(db)
        lock = None
        try:
            lock = guard.before_migrate(engine)  # the writer lock (SQLite)
            database.migrate(engine)
            desk = cls(engine, file_plan, who)
            desk._sync_catalogue()
            chosen = plan if plan is not None else (None if plan_path is not None else desk._newest_code())
            if chosen is not None and chosen != file_plan.info.code:
                desk.plan = desk.stored_plan(chosen)
                desk._sync_catalogue()
            desk._lock = lock
            desk.read_only_reason = guard.after_open(engine, lock, desk.who)  # read-only medium, or another writer
            desk.read_only = bool(desk.read_only_reason)
        except Exception:
            if lock is not None:
                lock.release()
            engine.dispose()
            raise
        return desk

    def release_connections(self) -> None:
        """Close every pooled connection, so that the file under the engine may be replaced
        (restore); the next action, or ``reopen``, connects again."""
        self.engine.dispose()

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
            if row is not None and row.digest == plan.digest and row.source is not None:
                self._load_ids(s, row.id)
                return
        with self.write() as s:
            row = s.scalar(select(PlanRow).where(PlanRow.code == plan.info.code))
            if row is None:
                row = self._new_plan_row(s, plan, now)
            if row.digest != plan.digest or row.source is None:
                self._mirror(s, row, now, plan, self._file_text(plan))
            self._load_ids(s, row.id)

    @staticmethod
    def _new_plan_row(s: Session, plan: Plan, now: datetime) -> PlanRow:
        row = PlanRow(code=plan.info.code, title=plan.info.title, year=plan.info.year, digest="", loaded_at=now)
        s.add(row)
        s.flush()
        if s.get(Meta, "application") is None:
            s.add(Meta(key="application", value=database.APPLICATION_ID))
            s.add(Meta(key="created_at", value=now.isoformat(timespec="seconds")))
        return row

    @staticmethod
    def _file_text(plan: Plan) -> str:
        """The TOML text of a plan read from a file (its own bytes when they still match)."""
        import hashlib

        try:
            raw = Path(plan.source).read_bytes() if plan.source else b""
        except OSError:
            raw = b""
        if raw and hashlib.sha256(raw).hexdigest() == plan.digest:
            return raw.decode("utf-8")
        from dkdesk.catalogue.plan_dump import dump_plan

        return dump_plan(plan)

    def _mirror(self, s: Session, row: PlanRow, now: datetime, plan: Plan, text: str) -> None:
        row.title, row.year, row.digest, row.loaded_at = plan.info.title, plan.info.year, plan.digest, now
        row.source, row.previous_code = text, plan.info.previous

        self._upsert(s, UnitRow, row.id, {u.code: {"name": u.name, "group_code": u.group, "active_from": u.active_from,
                                                   "active_to": u.active_to, "successor_code": u.successor}
                                          for u in plan.units})
        self._upsert(s, PeriodRow, row.id, {p.code: {"name": p.name, "deadline": p.deadline} for p in plan.periods})
        self._upsert(s, FieldRow, row.id, {f.code: {"label": f.label, "type": f.type} for f in plan.fields})
        s.flush()

    # -- several plans -------------------------------------------------------------------
    def _newest_code(self) -> str | None:
        with self.read() as s:
            return s.scalar(select(PlanRow.code).where(PlanRow.source.is_not(None))
                            .order_by(PlanRow.year.desc(), PlanRow.loaded_at.desc(), PlanRow.id.desc()).limit(1))

    def plans(self) -> list[PlanSummary]:
        """Every plan stored, oldest first (by year, then by when it was loaded)."""
        with self.read() as s:
            with_values = set(s.scalars(select(PeriodRow.plan_id).join(ValueRow, ValueRow.period_id == PeriodRow.id)
                                        .distinct()))
            rows = s.execute(select(PlanRow.id, PlanRow.code, PlanRow.title, PlanRow.year, PlanRow.previous_code,
                                    PlanRow.loaded_at).order_by(PlanRow.year, PlanRow.loaded_at, PlanRow.id)).all()
        return [PlanSummary(code, title, year, previous, pid in with_values, at)
                for pid, code, title, year, previous, at in rows]

    def plans_codes(self) -> tuple[str, ...]:
        """The codes of the plans stored (cheap: one small SELECT)."""
        with self.read() as s:
            return tuple(s.scalars(select(PlanRow.code).order_by(PlanRow.id)))

    def _of_this_plan(self, unit_col: Any, period_col: Any) -> ColumnElement[bool]:
        """Rows of the working plan: its periods, else its units, else rows on no unit or period."""
        pids, uids = list(self._ids["period"].values()), list(self._ids["unit"].values())
        return or_(period_col.in_(pids), and_(period_col.is_(None), or_(unit_col.is_(None), unit_col.in_(uids))))

    def has_plan(self, code: str) -> bool:
        with self.read() as s:
            return s.scalar(select(PlanRow.id).where(PlanRow.code == code)) is not None

    def plan_source(self, code: str | None = None) -> str:
        """The TOML text of a stored plan (the working plan when ``code`` is None)."""
        code = code or self.plan.info.code
        with self.read() as s:
            row = s.execute(select(PlanRow.id, PlanRow.source).where(PlanRow.code == code)).first()
        if row is None:
            raise Refused(f'Không có kế hoạch mã "{code}" trong cơ sở dữ liệu.')
        if row[1] is None:
            raise Refused(f'Kế hoạch "{code}" được nạp bởi phiên bản cũ, chưa lưu nội dung tệp kế hoạch; '
                          "hãy mở nó một lần bằng tệp kế hoạch của nó.")
        return str(row[1])

    def stored_plan(self, code: str) -> Plan:
        """A stored plan, read (and checked) from its text in the database."""
        if code == self.plan.info.code:
            return self.plan
        text = self.plan_source(code)
        import hashlib

        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if code == self.file_plan_code and digest == self._file_plan.digest:
            return self._file_plan  # the plan file's own bytes, already read on opening
        key = (code, digest)
        hit = _STORED_PLANS.get(key)
        if hit is None:
            try:
                hit = load_plan_text(text, name=f'kế hoạch "{code}" (lưu trong cơ sở dữ liệu)')
            except PlanError as exc:
                raise Refused(str(exc)) from exc
            while len(_STORED_PLANS) >= _STORED_PLANS_KEPT:
                del _STORED_PLANS[next(iter(_STORED_PLANS))]  # the oldest read first
            _STORED_PLANS[key] = hit
        return hit

    def add_plan(self, text: str, who: str | None = None, name: str = "tệp kế hoạch") -> str:
        """Store a plan given as the text of its TOML file (checked by the strict loader); its code.

        A new code is added; the same text again changes nothing; another text under a stored
        code replaces it only while no figure was entered under it (and never the plan file's
        own plan, which is mirrored from its file on every open). Audited."""
        import unicodedata

        text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
        plan = load_plan_text(text, name=name)
        code = plan.info.code
        who = self.who if who is None else who
        now = datetime.now()
        with self.write() as s:
            row = s.scalar(select(PlanRow).where(PlanRow.code == code))
            if row is not None and row.digest == plan.digest and row.source is not None:
                return code
            if row is not None:
                if code == self.file_plan_code:
                    raise Refused(f'Kế hoạch "{code}" là kế hoạch của tệp kế hoạch chương trình đang dùng, không thay '
                                  "được bằng tệp nhập vào; hãy đặt cho kế hoạch mới một mã khác.")
                used = s.scalar(select(ValueRow.id).join(PeriodRow, ValueRow.period_id == PeriodRow.id)
                                .where(PeriodRow.plan_id == row.id).limit(1))
                if used is not None:
                    raise Refused(f'Kế hoạch "{code}" đã có số liệu nhập theo nó nên không thay được; '
                                  "hãy đặt cho kế hoạch mới một mã khác.")
                action, note = "plan_replace", f"Thay nội dung kế hoạch {code}"
            else:
                row = self._new_plan_row(s, plan, now)
                action, note = "plan_add", f"Thêm kế hoạch {code}: {plan.info.title}"[:4000]
            self._mirror(s, row, now, plan, text)
            s.add(AuditRow(at=now, who=who, action=action, unit_id=None, period_id=None, field_id=None,
                           old_value=None, new_value=code, source="manual", import_id=None, note=note))
            if code == self.plan.info.code:
                self.plan = plan
                self._load_ids(s, row.id)
        return code

    @staticmethod
    def _upsert(s: Session, model: type[_Catalogue], plan_id: int,
                wanted: Mapping[str, Mapping[str, Any]]) -> None:
        """Mirror one catalogue table: code -> its columns. A code the plan no longer has is made
        inactive, never deleted: its figures stay."""
        existing = {r.code: r for r in s.scalars(select(model).where(model.plan_id == plan_id))}
        for code, cols in wanted.items():
            r = existing.get(code)
            if r is None:
                s.add(model(plan_id=plan_id, code=code, active=True, **cols))
            else:
                for key, value in cols.items():
                    setattr(r, key, value)
                r.active = True
        for code, r in existing.items():
            if code not in wanted:
                r.active = False

    def _load_ids(self, s: Session, plan_id: int) -> None:
        self.plan_id = plan_id
        for key, model in (("unit", UnitRow), ("period", PeriodRow), ("field", FieldRow)):
            rows = s.execute(select(model.code, model.id).where(model.plan_id == plan_id)).all()
            self._ids[key] = {c: i for c, i in rows}
            self._codes[key] = {i: c for c, i in rows}
        self._field_types = {fid: (code, self.plan.field(code).type) for fid, code in self._codes["field"].items()
                             if self.plan.has_field(code)}  # field id -> (code, type) of the plan's fields

    def unit_id(self, code: str) -> int:
        require_unit(self.plan, code)
        return self._ids["unit"][code]

    def period_id(self, code: str) -> int:
        require_period(self.plan, code)
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
        return decode(f.type, r.int_value, r.bool_value, r.text_value)

    def period_values(self, period: str, fields: Iterable[str] | None = None,
                      plan: str | None = None) -> dict[tuple[str, str], Value]:
        """(unit code, field code) -> value of every unit in one period (only ``fields`` when
        given), in one SELECT without ORM objects: the overview and the import compare read this.
        ``plan``: the period of another stored plan (a comparison with last year)."""
        if plan is not None and plan != self.plan.info.code:
            return self._other_plan_values(plan, period, fields)
        pid = self.period_id(period)
        q = select(ValueRow.unit_id, ValueRow.field_id, ValueRow.int_value, ValueRow.bool_value,
                   ValueRow.text_value).where(ValueRow.period_id == pid)
        if fields is not None:
            q = q.where(ValueRow.field_id.in_([self.field_id(f) for f in fields]))
        units, types = self._codes["unit"], self._field_types
        out: dict[tuple[str, str], Value] = {}
        with self.read() as s:
            for uid, fid, i, b, t in s.execute(q):
                unit, known = units.get(uid), types.get(fid)
                if unit is None or known is None:
                    continue
                value = decode(known[1], i, b, t)
                if value is not None:
                    out[(unit, known[0])] = value
        return out

    def _other_plan_values(self, plan: str, period: str,
                           fields: Iterable[str] | None) -> dict[tuple[str, str], Value]:
        with self.read() as s:
            pid = s.scalar(select(PeriodRow.id).join(PlanRow, PeriodRow.plan_id == PlanRow.id)
                           .where(PlanRow.code == plan, PeriodRow.code == period))
            if pid is None:
                raise Refused(f'Kế hoạch "{plan}" không có kỳ báo cáo "{period}".')
            q = (select(UnitRow.code, FieldRow.code, FieldRow.type, ValueRow.int_value, ValueRow.bool_value,
                        ValueRow.text_value)
                 .join(UnitRow, ValueRow.unit_id == UnitRow.id).join(FieldRow, ValueRow.field_id == FieldRow.id)
                 .where(ValueRow.period_id == pid))
            if fields is not None:
                q = q.where(FieldRow.code.in_(list(fields)))
            out: dict[tuple[str, str], Value] = {}
            for unit, field, kind, i, b, t in s.execute(q):
                value = decode(kind, i, b, t)
                if value is not None:
                    out[(unit, field)] = value
        return out

    def has_values(self, period: str) -> bool:
        """Whether any unit has any figure stored for ``period``."""
        pid = self.period_id(period)
        with self.read() as s:
            return s.scalar(select(ValueRow.id).where(ValueRow.period_id == pid).limit(1)) is not None

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
        self.unit_id(unit)
        closed = self.plan.closed_note(unit, period)
        if closed:
            raise Refused(f"{self.plan.unit(unit).name} {closed}: không có số liệu kỳ {self.period_name(period)}.")
        parsed = self.parse_values(unit, raw)
        if session is None:
            with self.write() as s:
                return self._store(s, unit, period, parsed, who, source, import_id, replace)
        return self._store(session, unit, period, parsed, who, source, import_id, replace)

    def _store(self, s: Session, unit: str, period: str, parsed: dict[str, Value | None],
               who: str | None, source: str, import_id: int | None, replace: bool) -> SaveResult:
        uid, pid = self.unit_id(unit), self.period_id(period)
        who = self.who if who is None else who
        self._refuse_if_locked(s, uid, pid, unit, period)
        rows = self._stored_rows(s, uid, pid)
        form = self.plan.form_fields(unit)
        current = self._form_values(rows, form)
        after: dict[str, Value | None] = {f.code: None for f in form} if replace else dict(current)
        after.update(parsed)
        errors = check_rules(self.plan, unit, after)
        if errors:
            raise ValidationFailed(errors)
        now = datetime.now()
        wanted = [f for f in form if replace or f.code in parsed]
        result = self._write_changes(s, uid, pid, wanted, rows, current, after,
                                     {"updated_at": now, "updated_by": who, "source": source, "import_id": import_id})
        if result.new or result.changed or result.cleared:
            self._touch_report(s, uid, pid, now, source, any(v is not None for v in after.values()))
        return result

    def _refuse_if_locked(self, s: Session, uid: int, pid: int, unit: str, period: str) -> None:
        report = self._status_row(s, uid, pid)
        if report is not None and report.status == STATUS_APPROVED:
            raise Refused(f"Báo cáo {self.period_name(period)} của {self.plan.unit(unit).name} đã được duyệt "
                          "và khóa; muốn sửa phải mở khóa trước.")

    @staticmethod
    def _stored_rows(s: Session, uid: int, pid: int) -> dict[int, ValueRow]:
        """field id -> stored row of one unit's report."""
        return {r.field_id: r for r in s.scalars(
            select(ValueRow).where(ValueRow.unit_id == uid, ValueRow.period_id == pid))}

    def _form_values(self, rows: Mapping[int, ValueRow], form: Iterable[FieldDef]) -> dict[str, Value | None]:
        out: dict[str, Value | None] = {}
        for f in form:
            r = rows.get(self.field_id(f.code))
            out[f.code] = self._row_value(r, f) if r else None
        return out

    def _write_changes(self, s: Session, uid: int, pid: int, form: Iterable[FieldDef], rows: Mapping[int, ValueRow],
                       current: Mapping[str, Value | None], after: Mapping[str, Value | None],
                       stamp: dict[str, Any]) -> SaveResult:
        """Insert, update or delete the rows of ``form`` whose value moves from ``current`` to
        ``after``, with one audit row each; ``stamp``: updated_at/by, source, import_id."""
        new = changed = unchanged = cleared = 0
        # new values and audit rows: one multi-row INSERT each (imports write hundreds)
        inserts: list[dict[str, Any]] = []
        audits: list[dict[str, Any]] = []
        for f in form:
            old, value = current[f.code], after[f.code]
            if old == value and type(old) is type(value):
                if value is not None:
                    unchanged += 1
                continue
            fid = self.field_id(f.code)
            r = rows.get(fid)
            if value is None:
                if r is not None:  # old is not None, so a row holds it
                    s.execute(delete(ValueRow).where(ValueRow.id == r.id))
                cleared += 1
            else:
                typed = {**columns(f.type, value), **stamp}
                if r is None:
                    inserts.append({"unit_id": uid, "period_id": pid, "field_id": fid, **typed})
                    new += 1
                else:
                    for key, v in typed.items():
                        setattr(r, key, v)
                    changed += 1
            audits.append({"at": stamp["updated_at"], "who": stamp["updated_by"], "action": "value", "unit_id": uid,
                           "period_id": pid, "field_id": fid, "old_value": encode(old), "new_value": encode(value),
                           "source": stamp["source"], "import_id": stamp["import_id"], "note": ""})
        if inserts:
            s.execute(insert(ValueRow), inserts)
        if audits:
            s.execute(insert(AuditRow), audits)
        return SaveResult(new, changed, unchanged, cleared)

    def fill_empty(self, period: str, values: Mapping[str, Mapping[str, Value]], *, who: str | None = None,
                   source: str = "carry") -> tuple[int, int]:
        """Store ``values`` (unit -> field -> value) only where the unit has no value yet, all
        units in one transaction (all or nothing). Returns (values written, values kept because
        one was already stored, even one typed a moment ago)."""
        pid = self.period_id(period)
        written = kept = 0
        with self.write() as s:
            for unit, wanted in values.items():
                stored = {self.code_of("field", fid) for fid in self._stored_rows(s, self.unit_id(unit), pid)}
                fresh = {code: v for code, v in wanted.items() if code not in stored}
                kept += len(wanted) - len(fresh)
                if fresh:
                    written += self.set_values(unit, period, fresh, who=who, source=source, session=s).new
        return written, kept

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

    def approve_all(self, period: str, units: list[str] | None = None, *, who: str | None = None) -> list[str]:
        """Approve and lock every draft or submitted report of ``period`` (only ``units`` when given)
        in ONE transaction, each audited as ``set_status`` audits a lock; returns the units locked."""
        pid, who, now = self.period_id(period), self.who if who is None else who, datetime.now()
        wanted = None if units is None else set(units)
        locked: list[str] = []
        with self.write() as s:
            for unit in self.plan.units:
                uid = self.unit_id(unit.code)
                report = self._status_row(s, uid, pid) if wanted is None or unit.code in wanted else None
                if report is None or report.status not in (STATUS_DRAFT, STATUS_SUBMITTED):
                    continue
                old = report.status
                report.status, report.updated_at, report.locked_at, report.locked_by = STATUS_APPROVED, now, now, who
                s.add(AuditRow(at=now, who=who, action="lock", unit_id=uid, period_id=pid, field_id=None,
                               old_value=old, new_value=STATUS_APPROVED, source="manual", import_id=None, note=""))
                locked.append(unit.code)
        return locked

    def _values_in(self, s: Session, uid: int, pid: int, unit: str) -> dict[str, Value | None]:
        return self._form_values(self._stored_rows(s, uid, pid), self.plan.form_fields(unit))

    @staticmethod
    def _report_status(unit: str, period: str, r: ReportRow) -> ReportStatus:
        return ReportStatus(unit, period, r.status, r.received_at, r.submitted_at, r.locked_at, r.locked_by)

    # -- audit -------------------------------------------------------------------------
    def history(self, unit: str | None = None, period: str | None = None, field: str | None = None,
                since: date | None = None, until: date | None = None, limit: int = 5000) -> list[AuditEntry]:
        """Audit entries of the working plan (and those on the whole database), newest first,
        filtered by unit, period, field and date range."""
        q = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
        if len(self.plans_codes()) > 1:
            q = q.where(self._of_this_plan(AuditRow.unit_id, AuditRow.period_id))
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

    # -- import history ------------------------------------------------------------------
    def imports(self, period: str | None = None, *, newest_first: bool = True,
                limit: int | None = None) -> list[ImportRecord]:
        """The files imported or refused (of one period when given): newest first by default,
        else in the order they arrived. Without the files' bytes."""
        q = select(ImportRow.id, ImportRow.file_name, ImportRow.path, ImportRow.sha256, ImportRow.size,
                   ImportRow.unit_id, ImportRow.period_id, ImportRow.imported_at, ImportRow.who, ImportRow.result,
                   ImportRow.n_new, ImportRow.n_changed, ImportRow.n_unchanged, ImportRow.message,
                   ImportRow.content.is_not(None))
        if period is not None:
            q = q.where(ImportRow.period_id == self.period_id(period))
        elif len(self.plans_codes()) > 1:
            q = q.where(self._of_this_plan(ImportRow.unit_id, ImportRow.period_id))
        q = q.order_by(ImportRow.id.desc()) if newest_first else q.order_by(ImportRow.imported_at, ImportRow.id)
        if limit is not None:
            q = q.limit(limit)
        with self.read() as s:
            rows = s.execute(q).all()
        return [ImportRecord(r[0], r[1], r[2], r[3], r[4], self.code_of("unit", r[5]), self.code_of("period", r[6]),
                             r[7], r[8], r[9], r[10], r[11], r[12], r[13], bool(r[14])) for r in rows]

    def original_file(self, import_id: int) -> tuple[str, bytes]:
        """(file name, bytes) of an imported file; Refused when nothing was kept (a refused file)."""
        with self.read() as s:
            row = s.execute(select(ImportRow.file_name, ImportRow.content).where(ImportRow.id == import_id)).first()
        if row is None:
            raise Refused(f"Không có lần nhập số {import_id}.")
        if row[1] is None:
            raise Refused(f"Tệp \"{row[0]}\" bị từ chối khi nhập nên không được lưu lại.")
        return row[0], row[1]

    @contextmanager
    def import_batch(self, who: str | None = None) -> Iterator[ImportBatch]:
        """One transaction for one import of files (see ``ImportBatch``): everything recorded
        and stored inside the ``with`` is committed together, or nothing at all."""
        with self.write() as s:
            yield ImportBatch(self, s, self.who if who is None else who, datetime.now())

    def imported_hashes(self, hashes: Iterable[str]) -> dict[str, tuple[int, datetime, str]]:
        """SHA-256 -> (import id, when, file name) of the given files already accepted once."""
        wanted = set(hashes)
        if not wanted:
            return {}
        with self.read() as s:
            rows = s.execute(select(ImportRow.sha256, ImportRow.id, ImportRow.imported_at, ImportRow.file_name)
                             .where(ImportRow.sha256.in_(wanted), ImportRow.result.in_(("imported", "unchanged"))))
            return {sha: (i, at, name) for sha, i, at, name in rows}

    def locked_reports(self, periods: Iterable[str]) -> set[tuple[str, str]]:
        """(unit, period) of the approved (locked) reports in ``periods``."""
        pids = {self.period_id(p): p for p in periods}
        if not pids:
            return set()
        with self.read() as s:
            rows = s.execute(select(ReportRow.unit_id, ReportRow.period_id)
                             .where(ReportRow.period_id.in_(pids), ReportRow.status == STATUS_APPROVED))
            return {(self.code_of("unit", u) or "", pids[p]) for u, p in rows}

    def audit_event(self, action: str, *, new_value: str | None = None, note: str = "",
                    who: str | None = None) -> None:
        """One audit row for an action on the whole database (e.g. "restore"), in its own transaction."""
        with self.write() as s:
            s.add(AuditRow(at=datetime.now(), who=self.who if who is None else who, action=action,
                           unit_id=None, period_id=None, field_id=None, old_value=None, new_value=new_value,
                           source="manual", import_id=None, note=note))


class ImportBatch:
    """The files of one import inside one transaction (``Desk.import_batch``).

    ``record`` gives each file its history row (and id); ``store`` writes an accepted file's
    values (``source="import"``, audited) and counts; ``reject`` marks a file refused: its bytes
    are dropped and the reason kept. A refusal raised by ``store`` leaves that file's values
    unwritten while the others' stay."""

    def __init__(self, desk: Desk, session: Session, who: str, now: datetime) -> None:
        self._desk, self._s, self.who, self.now = desk, session, who, now
        self._rows: dict[int, ImportRow] = {}
        self._touched: set[tuple[str, str]] = set()

    def record(self, files: Iterable[ImportFile], result: str = "imported") -> list[int]:
        """Add the files to the history (one flush for all); their import ids, in order."""
        d = self._desk
        rows = [ImportRow(file_name=f.file_name, path=f.path, sha256=f.sha256, size=f.size,
                          unit_id=d.unit_id(f.unit) if f.unit else None,
                          period_id=d.period_id(f.period) if f.period else None,
                          imported_at=self.now, who=self.who, result=result, template_version=f.template_version,
                          message=f.message[:4000], content=None if result == "rejected" else f.content)
                for f in files]
        self._s.add_all(rows)
        self._s.flush()
        self._rows.update((r.id, r) for r in rows)
        return [r.id for r in rows]

    def store(self, import_id: int, values: Mapping[str, object]) -> SaveResult:
        """Write the values of a recorded file into its unit and period (validated as a form is;
        ``ValidationFailed`` / ``Refused`` write nothing of this file)."""
        row = self._rows[import_id]
        unit, period = self._desk.code_of("unit", row.unit_id), self._desk.code_of("period", row.period_id)
        if unit is None or period is None:
            raise Refused(f'Tệp "{row.file_name}" không rõ đơn vị hoặc kỳ báo cáo.')
        if (unit, period) in self._touched:
            self._s.flush()  # the same report twice in one batch: the second sees the first
        self._touched.add((unit, period))
        with self._s.no_autoflush:  # one flush at commit; set_values raises before it writes anything
            res = self._desk.set_values(unit, period, values, who=self.who, source="import",
                                        import_id=import_id, session=self._s)
        row.n_new, row.n_changed, row.n_unchanged = res.new, res.changed, res.unchanged
        row.result = "imported" if res.touched else "unchanged"
        self._s.add(AuditRow(at=self.now, who=self.who, action="import", unit_id=row.unit_id,
                             period_id=row.period_id, field_id=None, old_value=None, new_value=row.sha256,
                             source="import", import_id=import_id, note=row.file_name))
        return res

    def result(self, import_id: int) -> str:
        """imported | unchanged | rejected, as recorded so far."""
        return self._rows[import_id].result

    def reject(self, import_id: int, message: str) -> None:
        """Mark a recorded file refused: no bytes kept, the reason in the history."""
        row = self._rows[import_id]
        row.result, row.content, row.message = "rejected", None, message[:4000]
