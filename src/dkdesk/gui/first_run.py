"""First run: ask the user's name (written as "who" in the audit) and this machine's role.

``ask_first_run(window)`` shows ``FirstRunDialog``; on OK the answers are saved through
``core.settings`` and, for one unit's workstation, the entry tab switches to that unit.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from dkdesk.core.settings import ROLE_CONSOLIDATOR, ROLE_UNIT, save_settings
from dkdesk.gui.context import GuiContext
from dkdesk.gui.ops import query

if TYPE_CHECKING:
    from dkdesk.core.desk import Desk


class FirstRunDialog(QDialog):
    """Name + role; OK is refused until a name is typed."""

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        plan = ctx.desk.plan
        self.setObjectName("firstRunDialog")
        self.setWindowTitle("Thiết lập lần đầu")
        self.setMinimumWidth(520)
        intro = QLabel("Chào mừng đến với dkdesk. Hãy cho biết tên người sử dụng máy này (được ghi vào nhật ký "
                       "mỗi khi số liệu thay đổi) và vai trò của máy.")
        intro.setWordWrap(True)
        self.name_edit = QLineEdit(ctx.settings.user_name or "")
        self.name_edit.setObjectName("userName")
        self.name_edit.setPlaceholderText("Ví dụ: Nguyễn Thị Lan - Phòng LĐTBXH")
        self.consolidator = QRadioButton(f"Máy tổng hợp của quận ({plan.unit(plan.info.consolidator).name})"
                                         if plan.has_unit(plan.info.consolidator) else "Máy tổng hợp của quận")
        self.consolidator.setObjectName("roleConsolidator")
        self.unit_role = QRadioButton("Máy của một đơn vị báo cáo:")
        self.unit_role.setObjectName("roleUnit")
        group = QButtonGroup(self)
        group.addButton(self.consolidator)
        group.addButton(self.unit_role)
        self.unit_combo = QComboBox()
        self.unit_combo.setObjectName("roleUnitSelector")
        for u in plan.units:
            self.unit_combo.addItem(u.name, u.code)
        if ctx.settings.role == ROLE_UNIT:
            self.unit_role.setChecked(True)
            self.unit_combo.setCurrentIndex(max(self.unit_combo.findData(ctx.settings.unit), 0))
        else:
            self.consolidator.setChecked(True)
        self.unit_role.toggled.connect(self.unit_combo.setEnabled)
        self.unit_combo.setEnabled(self.unit_role.isChecked())
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow("Tên người sử dụng:", self.name_edit)
        form.addRow("Vai trò của máy:", self.consolidator)
        form.addRow("", self.unit_role)
        form.addRow("", self.unit_combo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Đồng ý")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Để sau")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def accept(self) -> None:
        if not self.name_edit.text().strip():
            self.error.setText("Hãy nhập tên người sử dụng.")
            self.name_edit.setFocus()
            return
        self.apply()
        super().accept()

    def apply(self) -> None:
        """Store the answers in the settings file and in the running desk."""
        s = self.ctx.settings
        s.user_name = " ".join(self.name_edit.text().split())
        s.role = ROLE_UNIT if self.unit_role.isChecked() else ROLE_CONSOLIDATOR
        s.unit = self.unit_combo.currentData() if s.role == ROLE_UNIT else ""
        save_settings(s)
        name = s.user_name

        def set_who(desk: Desk) -> None:  # on the worker, between the Desk's other calls
            desk.who = name

        query(self, self.ctx, set_who).run()


def ask_first_run(window: QWidget) -> bool:
    """Show the dialog over the main window; True when answered. Opens the entry tab on the unit."""
    ctx: GuiContext = window.ctx  # type: ignore[attr-defined]
    dialog = FirstRunDialog(ctx, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    status = getattr(window, "db_label", None)
    if status is not None and "Người dùng:" not in status.text():
        status.setText(status.text() + f"   |   Người dùng: {ctx.settings.user_name}")
    entry = getattr(window, "tabs_by_title", {}).get("Nhập liệu")
    if entry is not None and ctx.settings.role == ROLE_UNIT:
        entry.select_unit(ctx.settings.unit)
    return True
