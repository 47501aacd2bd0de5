"""Integrity checks: ``quick_check`` when a database opens, a full check of a file to restore.

``check_path(path)`` (``check_on_open(engine)``) raises ``DamagedDatabase`` (a Vietnamese
``DatabaseError``) when the SQLite file fails ``PRAGMA quick_check`` or is not a database at
all. ``inspect_file(path)`` returns ``DatabaseFileInfo`` for a dkdesk database this version can open (or migrate) and
raises ``BadBackupFile`` (Vietnamese) for anything else: junk, a foreign SQLite, a damaged
file, a newer schema, a schema with a table, column, index or audit trigger missing or changed
(``safety.schema``: compared with what this version's migrations make for that revision).
Neither ever changes the file it looks at.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dkdesk.safety.schema import expected_schema, read_schema, schema_problems
from dkdesk.storage import database
from dkdesk.storage.database import DatabaseError

if TYPE_CHECKING:
    from sqlalchemy import Engine

SQLITE_HEADER = b"SQLite format 3\x00"


class DamagedDatabase(DatabaseError):
    """The database file is damaged; ``path`` says which one (restore from a backup)."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


class BadBackupFile(ValueError):
    """A file that cannot be restored; the message is Vietnamese. Nothing was changed."""


@dataclass(frozen=True)
class DatabaseFileInfo:
    path: Path
    size: int
    revision: str
    needs_migration: bool
    created_at: str
    n_values: int


def damaged_message(path: Path, detail: str) -> str:
    return (f"Cơ sở dữ liệu {path} bị hỏng ({detail}). Không thể dùng tiếp tệp này. "
            "Hãy khôi phục bản sao lưu gần nhất: trong giao diện chọn Khôi phục khi được hỏi, "
            f'hoặc dùng lệnh "dkdesk restore TỆP_SAO_LƯU" (các bản sao lưu nằm ở {path.parent / "backups"}).')


def check_on_open(engine: Engine) -> None:
    """``check_path`` for the SQLite file under ``engine`` (nothing for a server database)."""
    path = database.sqlite_path(str(engine.url))
    if path is not None:
        check_path(path)


def check_path(path: Path) -> None:
    """``PRAGMA quick_check`` on an existing SQLite file, through a plain connection that
    changes nothing (no pragma of ours); raises DamagedDatabase when it fails."""
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as f:
            header = f.read(16)
    except OSError as exc:
        raise DatabaseError(f"Không đọc được tệp cơ sở dữ liệu {path}: {exc.strerror or exc}") from exc
    if header != SQLITE_HEADER:
        raise DamagedDatabase(damaged_message(path, "phần đầu tệp không phải của một cơ sở dữ liệu SQLite; "
                                                    "đây không phải cơ sở dữ liệu dkdesk hoặc tệp đã hỏng"), path)
    try:
        if database.read_only_location(path):  # a write-protected USB stick, a read-only folder
            conn = sqlite3.connect(database.read_only_uri(path), uri=True, timeout=15)
        else:
            conn = sqlite3.connect(str(path), timeout=15)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
        finally:
            conn.close()
    except sqlite3.Error as exc:  # "file is not a database", "database disk image is malformed"
        text = str(exc).lower()
        if not any(word in text for word in ("malformed", "not a database", "corrupt")):
            raise DatabaseError(open_failed_message(path, exc)) from exc
        raise DamagedDatabase(damaged_message(path, _short(exc)), path) from exc
    if rows != ["ok"]:
        raise DamagedDatabase(damaged_message(path, "; ".join(map(str, rows[:3]))), path)


def open_failed_message(path: Path, exc: BaseException) -> str:
    """Why an existing database could not even be read: a full disk, busy, or another cause."""
    from dkdesk.safety.errors import disk_full

    text = str(exc).lower()
    if disk_full(path) and ("disk i/o error" in text or "disk is full" in text):
        return (f"Ổ đĩa chứa cơ sở dữ liệu {path} đã đầy nên không mở được (SQLite cần chỗ trống cho các "
                "tệp phụ -wal/-shm). Hãy giải phóng dung lượng trên ổ đó rồi mở lại; số liệu đã lưu không bị "
                "thay đổi.")
    if "locked" in text or "busy" in text:
        return (f"Không kiểm tra được cơ sở dữ liệu {path}: một chương trình khác đang ghi. "
                "Hãy thử lại sau ít phút.")
    return f"Không kiểm tra được cơ sở dữ liệu {path}: {_short(exc)}."


