"""One way of opening: the window first, in an opening state; the ``Desk`` on the worker; the tabs at hand-over.

Loading the database layer (SQLAlchemy, the models, a migration or the catalogue mirror when
needed) takes about half a second on an office PC. ``run_app`` therefore shows the main window
at once, with no tab yet: a centred "Đang mở cơ sở dữ liệu…" page, the status bar saying so,
the menus' actions disabled. ``start_opening`` opens the ``Desk`` on the single background
worker (``gui.tasks``) — every case alike: first run, a new file, an upgrade, a server
database, another program holding the file (read-only) — and ``hand_over`` gives it to the
window on the GUI thread (``MainWindow.desk_opened``), which builds the tabs over it. When the
open fails, ``failed(exc)`` is called instead (the caller explains and, for a damaged file,
offers the latest good backup: ``gui.recovery``).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QObject, Qt, Slot

from dkdesk.core.settings import Settings

if TYPE_CHECKING:
    from dkdesk.core.desk import Desk
    from dkdesk.gui.main_window import MainWindow
    from dkdesk.gui.tasks import BackgroundTask


def open_desk(db: str | Path | None, plan_path: str | Path | None, settings: Settings, plan: str | None = None) -> Desk:
    """Open the ``Desk`` (lock, integrity and schema check, catalogue) for plan code ``plan``
    (None: the plan file's when ``plan_path`` is given, else the newest). Touches no widget."""
    from dkdesk.core.desk import Desk

    return Desk.open(db, plan_path=plan_path, who=settings.user_name, plan=plan)


def hand_over(window: MainWindow, desk: Desk) -> None:
    """Give the opened ``Desk`` to the window (GUI thread); closes it if the window cannot take it."""
    try:
        window.desk_opened(desk)
    except Exception:
        desk.close()
        raise


class _Opening(QObject):
    """Lives on the GUI thread, so the worker's answer arrives there as a queued call."""

    def __init__(self, window: MainWindow, opened: Callable[[], None],
                 failed: Callable[[BaseException], None]) -> None:
        super().__init__(window)
        self.window, self.opened, self.failed = window, opened, failed

    @Slot(object)
    def succeeded(self, desk: object) -> None:
        try:
            hand_over(self.window, desk)  # type: ignore[arg-type]
        except Exception as exc:
            self.failed(exc)
            return
        self.opened()

    @Slot(object)
    def did_fail(self, exc: object) -> None:
        self.failed(exc)  # type: ignore[arg-type]


def start_opening(window: MainWindow, db: str | Path | None, plan_path: str | Path | None, settings: Settings,
                  opened: Callable[[], None], failed: Callable[[BaseException], None],
                  plan: str | None = None) -> BackgroundTask:
    """Open the ``Desk`` on the worker; ``opened()`` after the hand-over, or ``failed(exc)``."""
    return _start(window, lambda: open_desk(db, plan_path, settings, plan), opened, failed)


def start_recovering(window: MainWindow, damaged: Path, backup: Path, db: str | Path | None,
                     plan_path: str | Path | None, settings: Settings, opened: Callable[[], None],
                     failed: Callable[[BaseException], None], plan: str | None = None) -> BackgroundTask:
    """After the person chose to restore ``backup`` over the damaged file: restore, open and hand
    over, all but the hand-over on the worker."""
    from dkdesk.gui.recovery import recover_and_open

    window.statusBar().showMessage(f"Đang khôi phục {backup.name}…")
    return _start(window, lambda: recover_and_open(damaged, backup, lambda: open_desk(db, plan_path, settings, plan)),
                  opened, failed)


def _start(window: MainWindow, work: Callable[[], Desk], opened: Callable[[], None],
           failed: Callable[[BaseException], None]) -> BackgroundTask:
    from dkdesk.gui.tasks import BackgroundTask

    task = BackgroundTask(lambda _progress: work(), parent=window)
    receiver = _Opening(window, opened, failed)
    task.succeeded.connect(receiver.succeeded, Qt.ConnectionType.QueuedConnection)
    task.failed.connect(receiver.did_fail, Qt.ConnectionType.QueuedConnection)
    task.start()
    return task


def where_of(db: str | Path | None) -> str:
    """What the opening window names as the database (a server URL is not spelled out: it may hold a password)."""
    from dkdesk import paths

    chosen = str(paths.chosen_db(db))
    return "máy chủ cơ sở dữ liệu" if "://" in chosen and not chosen.startswith("sqlite") else chosen
