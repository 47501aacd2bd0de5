"""What every screen shares: the desk, the settings, the change bus and the task runner."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from dkdesk.core.desk import Desk
from dkdesk.core.settings import Settings


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
