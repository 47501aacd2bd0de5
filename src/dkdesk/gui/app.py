"""Starting the GUI: the QApplication, fonts, HiDPI, the error hooks, the main window, the first-run dialog.

``run_app`` has one way of opening (``dkdesk.gui.startup``): the window is shown at once in an
opening state, the ``Desk`` is opened on the background worker, the tabs are built at the
hand-over; then, on the first day, the first-run dialog. A failed open is explained in
Vietnamese (a damaged file: the latest good backup is offered, ``gui.recovery``).
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
from dkdesk.gui.main_window import MainWindow

if TYPE_CHECKING:
    from dkdesk.core.desk import Desk

_FONT_CANDIDATES = ("Segoe UI", "Noto Sans", "DejaVu Sans", "Arial")


def use_office_font(app: QApplication) -> None:
    """The font of every screen: Segoe UI (or the first of the others found), at least 10 points."""
    families = set(QFontDatabase.families())
    for fam in _FONT_CANDIDATES:
        if fam in families:
            font = QFont(fam)
            font.setPointSizeF(max(app.font().pointSizeF(), 10.0))
            app.setFont(font)
            break


def ensure_app() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setApplicationName("dkdesk")
        app.setOrganizationName("UBND quận Dương Kinh")
        # no applicationDisplayName: Qt would append " - dkdesk" to every title, which already
        # starts with "dkdesk - " (APP_TITLE; seen in the Windows exe's title bar under Wine)
        app.setStyle("Fusion")
        use_office_font(app)
        try:
            from dkdesk.paths import asset

            app.setWindowIcon(QIcon(str(asset("resources/icons/dkdesk.png"))))
        except FileNotFoundError:
            pass
    from dkdesk.gui import keyboard
    from dkdesk.gui.translations import install

    install(app)  # Qt's own texts (text-field menus, standard buttons) in Vietnamese; once per app
    keyboard.install(app)  # Enter presses the focused button, everywhere; once per app
    return app  # type: ignore[return-value]


def create_main_window(db: str | Path | Desk | None = None, plan_path: str | Path | None = None,
                       settings: Settings | None = None) -> MainWindow:
    """The main window over a Desk opened here and now, not shown (tests, scripts)."""
    from dkdesk.core.desk import Desk
    from dkdesk.gui.startup import hand_over, open_desk

    ensure_app()
    settings = settings or load_settings()
    desk = db if isinstance(db, Desk) else open_desk(db, plan_path, settings)
    window = MainWindow(settings)
    hand_over(window, desk)
    return window


def run_app(db: str | None = None, plan_path: str | None = None, smoke: bool = False, plan: str | None = None) -> int:
    """The GUI over database ``db``; the working plan is code ``plan`` (``dkdesk --plan CODE gui``),
    else the plan file's when ``plan_path`` is given, else the newest in the database."""
    app = ensure_app()
    from dkdesk.gui.error_hooks import install_error_hooks
    from dkdesk.gui.startup import where_of

    install_error_hooks()  # an uncaught error is logged to dkdesk.log and told in Vietnamese
    settings = load_settings()
    window = MainWindow(settings, where_of(db))  # the opening state: the Desk is opened right after
    show_fitting(window)
    report = bool(os.environ.get("DKDESK_SMOKE_REPORT"))  # benchmarks: when the window is up, and ready
    QTimer.singleShot(0, lambda: _after_shown(window, db, plan_path, settings, smoke, report, plan))
    code = app.exec()
    if not window.opened:  # the Desk never opened (failed, or the window closed first)
        from dkdesk.gui.tasks import wait_idle

        wait_idle()  # let a Desk still opening finish before Python ends (it is then dropped)
        return code  # 1 when it failed (already told), 0 when the person closed the window first
    from dkdesk.gui.ops import wait_ops
    from dkdesk.safety.backup import backup_on_exit

    wait_ops(10000)  # what the screens asked for is done before the Desk closes
    backup_on_exit(window.ctx.desk)  # once a day, rotated
    window.ctx.desk.close()
    return code


def show_fitting(window: MainWindow) -> None:
    """Show the window maximised (above the taskbar: on a 1024x768 or 1366x768 office screen every
    pixel is needed), unless the person last left it smaller (``settings.window_size``, kept when
    the window closes) and that size still fits this screen's free area with its frame."""
    from dkdesk.gui.sizing import FRAME_H, FRAME_W, available_room

    room = available_room(window)
    width, _, height = window.settings.window_size.partition("x")
    if width.isdigit() and height.isdigit() and int(width) + FRAME_W <= room.width() \
            and int(height) + FRAME_H <= room.height():
        window.resize(int(width), int(height))
        window.move(room.x() + (room.width() - int(width) - FRAME_W) // 2,
                    room.y() + (room.height() - int(height) - FRAME_H) // 2)
        window.show()
    else:  # "restore" gives the designed size (1280x760), or less on a small screen
        window.resize(min(window.width(), room.width() - FRAME_W), min(window.height(), room.height() - FRAME_H))
        window.showMaximized()


def _after_shown(window: MainWindow, db: str | None, plan_path: str | None, settings: Settings,
                 smoke: bool, report: bool, plan: str | None = None) -> None:
    """The event loop's first turn: the window is up; open the Desk on the worker."""
    from dkdesk.gui.startup import start_opening, start_recovering

    if report:
        print("dkdesk: shown", file=sys.stderr, flush=True)

    def opened() -> None:
        if settings.first_run and not smoke:
            from dkdesk.gui.first_run import ask_first_run

            ask_first_run(window)
        _ready(window, smoke, report)

    def failed(exc: BaseException) -> None:
        from dkdesk.gui.messages import describe

        if smoke:
            sys.stderr.write(f"dkdesk: {describe(exc)}\n")
            QApplication.exit(1)
            return
        from dkdesk.gui.recovery import choose_recovery  # damaged: offer the latest good backup

        backup = choose_recovery(exc, window)
        damaged = getattr(exc, "path", None)
        if backup is None or damaged is None:
            QApplication.exit(1)
            return
        start_recovering(window, damaged, backup, db, plan_path, settings, opened, not_recovered, plan)

    def not_recovered(exc: BaseException) -> None:
        from dkdesk.gui.messages import describe

        QMessageBox.critical(window, APP_TITLE, describe(exc))
        QApplication.exit(1)

    start_opening(window, db, plan_path, settings, opened, failed, plan)


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
