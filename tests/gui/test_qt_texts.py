"""Issue 14: the guide's search box (Enter searches, the guide stays), Qt's own texts in
Vietnamese (a text field's context menu, standard buttons), the first-run error that clears
once a name is typed, and the unsaved-changes question when the window closes."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit, QMenu, QMessageBox
from entry_helpers import open_window, type_into, type_text

from dkdesk.gui import first_run
from dkdesk.gui.help_dialog import HelpDialog


def test_enter_in_the_guide_search_finds_and_keeps_the_guide_open(qtbot, desk) -> None:
    window, _tab = open_window(qtbot, desk)
    window.open_guide()
    dialog = window.findChild(HelpDialog)
    qtbot.mouseClick(dialog.find_edit, Qt.MouseButton.LeftButton)
    type_text(qtbot, dialog.find_edit, "Sao lưu")
    qtbot.keyClick(dialog.find_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()  # Enter searched; it did not press "Đóng"
    first = dialog.browser.textCursor()
    assert first.selectedText().lower() == "sao lưu"
    qtbot.keyClick(dialog.find_edit, Qt.Key.Key_Enter)  # the keypad's Enter: the next match
    assert dialog.isVisible() and dialog.browser.textCursor().selectedText().lower() == "sao lưu"
    assert dialog.browser.textCursor().position() != first.position()


def _when_shown(kind, act) -> None:
    """Call ``act(widget)`` as soon as a visible ``kind`` (a menu, a message box) is up."""
    def look() -> None:
        w = next((w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)
        if w is None:
            QTimer.singleShot(20, look)
        else:
            act(w)
    QTimer.singleShot(0, look)


def test_context_menu_of_an_entry_field_is_vietnamese(qtbot, desk) -> None:
    window, tab = open_window(qtbot, desk)
    field = tab.findChild(QLineEdit, "field_tt_so_buoi")
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    seen: list[str] = []

    def read(menu: QMenu) -> None:
        seen.extend(a.text().split("\t")[0].replace("&", "") for a in menu.actions() if a.text())
        menu.close()

    _when_shown(QMenu, read)
    pos = QPoint(5, 5)  # the right mouse button's event, as Qt sends it
    QApplication.sendEvent(field, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, field.mapToGlobal(pos)))
    qtbot.waitUntil(lambda: bool(seen))
    texts = seen
    assert texts == ["Hoàn tác", "Làm lại", "Cắt", "Sao chép", "Dán", "Xóa", "Chọn tất cả"]
    shortcut = next(a.text() for a in field.createStandardContextMenu().actions() if "Sao chép" in a.text())
    assert shortcut.endswith("\tCtrl+C")  # Qt's own shortcut names are kept


def test_standard_buttons_are_vietnamese(qtbot) -> None:
    from dkdesk.gui.app import ensure_app

    ensure_app()
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert sorted(b.text() for b in box.buttons()) == ["Hủy", "Đồng ý"]
    message = QMessageBox(QMessageBox.Icon.Question, "dkdesk", "?",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    qtbot.addWidget(message)
    assert sorted(b.text().replace("&", "") for b in message.buttons()) == ["Có", "Không"]


def test_first_run_error_clears_once_a_name_is_typed(qtbot, desk, monkeypatch) -> None:
    window, _tab = open_window(qtbot, desk)
    seen = {}

    def exec_(dialog):
        dialog.show()
        dialog.name_edit.clear()
        qtbot.mouseClick(dialog.findChild(QDialogButtonBox).buttons()[0], Qt.MouseButton.LeftButton)
        seen["empty"] = dialog.error.text()
        type_text(qtbot, dialog.name_edit, "Lan")
        seen["typed"] = dialog.error.text()
        dialog.reject()
        return dialog.result()

    monkeypatch.setattr(first_run.FirstRunDialog, "exec", exec_)
    first_run.ask_first_run(window)
    assert "tên" in seen["empty"] and seen["typed"] == ""


def test_closing_with_unsaved_figures_asks_about_closing(qtbot, desk) -> None:
    window, tab = open_window(qtbot, desk)
    type_into(qtbot, tab, "tt_so_buoi", "7")
    asked = []

    def answer_cancel(box: QMessageBox) -> None:
        asked.append(box.text())
        next(b for b in box.buttons() if b.text() == "Hủy").click()

    _when_shown(QMessageBox, answer_cancel)
    window.close()
    assert window.isVisible()  # "Hủy": the window stays, the figure too
    assert asked and "đóng chương trình" in asked[0] and "chuyển" not in asked[0]
    assert tab.form.is_dirty()
    _when_shown(QMessageBox, lambda box: next(b for b in box.buttons() if b.text() == "Không lưu").click())
    window.close()  # now "Không lưu": the window closes
    assert not window.isVisible()
