"""Storage errors a person can act on (disk full, read-only medium, damaged file) in Vietnamese.

``storage_error_message(exc)`` maps an exception raised by SQLite (directly or wrapped by
SQLAlchemy) to a Vietnamese sentence, or returns None when it is not such an error. The core
turns the sentence into ``Refused``: the transaction has been rolled back, nothing was written.
"""
from __future__ import annotations

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


def _sqlite_text(exc: BaseException) -> str | None:
    """The SQLite message behind ``exc`` (or its SQLAlchemy wrapper), lower-cased."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        orig = getattr(cur, "orig", None)
        if isinstance(orig, sqlite3.Error):
            return str(orig).lower()
        if isinstance(cur, sqlite3.Error):
            return str(cur).lower()
        if isinstance(cur, OSError) and cur.errno == 28:  # ENOSPC
            return "no space left"
        cur = cur.__cause__ or cur.__context__
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
