"""Storage errors a person can act on (disk full, read-only medium, damaged file) in Vietnamese.

``storage_error_message(exc)`` maps an exception raised by SQLite (directly or wrapped by
SQLAlchemy) to a Vietnamese sentence, or returns None when it is not such an error. The core
turns the sentence into ``Refused``: the transaction has been rolled back, nothing was written.
"""
from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path

NOTHING_CHANGED = "Không có gì được lưu; số liệu đã lưu giữ nguyên như trước."

_PATTERNS: list[tuple[tuple[str, ...], str]] = [
    (("database or disk is full", "disk i/o error: no space", "no space left"),
     "Ổ đĩa chứa cơ sở dữ liệu đã đầy, không ghi được. Hãy giải phóng dung lượng rồi thử lại."),
    (("attempt to write a readonly database", "readonly database", "read-only file system"),
     "Cơ sở dữ liệu hoặc thư mục chứa nó chỉ cho đọc, không ghi được. "
     "Hãy kiểm tra quyền ghi (hoặc thẻ nhớ/USB đang khóa ghi)."),
    (("unable to open database file",),
     "Không mở được tệp cơ sở dữ liệu để ghi (thư mục không tồn tại hoặc không có quyền)."),
    (("disk i/o error",),
     "Lỗi đọc/ghi ổ đĩa khi lưu (ổ mạng bị ngắt hoặc ổ đĩa hỏng)."),
    (("database disk image is malformed", "file is not a database"),
     "Tệp cơ sở dữ liệu bị hỏng. Hãy khôi phục từ bản sao lưu (Tệp > Sao lưu / Khôi phục)."),
    (("database is locked", "database table is locked"),
     "Cơ sở dữ liệu đang bận vì một chương trình khác đang ghi; hãy thử lại sau ít phút."),
]


_SQLSTATE_TEXT = {  # PostgreSQL error codes that mean the same to a person
    "53100": "database or disk is full",  # disk_full
    "53200": "database or disk is full",  # out_of_memory on the server
    "25006": "attempt to write a readonly database",  # read_only_sql_transaction
}


def _sqlite_text(exc: BaseException) -> str | None:
    """The database's message behind ``exc`` (or its SQLAlchemy wrapper), lower-cased.

    Only the exception itself and its ``orig`` are looked at (not the context chain), so a
    refusal raised by application code is never rewritten."""
    for candidate in (getattr(exc, "orig", None), exc):
        if isinstance(candidate, sqlite3.Error):
            return str(candidate).lower()
        code = getattr(candidate, "sqlstate", None)
        if isinstance(code, str) and code in _SQLSTATE_TEXT:
            return _SQLSTATE_TEXT[code]
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return "no space left"
    return None


LOW_SPACE = 1 << 20  # below this, an "I/O error" on the disk means it is full


def disk_full(where: Path | None) -> bool:
    """Is the disk holding ``where`` (a file or folder) full, or nearly (< 1 MB free)?"""
    if where is None:
        return False
    folder = where if where.is_dir() else where.parent
    try:
        return shutil.disk_usage(folder).free < LOW_SPACE
    except OSError:
        return False


def storage_error_message(exc: BaseException, where: Path | None = None) -> str | None:
    """A Vietnamese explanation ending with "nothing was saved", or None if not a storage error.

    ``where``: the database (or backup) file; SQLite reports a full disk as "disk I/O error"
    when it cannot grow its -shm/-wal side files, so that error on a full disk says so."""
    text = _sqlite_text(exc)
    if text is None:
        return None
    if "disk i/o error" in text and disk_full(where):
        text = "database or disk is full"
    for needles, message in _PATTERNS:
        if any(n in text for n in needles):
            return f"{message} {NOTHING_CHANGED}"
    return None
