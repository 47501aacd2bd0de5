"""What ``Desk.open`` does for safety: integrity check, the writer lock, the read-only mode.

``before_migrate(engine)`` runs ``quick_check`` and takes the writer lock (SQLite files only);
``after_open(desk, lock)`` either records this process as the writer in ``meta`` or turns
the desk read-only with a reason naming the other writer. Server databases (PostgreSQL) handle
concurrent writers themselves and get neither.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine, text

from dkdesk.safety.integrity import check_on_open
from dkdesk.safety.lock import WRITER_KEY, DbLock, Holder
from dkdesk.storage import database
from dkdesk.storage.database import DatabaseError

if TYPE_CHECKING:
    from dkdesk.core.desk import Desk


def before_migrate(engine: Engine) -> DbLock | None:
    """Integrity check and writer lock. Returns the lock (held or not) or None for a server."""
    path = database.sqlite_path(str(engine.url))
    if path is None:
        return None
    check_on_open(engine)
    lock = DbLock(path)
    if not lock.acquire() and path.exists():
        try:
            current, head = database.current_revision(engine), database.head_revision()
        except Exception:
            current = head = None
        if current is not None and current != head:
            raise DatabaseError(f"Cơ sở dữ liệu {path} cần nâng cấp nhưng đang được một dkdesk khác mở "
                                f"({holder_text(engine)}). Hãy đóng chương trình đó rồi mở lại.")
    return lock


def holder_text(engine: Engine) -> str:
    try:
        with engine.connect() as conn:
            raw = conn.execute(text("SELECT value FROM meta WHERE key = :k"), {"k": WRITER_KEY}).scalar()
    except Exception:
        raw = None
    holder = Holder.from_json(raw)
    return holder.describe() if holder else "một chương trình dkdesk khác"


def read_only_reason(engine: Engine) -> str:
    return (f"Cơ sở dữ liệu đang được mở bởi {holder_text(engine)}. Chương trình này chỉ được xem, "
            "không được ghi, cho tới khi chương trình kia đóng.")


def after_open(desk: "Desk", lock: DbLock | None) -> None:
    """Record this process as the writer, or make the desk read-only when another one is."""
    desk._lock = lock
    if lock is None:
        return
    if not lock.held:
        desk.read_only = True
        desk.read_only_reason = read_only_reason(desk.engine)
        return
    claim_writer(desk)


def claim_writer(desk: "Desk") -> None:
    """Write who holds the writer lock into ``meta`` (best effort)."""
    from dkdesk.storage.models import Meta

    try:
        with desk.write() as s:
            s.merge(Meta(key=WRITER_KEY, value=Holder.me().to_json()))
    except Exception:  # a read-only file: nothing can be written anyway, the writes will say so
        pass
