"""Consistent, rotated backups of the SQLite database through SQLite's backup API.

``make_backup(desk, reason)`` is called before every import batch, restore and migration
(and once a day on exit through ``backup_if_due``); it never copies the file of a live
database byte by byte. Automatic backups live in ``<database folder>/backups`` named
``dkdesk-YYYYmmdd-HHMMSS-ffffff-<reason>.sqlite``; the newest N stay (settings
``backups_keep``). ``backup_infos(folder)`` describes them for the dialog and the CLI.
"""
from __future__ import annotations

import errno
import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dkdesk.core.desk import Desk, Refused
from dkdesk.storage.database import sqlite_backup

DEFAULT_KEEP = 20
DAILY_REASON = "hang-ngay"
_SAFE = re.compile(r"[^a-z0-9-]+")
_NAME = re.compile(r"^dkdesk-(\d{8}-\d{6})(?:-(\d{6}))?-(.+)\.sqlite$")

REASON_LABELS = {
    DAILY_REASON: "Hằng ngày (khi thoát)",
    "thu-cong": "Sao lưu thủ công",
    "nhap-excel": "Trước khi nhập Excel",
    "truoc-khoi-phuc": "Trước khi khôi phục",
    "truoc-nang-cap": "Trước khi nâng cấp lược đồ",
}


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    made_at: datetime
    size: int
    reason: str  # the ASCII tag in the file name

    @property
    def reason_label(self) -> str:
        for tag, label in REASON_LABELS.items():
            if self.reason == tag or self.reason.startswith(tag + "-"):
                return label
        return self.reason.replace("-", " ")


def backups_dir(desk: Desk) -> Path | None:
    path = desk.sqlite_path
    return None if path is None else backups_dir_for(path)


def backups_dir_for(db_path: Path) -> Path:
    return db_path.parent / "backups"


def configured_keep() -> int:
    from dkdesk.core.settings import load_settings

    try:
        return max(int(load_settings().backups_keep), 1)
    except (TypeError, ValueError):
        return DEFAULT_KEEP


def make_backup(desk: Desk, reason: str, target: Path | None = None, keep: int | None = None) -> Path | None:
    """Write a consistent copy; returns its path (None on a server database: not ours to copy).

    ``reason`` is a short ASCII tag that goes into the file name ("nhap-excel", "khoi-phuc").
    Automatic backups (no ``target``) are rotated: the newest ``keep`` stay (default: the
    ``backups_keep`` setting). The copy is written to a temporary name first, then renamed,
    so a crash never leaves half a backup under a backup's name.
    """
    source = desk.sqlite_path
    if source is None:
        return None
    if target is None:
        folder = backups_dir_for(source)
        _mkdir(folder)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        tag = _SAFE.sub("-", reason.lower()).strip("-") or "sao-luu"
        target = folder / f"dkdesk-{stamp}-{tag}.sqlite"
        _backup_to(source, target)
        rotate(folder, configured_keep() if keep is None else keep)
    else:
        target = Path(target)
        _mkdir(target.parent)
        _backup_to(source, target)
    return target


def _mkdir(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        why = {errno.ENOSPC: "ổ đĩa đã đầy", errno.EROFS: "ổ đĩa chỉ cho đọc"}.get(exc.errno or 0)
        raise Refused(f"Không tạo được thư mục sao lưu {folder}: {why or exc.strerror or exc}. "
                      "Cơ sở dữ liệu không thay đổi.") from exc


def _backup_to(source: Path, target: Path) -> None:
    """Copy to ``<target>.tmp`` then rename; a failure (disk full, no permission) becomes a
    Vietnamese ``Refused`` and leaves neither a partial file nor any change to the database."""
    tmp = target.with_name(target.name + ".tmp")
    try:
        tmp.unlink(missing_ok=True)
        sqlite_backup(source, tmp)
        tmp.replace(target)
    except BaseException as exc:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        if isinstance(exc, (OSError, sqlite3.Error)):
            raise Refused(backup_failed_message(target, exc)) from exc
        raise


def backup_failed_message(target: Path, exc: BaseException) -> str:
    from dkdesk.safety.errors import storage_error_message

    reason = storage_error_message(exc, target.parent)
    if reason is None:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    else:
        reason = reason.split(". ")[0]
    return (f"Không tạo được bản sao lưu {target}: {reason}. "
            "Cơ sở dữ liệu không thay đổi; hãy chọn thư mục khác hoặc giải phóng dung lượng.")


def parse_name(path: Path) -> tuple[datetime, str] | None:
    m = _NAME.match(path.name)
    if not m:
        return None
    try:
        made = datetime.strptime(m.group(1) + (m.group(2) or "000000"), "%Y%m%d-%H%M%S%f")
    except ValueError:
        return None
    return made, m.group(3)


def list_backups(folder: Path) -> list[Path]:
    """Automatic backups, newest first."""
    return [b.path for b in backup_infos(folder)]


def backup_infos(folder: Path) -> list[BackupInfo]:
    """Automatic backups with their time, size and reason, newest first."""
    if not folder.is_dir():
        return []
    out = []
    for p in folder.glob("dkdesk-*.sqlite"):
        parsed = parse_name(p)
        if parsed is None:
            continue
        try:
            size = p.stat().st_size
        except OSError:
            continue
        out.append(BackupInfo(p, parsed[0], size, parsed[1]))
    return sorted(out, key=lambda b: (b.made_at, b.path.name), reverse=True)


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` automatic backups; returns what was removed."""
    removed = []
    for partial in folder.glob("dkdesk-*.sqlite.tmp"):  # a backup interrupted by a crash
        try:
            if partial.stat().st_mtime < time.time() - 3600:
                partial.unlink()
        except OSError:
            pass
    for old in list_backups(folder)[max(keep, 1):]:
        try:
            old.unlink()
            removed.append(old)
        except OSError:
            pass
    return removed


def backup_if_due(desk: Desk, now: datetime | None = None, keep: int | None = None) -> Path | None:
    """The daily backup on exit: made unless one was already made today (or read-only/server)."""
    folder = backups_dir(desk)
    if folder is None or desk.read_only:
        return None
    today = (now or datetime.now()).date()
    if any(b.reason == DAILY_REASON and b.made_at.date() == today for b in backup_infos(folder)):
        return None
    return make_backup(desk, DAILY_REASON, keep=keep)


def format_size(size: int) -> str:
    """ "1,2 MB" / "350 KB" in Vietnamese number style."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
    return f"{max(size // 1024, 1)} KB"


def backup_on_exit(desk: Desk) -> Path | None:
    """``backup_if_due`` that never raises (closing the program must not fail); errors are logged."""
    import logging

    try:
        return backup_if_due(desk)
    except Exception:
        logging.getLogger(__name__).warning("daily backup failed", exc_info=True)
        return None
