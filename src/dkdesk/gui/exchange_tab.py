"""Trao đổi Excel tab: export templates, import files (dialog, folder, drag and drop) through a
preview, and the import history with the original files.

The period box is the window's working period (``ctx.period``, shared by every tab); templates
are exported for it, and the save dialog names it before anything is written.

Every call into the database is an op on the single worker (``gui.ops``); the tab changes what
it shows only after a success (a failed history read keeps the rows, a failed preview opens no
preview dialog, a failed import changes nothing: it is one transaction)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QLabel, QMessageBox, QPushButton,
                               QTableView, QVBoxLayout, QWidget)

from dkdesk.exchange import history, importer, template
from dkdesk.exchange.layout import filled_file_name, template_file_name
from dkdesk.exchange.template import write_template
from dkdesk.gui.context import GuiContext
from dkdesk.gui.import_models import HistoryModel
from dkdesk.gui.import_preview import PreviewDialog
from dkdesk.gui.messages import show_error
from dkdesk.gui.ops import change, query
from dkdesk.gui.sizing import ColumnFitter
from dkdesk.gui.tasks import BackgroundTask, Progress
from dkdesk.gui.uiload import load_ui
from dkdesk.gui.views import setup_rows_view

if TYPE_CHECKING:
    from dkdesk.core.desk import Desk

EXCEL_FILTER = "Sổ làm việc Excel (*.xlsx *.xlsm);;Mọi tệp (*)"


class ExchangeTab(QWidget):
    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        plan = ctx.desk.plan
        form = load_ui("exchange_tab.ui", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(form)
        self.period_combo: QComboBox = form.findChild(QComboBox, "periodCombo")
        self.unit_combo: QComboBox = form.findChild(QComboBox, "unitCombo")
        self.filled_check: QCheckBox = form.findChild(QCheckBox, "filledCheck")
        self.history_view: QTableView = form.findChild(QTableView, "historyView")
        self.history_summary: QLabel = form.findChild(QLabel, "historySummary")
        self.open_button: QPushButton = form.findChild(QPushButton, "openOriginalButton")
        for p in plan.periods:
            self.period_combo.addItem(p.name, p.code)
        self.period_combo.setCurrentIndex(self.period_combo.findData(ctx.period.code))
        self.period_combo.setToolTip("Kỳ đang làm việc, chung cho cả cửa sổ: đổi ở đây thì các thẻ Nhập liệu, "
                                     "Tổng quan cũng đổi theo; lần mở sau chương trình vẫn giữ kỳ này.")
        self.period_combo.currentIndexChanged.connect(self._period_chosen)
        ctx.period.period_changed.connect(self._show_period)
        self.unit_combo.addItem("Tất cả đơn vị (mỗi đơn vị một tệp, vào một thư mục)", "")
        for u in plan.units:
            self.unit_combo.addItem(f"{u.name} ({u.code})", u.code)
        self.unit_combo.currentIndexChanged.connect(
            lambda _i: self.filled_check.setEnabled(bool(self.unit_combo.currentData())))
        self.unit_combo.currentTextChanged.connect(lambda text: self.unit_combo.setToolTip(text))  # whole, if cut
        self.unit_combo.setToolTip(self.unit_combo.currentText())
        self.filled_check.setEnabled(False)
        form.findChild(QPushButton, "exportButton").clicked.connect(lambda: self.export_templates())
        form.findChild(QPushButton, "importFilesButton").clicked.connect(lambda: self.import_files())
        form.findChild(QPushButton, "importFolderButton").clicked.connect(self.import_folder)
        self.open_button.clicked.connect(self.open_original)
        self.history_model = HistoryModel(plan)
        v = setup_rows_view(self.history_view, self.history_model, single=True, interactive=True)
        chars = v.fontMetrics().averageCharWidth()  # on a narrow screen these give way, their text wraps
        self.history_columns = ColumnFitter(v, {1: 14 * chars, 2: 9 * chars, 3: 10 * chars, 9: 8 * chars, 10: 6 * chars,
                                                11: 18 * chars}, caps={1: 280, 10: 110, 11: 420}, stretch=11,
                                            first=(11, 10))  # the note and the fingerprint first
        v.selectionModel().currentRowChanged.connect(lambda *_: self._update_open_button())
        v.doubleClicked.connect(lambda _i: self.open_original())
        self.setAcceptDrops(True)
        self.preview_dialog: PreviewDialog | None = None
        self.last_report: importer.ApplyReport | None = None
        self.last_message: QMessageBox | None = None
        self.opener = QDesktopServices.openUrl  # replaced in tests
        self._task: BackgroundTask | None = None  # the last long op (Hủy in tests)
        ctx.bus.changed.connect(self._on_changed)
        self.refresh_history()

    # -- the working period ------------------------------------------------------------------
    def _show_period(self, code: str) -> None:
        self.period_combo.blockSignals(True)
        self.period_combo.setCurrentIndex(self.period_combo.findData(code))
        self.period_combo.blockSignals(False)

    def _period_chosen(self, _index: int) -> None:
        self.ctx.period.choose(self.period_combo.currentData(), stay=lambda: self._show_period(self.ctx.period.code))

    # -- history ---------------------------------------------------------------------------
    def _on_changed(self, kind: str, _period: str) -> None:
        if kind in ("import", "restore"):
            self.refresh_history()

    def refresh_history(self) -> None:
        """Read the import history on the worker; the list changes only when the read succeeded."""
        query(self, self.ctx, history.import_history, title="Lịch sử nhập tệp").success(self._show_history).run()

    def _show_history(self, records: list[history.ImportRecord]) -> None:
        self.history_model.load(records)  # the columns fit the width again, a long note wraps (ColumnFitter)
        done = sum(1 for r in records if r.result != "rejected")
        self.history_summary.setText(f"{len(records)} lần nhập ({done} được nhận, {len(records) - done} bị từ chối). "
                                     "Chọn một dòng rồi bấm Mở tệp gốc để xem lại đúng tệp đã nhập.")
        self._update_open_button()

    def _current_record(self) -> history.ImportRecord | None:
        row = self.history_view.currentIndex().row()
        return self.history_model.rows[row] if 0 <= row < len(self.history_model.rows) else None

    def _update_open_button(self) -> None:
        record = self._current_record()
        self.open_button.setEnabled(record is not None and record.has_content)

    def open_original(self) -> None:
        """Write the selected import's original file (on the worker), then open it."""
        record = self._current_record()
        if record is None or not record.has_content:
            return
        def written(path: Path) -> None:
            self.opener(QUrl.fromLocalFile(str(path)))

        query(self, self.ctx, lambda desk: history.write_original(desk, record.id), title="Mở tệp gốc") \
            .success(written).run()

    # -- export ----------------------------------------------------------------------------
    def export_templates(self, target: str | None = None) -> None:
        """Export the chosen unit's template (or every unit's, into a folder) for the working period;
        the dialog that asks where names the period (and the unit) before anything is written."""
        plan = self.ctx.desk.plan
        period, unit = self.ctx.period.code, self.unit_combo.currentData()
        filled = bool(unit) and self.filled_check.isChecked()
        period_text = plan.period(period).name
        if not unit:
            folder = target or QFileDialog.getExistingDirectory(
                self, f"Chọn thư mục lưu biểu mẫu kỳ {period_text} của {len(plan.units)} đơn vị")
            if not folder:
                return

            units = plan.active_units(period)  # a unit closed (or not yet founded) all the period gets none

            def work(_desk: object, progress: Progress) -> list[Path]:
                written = []
                for i, u in enumerate(units):
                    progress.report(i, len(units), f"Đang xuất biểu mẫu {u.name}")
                    written.append(write_template(plan, u.code, period, Path(folder) / template_file_name(u.code,
                                                                                                       period)))
                return written

            self._task = query(self, self.ctx, work, title="Xuất biểu mẫu").with_progress().success(lambda written: self.tell(
                "Xuất biểu mẫu", f"Đã xuất {len(written)} biểu mẫu kỳ {plan.period(period).name} vào thư mục\n"
                                 f"{folder}")).run()
            return
        default = filled_file_name(unit, period) if filled else template_file_name(unit, period)
        what = "báo cáo (kèm số liệu đã lưu)" if filled else "biểu mẫu"
        path = target or QFileDialog.getSaveFileName(
            self, f"Lưu {what} kỳ {period_text} — {plan.unit(unit).name}", default, EXCEL_FILTER)[0]
        if not path:
            return

        def write_one(desk: Desk) -> Path:
            if filled:  # the unit's own report: the function of "dkdesk template --filled" and "Gửi báo cáo"
                return template.write_unit_report(desk, unit, period, path)
            return write_template(plan, unit, period, path)

        query(self, self.ctx, write_one, title="Xuất biểu mẫu").success(lambda written: self.tell(
            "Xuất biểu mẫu", f"Đã lưu {'báo cáo' if filled else 'biểu mẫu'} kỳ {period_text} vào\n{written}")).run()

    def tell(self, title: str, text: str) -> None:
        """A non-blocking information box (work finished in the background)."""
        if self.last_message is not None:
            self.last_message.deleteLater()  # one box kept at a time
        box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, self)
        self.last_message = box
        box.open()

    # -- import ----------------------------------------------------------------------------
    def import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Chọn thư mục chứa các tệp .xlsx (ví dụ ổ USB)")
        if folder:
            self.import_files([folder])

    def import_files(self, paths: list[str] | None = None) -> None:
        """Read the files (in the background), then show the preview; nothing is stored yet."""
        if self.ctx.read_only:
            show_error(self, "Nhập tệp", "Cơ sở dữ liệu đang mở chỉ đọc: không nhập được.")
            return
        if paths is None:
            paths = QFileDialog.getOpenFileNames(self, "Chọn các tệp Excel đã điền", "", EXCEL_FILTER)[0]
        if not paths:
            return
        chosen = list(paths)
        self._task = query(self, self.ctx, lambda desk, progress: importer.preview(
            desk, chosen, progress=progress.report), title="Đọc tệp") \
            .with_progress("Đang đọc các tệp...").success(self.show_preview).run()

    def show_preview(self, previews: list[importer.FilePreview]) -> None:
        if not previews:
            self.tell("Nhập tệp", "Không có tệp .xlsx nào ở đó.")
            return
        dialog = PreviewDialog(self.ctx, previews, self)
        dialog.accepted.connect(lambda: self.apply(dialog.selected()))
        self.preview_dialog = dialog
        dialog.open()

    def apply(self, previews: list[importer.FilePreview]) -> None:
        """Apply in the background (backup, one transaction); cancel leaves everything as it was."""
        who = self.ctx.settings.user_name or self.ctx.desk.who
        # notify=False: _applied announces each period imported
        self._task = change(self, self.ctx, lambda desk, progress: importer.apply(
            desk, previews, who=who, progress=progress.report), kind="import", title="Nhập tệp", notify=False) \
            .with_progress("Đang nhập...") \
            .success(self._applied) \
            .cancelled(lambda: self.history_summary.setText("Đã hủy: không có gì được lưu.")) \
            .run()

    def _applied(self, report: importer.ApplyReport) -> None:
        self.last_report = report
        for period in report.periods or [""]:
            self.ctx.notify("import", period)
        counts = {s: sum(1 for o in report.outcomes if o.status == s)
                  for s in ("imported", "unchanged", "rejected", "conflict")}
        conflict = f", {counts['conflict']} xung đột (không nhập)" if counts["conflict"] else ""
        note = (f"Vừa nhập: {counts['imported']} tệp có số liệu mới, {counts['unchanged']} không đổi, "
                f"{counts['rejected']} bị từ chối{conflict}."
                + (f" Bản sao lưu trước khi nhập: {report.backup.name}." if report.backup else ""))
        plan, working = self.ctx.desk.plan, self.ctx.period
        others = [plan.period(p).name for p in report.periods if p != working.code and plan.has_period(p)]
        if others:  # the working period never jumps: the person is told where the figures went
            note += (f" Có số liệu của kỳ {', '.join(others)}; kỳ đang làm việc vẫn là {working.name}"
                     " (đổi ở ô Kỳ báo cáo để xem).")

        def shown(records: list[history.ImportRecord]) -> None:  # after the bus's own reads (one worker, in order)
            self._show_history(records)
            self.history_summary.setText(note)

        query(self, self.ctx, history.import_history, title="Lịch sử nhập tệp").success(shown).run()

    # -- drag and drop ----------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt API
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_files(paths)
