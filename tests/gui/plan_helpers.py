"""Acting on the next-year plan dialog as a person: click rows, fill the small unit dialogs, type in cells."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QTableWidget

from dkdesk.gui.plan_dialog import PAGE_INDICATORS, PAGE_PERIODS, PAGE_UNITS, PlanDialog, UnitDialog
from tests.gui.entry_helpers import type_text

WARDS_HUNG_DAO = ["P-ANHDUNG", "P-DAPHUC", "P-HUNGDAO"]
WARDS_DUONG_KINH = ["P-HAITHANH", "P-HOANGHIA", "P-TANTHANH"]


def show_page(qtbot, dialog: PlanDialog, page: int) -> None:
    bar = dialog.pages.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(page).center())
    assert dialog.pages.currentIndex() == page


def row_of(table: QTableWidget, code: str) -> int:
    return next(r for r in range(table.rowCount()) if table.item(r, 0).text() == code)


def click_row(qtbot, table: QTableWidget, code: str, ctrl: bool = False) -> None:
    item = table.item(row_of(table, code), 0)
    table.scrollToItem(item)
    modifier = Qt.KeyboardModifier.ControlModifier if ctrl else Qt.KeyboardModifier.NoModifier
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, table.visualItemRect(item).center())


def select_units(qtbot, dialog: PlanDialog, codes: list[str]) -> None:
    show_page(qtbot, dialog, PAGE_UNITS)
    for i, code in enumerate(codes):
        click_row(qtbot, dialog.units_table, code, ctrl=i > 0)
    assert [u.code for u in dialog.selected_units()] == codes


def fill(qtbot, edit: QLineEdit, text: str) -> None:
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    edit.setFocus()
    QTest.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, edit, text)


def unit_dialog(qtbot, dialog: PlanDialog, button) -> UnitDialog:  # noqa: ANN001
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    d = dialog.unit_dialog
    assert d is not None and d.isVisible()
    return d


def merge(qtbot, dialog: PlanDialog, codes: list[str], into: str, name: str, short: str, on: str) -> None:
    select_units(qtbot, dialog, codes)
    d = unit_dialog(qtbot, dialog, dialog.merge_button)
    fill(qtbot, d.code_edit, into)
    fill(qtbot, d.name_edit, name)
    fill(qtbot, d.short_edit, short)
    fill(qtbot, d.date_edit, on)
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert not d.isVisible(), d.error_label.text()


def close_unit(qtbot, dialog: PlanDialog, code: str, on: str) -> UnitDialog:
    select_units(qtbot, dialog, [code])
    d = unit_dialog(qtbot, dialog, dialog.close_button)
    fill(qtbot, d.date_edit, on)
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    return d


def type_in_cell(qtbot, table: QTableWidget, row: int, col: int, text: str) -> None:
    item = table.item(row, col)
    table.scrollToItem(item)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualItemRect(item).center())
    assert table.currentItem() is item
    QTest.keyClick(table, Qt.Key.Key_F2)  # edit the cell (as a double-click does)
    editors = [w for w in table.findChildren(QLineEdit) if w.isVisible()]  # a closed one may linger
    assert len(editors) == 1
    editor = editors[0]
    QTest.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits on a queued call
    assert table.item(row, col).text() == text, (table.item(row, col).text(), editor.text())


def set_target(qtbot, dialog: PlanDialog, code: str, text: str) -> None:
    from dkdesk.gui.plan_dialog import IND_TARGET

    show_page(qtbot, dialog, PAGE_INDICATORS)
    type_in_cell(qtbot, dialog.indicators_table, row_of(dialog.indicators_table, code), IND_TARGET, text)


def set_deadline(qtbot, dialog: PlanDialog, period: str, text: str) -> None:
    from dkdesk.gui.plan_dialog import PER_DEADLINE

    show_page(qtbot, dialog, PAGE_PERIODS)
    type_in_cell(qtbot, dialog.periods_table, row_of(dialog.periods_table, period), PER_DEADLINE, text)


def choose_kind(qtbot, dialog: PlanDialog, code: str, label: str) -> None:
    """Pick the target kind in the row's drop-down with the keyboard."""
    from dkdesk.gui.plan_dialog import IND_KIND

    show_page(qtbot, dialog, PAGE_INDICATORS)
    table = dialog.indicators_table
    combo = table.cellWidget(row_of(table, code), IND_KIND)
    table.scrollToItem(table.item(row_of(table, code), 0))
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    popup = combo.view()
    start = combo.currentIndex()
    target = combo.findText(label)
    key = Qt.Key.Key_Down if target > start else Qt.Key.Key_Up
    for _ in range(abs(target - start)):
        QTest.keyClick(popup, key)
    QTest.keyClick(popup, Qt.Key.Key_Return)
    assert combo.currentText() == label
