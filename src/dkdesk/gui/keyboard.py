"""Keyboard habits Qt does not have by itself, for the whole application.

``install(app)`` puts ``EnterPressesButton`` on the application: Enter (or the keypad's Enter)
on a focused push button or tool button presses it, in the main window as in dialogs. Qt does
this only for the "auto default" buttons of a dialog; in a tab of the main window Enter on a
focused "Lưu" or "Xuất mẫu Excel..." did nothing, though Tab had just led the person there.
Space presses a button as before.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QPushButton, QToolButton

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class EnterPressesButton(QObject):
    """An application event filter: Enter on the focused button clicks it."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() != QEvent.Type.KeyPress or not isinstance(obj, (QPushButton, QToolButton)):
            return False
        if not isinstance(event, QKeyEvent) or event.key() not in ENTER_KEYS:
            return False
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False  # Ctrl+Enter and the like keep their meaning
        button: QAbstractButton = obj
        if not button.hasFocus():
            return False
        if button.isEnabled() and button.isVisible() and not event.isAutoRepeat():
            button.click()  # once per press: holding Enter down does not save ten times
        return True


def install(app: QCoreApplication) -> EnterPressesButton:
    """Install the filter once on ``app`` (kept alive as an attribute of the app)."""
    existing = getattr(app, "_dkdesk_enter_filter", None)
    if existing is not None:
        return existing
    entered = EnterPressesButton(app)
    app.installEventFilter(entered)
    app._dkdesk_enter_filter = entered  # type: ignore[attr-defined]
    return entered
