"""A quick start: the main window over a first look at the database, the ``Desk`` right after.

Loading the database layer (SQLAlchemy and the models) takes about half a second on an office
PC. When the database can be read as it is (``dkdesk.storage.first_look``: an existing SQLite
file, checked with ``quick_check``, at the newest schema, with the plan already mirrored), the
window is built over a ``PendingDesk`` that serves the first screen's reads from that look, is
shown, and ``start_opening`` then opens the real ``Desk`` on the background worker; it is
handed to the window on the GUI thread (``hand_over`` -> ``MainWindow.desk_opened``). Until
then the window cannot write: its actions and other tabs are disabled and the status bar says
the database is being opened. In every other case
(first run, new or older database, another plan, a server database, any doubt) the caller
opens the ``Desk`` first, as before.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from dkdesk.catalogue.loader import load_plan
from dkdesk.catalogue.model import Plan
from dkdesk.core.records import ReportStatus, UnitValues, default_who, period_name
from dkdesk.core.settings import Settings
from dkdesk.gui.context import DataBus, GuiContext
from dkdesk.gui.main_window import MainWindow
from dkdesk.storage.first_look import FirstLook, take_first_look

if TYPE_CHECKING:
    from dkdesk.core.desk import Desk
    from dkdesk.gui.tasks import BackgroundTask


class PendingDesk:
    """Stands in for the ``Desk`` while it opens: the reads the first screen makes, answered
    from a ``FirstLook``. It has no write method; the window allows no write meanwhile."""

    def __init__(self, plan: Plan, look: FirstLook, who: str) -> None:
        self.plan = plan
        self.who = who
        self._look = look

    @property
    def sqlite_path(self) -> Path:
        return self._look.path

    def statuses(self, period: str) -> dict[str, ReportStatus]:
        return dict(self._look.statuses[period])

    def get_values(self, unit: str, period: str) -> UnitValues:
        return self._look.unit_values(unit, period)

    def period_name(self, period: str) -> str:
        return period_name(self.plan, period)


def first_look_window(db: str | Path | None, plan_path: str | Path | None,
                      settings: Settings) -> MainWindow | None:
    """The main window over a first look (it cannot write until the ``Desk`` is handed over), or None
    when the database must be opened in full before anything is shown."""
    from dkdesk import paths
    from dkdesk.safety.integrity import check_path
    from dkdesk.storage.database import sqlite_file

    path = sqlite_file(db)
    if path is None or not path.is_file():
        return None
    check_path(path)  # a damaged file raises here, before anything of it is shown
    plan = load_plan(plan_path or paths.default_plan_path())
    look = take_first_look(path, plan)
    if look is None:
        return None
    desk = PendingDesk(plan, look, settings.user_name or default_who())
    ctx = GuiContext(desk=desk, settings=settings, bus=DataBus(), read_only=True,  # type: ignore[arg-type]
                     opening=True)
    return MainWindow(ctx)


def open_desk_for(first: PendingDesk, db: str | Path | None, plan_path: str | Path | None,
                  settings: Settings) -> Desk:
    """Open the ``Desk`` a first look stands in for (lock, schema check, catalogue), reusing its
    plan and its ``quick_check`` of a moment ago. Touches no widget: at a real start it runs on
    the background worker."""
    from dkdesk.core.desk import Desk

    return Desk.open(db, plan_path=plan_path, who=settings.user_name, plan=first.plan, checked=True)


def hand_over(window: MainWindow, desk: Desk) -> None:
    """Give the opened ``Desk`` to the window (GUI thread); closes it if the window cannot take it."""
    try:
        window.desk_opened(desk)
    except Exception:
        desk.close()
        raise


def finish_opening(window: MainWindow, db: str | Path | None, plan_path: str | Path | None,
                   settings: Settings) -> None:
    """Open the ``Desk`` and give it to the window, here and now (tests, scripts)."""
    hand_over(window, open_desk_for(window.ctx.desk, db, plan_path, settings))  # type: ignore[arg-type]


def start_opening(window: MainWindow, db: str | Path | None, plan_path: str | Path | None,
                  settings: Settings) -> BackgroundTask:
    """Open the ``Desk`` on the background worker, so that the window stays alive meanwhile
    (it can be moved, scrolled, and shows other units' figures from the first look). The
    caller connects ``succeeded`` (after the hand-over) and ``failed``, then starts it."""
    from dkdesk.gui.tasks import BackgroundTask

    first = window.ctx.desk
    return BackgroundTask(lambda _progress: open_desk_for(first, db, plan_path, settings),  # type: ignore[arg-type]
                          parent=window)
