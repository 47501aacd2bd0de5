"""Import filled templates: preview first, then apply the chosen files in ONE transaction.

``preview(desk, paths)`` reads every file (nothing is written) and compares it with what is
stored: per file unit, period, status (new / changed / unchanged / duplicate / rejected /
locked / needs_identification / conflict), counts and a per-value diff old -> new, and the
warnings about figures far above the unit's own in its last period (``plausibility``). ``apply(desk,
previews)`` makes a backup, then in one transaction stores the applicable files' values
(``source="import"``, ``import_id`` = the file's row in ``imports``, which keeps the bytes)
and records the rejected ones in the history (no bytes, no values). Empty cells never clear
a stored figure: an empty cell means "no value in this file".
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence


from dkdesk.core.desk import Desk, Refused
from dkdesk.core.plausibility import Reference, in_file, reference_values
from dkdesk.core.records import ImportFile
from dkdesk.core.validation import FieldError, ValidationFailed, Value, check_rules
from dkdesk.exchange import reader as R

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
DUPLICATE, REJECTED, LOCKED, NEEDS_ID = "duplicate", "rejected", "locked", "needs_identification"
CONFLICT = "conflict"  # two different files for the same unit and period in one run: neither is applied
SKIPPED = "skipped"  # left out by the person (another file of the same report was picked)
STATUS_LABELS = {NEW: "Mới", CHANGED: "Có thay đổi", UNCHANGED: "Không đổi", DUPLICATE: "Trùng",
                 REJECTED: "Bị từ chối", LOCKED: "Kỳ đã khóa", NEEDS_ID: "Cần chọn đơn vị, kỳ",
                 CONFLICT: "Xung đột", SKIPPED: "Bỏ qua"}
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
    conflict_with: list[Path] = field(default_factory=list)  # the other files of the same report (CONFLICT)
    # figures far above the unit's own in its last period (``core.plausibility``): a warning for
    # the person to look at, never a refusal; the file stays applicable (and ticked in the GUI)
    plausibility: list[FieldError] = field(default_factory=list)

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
        """Not refusals: the file can be applied, but the person should look first (what reading
        it found, e.g. another form version; then its figures far above the last period's)."""
        return self.read.warnings + self.plausibility

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
    status: str  # imported | unchanged | duplicate | rejected | conflict | skipped
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
            # not only regular files: a FIFO or a link to a device named .xlsx is listed, then refused
            found = [f for f in p.rglob("*") if not f.is_dir() and f.suffix.lower() in ACCEPTED_SUFFIXES
                     and not f.name.startswith(("~$", "."))]
            out.extend(sorted(found))
        else:
            out.append(p)
    return out


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


def _rivals(results: list[R.ReadResult], done: set[str]) -> dict[tuple[str, str], list[Path]]:
    """(unit, period) -> paths of the distinct files (by content) claiming it; only keys with 2+."""
    claims: dict[tuple[str, str], dict[str, Path]] = {}
    for r in results:
        if r.state == R.OK and r.unit and r.period and r.sha256 not in done:
            claims.setdefault((r.unit, r.period), {}).setdefault(r.sha256, r.path)
    return {key: list(files.values()) for key, files in claims.items() if len(files) > 1}


def compare(desk: Desk, results: list[R.ReadResult], skip: frozenset[Path] | set[Path] = frozenset()
            ) -> list[FilePreview]:
    """Statuses and diffs of read files against the database (one SELECT per period). Files in
    ``skip`` (the person picked another file of the same report) are left out: ``SKIPPED``."""
    done = desk.imported_hashes({r.sha256 for r in results if r.state == R.OK})
    periods = {r.period for r in results if r.state == R.OK and r.period}
    locked = desk.locked_reports(periods)
    stored = {p: desk.period_values(p) for p in periods}
    state: dict[tuple[str, str], dict[str, Value | None]] = {}
    seen: dict[str, str] = {}
    out: list[FilePreview] = []
    plan = desk.plan
    groups = _rivals(results, set(done))
    references: dict[tuple[str, str], dict[str, Reference]] = {}  # the unit's figures of its last period
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
        if r.path in skip:
            kept = [p for p in groups.get(key, []) if p != r.path and p not in skip]
            r.errors.append(FieldError("", "Bỏ qua theo lựa chọn của người nhập" + (
                f": giữ tệp {', '.join(p.name for p in kept)} cho cùng báo cáo." if kept else ".")))
            out.append(FilePreview(r, SKIPPED, conflict_with=[p for p in groups.get(key, []) if p != r.path]))
            continue
        others = [p for p in groups.get(key, []) if p != r.path and p not in skip]
        if others:
            names = ", ".join(p.name for p in others)
            r.errors.append(FieldError("", f"Xung đột: tệp này và {names} cùng là báo cáo {desk.period_name(r.period)} "
                                           f"của {plan.unit(r.unit).name} nhưng nội dung khác nhau; không nhập tệp "
                                           "nào cho đến khi chỉ giữ lại một tệp."))
            out.append(FilePreview(r, CONFLICT, conflict_with=others))
            continue
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
        if key not in references:
            references[key] = reference_values(desk, r.unit, r.period)
        brought = {d.field: d.new for d in diffs if d.kind != UNCHANGED}  # a stored figure was seen before
        warned = in_file(plan, r.unit, brought, references[key], r.cells)
        out.append(FilePreview(r, status, diffs, plausibility=warned))
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


def _import_file(p: FilePreview, message: str) -> ImportFile:
    """What the history keeps of a previewed file."""
    r = p.read
    return ImportFile(r.file_name, str(r.path), r.sha256, r.size, r.unit, r.period, str(r.version or ""),
                      message, r.content)


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
    refused = [p for p in previews if p.status in (REJECTED, LOCKED, NEEDS_ID, CONFLICT)]
    backup_path = None
    if backup and any(p.status in (NEW, CHANGED) for p in chosen):
        backup_path = make_backup(desk, "nhap-excel")
    outcomes: dict[int, FileOutcome] = {}
    with _dropped_on_failure(backup_path), desk.import_batch(who) as batch:
        ids = batch.record(_import_file(p, "; ".join(str(w) for w in p.warnings)) for p in chosen)
        for i, (p, import_id) in enumerate(zip(chosen, ids)):
            if progress:
                progress(i, len(chosen), f"Đang nhập {p.path.name}")
            r = p.read
            try:
                res = batch.store(import_id, r.values)
            except (ValidationFailed, Refused) as exc:
                errors = exc.errors if isinstance(exc, ValidationFailed) else [FieldError("", str(exc))]
                r.errors.extend(FieldError(e.field, e.message, e.cell or r.cells.get(e.field, "")) for e in errors)
                batch.reject(import_id, "; ".join(str(e) for e in r.errors))
                outcomes[id(p)] = FileOutcome(r.path, r.sha256, r.unit, r.period, "rejected", 0, 0, 0,
                                              list(r.errors), import_id)
                continue
            outcomes[id(p)] = FileOutcome(r.path, r.sha256, r.unit, r.period, batch.result(import_id), res.new,
                                          res.changed, res.unchanged, [], import_id, list(p.warnings))
        if progress:  # the last chance to cancel: after this the transaction commits
            progress(len(chosen), len(chosen), "Đang ghi vào cơ sở dữ liệu")
        refused_ids = batch.record((_import_file(p, "; ".join(str(e) for e in p.errors)) for p in refused),
                                   result="rejected")  # nothing from a rejected file is stored
        for p, import_id in zip(refused, refused_ids):
            r = p.read
            outcomes[id(p)] = FileOutcome(r.path, r.sha256, r.unit, r.period,
                                          CONFLICT if p.status == CONFLICT else "rejected", 0, 0, 0,
                                          list(r.errors), import_id, list(r.warnings))
    ordered = []
    for p in previews:
        o = outcomes.get(id(p))
        if o is None:
            o = FileOutcome(p.path, p.read.sha256, p.unit, p.period, "duplicate" if p.status == DUPLICATE else "skipped",
                            0, 0, 0, list(p.errors), warnings=list(p.warnings))
        ordered.append(o)
    periods = sorted({o.period for o in ordered if o.status == "imported" and o.period})
    return ApplyReport(ordered, backup_path, periods)
