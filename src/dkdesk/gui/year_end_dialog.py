"""Chuẩn bị số liệu cả năm: preview the figures proposed from the first half year, tick the
rows to copy, confirm. Writes through ``dkdesk.reports.year_end.apply`` (one transaction,
source "carry", never overwriting an annual value). Reads and the write are ops on the single
worker (``gui.ops``); the table changes only after a read succeeded."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QTableView, QVBoxLayout, QWidget)

from dkdesk.core.numbers import format_int
from dkdesk.gui.context import GuiContext
from dkdesk.gui.messages import confirm, show_error, show_info
from dkdesk.gui.ops import change, query
from dkdesk.gui.sizing import fit_to_screen
from dkdesk.gui.views import setup_rows_view
from dkdesk.reports import year_end
from dkdesk.reports.year_end import CarryRow

Index = QModelIndex | QPersistentModelIndex
HEADERS = ["Chép", "Đơn vị", "Chỉ tiêu báo cáo", "Số 6 tháng", "Đề xuất cả năm", "Số cả năm hiện có", "Ghi chú"]
ACTION_NOTES = {year_end.KEEP: "đã có số cả năm: giữ nguyên", year_end.LOCKED: "báo cáo năm đã khóa"}


class CarryModel(QAbstractTableModel):
    """Rows of the preview; column 0 is a tick box on the rows that can be copied."""

    def __init__(self, rows: list[CarryRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = rows
        self.ticked = [r.selectable for r in rows]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802, ANN201
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        r, col = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == 0:
            return Qt.CheckState.Checked if self.ticked[index.row()] else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            return [
                "", r.unit_short or r.unit_name, r.label, format_int(r.h1_value),
                format_int(r.proposed) if r.proposed is not None else "",
                format_int(r.current) if r.current is not None else "",
                ACTION_NOTES.get(r.action, r.note),
            ][col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (3, 4, 5):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and not r.selectable:
            return QBrush(QColor("#777777"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{r.unit_name} — {r.label} ({r.field})"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0 and self.rows[index.row()].selectable:
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or index.column() != 0 or role != Qt.ItemDataRole.CheckStateRole:
            return False
        if not self.rows[index.row()].selectable:
            return False
        state = value if isinstance(value, Qt.CheckState) else Qt.CheckState(int(value))
        self.ticked[index.row()] = state == Qt.CheckState.Checked
        self.dataChanged.emit(index, index, [role])
        return True

    def set_all(self, on: bool) -> None:
        self.ticked = [on and r.selectable for r in self.rows]
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 0))

    def chosen(self) -> list[CarryRow]:
        return [r for r, t in zip(self.rows, self.ticked) if t]


class YearEndDialog(QDialog):
    def __init__(self, ctx: GuiContext, parent: QWidget | None, period: str,
                 rows: list[CarryRow] | None = None) -> None:
        """``rows``: the proposals already read (without them, they are read now, on the worker)."""
        super().__init__(parent)
        self.ctx, self.period = ctx, period
        self.result: year_end.CarryResult | None = None
        self.shown_sum = False  # the rows on screen were read with the summed figures or not
        name = ctx.desk.plan.period(period).name
        self.setWindowTitle(f"Chuẩn bị số liệu {name.lower()} từ 6 tháng đầu năm")
        fit_to_screen(self, 1120, 580)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Các số <b>hiện có</b> (cơ sở, người lao động, học sinh, cán bộ...) của báo cáo 6 tháng đầu năm được "
            "đề xuất làm số ban đầu của báo cáo năm; đơn vị sửa lại nếu có thay đổi. Các số <b>cộng dồn</b> "
            "(buổi, vụ, lượt...) phải gồm cả 6 tháng cuối năm nên mặc định không chép. Số cả năm đã nhập "
            "không bao giờ bị ghi đè.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.sum_check = QCheckBox("Đề xuất cả các số &cộng dồn (chỉ là số 6 tháng, chưa gồm 6 tháng cuối năm)", self)
        layout.addWidget(self.sum_check)
        self.table = setup_rows_view(QTableView(self), stretch_last=False)
        layout.addWidget(self.table, 1)
        self.summary = QLabel(self)
        layout.addWidget(self.summary)
        row = QHBoxLayout()
        self.all_button = QPushButton("Chọn &tất cả", self)
        self.none_button = QPushButton("&Bỏ chọn tất cả", self)
        row.addWidget(self.all_button)
        row.addWidget(self.none_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.buttons = QDialogButtonBox(self)
        self.apply_button = self.buttons.addButton("&Chép các dòng đã chọn", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(self.buttons)
        self.model = CarryModel([], self)
        self.table.setModel(self.model)
        if rows is None:
            self.refresh()
        else:
            self._show(rows)
        self.sum_check.toggled.connect(self.refresh)
        self.all_button.clicked.connect(lambda: self.model.set_all(True))
        self.none_button.clicked.connect(lambda: self.model.set_all(False))
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)

    def refresh(self) -> None:
        """Read the proposals (with or without the summed figures, as ticked) on the worker."""
        period, include_sum = self.period, self.sum_check.isChecked()
        query(self, self.ctx, lambda desk: year_end.preview(desk, period, include_sum=include_sum),
              title="Chuẩn bị số liệu cả năm") \
            .success(lambda rows: self._show(rows, include_sum)) \
            .failure(lambda exc: self._read_failed(exc, include_sum)) \
            .run()

    def _read_failed(self, exc: BaseException, include_sum: bool) -> None:
        """The rows stay; the box goes back to what they were read with."""
        if self.sum_check.isChecked() != self.shown_sum:
            self.sum_check.blockSignals(True)
            self.sum_check.setChecked(self.shown_sum)
            self.sum_check.blockSignals(False)
        show_error(self, "Chuẩn bị số liệu cả năm", exc)

    def _show(self, rows: list[CarryRow], include_sum: bool = False) -> None:
        if include_sum != self.sum_check.isChecked():
            return  # ticked again meanwhile: its own read follows
        self.shown_sum = include_sum
        self.model = CarryModel(rows, self)
        self.table.setModel(self.model)
        self.model.dataChanged.connect(self._count)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((48, 125, 300, 80, 105, 125, 170)):
            self.table.setColumnWidth(col, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setWordWrap(False)
        self._count()

    def _count(self, *args: object) -> None:
        n = len(self.model.chosen())
        copyable = sum(1 for r in self.model.rows if r.selectable)
        self.summary.setText(f"Đã chọn {n}/{copyable} số để chép; {len(self.model.rows) - copyable} số giữ nguyên."
                             if self.model.rows else "Báo cáo 6 tháng đầu năm chưa có số nào có thể chép.")
        self.apply_button.setEnabled(n > 0 and not self.ctx.read_only)

    def apply(self) -> None:
        chosen = self.model.chosen()
        if not chosen:
            return
        units = len({r.unit for r in chosen})
        if not confirm(self, "Chép số liệu", f"Chép {len(chosen)} số của {units} đơn vị từ báo cáo 6 tháng đầu năm "
                                            "sang báo cáo năm? Số cả năm đã nhập được giữ nguyên.", yes="Chép"):
            return
        period = self.period
        self.apply_button.setEnabled(False)  # one copy at a time
        change(self, self.ctx, lambda desk: year_end.apply(desk, period, chosen), kind="values", period=period,
               title="Chép số liệu") \
            .success(self._applied) \
            .failure(self._not_applied) \
            .run()

    def _applied(self, result: year_end.CarryResult) -> None:
        self.result = result
        show_info(self, "Chép số liệu", f"Đã chép {result.written} số"
                  + (f"; {result.kept} số đã có nên giữ nguyên." if result.kept else "."))
        self.accept()

    def _not_applied(self, exc: BaseException) -> None:
        self._count()
        show_error(self, "Chép số liệu", exc)


def open_year_end_dialog(ctx: GuiContext, parent: QWidget | None, period: str,
                         rows: list[CarryRow] | None = None) -> YearEndDialog:
    dialog = YearEndDialog(ctx, parent, period, rows)
    dialog.exec()
    return dialog
