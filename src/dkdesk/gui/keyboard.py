"""Keyboard habits Qt does not have by itself, for the whole application.

``install(app)`` puts ``EnterPressesButton`` on the application: Enter (or the keypad's Enter)
on a focused push button or tool button presses it, in the main window as in dialogs. Qt does
this only for the "auto default" buttons of a dialog; in a tab of the main window Enter on a
focused "Lưu" or "Xuất mẫu Excel..." did nothing, though Tab had just led the person there.
Space presses a button as before.

The filter sits only on the button that has the focus (moved there on the application's
``focusChanged``), not on the application: an application filter written in Python is called
for every event of every widget, which made building a form and typing about a third slower.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QPushButton, QToolButton, QWidget

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class EnterPressesButton(QObject):
    """An event filter on the focused push or tool button: Enter on it clicks it."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._watched: QAbstractButton | None = None
        app.focusChanged.connect(self._focus_moved)
        self._focus_moved(None, app.focusWidget())

    def _focus_moved(self, _old: QWidget | None, now: QWidget | None) -> None:
        if self._watched is not None:
            try:
                self._watched.removeEventFilter(self)
            except RuntimeError:  # the button is gone
                pass
            self._watched = None
        if isinstance(now, (QPushButton, QToolButton)):
            now.installEventFilter(self)
            self._watched = now

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
    """Set up the filter once for ``app`` (kept alive as an attribute of the app)."""
    assert isinstance(app, QApplication), "the key filter follows the focus of widgets"
    existing = getattr(app, "_dkdesk_enter_filter", None)
    if existing is not None:
        return existing
    entered = EnterPressesButton(app)
    app._dkdesk_enter_filter = entered  # type: ignore[attr-defined]
    return entered
