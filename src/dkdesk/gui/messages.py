"""Vietnamese message boxes; turns any exception into a readable message, never a traceback."""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def describe(exc: BaseException) -> str:
    from dkdesk.catalogue.loader import PlanError
    from dkdesk.core.records import Refused
    from dkdesk.core.validation import ValidationFailed
    from dkdesk.storage.database import DatabaseError

    if isinstance(exc, ValidationFailed):
        return "\n".join(str(e) for e in exc.errors) + "\n\nKhông có gì được lưu."
    if isinstance(exc, (Refused, PlanError, DatabaseError)):
        return str(exc)
    if isinstance(exc, PermissionError):
        return (f"Không ghi được {exc.filename or exc}: tệp đang mở trong một chương trình khác (Excel, Word...) "
                "hoặc không có quyền ghi. Đóng tệp đó rồi thử lại. Dữ liệu đã lưu không thay đổi.")
    if isinstance(exc, OSError):
        return f"Lỗi đọc/ghi tệp: {exc.strerror or exc} ({exc.filename or ''}). Dữ liệu đã lưu không thay đổi."
    from dkdesk.logs import log_exception

    path = log_exception(exc)
    if _database_busy(exc):
        return ("Cơ sở dữ liệu đang bận (một chương trình khác đang ghi vào nó). Chưa có gì thay đổi; "
                f"thử lại sau giây lát. Chi tiết kỹ thuật được ghi ở {path}.")
    return (f"Lỗi không mong đợi: {type(exc).__name__}: {exc}\n\nDữ liệu đã lưu không bị thay đổi. "
            f"Chi tiết kỹ thuật được ghi ở {path}.")


def _database_busy(exc: BaseException) -> bool:
    """SQLite's "database is locked" / "database is busy" (the database library is not imported for it)."""
    return type(exc).__module__.startswith("sqlalchemy") and any(
        w in str(exc).lower() for w in ("database is locked", "database is busy"))


def show_error(parent: QWidget | None, title: str, exc: BaseException | str) -> None:
    text = exc if isinstance(exc, str) else describe(exc)
    QMessageBox.warning(parent, title, text)


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def confirm(parent: QWidget | None, title: str, text: str, yes: str = "Đồng ý", no: str = "Hủy") -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    ok = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(ok)
    box.exec()
    return box.clickedButton() is ok
