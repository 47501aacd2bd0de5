"""Starting the GUI: the QApplication, fonts, HiDPI, the first-run dialog, the main window.

``run_app`` shows the window over a first look at the database when it can (quick start,
``dkdesk.gui.startup``) and opens the ``Desk`` on the background worker right after; otherwise
it opens the ``Desk`` first (first run, new or older database, server database, damaged file).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from dkdesk import APP_TITLE
from dkdesk.core.settings import Settings, load_settings
from dkdesk.gui.context import DataBus, GuiContext
from dkdesk.gui.main_window import MainWindow

if TYPE_CHECKING:
    from dkdesk.core.desk import Desk

_FONT_CANDIDATES = ("Segoe UI", "Noto Sans", "DejaVu Sans", "Arial")


def ensure_app() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setApplicationName("dkdesk")
        app.setOrganizationName("UBND quận Dương Kinh")
        # no applicationDisplayName: Qt would append " - dkdesk" to every title, which already
        # starts with "dkdesk - " (APP_TITLE; seen in the Windows exe's title bar under Wine)
        app.setStyle("Fusion")
        families = set(QFontDatabase.families())
        for fam in _FONT_CANDIDATES:
            if fam in families:
                font = QFont(fam)
                font.setPointSizeF(max(app.font().pointSizeF(), 10.0))
                app.setFont(font)
                break
        try:
            from dkdesk.paths import asset

            app.setWindowIcon(QIcon(str(asset("resources/icons/dkdesk.png"))))
        except FileNotFoundError:
            pass
    return app  # type: ignore[return-value]


def create_main_window(db: str | Path | Desk | None = None, plan_path: str | Path | None = None,
                       settings: Settings | None = None) -> MainWindow:
    """Build the main window over a database without showing it (tests use this)."""
    from dkdesk.core.desk import Desk

    ensure_app()
    settings = settings or load_settings()
    desk = db if isinstance(db, Desk) else Desk.open(db, plan_path=plan_path, who=settings.user_name)
    ctx = GuiContext(desk=desk, settings=settings, bus=DataBus(), read_only=desk.read_only)
    return MainWindow(ctx)


def run_app(db: str | None = None, plan_path: str | None = None, smoke: bool = False) -> int:
    app = ensure_app()
    settings = load_settings()
    window = None
    if not settings.first_run:
        window = _quick_start_window(db, plan_path, settings)
    if window is None:
        window = _opened_window(db, plan_path, settings, smoke)
        if window is None:
            return 1
    if settings.first_run and not smoke:
        from dkdesk.gui.first_run import ask_first_run

        ask_first_run(window)
    show_fitting(window)
    report = bool(os.environ.get("DKDESK_SMOKE_REPORT"))  # benchmarks: when the window is up, and ready
    QTimer.singleShot(0, lambda: _after_shown(window, db, plan_path, settings, smoke, report))
    code = app.exec()
    if window.ctx.opening:  # the Desk never opened (failed, or the window closed first)
        from dkdesk.gui.tasks import wait_idle

        wait_idle()  # let a Desk still opening finish before Python ends (it is then dropped)
        return code  # 1 when it failed (already told), 0 when the person closed the window first
    from dkdesk.safety.backup import backup_on_exit

    backup_on_exit(window.ctx.desk)  # once a day, rotated
    window.ctx.desk.close()
    return code


def show_fitting(window: MainWindow) -> None:
    """Show the window; maximized when its designed size (1280x760) and a title bar do not fit
    the screen's free area: on a 1366x768 office laptop, under the taskbar, the save buttons and
    the status bar would otherwise lie below the screen (seen in the Windows exe under Wine)."""
    screen = window.screen()
    room = screen.availableGeometry() if screen is not None else None
    title_bar = 40  # the frame is not known before the first show
    if room is not None and (window.width() > room.width() or window.height() + title_bar > room.height()):
        window.showMaximized()
    else:
        window.show()


def _quick_start_window(db: str | None, plan_path: str | None, settings: Settings) -> MainWindow | None:
    from dkdesk.gui.startup import first_look_window

    try:
        return first_look_window(db, plan_path, settings)
    except Exception:  # damaged, unreadable, a bad plan...: the full open says what and offers a way out
        return None


def _opened_window(db: str | None, plan_path: str | None, settings: Settings, smoke: bool) -> MainWindow | None:
    """The window over a Desk opened first; None (after telling the user) when it cannot open."""
    try:
        return create_main_window(db, plan_path, settings)
    except Exception as exc:
        from dkdesk.gui.messages import describe

        if smoke:
            sys.stderr.write(f"dkdesk: {describe(exc)}\n")
            return None
        from dkdesk.gui.recovery import recover_on_start  # damaged: offer the latest good backup

        return recover_on_start(exc, lambda: create_main_window(db, plan_path, settings))


def _after_shown(window: MainWindow, db: str | None, plan_path: str | None, settings: Settings,
                 smoke: bool, report: bool) -> None:
    """The event loop's first turn: the window is up; open the Desk if it is still opening."""
    if report:
        print("dkdesk: shown", file=sys.stderr, flush=True)
    if not window.ctx.opening:
        _ready(window, smoke, report=False)
        return
    from dkdesk.gui.startup import hand_over, start_opening

    task = start_opening(window, db, plan_path, settings)

    def opened(desk) -> None:  # noqa: ANN001 - on the GUI thread
        try:
            hand_over(window, desk)
        except Exception as exc:
            failed(exc)
            return
        _ready(window, smoke, report)

    def failed(exc: BaseException) -> None:
        from dkdesk.gui.messages import describe

        if smoke:
            sys.stderr.write(f"dkdesk: {describe(exc)}\n")
        else:
            QMessageBox.critical(window, APP_TITLE, "Không mở được cơ sở dữ liệu.\n\n" + describe(exc))
        QApplication.exit(1)

    task.succeeded.connect(opened)
    task.failed.connect(failed)
    task.start()


def _ready(window: MainWindow, smoke: bool, report: bool) -> None:
    """The Desk is open. Smoke runs (tests, benchmarks) end a moment later."""
    if report:
        print("dkdesk: ready", file=sys.stderr, flush=True)
    if not smoke:
        return
    if os.environ.get("DKDESK_SMOKE_TABS"):
        _visit_every_tab(window)
    QTimer.singleShot(int(os.environ.get("DKDESK_SMOKE_MS", "400")), QApplication.quit)


def _visit_every_tab(window: MainWindow) -> None:
    """``DKDESK_SMOKE_TABS=1`` with ``gui --smoke``: build every tab and open the guide, so that a
    bundle missing a Qt module, a plugin or a file fails its smoke test (tests, CI)."""
    for index in range(window.tab_widget.count()):
        window.tab_widget.setCurrentIndex(index)
        QApplication.processEvents()
    from dkdesk.gui.help_dialog import HelpDialog

    guide = HelpDialog(window)
    guide.show()
    QApplication.processEvents()
    guide.close()
    print(f"dkdesk: {window.tab_widget.count()} tabs and the guide shown", file=sys.stderr, flush=True)


def main() -> int:  # the GUI script entry point
    return run_app()
