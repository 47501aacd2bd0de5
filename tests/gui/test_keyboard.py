"""The keyboard as a person uses it: Enter presses the focused button, Tab reaches the form at
once, "Hủy" in the unsaved-changes box leaves the tree on the unit the form shows."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from entry_helpers import editor, open_window, pick_unit, prompts, type_into  # noqa: F401

from dkdesk.gui import entry_tab
from dkdesk.gui.ops import wait_ops


def focused():
    return QApplication.focusWidget()


def tab_key(qtbot, times: int = 1, back: bool = False) -> None:
    for _ in range(times):
        if back:
            qtbot.keyClick(focused(), Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
        else:
            qtbot.keyClick(focused(), Qt.Key.Key_Tab)


def test_two_tabs_from_the_period_to_the_first_field(qtbot, desk):
    window, tab = open_window(qtbot, desk)
    first = next(iter(tab.form.editors))
    tab.period_selector.setFocus()
    tab_key(qtbot)
    assert focused() is tab.unit_selector
    tab_key(qtbot)
    assert focused() is editor(tab, first)
    tab_key(qtbot, back=True)
    assert focused() is tab.unit_selector
    # after another period is chosen the new form is just as near
    qtbot.keyClick(tab.period_selector, Qt.Key.Key_Down)
    assert wait_ops() and tab.period == "2024-Y"
    tab.period_selector.setFocus()
    tab_key(qtbot, 2)
    assert focused() is editor(tab, next(iter(tab.form.editors)))
    # and another unit's form, picked in the tree with the keyboard
    tab.unit_selector.setFocus()
    qtbot.keyClick(tab.unit_selector, Qt.Key.Key_Down)
    assert wait_ops()
    tab_key(qtbot)
    assert focused() is editor(tab, next(iter(tab.form.editors)))
    window.close()


def test_tab_leaves_the_last_field_for_the_buttons_and_enter_presses_lưu(qtbot, desk):
    window, tab = open_window(qtbot, desk)
    pick_unit(qtbot, tab, "CA")
    type_into(qtbot, tab, "ca_vu_khoi_to", "6")
    last = editor(tab, list(tab.form.editors)[-1])
    last.setFocus()
    tab_key(qtbot)
    assert focused() is tab.buttons["carryButton"] or focused() is tab.buttons["submitButton"]
    for _ in range(6):  # on to "Lưu" (disabled buttons are passed over)
        if focused() is tab.save_button:
            break
        tab_key(qtbot)
    assert focused() is tab.save_button
    qtbot.keyClick(tab.save_button, Qt.Key.Key_Return)
    assert wait_ops()
    assert desk.get_values("CA", "2024-H1").values == {"ca_vu_khoi_to": 6}
    assert "Đã lưu" in tab.message.text()
    # the keypad's Enter too
    type_into(qtbot, tab, "ca_vu_khoi_to", "7")
    tab.save_button.setFocus()
    qtbot.keyClick(tab.save_button, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert wait_ops()
    assert desk.get_values("CA", "2024-H1").values == {"ca_vu_khoi_to": 7}
    window.close()


def test_enter_on_a_button_of_another_tab(qtbot, desk, monkeypatch):
    """The Tổng quan tab's "Lập báo cáo..." button opens the report dialog on Enter."""
    import dkdesk.gui.report_dialog as report_dialog

    window, _tab = open_window(qtbot, desk)
    asked: list[str] = []
    monkeypatch.setattr(report_dialog, "open_report_dialog", lambda ctx, parent, period: asked.append(period))
    overview = window.tabs_by_title["Tổng quan"]
    window.tab_widget.setCurrentWidget(overview)
    assert wait_ops()
    button = overview.report_button
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Return)
    assert asked == [overview.period]
    window.close()


def test_enter_presses_the_focused_button_of_a_dialog_not_its_default(qtbot, desk, tmp_path, monkeypatch):
    from dkdesk.gui import report_dialog

    window, tab = open_window(qtbot, desk)
    docs = tmp_path / "Documents"
    docs.mkdir()
    monkeypatch.setattr(report_dialog, "documents_dir", lambda: docs)
    dialog = report_dialog.ReportDialog(tab.ctx, window, "2024-H1")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.close_button.setFocus()
    qtbot.keyClick(dialog.close_button, Qt.Key.Key_Return)
    assert not dialog.isVisible() and dialog.result_files is None
    assert wait_ops() and list(docs.iterdir()) == []  # "Lập báo cáo", the default button, did not run
    window.close()


def test_hủy_in_the_unsaved_box_keeps_the_tree_on_the_shown_unit(qtbot, desk, monkeypatch):
    window, tab = open_window(qtbot, desk)
    pick_unit(qtbot, tab, "P-HUNGDAO")
    type_into(qtbot, tab, "tt_so_buoi", "7")
    monkeypatch.undo()  # the real Lưu / Không lưu / Hủy box
    seen: list[str] = []

    def press_hủy():
        box = next((w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()), None)
        if box is None:
            QTimer.singleShot(20, press_hủy)
            return
        seen.append(box.text())
        next(b for b in box.buttons() if b.text() == "Hủy").click()

    QTimer.singleShot(0, press_hủy)
    pick_unit(qtbot, tab, "CA")  # a click in the tree
    assert seen and "Hưng Đạo" in seen[0]
    shown = tab.unit_items()["P-HUNGDAO"]
    assert tab.unit == "P-HUNGDAO" and editor(tab, "tt_so_buoi").text() == "7"
    assert tab.unit_selector.currentItem() is shown
    assert tab.unit_selector.selectedItems() == [shown]  # the highlighted row is the unit shown
    # with the keyboard as well
    QTimer.singleShot(0, press_hủy)
    tab.unit_selector.setFocus()
    qtbot.keyClick(tab.unit_selector, Qt.Key.Key_Down)
    assert wait_ops()
    assert len(seen) == 2 and tab.unit == "P-HUNGDAO"
    assert tab.unit_selector.selectedItems() == [shown] and tab.unit_selector.currentItem() is shown
    monkeypatch.setattr(entry_tab, "ask_unsaved", lambda *a, **k: entry_tab.DISCARD)
    window.close()
