"""What every screen shares: the desk, the settings, the change bus, the working period."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QObject, Signal

from dkdesk.core.settings import Settings, save_settings

if TYPE_CHECKING:  # the window is drawn before the Desk's database library is loaded
    from dkdesk.catalogue.model import Plan
    from dkdesk.core.desk import Desk

# ``guard(code, go, stay)``: may the window move to period ``code``? Call ``go()`` when it may
# (perhaps later, e.g. after a save), ``stay()`` when it may not. Exactly one of them, once.
Guard = Callable[[str, Callable[[], None], Callable[[], None]], None]


class WorkingPeriod(QObject):
    """The period the person works on: ONE choice for the whole window, remembered in the
    settings (``last_period``) between runs.

    Every tab's period box shows ``code`` and follows ``period_changed(code)``. A box the person
    changes calls ``choose(code, stay)``: the guards (the entry tab, with unsaved figures) are asked
    first; only when each lets go does the choice change, else ``stay()`` puts that box back and
    nothing changes anywhere. ``set(code)`` changes it without asking (putting a choice back).
    """

    period_changed = Signal(str)

    def __init__(self, plan: Plan, settings: Settings | None, first: str) -> None:
        """Starts on the remembered period, else on ``first`` (the first run's choice)."""
        super().__init__()
        self.plan = plan
        self.settings = settings
        last = settings.last_period if settings is not None else ""
        self._code = last if last and plan.has_period(last) else first
        self._guards: list[Guard] = []
        self._telling = False  # period_changed is being emitted (a screen may set it back meanwhile)
        self._again = False

    @property
    def code(self) -> str:
        return self._code

    @property
    def name(self) -> str:
        return self.plan.period(self._code).name

    def add_guard(self, guard: Guard) -> None:
        self._guards.append(guard)

    def remove_guard(self, guard: Guard) -> None:
        if guard in self._guards:
            self._guards.remove(guard)

    def choose(self, code: str, stay: Callable[[], None] | None = None) -> None:
        """The person picked ``code``: ask the guards in turn, then change (or ``stay()``)."""
        if code == self._code or not self.plan.has_period(code):
            if stay is not None:
                stay()
            return
        guards = list(self._guards)

        def ask(i: int) -> None:
            if i == len(guards):
                self.set(code)
                return
            guards[i](code, lambda: ask(i + 1), stay or (lambda: None))

        ask(0)

    def set(self, code: str) -> None:
        """Make ``code`` the working period (remembered), and tell every screen. Set again while
        the screens are being told, every screen is told once more, with the latest choice."""
        if code == self._code or not self.plan.has_period(code):
            return
        self._code = code
        if self.settings is not None and self.settings.last_period != code:
            self.settings.last_period = code
            try:
                save_settings(self.settings)
            except OSError:
                pass  # remembering the period is a convenience, never a reason to fail
        if self._telling:
            self._again = True
            return
        self._telling = True
        try:
            self._again = True
            while self._again:
                self._again = False
                self.period_changed.emit(self._code)
        finally:
            self._telling = False


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
    working: WorkingPeriod | None = field(default=None, repr=False)

    @property
    def period(self) -> WorkingPeriod:
        """The working period of the window, made on first use: the remembered one, else (first
        run) the period whose deadline comes next, or the last one when every deadline passed."""
        if self.working is None:
            from dkdesk.indicators.overview import default_period

            self.working = WorkingPeriod(self.desk.plan, self.settings, default_period(self.desk))
        return self.working

    def notify(self, kind: str, period: str = "") -> None:
        self.bus.changed.emit(kind, period)
