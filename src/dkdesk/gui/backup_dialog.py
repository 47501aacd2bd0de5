"""Sao lưu / Khôi phục: the automatic backups, "Sao lưu ngay", restore a chosen backup or file.

``open_backup_dialog(ctx, parent)`` shows the dialog modally. Backups and restores are ops on
the single worker (``gui.ops``, with a progress dialog); the list and the result line change
only after a success; a file that cannot be restored is refused in the dialog (checked
before asking), and after a restore every screen hears ``ctx.notify("restore")``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (QDialog, QFileDialog, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout,
                               QWidget)

from dkdesk.core.desk import Refused
from dkdesk.gui.context import GuiContext
from dkdesk.gui.messages import confirm, show_error
from dkdesk.gui.ops import change, query
from dkdesk.gui.sizing import fit_to_screen
from dkdesk.gui.tasks import BackgroundTask
from dkdesk.gui.uiload import child, load_ui
from dkdesk.gui.views import setup_rows_view
from dkdesk.safety.backup import BackupInfo, backup_infos, backups_dir, format_size, make_backup
from dkdesk.safety.integrity import DatabaseFileInfo
from dkdesk.safety.restore import RestoreResult, check_restore_file, restore

COLUMNS = ("Thời điểm", "Dung lượng", "Lý do")
_Index = QModelIndex | QPersistentModelIndex


class BackupTableModel(QAbstractTableModel):
    """Automatic backups, newest first: date dd/mm/yyyy HH:MM, size, reason."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backups: list[BackupInfo] = []

    def set_backups(self, backups: list[BackupInfo]) -> None:
        self.beginResetModel()
        self.backups = list(backups)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.backups)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.backups)):
            return None
        b = self.backups[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (b.made_at.strftime("%d/%m/%Y %H:%M"), format_size(b.size), b.reason_label)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(b.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return None


class BackupDialog(QDialog):
    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Sao lưu / Khôi phục")
        self.form = load_ui("backup_dialog.ui", self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        self.table = child(self.form, QTableView, "backupTable")
        self.folder_label = child(self.form, QLabel, "folderLabel")
        self.result_label = child(self.form, QLabel, "resultLabel")
        self.backup_button = child(self.form, QPushButton, "backupNowButton")
        self.restore_selected_button = child(self.form, QPushButton, "restoreSelectedButton")
        self.restore_file_button = child(self.form, QPushButton, "restoreFileButton")
        close_button = child(self.form, QPushButton, "closeButton")
        self.model = BackupTableModel(self)
        setup_rows_view(self.table, self.model, alternating=False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_selected_button.clicked.connect(self.restore_selected)
        self.restore_file_button.clicked.connect(self.choose_file)
        close_button.clicked.connect(self.accept)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.task: BackgroundTask | None = None  # the last backup or restore
        fit_to_screen(self, 720, 440)
        self.refresh()

    # -- state --------------------------------------------------------------------------
    def refresh(self) -> None:
        desk = self.ctx.desk
        folder = backups_dir(desk)
        if folder is None:
            self.folder_label.setText("Cơ sở dữ liệu máy chủ (PostgreSQL): hãy sao lưu bằng công cụ của máy chủ "
                                      "(pg_dump). dkdesk chỉ sao lưu cơ sở dữ liệu SQLite.")
            self.model.set_backups([])
        else:
            self.folder_label.setText(f"Các bản sao lưu tự động (giữ {self.ctx.settings.backups_keep} bản mới nhất) "
                                      f"trong thư mục:<br><b>{folder}</b>")
            self.model.set_backups(backup_infos(folder))
        self._update_buttons()

    def _update_buttons(self) -> None:
        sqlite = self.ctx.desk.sqlite_path is not None
        writable = sqlite and not (self.ctx.read_only or self.ctx.desk.read_only)
        self.backup_button.setEnabled(sqlite)
        self.restore_file_button.setEnabled(writable)
        self.restore_selected_button.setEnabled(writable and self.selected() is not None)
        if sqlite and not writable:
            tip = self.ctx.desk.read_only_reason or "Cơ sở dữ liệu đang mở ở chế độ chỉ đọc."
            self.restore_file_button.setToolTip(tip)
            self.restore_selected_button.setToolTip(tip)

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.backups[rows[0].row()]

    def _say(self, text: str, error: bool = False) -> None:
        self.result_label.setStyleSheet("color: #b00020;" if error else "color: #1b5e20;")
        self.result_label.setText(text)

    # -- actions ------------------------------------------------------------------------
    def backup_now(self) -> None:
        def done(path: Path | None) -> None:
            self.refresh()
            self._say(f"Đã sao lưu vào {path}.")

        self.task = query(self, self.ctx, lambda desk, _progress: make_backup(desk, "thu-cong"), title="Sao lưu") \
            .with_progress("Đang sao lưu cơ sở dữ liệu...").success(done).run()

    def restore_selected(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.restore_from(chosen.path, f"bản sao lưu lúc {chosen.made_at:%H:%M ngày %d/%m/%Y}")

    def choose_file(self) -> None:
        folder = backups_dir(self.ctx.desk)
        name, _ = QFileDialog.getOpenFileName(self, "Chọn tệp sao lưu", str(folder or ""),
                                              "Cơ sở dữ liệu dkdesk (*.sqlite *.db);;Tất cả các tệp (*)")
        if name:
            self.restore_from(Path(name), f"tệp {Path(name).name}")

    def restore_from(self, path: Path, what: str) -> None:
        """Check the file on the worker (refusal shown here, nothing changed), ask, then restore
        in the background. The check builds the expected schema from the migrations, which takes
        a moment: the dialog stays responsive meanwhile."""
        def checked(info: DatabaseFileInfo) -> None:
            if confirm(self, "Khôi phục dữ liệu",
                       f"Thay toàn bộ dữ liệu hiện tại bằng {what} ({info.n_values} số liệu)?\n\n"
                       "Dữ liệu hiện tại sẽ được sao lưu trước khi thay, có thể khôi phục lại.",
                       yes="Khôi phục"):
                self._restore(path, what)

        def refused(exc: BaseException) -> None:
            if isinstance(exc, Refused):
                self._say(str(exc), error=True)
            else:
                show_error(self, "Khôi phục", exc)

        self.task = query(self, self.ctx, lambda _desk, _progress: check_restore_file(path), title="Khôi phục") \
            .with_progress("Đang kiểm tra tệp sao lưu...").success(checked).failure(refused).run()

    def _restore(self, path: Path, what: str) -> None:
        def done(result: RestoreResult) -> None:  # every screen has heard "restore" (the op announces it)
            self.refresh()
            kept = f" Dữ liệu trước đó được giữ ở {result.previous_copy.name}." if result.previous_copy else ""
            self._say(f"Đã khôi phục từ {what}.{kept}")

        self.task = change(self, self.ctx, lambda desk, _progress: restore(desk, path), kind="restore", title="Khôi phục") \
            .with_progress("Đang khôi phục dữ liệu...").success(done).run()


def open_backup_dialog(ctx: GuiContext, parent: QWidget | None = None) -> BackupDialog:
    dialog = BackupDialog(ctx, parent)
    dialog.exec()
    return dialog
