"""When the database cannot be opened at start-up: explain in Vietnamese and, for a damaged
file, offer to restore the latest good backup. Never a traceback.

The question is asked on the GUI thread (``choose_recovery``); the restore and the reopening run
on the worker (``recover_and_open``, started by ``gui.startup.start_recovering``)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from dkdesk import APP_TITLE
from dkdesk.gui.messages import confirm, describe

if TYPE_CHECKING:
    from dkdesk.core.desk import Desk


def choose_recovery(exc: BaseException, parent: QWidget | None = None) -> Path | None:
    """Explain a start-up failure (GUI thread). For a damaged file with a good backup, ask whether
    to restore it: returns that backup, or None (the person has been told why the program cannot start)."""
    from dkdesk.safety.integrity import DamagedDatabase
    from dkdesk.safety.restore import latest_good_backup

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
    return backup


def recover_and_open(damaged: Path, backup: Path, open_desk: Callable[[], Desk]) -> Desk:
    """The worker's part (no widget): put the backup in place of the damaged file (kept beside),
    open the Desk over it and record the restore in the journal."""
    from dkdesk.safety.restore import record_restore, recover_damaged

    kept = recover_damaged(damaged, backup)
    desk = open_desk()
    try:
        record_restore(desk, backup, kept)
    except Exception:  # the figures are back; a journal line that cannot be written must not hide them
        pass
    return desk
