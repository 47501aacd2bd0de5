"""Restore a backup into the live database: checked first, a copy of the current data kept,
contents replaced through SQLite's backup API in one transaction, audited afterwards.

``restore(desk, source)`` — for an open desk (GUI, CLI). The file is checked
(``integrity.inspect_file``: SQLite, integrity_check, a dkdesk database, a schema revision this
version knows, and every table, column, index and audit trigger of that revision); a refusal raises ``Refused`` and changes nothing. The file is first copied to a
staging file next to the database (so rotating backups cannot remove it mid-way), the
current database is backed up ("truoc-khoi-phuc"), then the staging copy is written into the
live database with one ``backup`` step: one write transaction in the WAL, so a crash leaves
either the old or the new contents. The desk's engine is disposed and reopened (an older
schema is migrated) and a "restore" row is appended to the audit log. Should reopening (or the
audit row) fail, the "truoc-khoi-phuc" copy is written back the same way (``put_back``) and
the person is told; the restore is refused.

``recover_damaged(db_path, source)`` — when the database is too damaged to open: the damaged
file is moved aside (kept, never deleted) and the checked copy put in its place by rename.
"""
from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dkdesk.core.desk import Desk, Refused
from dkdesk.safety.backup import backup_infos, backups_dir_for, make_backup
from dkdesk.safety.integrity import BadBackupFile, DatabaseFileInfo, inspect_file, open_readonly
from dkdesk.safety.lock import DbLock


@dataclass(frozen=True)
class RestoreResult:
    source: Path
    previous_copy: Path | None  # the data as it was before the restore
    info: DatabaseFileInfo


def check_restore_file(source: Path | str) -> DatabaseFileInfo:
    """Raise ``Refused`` (Vietnamese) unless ``source`` is a dkdesk database we can open."""
    try:
        return inspect_file(Path(source))
    except BadBackupFile as exc:
        raise Refused(f"{exc} Không có gì thay đổi.") from exc


def _stage(source: Path, folder: Path) -> Path:
    """A private copy of ``source`` in ``folder`` (same disk as the database); Refused on failure."""
    try:
        return _stage_copy(source, folder)
    except (OSError, sqlite3.Error) as exc:
        from dkdesk.safety.errors import storage_error_message

        reason = storage_error_message(exc) or f"{exc}. Không có gì thay đổi."
        raise Refused(f"Không chép được tệp {source.name} vào thư mục dữ liệu để khôi phục: {reason}") from exc


