"""The Báo cáo dialog: choose a period and output files, make the reports in the background,
open them when done. ``open_report_dialog(ctx, parent, period)`` is what the Tổng quan tab's
``make_report()`` (and the main window's Báo cáo action) calls.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dkdesk.gui.context import GuiContext
from dkdesk.gui.messages import show_error
from dkdesk.gui.ops import query
from dkdesk.gui.tasks import BackgroundTask, Progress
from dkdesk.gui.uiload import load_ui
from dkdesk.reports.output import ReportFiles, default_name, make_reports

if TYPE_CHECKING:
    from dkdesk.core.desk import Desk


def documents_dir() -> Path:
    """The user's Documents folder (the home folder when there is none)."""
    where = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    path = Path(where) if where else Path.home()
    return path if path.is_dir() else Path.home()


def open_file(path: Path) -> None:
    """Open a produced file with the program the system associates with it."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class ReportDialog(QDialog):
    def __init__(self, ctx: GuiContext, parent: QWidget | None = None, period: str | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result_files: ReportFiles | None = None
        self.task: BackgroundTask | None = None
        self.setWindowTitle("Lập báo cáo tổng hợp")
        self.setMinimumWidth(680)
        layout = QVBoxLayout(self)
        form = load_ui("report_dialog.ui", self)
        layout.addWidget(form)
        self.period_combo: QComboBox = form.findChild(QComboBox, "periodCombo")
        self.xlsx_edit: QLineEdit = form.findChild(QLineEdit, "xlsxEdit")
        self.docx_edit: QLineEdit = form.findChild(QLineEdit, "docxEdit")
        self.docx_check: QCheckBox = form.findChild(QCheckBox, "docxCheck")
        self.open_check: QCheckBox = form.findChild(QCheckBox, "openCheck")
        self.status_label: QLabel = form.findChild(QLabel, "statusLabel")
        self.year_end_button: QPushButton = form.findChild(QPushButton, "yearEndButton")
        self.year_end_hint: QLabel = form.findChild(QLabel, "yearEndHint")
        self.buttons = QDialogButtonBox(self)
        self.run_button = self.buttons.addButton("&Lập báo cáo", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        self.run_button.setDefault(True)
        layout.addWidget(self.buttons)

        for p in ctx.desk.plan.periods:
            self.period_combo.addItem(f"{p.name} ({p.code})", p.code)
        period = period or ctx.period.code  # opens on the working period; another choice here is for this report only
        if period and ctx.desk.plan.has_period(period):
            self.period_combo.setCurrentIndex(self.period_combo.findData(period))
        self._auto_names: tuple[str, str] = ("", "")
        self._fill_names()
        self.period_combo.currentIndexChanged.connect(self._fill_names)
        self.docx_check.toggled.connect(self.docx_edit.setEnabled)
        form.findChild(QPushButton, "xlsxBrowse").clicked.connect(lambda: self._browse(self.xlsx_edit, "xlsx"))
        form.findChild(QPushButton, "docxBrowse").clicked.connect(lambda: self._browse(self.docx_edit, "docx"))
        self.year_end_button.clicked.connect(self.prepare_year_end)
        self.buttons.accepted.connect(self.run)
        self.buttons.rejected.connect(self.reject)

    @property
    def period(self) -> str:
        return str(self.period_combo.currentData())

    def _fill_names(self) -> None:
        """Default names in Documents; a path the person typed or chose is kept (its folder too)."""
        folder = documents_dir()
        for edit, kind, auto in ((self.xlsx_edit, "xlsx", self._auto_names[0]),
                                 (self.docx_edit, "docx", self._auto_names[1])):
            current = edit.text().strip()
            if current and current != auto:
                continue
            if current:
                folder = Path(current).parent
            edit.setText(str(folder / default_name(self.period, kind)))
        self._auto_names = (self.xlsx_edit.text(), self.docx_edit.text())
        annual = self.ctx.desk.plan.period(self.period).kind == "Y"
        self.year_end_button.setVisible(annual)
        self.year_end_hint.setVisible(annual)

    def _browse(self, edit: QLineEdit, kind: str) -> None:
        pattern = "Bảng tính Excel (*.xlsx)" if kind == "xlsx" else "Văn bản Word (*.docx)"
        path, _ = QFileDialog.getSaveFileName(self, "Lưu báo cáo", edit.text(), pattern)
        if path:
            if not path.lower().endswith(f".{kind}"):
                path += f".{kind}"
            edit.setText(path)

    def run(self) -> None:
        xlsx = Path(self.xlsx_edit.text().strip()) if self.xlsx_edit.text().strip() else None
        docx = Path(self.docx_edit.text().strip()) if self.docx_check.isChecked() and self.docx_edit.text().strip() else None
        period = self.period
        self.run_button.setEnabled(False)
        self.status_label.setText("Đang lập báo cáo...")

        def work(desk: Desk, progress: Progress) -> ReportFiles:  # on the worker thread, touches no widget
            return make_reports(desk, period, xlsx, docx, progress=progress.report)

        def done(files: ReportFiles) -> None:
            self.run_button.setEnabled(True)
            self.result_files = files
            written = [p for p in (files.xlsx, files.docx) if p is not None]
            self.status_label.setText("Đã ghi:\n" + "\n".join(str(p) for p in written))
            if self.open_check.isChecked():
                for p in written:
                    open_file(p)
            self.accept()

        def failed(exc: BaseException) -> None:
            self.run_button.setEnabled(True)
            self.status_label.setText("")
            show_error(self, "Lập báo cáo", exc)

        def cancelled() -> None:
            self.run_button.setEnabled(True)
            self.status_label.setText("Đã hủy lập báo cáo; tệp đang ghi dở không được giữ lại.")

        self.task = query(self, self.ctx, work, title="Lập báo cáo").with_progress("Đang đọc số liệu...") \
            .success(done).failure(failed).cancelled(cancelled).run()

    def prepare_year_end(self) -> None:
        """Read the proposals on the worker; the dialog opens only when they were read (a refusal
        is shown, never a traceback)."""
        from dkdesk.gui.year_end_dialog import open_year_end_dialog
        from dkdesk.reports import year_end

        period = self.period

        def read(rows: list[year_end.CarryRow]) -> None:
            open_year_end_dialog(self.ctx, self, period, rows)

        query(self, self.ctx, lambda desk: year_end.preview(desk, period), title="Chuẩn bị số liệu cả năm") \
            .success(read).run()


def open_report_dialog(ctx: GuiContext, parent: QWidget | None = None, period: str | None = None) -> ReportDialog:
    """Show the Báo cáo dialog (modal) and return it (its ``result_files`` after success)."""
    dialog = ReportDialog(ctx, parent, period)
    dialog.exec()
    return dialog
