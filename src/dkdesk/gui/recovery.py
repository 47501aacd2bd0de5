"""When the database cannot be opened at start-up: explain in Vietnamese and, for a damaged
file, offer to restore the latest good backup. Never a traceback."""
from __future__ import annotations

from typing import Callable, TypeVar

from PySide6.QtWidgets import QMessageBox, QWidget

from dkdesk import APP_TITLE
from dkdesk.gui.messages import confirm, describe

T = TypeVar("T")


def recover_on_start(exc: BaseException, reopen: Callable[[], T], parent: QWidget | None = None) -> T | None:
    """Handle a start-up failure. Returns what ``reopen()`` built after a successful recovery,
    or None (the person has been told why the program cannot start)."""
    from dkdesk.safety.integrity import DamagedDatabase
    from dkdesk.safety.restore import latest_good_backup, recover_damaged

    if not isinstance(exc, DamagedDatabase) or exc.path is None:
        QMessageBox.critical(parent, APP_TITLE, describe(exc))
        return None
    backup = latest_good_backup(exc.path)
    if backup is None:
        QMessageBox.critical(parent, APP_TITLE, f"{exc}\n\nKhông tìm thấy bản sao lưu dùng được trong "
                                                f"{exc.path.parent / 'backups'}.")
        return None
    if not confirm(parent, APP_TITLE,
                   f"{exc}\n\nKhôi phục bản sao lưu tốt gần nhất ({backup.name})? Tệp bị hỏng được giữ lại "
                   "bên cạnh, không bị xóa.", yes="Khôi phục", no="Thoát"):
        return None
    try:
        damaged = recover_damaged(exc.path, backup)
        window = reopen()
    except Exception as again:
        QMessageBox.critical(parent, APP_TITLE, describe(again))
        return None
    desk = getattr(getattr(window, "ctx", None), "desk", None)
    if desk is not None:
        from dkdesk.safety.restore import record_restore

        try:
            record_restore(desk, backup, damaged)
        except Exception:
            pass
    return window
