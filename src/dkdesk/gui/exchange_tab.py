"""Trao đổi Excel tab (being built: see the issue that owns it)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from dkdesk.gui.context import GuiContext


class ExchangeTab(QWidget):
    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        label = QLabel("Chức năng Trao đổi Excel đang được hoàn thiện.", self)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        QVBoxLayout(self).addWidget(label)
