"""Storage errors a person can act on (disk full, read-only medium, damaged file) in Vietnamese.

``storage_error_message(exc)`` maps an exception raised by SQLite (directly or wrapped by
SQLAlchemy) to a Vietnamese sentence, or returns None when it is not such an error. The core
turns the sentence into ``Refused``: the transaction has been rolled back, nothing was written.
"""
from __future__ import annotations

import errno
import sqlite3

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


def storage_error_message(exc: BaseException) -> str | None:
    """A Vietnamese explanation ending with "nothing was saved", or None if not a storage error."""
    text = _sqlite_text(exc)
    if text is None:
        return None
    for needles, message in _PATTERNS:
        if any(n in text for n in needles):
            return f"{message} {NOTHING_CHANGED}"
    return None
