"""One field's change history (who, when, old -> new, source) in a small dialog."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from dkdesk.gui.context import GuiContext
from dkdesk.gui.journal_tab import AuditModel

HIDDEN_COLUMNS = (3, 4, 5)  # unit, period and field are the dialog's title


class HistoryDialog(QDialog):
    """Lists ``desk.history(unit, period, field)``, newest first."""

    def __init__(self, ctx: GuiContext, unit: str, period: str, field: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        plan = ctx.desk.plan
        f = plan.field(field)
        self.setWindowTitle("Lịch sử thay đổi")
        self.setObjectName("historyDialog")
        self.resize(820, 360)
        self.model = AuditModel(ctx)
        self.model.load(ctx.desk.history(unit=unit, period=period, field=field))
        title = QLabel(f"<b>{f.label}</b><br>{plan.unit(unit).name} — {plan.period(period).name}")
        title.setWordWrap(True)
        self.view = QTableView(self)
        self.view.setObjectName("historyView")
        self.view.setModel(self.model)
        self.view.verticalHeader().setVisible(False)
        self.view.setAlternatingRowColors(True)
        for col in HIDDEN_COLUMNS:
            self.view.setColumnHidden(col, True)
        self.view.resizeColumnsToContents()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        empty = QLabel("Trường này chưa có thay đổi nào được ghi." if not self.model.rows else
                       f"{len(self.model.rows)} thay đổi, mới nhất ở trên.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.view)
        layout.addWidget(empty)
        layout.addWidget(buttons)
