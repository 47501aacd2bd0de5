"""Enter presses the focused button wherever the focus goes (the key filter follows the focus
from button to button instead of seeing every event of the application)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QToolButton, QVBoxLayout, QWidget

from dkdesk.gui.app import ensure_app


def test_enter_follows_the_focus_from_button_to_button(qtbot):
    app = ensure_app()
    window = QWidget()
    layout = QVBoxLayout(window)
    save, tool, edit, gone = QPushButton("Lưu"), QToolButton(), QLineEdit(), QPushButton("Tạm")
    tool.setText("Xuất")
    for w in (save, tool, edit, gone):
        w.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout.addWidget(w)
    pressed: list[str] = []
    save.clicked.connect(lambda: pressed.append("lưu"))
    tool.clicked.connect(lambda: pressed.append("xuất"))
    gone.clicked.connect(lambda: pressed.append("tạm"))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

    save.setFocus()
    qtbot.keyClick(save, Qt.Key.Key_Return)
    assert pressed == ["lưu"]
    tool.setFocus()
    qtbot.keyClick(tool, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert pressed == ["lưu", "xuất"]
    qtbot.keyClick(save, Qt.Key.Key_Return)  # "Lưu" lost the focus: Enter sent its way presses nothing
    qtbot.keyClick(tool, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Enter keeps its meaning
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_Return)  # Enter in a text field presses no button
    assert pressed == ["lưu", "xuất"]

    gone.setFocus()
    qtbot.keyClick(gone, Qt.Key.Key_Return)
    assert pressed == ["lưu", "xuất", "tạm"]
    gone.deleteLater()  # the focused button goes away
    qtbot.waitUntil(lambda: not any(b.text() == "Tạm" for b in window.findChildren(QPushButton)))
    save.setFocus()
    qtbot.keyClick(save, Qt.Key.Key_Return)
    assert pressed == ["lưu", "xuất", "tạm", "lưu"]
    assert app.focusWidget() is save