def _short(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).splitlines()[0][:200]


def open_readonly(path: Path) -> sqlite3.Connection:
    """A connection that never writes to ``path`` (nor creates -wal/-shm files next to it)."""
    return sqlite3.connect(database.sqlite_uri(path.resolve(), "immutable=1"), uri=True)


def inspect_file(path: Path) -> DatabaseFileInfo:
    """Check a file to restore: SQLite header, integrity, dkdesk meta, a known schema revision,
    and the whole schema (tables, columns, indexes, audit triggers) of that revision."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise BadBackupFile(f"Không tìm thấy tệp {path}.")
    try:
        with path.open("rb") as f:
            header = f.read(16)
        size = path.stat().st_size
    except OSError as exc:
        raise BadBackupFile(f"Không đọc được tệp {name}: {exc.strerror or exc}.") from exc
    if header != SQLITE_HEADER:
        raise BadBackupFile(f"Tệp {name} không phải cơ sở dữ liệu dkdesk (không phải tệp SQLite).")
    try:
        conn = open_readonly(path)
    except sqlite3.Error as exc:
        raise BadBackupFile(f"Không mở được tệp {name}: {exc}.") from exc
    try:
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        except sqlite3.Error as exc:
            raise BadBackupFile(f"Tệp {name} bị hỏng ({exc}); không thể khôi phục từ tệp này.") from exc
        if rows != ["ok"]:
            raise BadBackupFile(f"Tệp {name} bị hỏng (kiểm tra toàn vẹn: {'; '.join(rows[:2])}); "
                                "không thể khôi phục từ tệp này.")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        app = None
        if "meta" in tables:
            row = conn.execute("SELECT value FROM meta WHERE key='application'").fetchone()
            app = row[0] if row else None
        if app != database.APPLICATION_ID or "alembic_version" not in tables:
            raise BadBackupFile(f"Tệp {name} là cơ sở dữ liệu SQLite nhưng không phải của dkdesk.")
        revision = (conn.execute("SELECT version_num FROM alembic_version").fetchone() or [None])[0]
        created = conn.execute("SELECT value FROM meta WHERE key='created_at'").fetchone()
        n_values = conn.execute("SELECT count(*) FROM field_values").fetchone()[0] \
            if "field_values" in tables else 0
        actual = read_schema(conn)
    finally:
        conn.close()
    if not known_revision(revision):
        raise BadBackupFile(f"Tệp {name} được tạo bởi phiên bản dkdesk mới hơn (lược đồ {revision}); "
                            "phiên bản này không mở được. Hãy cập nhật dkdesk rồi khôi phục.")
    problems = schema_problems(actual, expected_schema(str(revision)))
    if problems:
        shown = "; ".join(problems[:12]) + (f"; và {len(problems) - 12} chỗ khác" if len(problems) > 12 else "")
        raise BadBackupFile(f"Tệp {name} là cơ sở dữ liệu dkdesk nhưng lược đồ không đầy đủ hoặc không đúng "
                            f"với lược đồ {revision} của phiên bản này: {shown}. Không thể khôi phục từ tệp này.")
    return DatabaseFileInfo(path, size, str(revision), revision != database.head_revision(),
                            created[0] if created else "", int(n_values))


def known_revision(revision: object) -> bool:
    """Is ``revision`` one of this version's migrations (so it can be opened or upgraded)?"""
    if not isinstance(revision, str) or not revision:
        return False
    files = getattr(database, "known_revisions", None)  # fast path: read from the files
    if files is not None:
        return revision in files()
    from alembic.script import ScriptDirectory

    try:
        return ScriptDirectory(str(database.MIGRATIONS_DIR)).get_revision(revision) is not None
    except Exception:
        return False
