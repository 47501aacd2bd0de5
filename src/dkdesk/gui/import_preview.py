"""The preview dialog shown before anything is imported: every file with its status and a
tick box, the per-value diff (or the reasons for refusal) of the selected file, and a way to
name unit and period for a template whose hidden identification sheet is gone."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel,
                               QPlainTextEdit, QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget)

from dkdesk.catalogue.model import Plan
from dkdesk.exchange import importer as I
from dkdesk.exchange import reader as R
from dkdesk.gui.context import GuiContext
from dkdesk.gui.import_models import DiffModel, PreviewModel
from dkdesk.gui.ops import query
from dkdesk.gui.sizing import ColumnFitter, fit_to_screen
from dkdesk.gui.uiload import load_ui
from dkdesk.gui.views import setup_rows_view

if TYPE_CHECKING:
    from dkdesk.core.desk import Desk


class IdentityDialog(QDialog):
    """Asks which unit and period a file without its ``_dkdesk`` sheet belongs to."""

    def __init__(self, plan: Plan, file_name: str, unit: str | None, period: str | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Chọn đơn vị và kỳ báo cáo")
        layout = QVBoxLayout(self)
        note = QLabel(f"Tệp <b>{file_name}</b> không còn trang nhận dạng, nên dkdesk không biết tệp của "
                      "đơn vị nào, kỳ nào. Hãy chọn theo nội dung tệp:", self)
        note.setWordWrap(True)
        layout.addWidget(note)
        form = QFormLayout()
        self.unit_combo = QComboBox(self)
        self.unit_combo.setObjectName("identityUnit")
        for u in plan.units:
            self.unit_combo.addItem(f"{u.name} ({u.code})", u.code)
        self.period_combo = QComboBox(self)
        self.period_combo.setObjectName("identityPeriod")
        for p in plan.periods:
            self.period_combo.addItem(p.name, p.code)
        if unit:
            self.unit_combo.setCurrentIndex(max(0, self.unit_combo.findData(unit)))
        if period:
            self.period_combo.setCurrentIndex(max(0, self.period_combo.findData(period)))
        form.addRow("Đơn vị:", self.unit_combo)
        form.addRow("Kỳ báo cáo:", self.period_combo)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Đồng ý")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def choice(self) -> tuple[str, str]:
        return self.unit_combo.currentData(), self.period_combo.currentData()


class PreviewDialog(QDialog):
    """``accepted`` means: apply ``selected()`` (ticked files, plus refused ones for the history)."""

    def __init__(self, ctx: GuiContext, previews: list[I.FilePreview], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Xem trước khi nhập tệp Excel")
        self.setObjectName("importPreviewDialog")
        form = load_ui("import_preview.ui", self)
        QVBoxLayout(self).addWidget(form)
        self.summary: QLabel = form.findChild(QLabel, "summaryLabel")
        self.files_view: QTableView = form.findChild(QTableView, "filesView")
        self.diff_view: QTableView = form.findChild(QTableView, "diffView")
        self.detail_title: QLabel = form.findChild(QLabel, "detailTitle")
        self.errors_text: QPlainTextEdit = form.findChild(QPlainTextEdit, "errorsText")
        self.identify_button: QPushButton = form.findChild(QPushButton, "identifyButton")
        self.apply_button: QPushButton = form.findChild(QPushButton, "applyButton")
        self.cancel_button: QPushButton = form.findChild(QPushButton, "cancelButton")
        splitter: QSplitter = form.findChild(QSplitter, "splitter")
        splitter.setSizes([260, 240])
        self.model = PreviewModel(ctx.desk.plan, previews, ctx.period.code)
        self.diff_model = DiffModel()
        for view, model in ((self.files_view, self.model), (self.diff_view, self.diff_model)):
            setup_rows_view(view, model, single=True).setWordWrap(False)
        chars = self.files_view.fontMetrics().averageCharWidth()  # these give way on a small screen, then wrap
        self.files_columns = ColumnFitter(self.files_view, {1: 16 * chars, 8: 24 * chars},
                                          caps={1: 260, 2: 130, 8: 420}, stretch=8, first=(8,))
        self.diff_columns = ColumnFitter(self.diff_view, {1: 26 * chars, 2: 8 * chars, 3: 8 * chars},
                                         caps={1: 720, 2: 160, 3: 160}, stretch=1, first=(2, 3))
        self.errors_text.setVisible(False)
        self.files_view.selectionModel().currentRowChanged.connect(lambda cur, _prev: self.show_detail(cur.row()))
        self.files_view.installEventFilter(self)  # Space ticks the current row, whatever its column
        self.model.ticks_changed.connect(self._update_buttons)
        self.model.picked.connect(self.pick)
        self.skipped: set[Path] = set()  # paths left out because the person picked another file of the report
        self.identify_button.clicked.connect(self.identify_current)
        self.apply_button.clicked.connect(self.accept)
        self.cancel_button.clicked.connect(self.reject)
        self.apply_button.setDefault(True)
        fit_to_screen(self, 1100, 640)
        self._refresh()

    # -- content ---------------------------------------------------------------------------
    def _refresh(self) -> None:
        rows = self.model.rows
        counts = {s: sum(1 for p in rows if p.status == s) for s in I.STATUS_LABELS}
        parts = [f"{n} {I.STATUS_LABELS[s].lower()}" for s, n in counts.items() if n]
        warned = sum(1 for p in rows if p.read.warnings and p.status in I.APPLICABLE)
        unusual = sum(1 for p in rows if p.plausibility and p.status in I.APPLICABLE)
        other = sum(1 for p in rows if self.model.other_period(p) and p.status in I.APPLICABLE)
        if other:
            parts.append(f"<span style='color:#9c5700'>{other} tệp của kỳ khác kỳ đang làm việc "
                         f"({self.ctx.period.name}): chưa đánh dấu sẵn, tự đánh dấu nếu đúng là muốn nhập</span>")
        if warned:
            parts.append(f"<span style='color:#9c5700'>{warned} tệp có cảnh báo (chưa đánh dấu sẵn: xem kỹ rồi "
                         "tự đánh dấu nếu vẫn muốn nhập)</span>")
        if unusual:
            parts.append(f"<span style='color:#9c5700'>{unusual} tệp có số lớn bất thường so với kỳ trước (vẫn "
                         "đánh dấu sẵn: xem phần chi tiết, bỏ dấu nếu số trong tệp sai)</span>")
        self.summary.setText(f"<b>{len(rows)} tệp</b>: {', '.join(parts)}. Chưa có gì được lưu. Đánh dấu các tệp "
                             "cần nhập rồi bấm <i>Nhập các tệp đã chọn</i>; các tệp được nhập trong một lần, sau khi "
                             "tự động sao lưu cơ sở dữ liệu.")
        self._update_buttons()
        if rows:
            self.go_to_row(0)
            self.show_detail(0)

    def go_to_row(self, row: int) -> None:
        """Make ``row`` the current (and selected) row, on its tick box: Space ticks it at once."""
        self.files_view.setCurrentIndex(self.model.index(row, 0))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        """Space in the file list ticks or unticks the current row's file, whichever cell is current."""
        if obj is self.files_view and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() == Qt.Key.Key_Space and not event.modifiers():
            row = self.files_view.currentIndex().row()
            if 0 <= row < len(self.model.rows):
                box = self.model.index(row, 0)
                if self.model.flags(box) & Qt.ItemFlag.ItemIsUserCheckable:
                    ticked = self.model.data(box, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
                    self.model.setData(box, Qt.CheckState.Unchecked if ticked else Qt.CheckState.Checked,
                                       Qt.ItemDataRole.CheckStateRole)
            return True
        return super().eventFilter(obj, event)

    def _update_buttons(self) -> None:
        n = len(self.model.ticked)
        self.apply_button.setEnabled(n > 0 and not self.ctx.read_only)
        self.apply_button.setText(f"Nhập {n} tệp đã chọn" if n else "Nhập các tệp đã chọn")

    def show_detail(self, row: int) -> None:
        if not 0 <= row < len(self.model.rows):
            return
        p = self.model.rows[row]
        self.identify_button.setEnabled(p.status == I.NEEDS_ID)
        plan = self.ctx.desk.plan
        unit = plan.unit(p.unit).short_name if p.unit and plan.has_unit(p.unit) else p.unit or "?"
        period = plan.period(p.period).name if p.period and plan.has_period(p.period) else p.period or "?"
        where = f"{unit} — {period}"
        if p.status in (I.NEW, I.CHANGED, I.UNCHANGED):
            self.detail_title.setText(f"<b>{p.path.name}</b> ({where}): {p.count(I.NEW)} giá trị mới, "
                                      f"{p.count(I.CHANGED)} thay đổi, {p.count(I.UNCHANGED)} không đổi. "
                                      "Ô trống trong tệp không xóa số liệu đã lưu.")
            self.diff_model.load(p.diffs, {w.field: w.message for w in p.plausibility})  # columns fit (ColumnFitter)
            self.diff_view.setVisible(True)
            warnings = [f"{self.model.period_warning(p)}: tệp của {period}, chưa đánh dấu sẵn; tự đánh dấu ô "
                        "Nhập nếu đúng là muốn nhập vào kỳ đó."] if self.model.other_period(p) else []
            warnings += [w.message for w in p.read.warnings] + [str(w) for w in p.plausibility]  # with its cell
            self.errors_text.setVisible(bool(warnings))
            self.errors_text.setMaximumHeight(96)  # a warning above the diff, not instead of it
            self.errors_text.setPlainText("\n".join(f"⚠ Cảnh báo: {w}" for w in warnings))
            return
        self.diff_model.load([])
        self.diff_view.setVisible(False)
        self.errors_text.setMaximumHeight(16777215)
        self.errors_text.setVisible(True)
        if p.status == I.DUPLICATE:
            self.detail_title.setText(f"<b>{p.path.name}</b>: trùng — không nhập lại.")
            self.errors_text.setPlainText(p.duplicate_note)
        elif p.status in (I.CONFLICT, I.SKIPPED):
            others = ", ".join(q.name for q in p.conflict_with)
            verb = "xung đột với" if p.status == I.CONFLICT else "đã bỏ qua, giữ"
            self.detail_title.setText(f"<b>{p.path.name}</b> ({where}): {verb} {others} — cùng một báo cáo. "
                                      "Đánh dấu ô <i>Nhập</i> của tệp muốn giữ; các tệp kia được bỏ qua.")
            self.errors_text.setPlainText("\n".join(f"• {e}" for e in p.errors))
        elif p.status == I.NEEDS_ID:
            self.detail_title.setText(f"<b>{p.path.name}</b>: cần chọn đơn vị và kỳ báo cáo "
                                      "(bấm <i>Chọn đơn vị, kỳ cho tệp...</i>).")
            self.errors_text.setPlainText("\n".join(str(e) for e in p.errors))
        else:
            self.detail_title.setText(f"<b>{p.path.name}</b> ({where}): {p.label.lower()} — không có gì từ tệp "
                                      "này được lưu. Lý do:")
            self.errors_text.setPlainText("\n".join(f"• {e}" for e in p.errors))

    # -- actions ---------------------------------------------------------------------------
    def ask_identity(self, p: I.FilePreview) -> tuple[str, str] | None:
        dlg = IdentityDialog(self.ctx.desk.plan, p.path.name, p.read.guess_unit,
                             p.read.guess_period or self.ctx.period.code, self)
        return dlg.choice() if dlg.exec() == QDialog.DialogCode.Accepted else None

    def identify_current(self) -> None:
        row = self.files_view.currentIndex().row()
        if not 0 <= row < len(self.model.rows) or self.model.rows[row].status != I.NEEDS_ID:
            return
        p = self.model.rows[row]
        choice = self.ask_identity(p)
        if choice is None:
            return
        unit, period = choice
        others = [q.read for q in self.model.rows]
        skipped = set(self.skipped)

        def compare_again(desk: Desk) -> list[I.FilePreview]:  # on the worker: the file, then the database
            again = R.read_file(p.path, desk.plan, unit, period, content=p.read.content)
            return I.compare(desk, [again if i == row else read for i, read in enumerate(others)], skip=skipped)

        self._recompare(row, compare_again, "Chọn đơn vị và kỳ báo cáo")

    def pick(self, row: int) -> None:
        """The person keeps this file of a conflict: the other files of the same report are skipped."""
        p = self.model.rows[row]
        self.skipped |= set(p.conflict_with)
        self.skipped.discard(p.path)
        reads, skipped = [q.read for q in self.model.rows], set(self.skipped)
        self._recompare(row, lambda desk: I.compare(desk, reads, skip=skipped), "Chọn tệp giữ lại")

    def _recompare(self, row: int, work: Callable[[Desk], list[I.FilePreview]], title: str) -> None:
        query(self, self.ctx, work, title=title).success(lambda previews: self._compared(previews, row)).run()

    def _compared(self, previews: list[I.FilePreview], row: int) -> None:
        ticked = set(self.model.ticked)
        self.model.load(previews)
        self.model.ticked |= {i for i in ticked if self.model.rows[i].status in I.APPLICABLE}
        self._refresh()
        self.go_to_row(row)
        self.show_detail(row)

    def selected(self) -> list[I.FilePreview]:
        """Ticked files, plus refused ones so that the history records them."""
        refused = [p for p in self.model.rows if p.status in (I.REJECTED, I.LOCKED, I.NEEDS_ID, I.CONFLICT)]
        return self.model.chosen() + refused
