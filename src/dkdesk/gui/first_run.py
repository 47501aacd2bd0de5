"""First run: ask the user's name (written as "who" in the audit) and this machine's role:
"Máy này dùng cho: Phòng LĐTBXH (tổng hợp) / một đơn vị: [list]".

``ask_first_run(window)`` shows ``FirstRunDialog``; on OK the answers are saved through
``core.settings`` and the window follows the role (``gui.unit_station.apply_station``: a unit's
workstation shows that unit only). "Tệp → Máy của đơn vị..." shows the same dialog later
(``first=False``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from dkdesk.core.settings import ROLE_CONSOLIDATOR, ROLE_UNIT, save_settings
from dkdesk.gui.context import GuiContext
from dkdesk.gui.ops import query
from dkdesk.gui.unit_station import apply_station, consolidator_name

if TYPE_CHECKING:
    from dkdesk.core.desk import Desk
    from dkdesk.gui.main_window import MainWindow


class FirstRunDialog(QDialog):
    """Name + role; OK is refused until a name is typed."""

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None, first: bool = True) -> None:
        super().__init__(parent)
        self.ctx = ctx
        plan = ctx.desk.plan
        self.setObjectName("firstRunDialog")
        self.setWindowTitle("Thiết lập lần đầu" if first else "Máy của đơn vị")
        self.setMinimumWidth(560)
        intro = QLabel(("Chào mừng đến với dkdesk. " if first else "")
                       + "Hãy cho biết tên người sử dụng máy này (được ghi vào nhật ký mỗi khi số liệu thay đổi) "
                       "và máy này dùng cho ai.")
        intro.setWordWrap(True)
        self.name_edit = QLineEdit(ctx.settings.user_name or "")
        self.name_edit.setObjectName("userName")
        self.name_edit.setPlaceholderText("Ví dụ: Nguyễn Thị Lan - Phòng LĐTBXH")
        self.consolidator = QRadioButton(f"{consolidator_name(plan)} (tổng hợp)")
        self.consolidator.setObjectName("roleConsolidator")
        self.consolidator.setToolTip("Nhận và tổng hợp báo cáo của mọi đơn vị, duyệt, lập báo cáo tổng hợp")
        self.unit_role = QRadioButton("Một đơn vị:")
        self.unit_role.setObjectName("roleUnit")
        group = QButtonGroup(self)
        group.addButton(self.consolidator)
        group.addButton(self.unit_role)
        self.unit_combo = QComboBox()
        self.unit_combo.setObjectName("roleUnitSelector")
        for u in plan.units:
            if u.code != plan.info.consolidator:  # its own figures are typed on the consolidator's machine
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
        self.name_edit.textEdited.connect(lambda text: self.error.clear() if text.strip() else None)
        hint = QLabel("Máy của một đơn vị chỉ hiện đơn vị đó, không có các nút duyệt, và có nút “Gửi báo cáo” "
                      "để ghi tệp báo cáo gửi cho " + consolidator_name(plan) + ". Đổi lại được ở "
                      "Tệp → Máy của đơn vị…")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        unit_row = QHBoxLayout()
        unit_row.addWidget(self.unit_role)
        unit_row.addWidget(self.unit_combo, 1)
        form = QFormLayout()
        form.addRow("Tên người sử dụng:", self.name_edit)
        form.addRow("Máy này dùng cho:", self.consolidator)
        form.addRow("", unit_row)
        form.addRow("", hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Đồng ý")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Để sau" if first else "Hủy")
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


def ask_first_run(window: MainWindow) -> bool:
    """Show the dialog over the main window; True when answered. The window then follows the
    machine's role (a unit's workstation opens on its unit, and shows only it)."""
    dialog = FirstRunDialog(window.ctx, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    window._fill_status_bar()  # "Người dùng: ..."
    apply_station(window)
    return True
