"""The Báo cáo dialog: choose a period and output files, make the reports in the background,
then say where each file went (buttons open the file or its folder). A file that is already
there is overwritten only after the person said so; the folder is remembered (``Settings``);
a file that cannot be opened (no program for it) is told, never passed over in silence.
``open_report_dialog(ctx, parent, period)`` is what the Tổng quan tab's ``make_report()``
(and the main window's Báo cáo action) calls.
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
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dkdesk.core.settings import save_settings
from dkdesk.gui.context import GuiContext
from dkdesk.gui.messages import confirm, show_error
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


def open_file(path: Path) -> bool:
    """Open a produced file (or a folder) with the program the system associates with it;
    False when the system has none or refused."""
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))


PROGRAMS = {".xlsx": "Microsoft Excel, LibreOffice Calc hoặc WPS Spreadsheets",
            ".docx": "Microsoft Word, LibreOffice Writer hoặc WPS Writer"}
KINDS = {".xlsx": "Bảng tổng hợp", ".docx": "Dự thảo báo cáo"}


def not_opened(path: Path) -> str:
    """Why a produced file (or folder) did not open, in Vietnamese, and where it is."""
    if path.is_dir():
        return f'Không mở được thư mục "{path}". Có thể mở thư mục đó bằng File Explorer.'
    program = PROGRAMS.get(path.suffix.lower(), "một chương trình mở được loại tệp này")
    return (f'Tệp "{path.name}" đã được ghi nhưng không mở được: máy này chưa có chương trình mở tệp '
            f"{path.suffix.lower()} ({program}), hoặc chương trình đó từ chối mở. Tệp nằm ở "
            f'"{path.parent}"; có thể chép sang máy khác hoặc cài một trong các chương trình trên để mở.')


def folder_of(*paths: Path | None) -> Path | None:
    """The folder of the first path given."""
    return next((p.parent for p in paths if p is not None), None)


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
        self.result_panel: QFrame = form.findChild(QFrame, "resultPanel")
        self.result_label: QLabel = form.findChild(QLabel, "resultLabel")
        self.open_xlsx_button: QPushButton = form.findChild(QPushButton, "openXlsxButton")
        self.open_docx_button: QPushButton = form.findChild(QPushButton, "openDocxButton")
        self.open_folder_button: QPushButton = form.findChild(QPushButton, "openFolderButton")
        self.buttons = QDialogButtonBox(self)
        self.run_button = self.buttons.addButton("&Lập báo cáo", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        self.run_button.setDefault(True)
        layout.addWidget(self.buttons)

        for p in ctx.desk.plan.periods:
            self.period_combo.addItem(f"{p.name} ({p.code})", p.code)
        period = period or ctx.period.code  # opens on the working period; another choice here is for this report only
        if period and ctx.desk.plan.has_period(period):
            self.period_combo.setCurrentIndex(self.period_combo.findData(period))
        self._auto_names: tuple[str, str] = ("", "")
        self._chosen: set[Path] = set()  # picked in the save dialog, which asked about overwriting
        self._fill_names()
        self.period_combo.currentIndexChanged.connect(self._fill_names)
        self.docx_check.toggled.connect(self.docx_edit.setEnabled)
        self.xlsx_browse: QPushButton = form.findChild(QPushButton, "xlsxBrowse")
        self.xlsx_browse.clicked.connect(lambda: self._browse(self.xlsx_edit, "xlsx"))
        form.findChild(QPushButton, "docxBrowse").clicked.connect(lambda: self._browse(self.docx_edit, "docx"))
        self.year_end_button.clicked.connect(self.prepare_year_end)
        self.open_xlsx_button.clicked.connect(lambda: self._open_result("xlsx"))
        self.open_docx_button.clicked.connect(lambda: self._open_result("docx"))
        self.open_folder_button.clicked.connect(lambda: self._open_result("folder"))
        self.buttons.accepted.connect(self.run)
        self.buttons.rejected.connect(self.reject)

    @property
    def period(self) -> str:
        return str(self.period_combo.currentData())

    def _start_folder(self) -> Path:
        """The folder the reports were last written to (while it exists), else Documents."""
        last = self.ctx.settings.report_folder
        return Path(last) if last and Path(last).is_dir() else documents_dir()

    def _fill_names(self) -> None:
        """Default names in the last folder used (Documents at first); a path the person typed
        or chose is kept (its folder too)."""
        folder = self._start_folder()
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
            if path.lower().endswith(f".{kind}"):
                self._chosen.add(Path(path))  # the save dialog has asked about an existing file
            else:
                path += f".{kind}"
            edit.setText(path)

    def run(self) -> None:
        xlsx = Path(self.xlsx_edit.text().strip()) if self.xlsx_edit.text().strip() else None
        docx = Path(self.docx_edit.text().strip()) if self.docx_check.isChecked() and self.docx_edit.text().strip() else None
        period = self.period
        if not self._may_overwrite([p for p in (xlsx, docx) if p is not None]):
            self.status_label.setText("Chưa ghi gì: chọn tên tệp khác hoặc bấm Lập báo cáo lại để ghi đè.")
            return
        self.run_button.setEnabled(False)
        self.result_panel.setVisible(False)
        self.status_label.setText("Đang lập báo cáo...")

        def work(desk: Desk, progress: Progress) -> ReportFiles:  # on the worker thread, touches no widget
            return make_reports(desk, period, xlsx, docx, progress=progress.report)

        def done(files: ReportFiles) -> None:
            self.run_button.setEnabled(True)
            self.result_files = files
            self._chosen.clear()  # a new run over these files asks again
            self.status_label.setText("")
            self._remember_folder(files)
            self._show_result(files)
            if self.open_check.isChecked():
                self._open_all([p for p in (files.xlsx, files.docx) if p is not None])

        def failed(exc: BaseException) -> None:
            self.run_button.setEnabled(True)
            self.status_label.setText("")
            show_error(self, "Lập báo cáo", exc)

        def cancelled() -> None:
            self.run_button.setEnabled(True)
            self.status_label.setText("Đã hủy lập báo cáo; tệp đang ghi dở không được giữ lại.")

        self.task = query(self, self.ctx, work, title="Lập báo cáo").with_progress("Đang đọc số liệu...") \
            .success(done).failure(failed).cancelled(cancelled).run()

    def _may_overwrite(self, targets: list[Path]) -> bool:
        """True when no target exists yet, or the person agreed to replace the ones that do."""
        existing = [p for p in targets if p.is_file() and p not in self._chosen]
        if not existing:
            return True
        names = "\n".join(f"• {p}" for p in existing)
        one = len(existing) == 1
        return confirm(self, "Ghi đè tệp đã có?",
                       f"{'Tệp này đã có' if one else 'Các tệp này đã có'}:\n{names}\n\n"
                       f"Ghi đè thì nội dung cũ của {'tệp' if one else 'các tệp'} sẽ mất. Ghi đè?",
                       yes="Ghi đè", no="Hủy")

    def _remember_folder(self, files: ReportFiles) -> None:
        folder = folder_of(files.xlsx, files.docx)
        if folder is None or str(folder) == self.ctx.settings.report_folder:
            return
        self.ctx.settings.report_folder = str(folder)
        try:
            save_settings(self.ctx.settings)
        except OSError:
            pass  # remembering the folder is a convenience, never a reason to fail

    def _show_result(self, files: ReportFiles) -> None:
        """Say where each file went; the buttons open them or their folder."""
        lines = [f"Đã lập xong báo cáo {self.ctx.desk.plan.period(files.period).name}:"]
        for p in (files.xlsx, files.docx):
            if p is not None:
                lines.append(f"• {KINDS[p.suffix.lower()]}: {p}")
        self.result_label.setText("\n".join(lines))
        self.open_xlsx_button.setVisible(files.xlsx is not None)
        self.open_docx_button.setVisible(files.docx is not None)
        self.result_panel.setVisible(True)
        (self.open_xlsx_button if files.xlsx is not None else self.open_docx_button).setFocus()

    def _open_result(self, which: str) -> None:
        files = self.result_files
        if files is None:
            return
        target = files.xlsx if which == "xlsx" else files.docx if which == "docx" else folder_of(files.xlsx, files.docx)
        if target is not None:
            self._open_all([target])

    def _open_all(self, paths: list[Path]) -> None:
        """Open each path; one message for those that did not open (gone, or no program for them)."""
        problems: list[str] = []
        for p in paths:
            if not p.exists():
                problems.append(f'Không còn thấy "{p}" (đã bị xóa hoặc chuyển đi?).')
            elif not open_file(p):
                problems.append(not_opened(p))
        if problems:
            show_error(self, "Không mở được", "\n\n".join(problems))

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
