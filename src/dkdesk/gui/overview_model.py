"""The overview table: one row per indicator (model) and its two painters (delegates).

``OverviewModel.set_page(plan, page)`` swaps the rows; custom roles carry the status code
(``STATUS_ROLE``) and the progress against the target (``PROGRESS_ROLE``: value / target as a
float, None without a value) for ``StatusBadgeDelegate`` and ``ProgressDelegate``.
"""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from dkdesk.catalogue.model import Plan
from dkdesk.core.numbers import format_decimal
from dkdesk.indicators.compare import YearOverYear
from dkdesk.indicators.engine import CHUA_DAT, DAT, KHONG_AP_DUNG, THIEU, IndicatorResult
from dkdesk.indicators.overview import OverviewPage

STATUS_ROLE = Qt.ItemDataRole.UserRole + 1
PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 2
CODE_ROLE = Qt.ItemDataRole.UserRole + 3

# badge background, text colour
STATUS_COLOURS = {
    DAT: ("#2e7d32", "#ffffff"),
    CHUA_DAT: ("#c62828", "#ffffff"),
    THIEU: ("#ef8f00", "#ffffff"),
    KHONG_AP_DUNG: ("#9e9e9e", "#ffffff"),
}

COL_STT, COL_NAME, COL_TARGET, COL_RESULT, COL_PROGRESS, COL_FRACTION, COL_STATUS, COL_RESPONSIBLE, COL_PREVIOUS = range(9)
HEADERS = ["STT", "Chỉ tiêu", "Mục tiêu", "Kết quả", "Tiến độ", "Tử số / Mẫu số",
           "Đánh giá", "Đơn vị chủ trì", "Cùng kỳ năm trước"]

HEADER_TIPS = {
    COL_PROGRESS: "Kết quả so với mục tiêu (100% = đạt mục tiêu)",
    COL_FRACTION: "Tử số / mẫu số của tỷ lệ, tính trên các đơn vị có số liệu",
    COL_RESULT: "Lấy 2 chữ số thập phân, không làm tròn lên",
}


def fraction_text(r: IndicatorResult) -> str:
    """ "5.999 / 10.000" with Vietnamese grouping; "—" when every unit it needs is missing."""
    return r.fraction_display


def progress_of(r: IndicatorResult) -> float | None:
    """How far the value is towards the target (1.0 = reached); None without a value."""
    if r.value is None:
        return None
    if r.target == 0:
        return 1.0
    return float(r.value) / r.target


class OverviewModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[IndicatorResult] = []
        self._page: OverviewPage | None = None
        self._plan: Plan | None = None
        self.previous_header = HEADERS[COL_PREVIOUS]

    def set_page(self, plan: Plan, page: OverviewPage) -> None:
        self.beginResetModel()
        self._plan, self._page = plan, page
        self._rows = list(page.overview.indicators)
        yoy = self.year_over_year
        if page.previous is not None:
            # on two lines: the column stays narrow enough for the names at 1024 px
            self.previous_header = f"Cùng kỳ\n{plan.period(page.previous.period).name.lower()}"
        elif yoy is not None:  # from the plan this one follows (year over year)
            self.previous_header = f"{HEADERS[COL_PREVIOUS]}\n({yoy.previous_period_name})"
        else:
            self.previous_header = HEADERS[COL_PREVIOUS]
        self.endResetModel()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, COL_PREVIOUS, COL_PREVIOUS)

    def result(self, row: int) -> IndicatorResult:
        return self._rows[row]

    @property
    def has_previous(self) -> bool:
        """A last-year column to show: the same plan's previous year, or the plan this one follows."""
        return self._page is not None and (self._page.previous is not None or self.year_over_year is not None)

    @property
    def year_over_year(self) -> YearOverYear | None:
        """Last year from the plan this one follows, when the page has it and no same-plan last year."""
        if self._page is None or self._page.previous is not None:
            return None
        return self._page.year_over_year

    def previous_of(self, code: str) -> IndicatorResult | None:
        if self._page is None:
            return None
        yoy = self.year_over_year
        return yoy.result(code) if yoy is not None else self._page.previous_result(code)

    # -- Qt model API ---------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802, ANN201
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(HEADERS):
            return self.previous_header if section == COL_PREVIOUS else HEADERS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(section)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201, C901
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        r, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, index.row(), col)
        if role == STATUS_ROLE:
            return r.status
        if role == PROGRESS_ROLE:
            return progress_of(r)
        if role == CODE_ROLE:
            return r.code
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._previous_tooltip(r) if col == COL_PREVIOUS else self._tooltip(r)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col in (COL_NAME, COL_RESPONSIBLE):
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            if col in (COL_RESULT, COL_FRACTION, COL_PREVIOUS, COL_TARGET):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.FontRole and col == COL_RESULT:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_RESULT and r.value is not None:
            return QColor(STATUS_COLOURS[r.status][0] if r.status in (DAT, CHUA_DAT) else "#333333")
        return None

    def _display(self, r: IndicatorResult, row: int, col: int) -> str:
        if col == COL_STT:
            return str(row + 1)
        if col == COL_NAME:
            return r.name
        if col == COL_TARGET:
            return r.target_display
        if col == COL_RESULT:
            return r.value_display or "—"
        if col == COL_PROGRESS:
            p = progress_of(r)
            return "" if p is None else f"{format_decimal(p * 100, 0)}% mục tiêu"
        if col == COL_FRACTION:
            return fraction_text(r)
        if col == COL_STATUS:
            return r.status_label
        if col == COL_RESPONSIBLE:
            return r.responsible
        prev = self.previous_of(r.code)
        if prev is None:
            return "—"
        return prev.value_display or prev.status_label

    def _previous_tooltip(self, r: IndicatorResult) -> str:
        """Last year's result, the plan and period it comes from, and whose figures a successor carries."""
        prev, yoy = self.previous_of(r.code), self.year_over_year
        if prev is None:
            return "Không có số liệu cùng kỳ năm trước."
        lines = [f"Cùng kỳ năm trước: {prev.value_display or 'chưa có'} ({prev.status_label})"]
        if prev.fraction_display:
            lines.append(f"Tử số / mẫu số: {prev.fraction_display}")
        if yoy is not None:
            lines.append(f"Theo kế hoạch {yoy.previous_plan}, kỳ {yoy.previous_period_name}, "
                         "tính trên các đơn vị của kế hoạch này.")
            if yoy.note(r.code):
                lines.append(yoy.note(r.code))
        return "\n".join(lines)

    def _tooltip(self, r: IndicatorResult) -> str:
        lines = [f"{r.code}: {r.name}", f"Mục tiêu {r.target_display}; kết quả {r.value_display or 'chưa có'}"]
        if r.missing_units and self._plan is not None:
            names = ", ".join(self._plan.unit(u).name for u in r.missing_units)
            lines.append(f"Thiếu số liệu: {names} (kết quả tính trên các đơn vị còn lại)")
        if r.closed_units and self._plan is not None and self._page is not None:
            notes = "; ".join(f"{self._plan.unit(u).name} {self._plan.closed_note(u, self._page.period)}"
                              for u in r.closed_units)
            lines.append(f"Không tính (không phải báo cáo kỳ này): {notes}")
        lines.append("Nhấp đúp để xem đóng góp của từng đơn vị.")
        return "\n".join(lines)


