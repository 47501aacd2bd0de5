"""Nhật ký tab: every recorded change, newest first (filters come with the data-entry work)."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from dkdesk.core.desk import STATUS_LABELS, AuditEntry
from dkdesk.gui.context import GuiContext

ACTIONS = {"value": "Sửa số liệu", "status": "Đổi trạng thái", "lock": "Duyệt - khóa", "unlock": "Mở khóa",
           "import": "Nhập tệp", "restore": "Khôi phục"}
SOURCES = {"manual": "Nhập tay", "import": "Tệp Excel", "carry": "Chép kỳ trước"}


class AuditModel(QAbstractTableModel):
    HEADERS = ["Thời gian", "Người thực hiện", "Việc", "Đơn vị", "Kỳ", "Trường", "Giá trị cũ", "Giá trị mới", "Nguồn"]

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
            return e.period or ""
        if col == 5:
            if e.field and e.field in plan._index["field"]:
                return plan.field(e.field).label
            return e.field or ""
        if col in (6, 7):
            raw = e.old if col == 6 else e.new
            if e.action in ("status", "lock", "unlock"):
                return STATUS_LABELS.get(raw or "", raw or "")
            return {"true": "Có", "false": "Không", None: "(trống)"}.get(raw, raw)
        return SOURCES.get(e.source, e.source)


class JournalTab(QWidget):
    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = AuditModel(ctx)
        self.view = QTableView(self)
        self.view.setObjectName("journalView")
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.summary = QLabel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view)
        ctx.bus.changed.connect(lambda *_: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        entries = self.ctx.desk.history(limit=2000)
        self.model.load(entries)
        self.view.resizeColumnsToContents()
        self.summary.setText(f"{len(entries)} thay đổi gần nhất (mới nhất ở trên).")
