"""Starting the GUI: the QApplication, fonts, HiDPI, the first-run dialog, the main window."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from dkdesk import APP_TITLE
from dkdesk.core.desk import Desk
from dkdesk.core.settings import Settings, load_settings
from dkdesk.gui.context import DataBus, GuiContext
from dkdesk.gui.main_window import MainWindow

_FONT_CANDIDATES = ("Segoe UI", "Noto Sans", "DejaVu Sans", "Arial")


def ensure_app() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setApplicationName("dkdesk")
        app.setOrganizationName("UBND quận Dương Kinh")
        app.setApplicationDisplayName("dkdesk")
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
    ensure_app()
    settings = settings or load_settings()
    desk = db if isinstance(db, Desk) else Desk.open(db, plan_path=plan_path, who=settings.user_name)
    ctx = GuiContext(desk=desk, settings=settings, bus=DataBus(), read_only=desk.read_only)
    return MainWindow(ctx)


def run_app(db: str | None = None, plan_path: str | None = None, smoke: bool = False) -> int:
    app = ensure_app()
    settings = load_settings()
    try:
        window = create_main_window(db, plan_path, settings)
    except Exception as exc:
        from dkdesk.gui.messages import describe

        if smoke:
            sys.stderr.write(f"dkdesk: {describe(exc)}\n")
            return 1
        from dkdesk.gui.recovery import recover_on_start  # damaged: offer the latest good backup

        recovered = recover_on_start(exc, lambda: create_main_window(db, plan_path, settings))
        if recovered is None:
            return 1
        window = recovered
    if settings.first_run and not smoke:
        try:
            from dkdesk.gui.first_run import ask_first_run
        except ModuleNotFoundError:
            pass
        else:
            ask_first_run(window)
    window.show()
    if smoke:
        QTimer.singleShot(int(os.environ.get("DKDESK_SMOKE_MS", "400")), app.quit)
        if os.environ.get("DKDESK_SMOKE_REPORT"):  # benchmarks: the moment the window is up
            QTimer.singleShot(0, lambda: print("dkdesk: shown", file=sys.stderr, flush=True))
    code = app.exec()
    from dkdesk.safety.backup import backup_on_exit

    backup_on_exit(window.ctx.desk)  # once a day, rotated
    window.ctx.desk.close()
    return code


def main() -> int:  # the GUI script entry point
    return run_app()
