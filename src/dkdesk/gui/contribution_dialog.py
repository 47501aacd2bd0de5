"""Each unit's part in one indicator (opened by double-clicking a row of the overview)."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dkdesk.catalogue.model import Plan
from dkdesk.core.numbers import format_bool, format_decimal, format_int, format_percent
from dkdesk.indicators.contributions import Contribution
from dkdesk.gui.sizing import fit_to_screen
from dkdesk.indicators.engine import IndicatorResult

HEADERS = ["Đơn vị", "Tử số", "Mẫu số", "Tỷ lệ", "Số liệu xét điều kiện", "Ghi chú"]
COL_DETAIL = 4


def condition_fields(plan: Plan, result: IndicatorResult) -> list[str]:
    """Fields read by a count's condition (their values explain a 0/1 part); plan order."""
    from dkdesk.catalogue import expr
    from dkdesk.indicators.engine import parsed

    ind = plan.indicator(result.code)
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, expr.Count) and node.cond is not None:
            found.update(expr.fields_read(node.cond))
        elif isinstance(node, expr.BinOp):
            walk(node.left)
            walk(node.right)

    walk(parsed(ind.numerator))
    walk(parsed(ind.denominator))
    return [f.code for f in plan.fields if f.code in found]


def _num(x: object) -> str:
    return "" if x is None else format_decimal(x, 0)  # type: ignore[arg-type]


class ContributionModel(QAbstractTableModel):
    """One row per unit in the indicator's scope, then a total row."""

    def __init__(self, plan: Plan, parts: list[Contribution], result: IndicatorResult,
                 parent: QWidget | None = None, period: str = "") -> None:
        super().__init__(parent)
        self.plan, self.parts, self.result, self.period = plan, parts, result, period
        self.condition_fields = condition_fields(plan, result)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.parts) + 1

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802, ANN201
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == COL_DETAIL:
                return "\n".join(self.plan.field(f).label for f in self.condition_fields) or None
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid() or not (0 <= index.row() <= len(self.parts)):
            return None
        total = index.row() == len(self.parts)
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._total(col) if total else self._cell(self.parts[index.row()], col)
        if role == Qt.ItemDataRole.ToolTipRole and not total:
            return self._details(self.parts[index.row()]) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (1, 2, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and not total and self.parts[index.row()].closed:
            return QColor("#808080")
        if role == Qt.ItemDataRole.ForegroundRole and not total and self.parts[index.row()].missing:
            return QColor("#b45f00")
        if role == Qt.ItemDataRole.FontRole and total:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        return None

    def _cell(self, p: Contribution, col: int) -> str:
        if col == 0:
            return p.unit_name
        if col == 1:
            return _num(p.numerator)
        if col == 2:
            return _num(p.denominator)
        if col == 3:
            return format_percent(p.value)
        if col == COL_DETAIL:
            return "; ".join(self._shown(code, p.values[code]) for code in self.condition_fields if code in p.values)
        if p.closed:
            note = self.plan.closed_note(p.unit, self.period) if self.period else ""
            return f"{note[:1].upper()}{note[1:]} — không phải báo cáo kỳ này" if note else "Không phải báo cáo kỳ này"
        return "Thiếu số liệu — không tính vào tổng" if p.missing else ""

    def _shown(self, code: str, value: object) -> str:
        f = self.plan.field(code)
        return format_int(value) if f.type == "int" else format_bool(value) if f.type == "bool" else str(value)  # type: ignore[arg-type]

    def _details(self, p: Contribution) -> str:
        return "\n".join(f"{self.plan.field(c).label}: {self._shown(c, v)}" for c, v in p.values.items())

    def _total(self, col: int) -> str:
        r = self.result
        return ["Tổng (các đơn vị có số liệu)", _num(r.numerator), _num(r.denominator), r.value_display,
                "", r.status_label][col]


class ContributionDialog(QDialog):
    def __init__(self, plan: Plan, period_name: str, result: IndicatorResult, parts: list[Contribution],
                 parent: QWidget | None = None, period: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{result.code} — đóng góp của từng đơn vị, {period_name}")
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>{result.code}. {result.name}</b><br>Mục tiêu {result.target_display}; "
                       f"kết quả {result.value_display or 'chưa có'} — {result.status_label}")
        title.setWordWrap(True)
        layout.addWidget(title)
        self.model = ContributionModel(plan, parts, result, self, period)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnHidden(COL_DETAIL, not self.model.condition_fields)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_to_screen(self, 760, min(640, 130 + 31 * (len(parts) + 2)))
