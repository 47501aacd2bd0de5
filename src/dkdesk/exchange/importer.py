"""Import filled templates: preview first, then apply the chosen files in ONE transaction.

``preview(desk, paths)`` reads every file (nothing is written) and compares it with what is
stored: per file unit, period, status (new / changed / unchanged / duplicate / rejected /
locked / needs_identification), counts and a per-value diff old -> new. ``apply(desk,
previews)`` makes a backup, then in one transaction stores the applicable files' values
(``source="import"``, ``import_id`` = the file's row in ``imports``, which keeps the bytes)
and records the rejected ones in the history (no bytes, no values). Empty cells never clear
a stored figure: an empty cell means "no value in this file".
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from sqlalchemy import select

from dkdesk.core.desk import STATUS_APPROVED, Desk, Refused
from dkdesk.core.validation import FieldError, ValidationFailed, Value, check_rules
from dkdesk.exchange import reader as R
from dkdesk.indicators.overview import load_period_values
from dkdesk.storage.models import AuditRow, ImportRow, ReportRow

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
DUPLICATE, REJECTED, LOCKED, NEEDS_ID = "duplicate", "rejected", "locked", "needs_identification"
STATUS_LABELS = {NEW: "Mới", CHANGED: "Có thay đổi", UNCHANGED: "Không đổi", DUPLICATE: "Trùng",
                 REJECTED: "Bị từ chối", LOCKED: "Kỳ đã khóa", NEEDS_ID: "Cần chọn đơn vị, kỳ"}
APPLICABLE = (NEW, CHANGED, UNCHANGED)
ACCEPTED_SUFFIXES = (".xlsx", ".xlsm")

ProgressFn = Callable[[int, int, str], None]


@dataclass(frozen=True)
class ValueDiff:
    field: str
    label: str
    cell: str
    old: Value | None
    new: Value
    kind: str  # new | changed | unchanged


@dataclass
class FilePreview:
    read: R.ReadResult
    status: str
    diffs: list[ValueDiff] = field(default_factory=list)
    duplicate_note: str = ""

    @property
    def path(self) -> Path:
        return self.read.path

    @property
    def unit(self) -> str | None:
        return self.read.unit

    @property
    def period(self) -> str | None:
        return self.read.period

    @property
    def errors(self) -> list[FieldError]:
        return self.read.errors

    @property
    def warnings(self) -> list[FieldError]:
        """Not refusals: the file can be applied, but the person should look first."""
        return self.read.warnings

    def count(self, kind: str) -> int:
        return sum(1 for d in self.diffs if d.kind == kind)

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class FileOutcome:
    path: Path
    sha256: str
    unit: str | None
    period: str | None
    status: str  # imported | unchanged | duplicate | rejected | skipped
    new: int
    changed: int
    unchanged: int
    errors: list[FieldError]
    import_id: int | None = None
    warnings: list[FieldError] = field(default_factory=list)


@dataclass(frozen=True)
class ApplyReport:
    outcomes: list[FileOutcome]
    backup: Path | None
    periods: list[str]


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; a folder means every .xlsx/.xlsm below it (Excel's "~$" lock files skipped)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = [f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in ACCEPTED_SUFFIXES
                     and not f.name.startswith(("~$", "."))]
            out.extend(sorted(found))
        else:
            out.append(p)
    return out


def _imported_hashes(desk: Desk, hashes: set[str]) -> dict[str, tuple[int, datetime, str]]:
    if not hashes:
        return {}
    with desk.read() as s:
        rows = s.execute(select(ImportRow.sha256, ImportRow.id, ImportRow.imported_at, ImportRow.file_name)
                         .where(ImportRow.sha256.in_(hashes), ImportRow.result.in_(("imported", "unchanged"))))
        return {sha: (i, at, name) for sha, i, at, name in rows}


def _locked(desk: Desk, periods: set[str]) -> set[tuple[str, str]]:
    pids = {desk.period_id(p): p for p in periods}
    if not pids:
        return set()
    with desk.read() as s:
        rows = s.execute(select(ReportRow.unit_id, ReportRow.period_id)
                         .where(ReportRow.period_id.in_(pids), ReportRow.status == STATUS_APPROVED))
        return {(desk.code_of("unit", u) or "", pids[p]) for u, p in rows}


def preview(desk: Desk, paths: Sequence[str | Path], identities: dict[Path, tuple[str, str]] | None = None,
            progress: ProgressFn | None = None, reads: dict[Path, R.ReadResult] | None = None) -> list[FilePreview]:
    """Read and compare every file; writes nothing. ``identities`` gives unit/period for files
    whose hidden sheet is gone; ``reads`` reuses results already read (only those re-read)."""
    files = expand_paths(paths)
    identities = identities or {}
    results: list[R.ReadResult] = []
    for i, path in enumerate(files):
        if progress:
            progress(i, len(files), f"Đang đọc {path.name}")
        unit, period = identities.get(path, (None, None))
        cached = (reads or {}).get(path)
        results.append(cached if cached is not None and path not in identities
                       else R.read_file(path, desk.plan, unit, period))
    if progress:
        progress(len(files), len(files), "Đang so sánh với số liệu đã lưu")
    return compare(desk, results)


def compare(desk: Desk, results: list[R.ReadResult]) -> list[FilePreview]:
    """Statuses and diffs of read files against the database (one SELECT per period)."""
    done = _imported_hashes(desk, {r.sha256 for r in results if r.state == R.OK})
    periods = {r.period for r in results if r.state == R.OK and r.period}
    locked = _locked(desk, periods)
    stored = {p: load_period_values(desk, p) for p in periods}
    state: dict[tuple[str, str], dict[str, Value | None]] = {}
    seen: dict[str, str] = {}
    out: list[FilePreview] = []
    plan = desk.plan
    for r in results:
        r = replace(r, errors=list(r.errors))  # comparing again (after identification) adds no errors twice
        if r.state == R.NEEDS_ID:
            out.append(FilePreview(r, NEEDS_ID))
            continue
        if r.state != R.OK or r.unit is None or r.period is None:
            out.append(FilePreview(r, REJECTED))
            continue
        if r.sha256 in done:
            _id, at, name = done[r.sha256]
            out.append(FilePreview(r, DUPLICATE, duplicate_note=f"Tệp này đã được nhập lúc {at:%d/%m/%Y %H:%M} "
                                                               f"(tên tệp khi đó: {name})."))
            continue
        if r.sha256 in seen:
            out.append(FilePreview(r, DUPLICATE, duplicate_note=f"Trùng hệt tệp {seen[r.sha256]} trong lần nhập này."))
            continue
        seen[r.sha256] = r.file_name
        key = (r.unit, r.period)
        if key in locked:
            r.errors.append(FieldError("", f"Báo cáo {desk.period_name(r.period)} của {plan.unit(r.unit).name} đã "
                                           "được duyệt và khóa; muốn nhập phải mở khóa trước."))
            out.append(FilePreview(r, LOCKED))
            continue
        current = state.get(key)
        if current is None:
            current = {f.code: stored[r.period].get((r.unit, f.code)) for f in plan.form_fields(r.unit)}
        diffs = []
        for f in plan.form_fields(r.unit):
            if f.code not in r.values:
                continue
            old, new = current.get(f.code), r.values[f.code]
            kind = NEW if old is None else (UNCHANGED if old == new and type(old) is type(new) else CHANGED)
            diffs.append(ValueDiff(f.code, f.label, r.cells.get(f.code, ""), old, new, kind))
        after = {**current, **r.values}
        errors = check_rules(plan, r.unit, after)
        if errors:
            for e in errors:
                r.reject(e.message + " (so với số liệu đã lưu)", r.cells.get(e.field, ""), e.field)
            out.append(FilePreview(r, REJECTED, diffs))
            continue
        state[key] = after
        kinds = {d.kind for d in diffs}
        status = CHANGED if CHANGED in kinds else (NEW if NEW in kinds else UNCHANGED)
        out.append(FilePreview(r, status, diffs))
    return out


@contextmanager
def _dropped_on_failure(backup: Path | None) -> Iterator[None]:
    """The backup an import made for itself is removed when the import is not committed (the
    disk filled up, the person cancelled): it is only a copy of the unchanged data."""
    try:
        yield
    except BaseException:
        if backup is not None:
            try:
                backup.unlink(missing_ok=True)
            except OSError:
                pass
        raise


def apply(desk: Desk, previews: Sequence[FilePreview], *, who: str | None = None, backup: bool = True,
          progress: ProgressFn | None = None) -> ApplyReport:
    """Store the applicable previews in one transaction after a backup; record rejected ones.

    Duplicates and unidentified files are skipped. A file refused at this point (the data
    changed since the preview) is reported rejected: ``set_values`` validates everything
    before it writes, so nothing of that file is stored while the others are.
    """
    from dkdesk.safety.backup import make_backup

    if desk.read_only:  # before the backup: a read-only desk must not leave one behind
        raise Refused(f"{desk.read_only_reason} Không có tệp nào được nhập.")
    who = desk.who if who is None else who
    chosen = [p for p in previews if p.status in APPLICABLE]
    refused = [p for p in previews if p.status in (REJECTED, LOCKED, NEEDS_ID)]
    backup_path = None
    if backup and any(p.status in (NEW, CHANGED) for p in chosen):
        backup_path = make_backup(desk, "nhap-excel")
    outcomes: dict[int, FileOutcome] = {}
    now = datetime.now()
    with _dropped_on_failure(backup_path), desk.write() as s:
        rows = {}
        for p in chosen:  # one flush gives every file its import id
            r = p.read
            rows[id(p)] = ImportRow(file_name=r.file_name, path=str(r.path), sha256=r.sha256, size=r.size,
                                    unit_id=desk.unit_id(r.unit), period_id=desk.period_id(r.period),  # type: ignore[arg-type]
                                    imported_at=now, who=who, result="imported",
                                    template_version=str(r.version or ""),
                                    message="; ".join(str(w) for w in r.warnings)[:4000], content=r.content)
        s.add_all(rows.values())
        s.flush()
        touched: set[tuple[str, str]] = set()
        with s.no_autoflush:  # one flush at commit; set_values raises before it writes anything
            for i, p in enumerate(chosen):
                if progress:
                    progress(i, len(chosen), f"Đang nhập {p.path.name}")
                r, row = p.read, rows[id(p)]
                key = (r.unit or "", r.period or "")
                if key in touched:
                    s.flush()  # the same report twice in one batch: let the second see the first
                touched.add(key)
                try:
                    res = desk.set_values(r.unit, r.period, r.values, who=who, source="import",  # type: ignore[arg-type]
                                          import_id=row.id, session=s)
                except (ValidationFailed, Refused) as exc:
                    errors = exc.errors if isinstance(exc, ValidationFailed) else [FieldError("", str(exc))]
                    r.errors.extend(FieldError(e.field, e.message, e.cell or r.cells.get(e.field, "")) for e in errors)
                    row.result, row.content = "rejected", None
                    row.message = "; ".join(str(e) for e in r.errors)[:4000]
                    outcomes[id(p)] = FileOutcome(r.path, r.sha256, r.unit, r.period, "rejected", 0, 0, 0,
                                                  list(r.errors), row.id)
                    continue
                row.n_new, row.n_changed, row.n_unchanged = res.new, res.changed, res.unchanged
                row.result = "imported" if res.touched else "unchanged"
                s.add(AuditRow(at=now, who=who, action="import", unit_id=row.unit_id, period_id=row.period_id,
                               field_id=None, old_value=None, new_value=r.sha256, source="import",
                               import_id=row.id, note=r.file_name))
                outcomes[id(p)] = FileOutcome(r.path, r.sha256, r.unit, r.period, row.result, res.new, res.changed,
                                              res.unchanged, [], row.id, list(r.warnings))
        if progress:  # the last chance to cancel: after this the transaction commits
            progress(len(chosen), len(chosen), "Đang ghi vào cơ sở dữ liệu")
        refused_rows = []
        for p in refused:
            r = p.read
            message = "; ".join(str(e) for e in r.errors)[:4000]
            row = ImportRow(file_name=r.file_name, path=str(r.path), sha256=r.sha256, size=r.size,
                            unit_id=desk.unit_id(r.unit) if r.unit else None,
                            period_id=desk.period_id(r.period) if r.period else None,
                            imported_at=now, who=who, result="rejected", template_version=str(r.version or ""),
                            message=message, content=None)  # nothing from a rejected file is stored
            refused_rows.append((p, row))
        s.add_all(row for _p, row in refused_rows)
        s.flush()
        for p, row in refused_rows:
            r = p.read
            outcomes[id(p)] = FileOutcome(r.path, r.sha256, r.unit, r.period, "rejected", 0, 0, 0,
                                          list(r.errors), row.id, list(r.warnings))
    ordered = []
    for p in previews:
        o = outcomes.get(id(p))
        if o is None:
            o = FileOutcome(p.path, p.read.sha256, p.unit, p.period, "duplicate" if p.status == DUPLICATE else "skipped",
                            0, 0, 0, list(p.errors), warnings=list(p.warnings))
        ordered.append(o)
    periods = sorted({o.period for o in ordered if o.status == "imported" and o.period})
    return ApplyReport(ordered, backup_path, periods)
