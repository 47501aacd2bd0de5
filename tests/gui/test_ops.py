"""The op helper: work on the worker thread, success/failure on the GUI thread, notify after a change."""
from __future__ import annotations

import threading

from dkdesk.gui.context import DataBus, GuiContext
from dkdesk.gui.ops import change, query, wait_ops


class _FakeDesk:
    def __init__(self) -> None:
        self.threads: list[str] = []

    def read(self) -> int:
        self.threads.append(threading.current_thread().name)
        return 42

    def broken(self) -> int:
        raise RuntimeError("database is locked")


def _ctx(desk) -> GuiContext:
    return GuiContext(desk=desk, settings=None, bus=DataBus())  # type: ignore[arg-type]


def test_query_runs_off_the_gui_thread_and_delivers_on_it(qtbot) -> None:
    desk = _FakeDesk()
    got: list[tuple[int, str]] = []
    query(None, _ctx(desk), lambda d: d.read()).success(
        lambda v: got.append((v, threading.current_thread().name))).run()
    assert wait_ops()
    assert got == [(42, threading.main_thread().name)]
    assert desk.threads and desk.threads[0] != threading.main_thread().name


def test_failure_goes_to_the_failure_callback_and_success_never_runs(qtbot) -> None:
    ok: list[int] = []
    errors: list[BaseException] = []
    query(None, _ctx(_FakeDesk()), lambda d: d.broken()).success(ok.append).failure(errors.append).run()
    assert wait_ops()
    assert ok == [] and len(errors) == 1 and "locked" in str(errors[0])


def test_change_notifies_the_bus_after_success_only(qtbot) -> None:
    ctx = _ctx(_FakeDesk())
    seen: list[tuple[str, str]] = []
    ctx.bus.changed.connect(lambda k, p: seen.append((k, p)))
    change(None, ctx, lambda d: d.read(), kind="values", period="2024-H1").run()
    change(None, ctx, lambda d: d.broken(), kind="values", period="2024-Y").failure(lambda e: None).run()
    assert wait_ops()
    assert seen == [("values", "2024-H1")]