class StatusBadgeDelegate(QStyledItemDelegate):
    """Paints the status as a coloured rounded badge (Đạt / Chưa đạt / Thiếu số liệu / ...)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        status = index.data(STATUS_ROLE)
        if status not in STATUS_COLOURS:
            super().paint(painter, option, index)
            return
        self._background(painter, option)
        bg, fg = STATUS_COLOURS[status]
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(option.font)
        font.setBold(True)
        painter.setFont(font)
        width = min(option.rect.width() - 8, painter.fontMetrics().horizontalAdvance(text) + 20)
        height = min(option.rect.height() - 6, painter.fontMetrics().height() + 8)
        rect = QRectF(option.rect.center().x() - width / 2, option.rect.center().y() - height / 2, width, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(bg))
        painter.drawRoundedRect(rect, height / 2, height / 2)
        painter.setPen(QColor(fg))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    @staticmethod
    def _background(painter: QPainter, option: QStyleOptionViewItem) -> None:
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        size = super().sizeHint(option, index)
        return QSize(size.width() + 28, max(size.height(), 28))


def progress_text_colour(fill: QColor, share: float) -> QColor:
    """White on a dark fill that reaches the centred text (half the bar or more), else near-black."""
    return QColor("#ffffff") if share >= 0.5 and fill.lightness() < 110 else QColor("#1a1a1a")


class ProgressDelegate(QStyledItemDelegate):
    """A bar filled to value / target (full and green when reached), with the share as text."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        StatusBadgeDelegate._background(painter, option)
        progress = index.data(PROGRESS_ROLE)
        status = index.data(STATUS_ROLE)
        rect = QRectF(option.rect.adjusted(6, 0, -6, 0))
        bar_h = min(18.0, rect.height() - 8)
        bar = QRectF(rect.left(), rect.center().y() - bar_h / 2, rect.width(), bar_h)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("#b0b7c0")))
        painter.setBrush(QColor("#eef1f4"))
        painter.drawRoundedRect(bar, 4, 4)
        if progress is not None:
            share = max(0.0, min(1.0, float(progress)))
            colour = STATUS_COLOURS[DAT][0] if share >= 1.0 and status == DAT else (
                "#ef8f00" if status == THIEU else "#e57373" if share < 1.0 else STATUS_COLOURS[DAT][0])
            if share > 0:
                fill = QRectF(bar.left(), bar.top(), max(8.0, bar.width() * share), bar.height())
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(colour))
                painter.drawRoundedRect(fill, 4, 4)
            painter.setPen(progress_text_colour(QColor(colour), share))
            painter.drawText(bar, Qt.AlignmentFlag.AlignCenter, index.data(Qt.ItemDataRole.DisplayRole) or "")
        else:
            painter.setPen(QColor("#707070"))
            painter.drawText(bar, Qt.AlignmentFlag.AlignCenter, "chưa có số liệu")
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        return QSize(150, 28)
