"""Table models of the Excel exchange: files in a preview, one file's diff, the import history."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from dkdesk.catalogue.model import Plan
from dkdesk.core.numbers import format_int
from dkdesk.exchange import importer as I
from dkdesk.exchange.history import ImportRecord

DISPLAY, CHECK, BG, TIP, ALIGN = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.CheckStateRole,
                                  Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole,
                                  Qt.ItemDataRole.TextAlignmentRole)
STATUS_COLORS = {I.NEW: "#e2f0d9", I.CHANGED: "#fff2cc", I.UNCHANGED: "#ededed", I.DUPLICATE: "#ddebf7",
                 I.REJECTED: "#f8cbad", I.LOCKED: "#f4b183", I.NEEDS_ID: "#fce4d6", I.CONFLICT: "#ff9999",
                 I.SKIPPED: "#ededed"}
OTHER_PERIOD_COLOR = "#fce4d6"  # the Kỳ cell of a file of another period than the working one
PICKABLE = (I.CONFLICT, I.SKIPPED)  # ticking one of these picks it among the files of the same report
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def show_value(value: object) -> str:
    if value is None:
        return "(trống)"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, int):
        return format_int(value)
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _period_text(plan: Plan, code: str | None, tip: bool) -> str:
    """A period as people name it ("6 tháng đầu năm 2024"); its code in the tooltip."""
    if not code or not plan.has_period(code):
        return code or ""
    name = plan.period(code).name
    return f"{name} ({code})" if tip else name


class _Table(QAbstractTableModel):
    HEADERS: list[str] = []

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)  # type: ignore[attr-defined]

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:  # noqa: N802
        if role == DISPLAY and orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None


class PreviewModel(_Table):
    """One row per file; column 0 is the tick box (files that can be applied; on a conflict, ticking
    a file picks it among the files of the same report: ``picked`` is emitted with its row).

    ``working`` is the window's working period: a file of another period is marked (Kỳ cell, note)
    and not ticked for the person, who may still tick it."""

    HEADERS = ["Nhập", "Tệp", "Đơn vị", "Kỳ", "Trạng thái", "Mới", "Thay đổi", "Không đổi", "Ghi chú"]
    ticks_changed = Signal()
    picked = Signal(int)

    def __init__(self, plan: Plan, previews: list[I.FilePreview], working: str = "") -> None:
        super().__init__()
        self.plan = plan
        self.working = working
        self.rows: list[I.FilePreview] = []
        self.ticked: set[int] = set()
        self.load(previews)

    def load(self, previews: list[I.FilePreview]) -> None:
        self.beginResetModel()
        self.rows = list(previews)
        # a file with a warning from reading it (another form version), or of another period than the
        # working one, is never ticked for the person: applying it is a deliberate choice. Figures far
        # above the last period's (``p.plausibility``) are a warning in the note, the file stays ticked.
        self.ticked = {i for i, p in enumerate(self.rows)
                       if p.status in (I.NEW, I.CHANGED) and not p.read.warnings and not self.other_period(p)}
        self.endResetModel()
        self.ticks_changed.emit()

    def chosen(self) -> list[I.FilePreview]:
        return [p for i, p in enumerate(self.rows) if i in self.ticked]

    def other_period(self, p: I.FilePreview) -> bool:
        """The file is of a known period that is not the working period."""
        return bool(self.working and p.period and p.period != self.working and self.plan.has_period(p.period))

    def period_warning(self, p: I.FilePreview) -> str:
        """"Kỳ khác kỳ đang làm việc (Năm 2024)" for a file of another period, else ""."""
        if not self.other_period(p):
            return ""
        return f"Kỳ khác kỳ đang làm việc ({self.plan.period(self.working).name})"

    def note(self, p: I.FilePreview) -> str:
        text = self._note(p)
        warning = self.period_warning(p) if p.status in I.APPLICABLE else ""
        return f"{warning}; {text}" if warning and text else warning or text

    @staticmethod
    def _note(p: I.FilePreview) -> str:
        if p.status == I.DUPLICATE:
            return p.duplicate_note
        if p.status == I.CONFLICT:
            return ("Cùng báo cáo với " + ", ".join(q.name for q in p.conflict_with)
                    + ": đánh dấu tệp muốn giữ, các tệp kia sẽ được bỏ qua")
        if p.errors:
            first = str(p.errors[0])
            return first if len(p.errors) == 1 else f"{first} (và {len(p.errors) - 1} lỗi khác)"
        if p.warnings:
            more = f" (và {len(p.warnings) - 1} cảnh báo khác)" if len(p.warnings) > 1 else ""
            return f"Cảnh báo: {p.warnings[0].message}{more}"
        return ""

    def data(self, index: QModelIndex, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        p, col = self.rows[index.row()], index.column()
        if role == CHECK and col == 0:
            if p.status in PICKABLE:
                return Qt.CheckState.Unchecked
            if p.status not in I.APPLICABLE:
                return None
            return Qt.CheckState.Checked if index.row() in self.ticked else Qt.CheckState.Unchecked
        if role == BG and col == 4:
            return QBrush(QColor(STATUS_COLORS[p.status]))
        if role == BG and col == 3 and self.other_period(p):
            return QBrush(QColor(OTHER_PERIOD_COLOR))
        if role == ALIGN and col in (5, 6, 7):
            return RIGHT
        if role not in (DISPLAY, TIP):
            return None
        if col == 1:
            return str(p.path) if role == TIP else p.path.name
        if col == 2:
            if p.unit and self.plan.has_unit(p.unit):
                return self.plan.unit(p.unit).name if role == TIP else self.plan.unit(p.unit).short_name
            return ""
        if col == 3:
            text = _period_text(self.plan, p.period, role == TIP)
            return f"{text}\n{self.period_warning(p)}" if role == TIP and self.other_period(p) else text
        if col == 4:
            return p.label
        if col in (5, 6, 7):
            if p.status in (I.REJECTED, I.LOCKED, I.NEEDS_ID, I.DUPLICATE, I.CONFLICT, I.SKIPPED):
                return ""
            return str(p.count((I.NEW, I.CHANGED, I.UNCHANGED)[col - 5]))
        if col == 8:
            note = self.note(p)
            detail = "\n".join(str(e) for e in p.errors) or "\n".join(str(w) for w in p.warnings)
            warning = self.period_warning(p) if p.status in I.APPLICABLE else ""
            detail = "\n".join(t for t in (warning, detail) if t)
            return detail or note if role == TIP else note
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == 0 and self.rows[index.row()].status in I.APPLICABLE + PICKABLE:
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base

    def setData(self, index: QModelIndex, value: Any, role: int = CHECK) -> bool:  # noqa: N802
        if not index.isValid() or role != CHECK or index.column() != 0:
            return False
        checked = value == Qt.CheckState.Checked or value == Qt.CheckState.Checked.value or value is True
        if self.rows[index.row()].status in PICKABLE:
            if checked:
                self.picked.emit(index.row())
            return checked
        if self.rows[index.row()].status not in I.APPLICABLE:
            return False
        (self.ticked.add if checked else self.ticked.discard)(index.row())
        self.dataChanged.emit(index, index, [CHECK])
        self.ticks_changed.emit()
        return True


class DiffModel(_Table):
    HEADERS = ["Ô", "Trường", "Đã lưu", "Trong tệp", "So sánh"]
    KINDS = {I.NEW: "Mới", I.CHANGED: "Thay đổi", I.UNCHANGED: "Không đổi"}

    UNUSUAL_COLOR = "#f4b183"  # the "Trong tệp" cell of a figure far above the last period's

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[I.ValueDiff] = []
        self.unusual: dict[str, str] = {}  # field -> its plausibility warning

    def load(self, diffs: list[I.ValueDiff], unusual: dict[str, str] | None = None) -> None:
        self.beginResetModel()
        order = {I.CHANGED: 0, I.NEW: 1, I.UNCHANGED: 2}
        self.rows = sorted(diffs, key=lambda d: order[d.kind])
        self.unusual = dict(unusual or {})
        self.endResetModel()

    def data(self, index: QModelIndex, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        d, col = self.rows[index.row()], index.column()
        if role == BG and col == 4:
            return QBrush(QColor(STATUS_COLORS[d.kind]))
        if role == BG and col == 3 and d.field in self.unusual:
            return QBrush(QColor(self.UNUSUAL_COLOR))
        if role not in (DISPLAY, TIP):
            return None
        if role == TIP and col == 3 and d.field in self.unusual:
            return f"{show_value(d.new)}\n{self.unusual[d.field]}"
        if col == 0:
            return d.cell.split("!")[-1]
        if col == 1:
            return f"{d.label} ({d.field})" if role == TIP else d.label
        if col == 2:
            return show_value(d.old)
        if col == 3:
            return show_value(d.new)
        return self.KINDS[d.kind]


class HistoryModel(_Table):
    # short columns titled on two lines: the file names and notes keep the width (1024-pixel screens)
    HEADERS = ["Thời gian", "Tệp", "Đơn vị", "Kỳ", "Kết quả", "Mới", "Thay\nđổi", "Không\nđổi", "Kích\nthước",
               "Người nhập", "Mã băm\ntệp", "Ghi chú"]
    RESULT_COLORS = {"imported": "#e2f0d9", "unchanged": "#ededed", "rejected": "#f8cbad"}

    def __init__(self, plan: Plan) -> None:
        super().__init__()
        self.plan = plan
        self.rows: list[ImportRecord] = []

    def load(self, records: list[ImportRecord]) -> None:
        self.beginResetModel()
        self.rows = records
        self.endResetModel()

    def data(self, index: QModelIndex, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        r, col = self.rows[index.row()], index.column()
        if role == BG and col == 4:
            return QBrush(QColor(self.RESULT_COLORS.get(r.result, "#ffffff")))
        if role == ALIGN and col in (5, 6, 7, 8):
            return RIGHT
        if role not in (DISPLAY, TIP):
            return None
        values = [r.at.strftime("%d/%m/%Y %H:%M"), r.file_name,
                  self.plan.unit(r.unit).short_name if r.unit and self.plan.has_unit(r.unit) else (r.unit or ""),
                  _period_text(self.plan, r.period, role == TIP), r.result_label, str(r.new), str(r.changed), str(r.unchanged),
                  f"{format_int(max(1, round(r.size / 1024)))} KB", r.who,
                  r.sha256 if role == TIP else r.sha256[:12] + "…", r.message]
        if role == TIP and col == 1:
            return r.path or r.file_name
        return values[col]
