"""Helpers shared by the entry-tab tests: build the real main window and act like a person."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from dkdesk.gui.app import create_main_window
from dkdesk.gui.ops import wait_ops


def open_window(qtbot, desk):
    """The main window over ``desk``, shown and active (shortcuts need an active window)."""
    window = create_main_window(desk)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    tab = window.tabs_by_title["Nhập liệu"]
    assert wait_ops()  # the first unit's figures are read on the worker
    return window, tab


def pick_unit(qtbot, tab, code: str) -> None:
    """Click the unit in the unit selector as a person would."""
    item = tab.unit_items()[code]
    tree = tab.unit_selector
    tree.scrollToItem(item)
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert wait_ops()


def editor(tab, code: str) -> QWidget:
    return tab.findChild(QWidget, f"field_{code}")


def type_into(qtbot, tab, code: str, text: str) -> None:
    """Click into the field, select what is there and type ``text``."""
    w = editor(tab, code)
    tab.scroll.ensureWidgetVisible(w)
    qtbot.mouseClick(w, Qt.MouseButton.LeftButton)
    w.setFocus()
    QTest.keyClick(w, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, w, text)


def type_text(qtbot, w: QWidget, text: str) -> None:
    """Key presses for every character, Vietnamese letters included (QTest only knows ASCII)."""
    for ch in text:
        if ch == "\n":
            QTest.keyClick(w, Qt.Key.Key_Return)
        elif ch.isascii():
            qtbot.keyClicks(w, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(w, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def ctrl_s(window) -> None:
    QTest.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert wait_ops()


@pytest.fixture(autouse=True)
def prompts(monkeypatch):
    """Never block on a modal box: record every unsaved-changes prompt and answer DISCARD
    (a test sets ``prompts.answer``); confirmations answer ``prompts.confirm``."""
    from dkdesk.gui import entry_actions, entry_tab

    class Prompts:
        answer = entry_tab.DISCARD
        confirm = True
        asked: list[str] = []
        confirmed: list[str] = []

    p = Prompts()
    p.asked, p.confirmed = [], []

    def ask(parent, what):
        p.asked.append(what)
        return p.answer

    def confirm(parent, title, text, yes="Đồng ý", no="Hủy"):
        p.confirmed.append(text)
        return p.confirm

    monkeypatch.setattr(entry_tab, "ask_unsaved", ask)
    monkeypatch.setattr(entry_actions, "confirm", confirm)
    return p
