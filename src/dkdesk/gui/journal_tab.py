"""Nhật ký tab: every recorded change, newest first, with filters by unit, period and date.

On a unit's workstation (``set_station``) the unit filter lists that unit only, and only its
changes are read.

The entries are read by a ``query`` op on the single worker; the rows change only when a read
succeeded, and after a failed read the filters go back to those of the rows on screen."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QLabel, QPushButton, QTableView,
                               QVBoxLayout, QWidget)

from dkdesk.core.numbers import format_int
from dkdesk.core.records import STATUS_LABELS, AuditEntry
from dkdesk.gui.context import GuiContext
from dkdesk.gui.messages import show_error
from dkdesk.gui.ops import query
from dkdesk.gui.sizing import ColumnFitter
from dkdesk.gui.unit_station import station_unit
from dkdesk.gui.views import setup_rows_view

ACTIONS = {"value": "Sửa số liệu", "status": "Đổi trạng thái", "lock": "Duyệt - khóa", "unlock": "Mở khóa",
           "import": "Nhập tệp", "restore": "Khôi phục", "plan_add": "Thêm kế hoạch", "plan_replace": "Thay kế hoạch"}
SOURCES = {"manual": "Nhập tay", "import": "Tệp Excel", "carry": "Chép kỳ trước"}


class AuditModel(QAbstractTableModel):
    HEADERS = ["Thời gian", "Người thực hiện", "Việc", "Đơn vị", "Kỳ", "Trường", "Giá trị cũ", "Giá trị mới", "Nguồn"]
    SHORT = 60  # a longer text value is cut in its cell (at most three short lines), whole in the tooltip

    def __init__(self, ctx: GuiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.rows: list[AuditEntry] = []

    def load(self, entries: list[AuditEntry]) -> None:
        self.beginResetModel()
        self.rows = entries
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: C901
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        e = self.rows[index.row()]
        plan = self.ctx.desk.plan
        col = index.column()
        if col == 0:
            return e.at.strftime("%d/%m/%Y %H:%M:%S")
        if col == 1:
            return e.who
        if col == 2:
            return ACTIONS.get(e.action, e.action)
        if col == 3:
            return plan.unit(e.unit).short_name if e.unit and plan.has_unit(e.unit) else (e.unit or "")
        if col == 4:
            return plan.period(e.period).name if e.period and plan.has_period(e.period) else (e.period or "")
        if col == 5:
            if e.field and plan.has_field(e.field):
                return plan.field(e.field).label
            return e.field or ""
        if col in (6, 7) and e.action == "import":  # the file received, not its fingerprint
            if col == 6:
                return ""
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{e.note}\nSHA-256: {e.new}" if e.note else f"SHA-256: {e.new}"
            return e.note or e.new
        if col in (6, 7):
            raw = e.old if col == 6 else e.new
            if e.action in ("status", "lock", "unlock"):
                return STATUS_LABELS.get(raw or "", raw or "")
            if (raw and e.action == "value" and plan.has_field(e.field or "")
                    and plan.field(e.field).type == "int" and raw.isdigit()):
                return format_int(int(raw))  # 5.200, as the form shows it
            shown = {"true": "Có", "false": "Không", None: "(trống)"}.get(raw, raw) or ""
            if role == Qt.ItemDataRole.DisplayRole and len(shown) > self.SHORT:  # whole in the tooltip
                return shown[:self.SHORT - 1].rstrip() + "…"
            return shown
        return SOURCES.get(e.source, e.source)


class JournalTab(QWidget):
    """All recorded changes, newest first, filtered by unit, period and date range."""

    LIMIT = 2000
    MAX_WIDTHS = {5: 300, 6: 200, 7: 260}
    # the least width (in average characters) of the columns that give way on a narrow screen
    # (their text wraps): who, field, old and new value
    MIN_CHARS = {1: 14, 5: 16, 6: 10, 7: 12}

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        plan = ctx.desk.plan
        self.model = AuditModel(ctx)
        self.view = QTableView(self)
        self.view.setObjectName("journalView")
        setup_rows_view(self.view, self.model, interactive=True)
        chars = self.view.fontMetrics().averageCharWidth()
        self.columns = ColumnFitter(self.view, {c: n * chars for c, n in self.MIN_CHARS.items()},
                                    caps=self.MAX_WIDTHS, stretch=7)
        self.unit_filter = QComboBox(self)
        self.unit_filter.setObjectName("journalUnitFilter")
        self.station = station_unit(ctx)  # the unit of this workstation, "" on the consolidator's machine
        self._fill_units()
        self.period_filter = QComboBox(self)
        self.period_filter.setObjectName("journalPeriodFilter")
        self.period_filter.addItem("Tất cả các kỳ", "")
        for p in plan.periods:
            self.period_filter.addItem(p.name, p.code)
        self.date_filter = QCheckBox("Từ ngày", self)
        self.date_filter.setObjectName("journalDateFilter")
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addDays(-30), self)
        self.date_from.setObjectName("journalFrom")
        self.date_to = QDateEdit(today, self)
        self.date_to.setObjectName("journalTo")
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setEnabled(False)
            edit.dateChanged.connect(lambda *_: self.refresh())
        self.date_filter.toggled.connect(self.date_from.setEnabled)
        self.date_filter.toggled.connect(self.date_to.setEnabled)
        self.date_filter.toggled.connect(lambda *_: self.refresh())
        self.unit_filter.currentIndexChanged.connect(lambda *_: self.refresh())
        self.period_filter.currentIndexChanged.connect(lambda *_: self.refresh())
        clear = QPushButton("Bỏ lọc", self)
        clear.setObjectName("journalClearFilters")
        clear.clicked.connect(self.clear_filters)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Đơn vị:", self))
        bar.addWidget(self.unit_filter)
        bar.addWidget(QLabel("Kỳ:", self))
        bar.addWidget(self.period_filter)
        bar.addSpacing(12)
        bar.addWidget(self.date_filter)
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel("đến", self))
        bar.addWidget(self.date_to)
        bar.addWidget(clear)
        bar.addStretch(1)
        self.summary = QLabel(self)
        self.shown_filters: tuple[int, int, bool, QDate, QDate] | None = None  # those of the rows on screen
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.view)
        ctx.bus.changed.connect(lambda *_: self.refresh())
        self.refresh()

    def _fill_units(self) -> None:
        """Every unit (and "Tất cả đơn vị"), or on a unit's workstation that unit only."""
        plan = self.ctx.desk.plan
        self.unit_filter.blockSignals(True)
        self.unit_filter.clear()
        if self.station:
            self.unit_filter.addItem(plan.unit(self.station).short_name, self.station)
            self.unit_filter.setToolTip(f"Máy của {plan.unit(self.station).name}: chỉ hiện thay đổi của đơn vị này.")
        else:
            self.unit_filter.addItem("Tất cả đơn vị", "")
            for u in plan.units:
                self.unit_filter.addItem(u.short_name, u.code)
            self.unit_filter.setToolTip("")
        self.unit_filter.setEnabled(not self.station)
        self.unit_filter.setCurrentIndex(0)
        self.unit_filter.blockSignals(False)

    def set_station(self, unit: str) -> None:
        """The machine's role changed ("Tệp → Máy của đơn vị..."): the unit filter and the rows follow."""
        if unit == self.station:
            return
        self.station = unit
        self._fill_units()
        self.shown_filters = None  # the filter's indexes mean other units now
        self.refresh()

    def clear_filters(self) -> None:
        for w in (self.unit_filter, self.period_filter, self.date_filter):
            w.blockSignals(True)
        self.unit_filter.setCurrentIndex(0)
        self.period_filter.setCurrentIndex(0)
        self.date_filter.setChecked(False)
        self.date_from.setEnabled(False)
        self.date_to.setEnabled(False)
        for w in (self.unit_filter, self.period_filter, self.date_filter):
            w.blockSignals(False)
        self.refresh()

    def _filters(self) -> tuple[int, int, bool, QDate, QDate]:
        return (self.unit_filter.currentIndex(), self.period_filter.currentIndex(), self.date_filter.isChecked(),
                self.date_from.date(), self.date_to.date())

    def _set_filters(self, filters: tuple[int, int, bool, QDate, QDate]) -> None:
        widgets = (self.unit_filter, self.period_filter, self.date_filter, self.date_from, self.date_to)
        for w in widgets:
            w.blockSignals(True)
        unit, period, dated, since, until = filters
        self.unit_filter.setCurrentIndex(unit)
        self.period_filter.setCurrentIndex(period)
        self.date_filter.setChecked(dated)
        self.date_from.setDate(since)
        self.date_to.setDate(until)
        self.date_from.setEnabled(dated)
        self.date_to.setEnabled(dated)
        for w in widgets:
            w.blockSignals(False)

    def refresh(self) -> None:
        """Reload the entries matching the filters (newest first, at most LIMIT) on the worker."""
        filters = self._filters()
        since = until = None
        if self.date_filter.isChecked():
            since, until = self.date_from.date().toPython(), self.date_to.date().toPython()
        unit, period = self.unit_filter.currentData() or None, self.period_filter.currentData() or None
        query(self, self.ctx, lambda desk: desk.history(unit=unit, period=period, since=since, until=until,
                                                        limit=self.LIMIT), title="Nhật ký") \
            .success(lambda entries: self._show(filters, entries)) \
            .failure(self._read_failed) \
            .run()

    def _show(self, filters: tuple[int, int, bool, QDate, QDate], entries: list[AuditEntry]) -> None:
        if filters != self._filters():
            return  # the filters changed meanwhile: their own read follows
        self.shown_filters = filters
        self.model.load(entries)  # the columns fit the width again, long texts wrap (ColumnFitter)
        filtered = any((self.unit_filter.currentIndex(), self.period_filter.currentIndex(),
                        self.date_filter.isChecked()))
        what = "thay đổi khớp bộ lọc" if filtered else "thay đổi gần nhất"
        self.summary.setText(f"{len(entries)} {what} (mới nhất ở trên).")

    def _read_failed(self, exc: BaseException) -> None:
        """The rows stay; the filters show again what the rows were read with."""
        if self.shown_filters is not None and self.shown_filters != self._filters():
            self._set_filters(self.shown_filters)
        show_error(self, "Nhật ký", exc)
