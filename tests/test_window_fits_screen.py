"""The main window fits the office screens: it opens maximised (above the taskbar), on a 1024x768
or 1366x768 screen as on a large one, unless the person last left it smaller and that size still
fits; "restore" never gives a window larger than the screen."""
from __future__ import annotations

from PySide6.QtCore import QRect

from dkdesk.core.settings import load_settings


class _Screen:
    def __init__(self, width: int, height: int) -> None:
        self.room = QRect(0, 0, width, height)

    def availableGeometry(self) -> QRect:  # noqa: N802 - Qt's name
        return self.room


def _window(qtbot, desk, monkeypatch, width: int, height: int):  # noqa: ANN202
    from dkdesk.gui.app import create_main_window

    win = create_main_window(desk, settings=load_settings())
    qtbot.addWidget(win)
    monkeypatch.setattr(win, "screen", lambda: _Screen(width, height))
    return win


def test_on_a_1366x768_laptop_the_window_opens_maximized(qtbot, desk, monkeypatch):
    from dkdesk.gui.app import show_fitting

    win = _window(qtbot, desk, monkeypatch, 1366, 728)  # 768 less a 40-pixel taskbar
    show_fitting(win)
    qtbot.waitExposed(win)
    assert win.isMaximized()


def test_on_a_1024x768_screen_restore_gives_a_window_that_fits(qtbot, desk, monkeypatch):
    from dkdesk.gui.app import show_fitting

    win = _window(qtbot, desk, monkeypatch, 1024, 728)
    show_fitting(win)
    qtbot.waitExposed(win)
    assert win.isMaximized()
    normal = win.normalGeometry()
    assert normal.width() <= 1024 - 16 and normal.height() <= 728 - 40


def test_on_a_large_screen_too_the_window_opens_maximized(qtbot, desk, monkeypatch):
    from dkdesk.gui.app import show_fitting

    win = _window(qtbot, desk, monkeypatch, 1920, 1040)
    show_fitting(win)
    qtbot.waitExposed(win)
    assert win.isMaximized()


def test_the_size_the_person_left_it_at_is_kept_while_it_fits(qtbot, desk, monkeypatch):
    from dkdesk.gui.app import show_fitting

    first = _window(qtbot, desk, monkeypatch, 1920, 1040)
    first.show()
    qtbot.waitExposed(first)
    first.resize(1200, 700)  # the person made it smaller, then closed dkdesk
    first.close()
    assert load_settings().window_size == "1200x700"

    again = _window(qtbot, desk, monkeypatch, 1920, 1040)
    show_fitting(again)
    qtbot.waitExposed(again)
    assert not again.isMaximized()
    assert (again.width(), again.height()) == (1200, 700)
    again.close()

    # the same data folder (USB stick) on a 1024x768 office PC: that size does not fit, maximised
    small = _window(qtbot, desk, monkeypatch, 1024, 728)
    show_fitting(small)
    qtbot.waitExposed(small)
    assert small.isMaximized()
    small.close()
    assert load_settings().window_size == ""  # closed maximised: maximised next time
