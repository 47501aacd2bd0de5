"""The main window fits a small screen: on a 1366x768 office laptop the designed 1280x760 window
plus a title bar is taller than the room above the taskbar, so it opens maximized."""
from __future__ import annotations

from PySide6.QtCore import QRect


class _Screen:
    def __init__(self, width: int, height: int) -> None:
        self.room = QRect(0, 0, width, height)

    def availableGeometry(self) -> QRect:  # noqa: N802 - Qt's name
        return self.room


def test_on_a_1366x768_laptop_the_window_opens_maximized(qtbot, desk, monkeypatch):
    from dkdesk.gui.app import create_main_window, show_fitting

    win = create_main_window(desk)
    qtbot.addWidget(win)
    monkeypatch.setattr(win, "screen", lambda: _Screen(1366, 728))  # 768 less a 40-pixel taskbar
    show_fitting(win)
    qtbot.waitExposed(win)
    assert win.isMaximized()


def test_on_a_large_screen_the_window_opens_at_its_designed_size(qtbot, desk, monkeypatch):
    from dkdesk.gui.app import create_main_window, show_fitting

    win = create_main_window(desk)
    qtbot.addWidget(win)
    designed = (win.width(), win.height())
    monkeypatch.setattr(win, "screen", lambda: _Screen(1920, 1040))
    show_fitting(win)
    qtbot.waitExposed(win)
    assert not win.isMaximized()
    assert (win.width(), win.height()) == designed == (1280, 760)
