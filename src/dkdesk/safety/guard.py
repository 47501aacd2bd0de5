"""What ``Desk.open`` does for safety: integrity check, the writer lock, the read-only mode.

``check_before_open(db)`` runs ``quick_check`` on the file before anything else opens it;
``before_migrate(engine)`` takes the writer lock (SQLite files only);
``after_open(engine, lock, who)`` returns why the desk must be read-only — the drive, folder or
file cannot be written, or another dkdesk holds the writer lock — or records this process as the
writer (``Desk.open`` applies the answer: this module never touches a Desk). Server databases
(PostgreSQL) handle concurrent writers themselves and get no lock.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from dkdesk.safety.integrity import check_path
from dkdesk.safety.lock import Holder, SharedLock
from dkdesk.storage import database
from dkdesk.storage.database import DatabaseError

if TYPE_CHECKING:
    from sqlalchemy import Engine


def check_before_open(db: str | Path) -> None:
    """``quick_check`` of an existing SQLite database before any engine touches it (a
    damaged file raises DamagedDatabase; the file is not changed)."""
    path = database.sqlite_path(database.resolve_url(db))
    if path is not None and path.parent.exists():
        check_path(path)


def before_migrate(engine: Engine) -> SharedLock | None:
    """The writer lock. Returns it (held or not) or None for a server database."""
    path = database.sqlite_path(str(engine.url))
    if path is None:
        return None
    lock = SharedLock(path)
    if not lock.writer and path.exists():
        try:
            current, head = database.current_revision(engine), database.head_revision()
        except Exception:
            current = head = None
        if current is not None and current != head:
            raise DatabaseError(f"Cơ sở dữ liệu {path} cần nâng cấp nhưng đang được một dkdesk khác mở "
                                f"({holder_text(lock)}). Hãy đóng chương trình đó rồi mở lại.")
    return lock


def holder_text(lock: SharedLock) -> str:
    holder = lock.holder()
    return holder.describe() if holder else "một chương trình dkdesk khác"


def read_only_reason(lock: SharedLock) -> str:
    return (f"Cơ sở dữ liệu đang được mở bởi {holder_text(lock)}. Chương trình này chỉ được xem, "
            "không được ghi, cho tới khi chương trình kia đóng.")


def after_open(engine: Engine, lock: SharedLock | None, who: str) -> str:
    """Why the desk must be read-only: the file lies where nothing can be written
    (``database.read_only_reason``) or another dkdesk holds the writer lock; an empty text when
    this process is the writer (its holder record is then written, naming ``who``)."""
    medium = database.read_only_reason(engine)
    if medium:
        return medium
    if lock is None:
        return ""
    if lock.writer:
        me = Holder.me()
        lock.write_holder(Holder(who or me.user, me.host, me.pid, me.since))
        return ""
    return read_only_reason(lock)
