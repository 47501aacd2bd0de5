"""What every screen shares: the desk, the settings, the change bus and the task runner."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from dkdesk.core.settings import Settings

if TYPE_CHECKING:  # the window is drawn before the Desk's database library is loaded
    from dkdesk.core.desk import Desk


class DataBus(QObject):
    """One signal tells every screen what changed; each decides whether to redraw.

    ``changed(kind, period)``: kind is "values", "status", "import", "restore" or "plan";
    period is the period code concerned ("" for all).
    """

    changed = Signal(str, str)


@dataclass
class GuiContext:
    desk: Desk
    settings: Settings
    bus: DataBus
    read_only: bool = False

    def notify(self, kind: str, period: str = "") -> None:
        self.bus.changed.emit(kind, period)
