"""One field's change history (who, when, old -> new, source) in a small dialog.

``open_history(parent, ctx, unit, period, field)`` reads the history in a query op on the worker
and shows the dialog over what was read; a failed read shows no dialog (``failed(exc)`` says why).
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from dkdesk.core.records import AuditEntry
from dkdesk.gui.context import GuiContext
from dkdesk.gui.journal_tab import AuditModel
from dkdesk.gui.ops import query
from dkdesk.gui.sizing import fit_to_screen

HIDDEN_COLUMNS = (3, 4, 5)  # unit, period and field are the dialog's title


class HistoryDialog(QDialog):
    """Lists ``entries`` (``desk.history(unit, period, field)``, newest first)."""

    def __init__(self, ctx: GuiContext, unit: str, period: str, field: str, entries: list[AuditEntry],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        plan = ctx.desk.plan
        f = plan.field(field)
        self.setWindowTitle("Lịch sử thay đổi")
        self.setObjectName("historyDialog")
        fit_to_screen(self, 820, 360)
        self.model = AuditModel(ctx)
        self.model.load(entries)
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


def open_history(parent: QWidget, ctx: GuiContext, unit: str, period: str, field: str,
                 failed: Callable[[BaseException], None]) -> None:
    """Read the field's history on the worker, then show it (modal) over ``parent``."""
    def show(entries: list[AuditEntry]) -> None:
        HistoryDialog(ctx, unit, period, field, entries, parent).exec()

    query(parent, ctx, lambda desk: desk.history(unit=unit, period=period, field=field)) \
        .success(show).failure(failed).run()
