"""The next-year plan dialog on a 1024x768 screen (a 40-pixel taskbar below): it opens inside the
free area, and on every page, clicked as a person would, the table's columns and the page's buttons
are on screen; the problems said after a wrong Lưu do not push it off the screen."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QPushButton, QTableWidget

from dkdesk.catalogue import plan_edit
from dkdesk.core.settings import Settings
from dkdesk.gui.context import DataBus, GuiContext
from dkdesk.gui.plan_dialog import PAGE_INDICATORS, SHOWN_PROBLEMS, PlanDialog
from tests.gui.plan_helpers import row_of, set_target, show_page

ROOM = QRect(0, 0, 1024, 728)
FRAME_W, FRAME_H = 16, 40  # a window's frame on Windows


@pytest.fixture
def dialog(qtbot, desk, monkeypatch) -> PlanDialog:
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: ROOM)
    ctx = GuiContext(desk=desk, settings=Settings(user_name="Người kiểm thử", role="tonghop"), bus=DataBus())
    d = PlanDialog(ctx, plan_edit.next_year(desk.plan))
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d


def inside(dialog: PlanDialog, widget) -> bool:  # noqa: ANN001
    top_left = widget.mapTo(dialog, QPoint(0, 0))
    return dialog.rect().contains(QRect(top_left, widget.size()))


def test_every_page_is_usable_at_1024x768(qtbot, dialog):
    assert dialog.width() + FRAME_W <= ROOM.width() and dialog.height() + FRAME_H <= ROOM.height(), \
        dialog.size().toTuple()
    for page in range(dialog.pages.count()):
        show_page(qtbot, dialog, page)
        widget = dialog.pages.currentWidget()
        for table in widget.findChildren(QTableWidget):
            header = table.horizontalHeader()
            shown = sum(header.sectionSize(c) for c in range(header.count()))
            assert shown <= table.viewport().width(), f"{dialog.pages.tabText(page)}: a column is cut off"
            assert table.viewport().height() >= 5 * table.rowHeight(0), dialog.pages.tabText(page)
        for button in widget.findChildren(QPushButton):
            assert button.isVisible() and inside(dialog, button), (dialog.pages.tabText(page), button.text())
    for button in (dialog.save_button, dialog.cancel_button):
        assert inside(dialog, button)


def test_the_problems_after_a_wrong_save_keep_the_dialog_on_screen(qtbot, dialog):
    for ind in dialog.plan.indicators:
        set_target(qtbot, dialog, ind.code, "không biết")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    said = dialog.error_label.text()
    assert said.count("không phải là số") == SHOWN_PROBLEMS - 1  # a few lines, the rest counted
    assert f"… và {len(dialog.plan.indicators) - SHOWN_PROBLEMS + 1} chỗ khác chưa đúng" in said
    assert dialog.error_label.toolTip().count("không phải là số") == len(dialog.plan.indicators)
    assert dialog.pages.currentIndex() == PAGE_INDICATORS
    need = dialog.minimumSizeHint()
    assert need.height() + FRAME_H <= ROOM.height() and dialog.height() + FRAME_H <= ROOM.height(), \
        (need.toTuple(), dialog.size().toTuple())
    assert inside(dialog, dialog.save_button)
    row = row_of(dialog.indicators_table, "CT01")
    assert dialog.indicators_table.currentRow() == row