def _stage_copy(source: Path, folder: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    staging = folder / f".dkdesk-khoi-phuc-{stamp}.tmp"
    src = open_readonly(source)
    try:
        dst = sqlite3.connect(str(staging))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    except BaseException:
        staging.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    return staging


def _match_page_size(staging: Path, db_path: Path) -> None:
    """A WAL database cannot change its page size through the backup API: align the copy."""
    with sqlite3.connect(str(db_path), timeout=15) as live:
        wanted = live.execute("PRAGMA page_size").fetchone()[0]
    conn = sqlite3.connect(str(staging))
    try:
        if conn.execute("PRAGMA page_size").fetchone()[0] != wanted:
            conn.execute(f"PRAGMA page_size={int(wanted)}")
            conn.execute("VACUUM")
    finally:
        conn.close()


def replace_contents(db_path: Path, staging: Path) -> None:
    """Write ``staging`` into the live database in ONE backup step (one transaction)."""
    src = sqlite3.connect(str(staging))
    try:
        dst = sqlite3.connect(str(db_path), timeout=15)
        try:
            dst.execute("PRAGMA busy_timeout=15000")
            src.backup(dst, pages=-1)
            try:
                dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass  # a reader still open: the checkpoint happens later
        finally:
            dst.close()
    finally:
        src.close()


def restore(desk: Desk, source: Path | str, who: str | None = None) -> RestoreResult:
    """Replace the desk's database by ``source`` (see the module docstring). Refused: nothing changed."""
    source = Path(source)
    db_path = desk.sqlite_path
    if db_path is None:
        raise Refused("Khôi phục từ tệp chỉ dùng cho cơ sở dữ liệu SQLite. Với PostgreSQL hãy dùng "
                      "công cụ sao lưu của máy chủ (pg_dump/pg_restore).")
    if desk.read_only:
        raise Refused(desk.read_only_reason + " Không thể khôi phục lúc này.")
    try:
        if source.resolve() == db_path.resolve():
            raise Refused("Tệp được chọn chính là cơ sở dữ liệu đang mở; không có gì để khôi phục.")
    except OSError:
        pass
    info = check_restore_file(source)
    for stale in db_path.parent.glob(".dkdesk-khoi-phuc-*.tmp"):  # left by a restore killed mid-way
        stale.unlink(missing_ok=True)
    staging = _stage(source, db_path.parent)
    try:
        _match_page_size(staging, db_path)
        previous = make_backup(desk, "truoc-khoi-phuc")
        desk.release_connections()
        try:
            replace_contents(db_path, staging)
        except (OSError, sqlite3.Error) as exc:  # one transaction: the live data is untouched
            desk.reopen()
            raise Refused(f"Khôi phục không thành công: {_reason(exc)}") from exc
        try:
            desk.reopen()
            record_restore(desk, source, previous, who)
        except Exception as exc:  # the new contents do not open: put the previous ones back
            put_back(desk, db_path, previous, exc)
    finally:
        staging.unlink(missing_ok=True)
    return RestoreResult(source, previous, info)


def _reason(exc: BaseException) -> str:
    from dkdesk.safety.errors import storage_error_message

    return storage_error_message(exc) or f"{str(exc).splitlines()[0][:300]}. Không có gì thay đổi."


def put_back(desk: Desk, db_path: Path, previous: Path | None, exc: BaseException) -> None:
    """After a restore whose contents failed to open: write the copy taken just before back
    into the live database and reopen it; always raises ``Refused`` saying what happened."""
    first = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
    if previous is None:
        raise Refused(f"Khôi phục không thành công ({first}).") from exc
    try:
        desk.release_connections()
        replace_contents(db_path, previous)
        desk.reopen()
    except Exception as again:
        raise Refused(f"Khôi phục không thành công ({first}) và không đặt lại được dữ liệu trước đó "
                      f"({str(again).splitlines()[0][:200]}). Dữ liệu trước khi khôi phục được giữ nguyên "
                      f'ở {previous}: hãy khôi phục tệp đó ("dkdesk restore {previous}").') from exc
    raise Refused(f"Khôi phục không thành công: sau khi chép, cơ sở dữ liệu không mở được ({first}). "
                  f"Dữ liệu trước khi khôi phục đã được đặt lại từ bản sao {previous.name}; "
                  "số liệu đang dùng giữ nguyên như trước.") from exc


def record_restore(desk: Desk, source: Path, previous: Path | None, who: str | None = None) -> None:
    """Append the "restore" row to the audit log."""
    note = f"Khôi phục từ tệp {source}"
    if previous is not None:
        note += f"; dữ liệu trước khi khôi phục được giữ ở {previous}"
    desk.audit_event("restore", new_value=source.name, note=note, who=who)


def latest_good_backup(db_path: Path) -> Path | None:
    """The newest automatic backup that passes the restore checks, or None."""
    for b in backup_infos(backups_dir_for(db_path)):
        try:
            inspect_file(b.path)
        except BadBackupFile:
            continue
        return b.path
    return None


def recover_damaged(db_path: Path, source: Path | str) -> Path:
    """Put a checked copy of ``source`` in place of a damaged database; returns where the
    damaged file was moved (it is kept). Refused when the file is bad or the database is open."""
    source = Path(source)
    check_restore_file(source)
    lock = DbLock(db_path)
    if not lock.acquire():
        raise Refused("Cơ sở dữ liệu đang được một dkdesk khác mở; hãy đóng nó trước khi khôi phục.")
    try:
        staging = _stage(source, db_path.parent)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        damaged = db_path.with_name(f"{db_path.name}.hong-{stamp}")
        try:
            if db_path.exists():
                os.replace(db_path, damaged)
            for suffix in ("-wal", "-shm", "-journal"):
                side = db_path.with_name(db_path.name + suffix)
                if side.exists():
                    os.replace(side, damaged.with_name(damaged.name + suffix))
            os.replace(staging, db_path)
        finally:
            staging.unlink(missing_ok=True)
    finally:
        lock.release()
    return damaged
