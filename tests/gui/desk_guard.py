"""A runtime check that a screen reaches the database only from the worker thread (``gui.ops``).

``desk_guard`` (a fixture; import it into a test module) wraps the Desk's sessions (``read`` /
``write``) and listens to every connection its engine hands out: a call on the GUI thread is
refused (AssertionError) and recorded, and the test fails at teardown if there was one, even when
a Qt slot swallowed the error. Indirect calls (a core function such as ``overview_page`` that
reads through the Desk) are caught too. The test itself sets up and checks the database inside
``with desk_guard.allowed():``.
"""
from __future__ import annotations

import threading
import traceback
from contextlib import contextmanager
from typing import Iterator

import pytest
from sqlalchemy import event

from dkdesk.core.desk import Desk


class DeskGuard:
    def __init__(self) -> None:
        self.violations: list[str] = []
        self._allowed = 0

    @contextmanager
    def allowed(self) -> Iterator[None]:
        """The test's own reads and writes (set-up and checks) on the GUI thread."""
        self._allowed += 1
        try:
            yield
        finally:
            self._allowed -= 1

    def check(self, what: str) -> None:
        if self._allowed or threading.current_thread() is not threading.main_thread():
            return
        self.violations.append(f"{what} on the GUI thread:\n{''.join(traceback.format_stack(limit=12))}")
        raise AssertionError(f"{what} on the GUI thread (outside a gui.ops op)")


@pytest.fixture
def desk_guard(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> Iterator[DeskGuard]:
    guard = DeskGuard()
    for name in ("read", "write"):
        original = getattr(Desk, name)

        def wrapped(self: Desk, *a: object, _original=original, _name=name, **k: object):  # noqa: ANN202
            guard.check(f"Desk.{_name}()")
            return _original(self, *a, **k)

        monkeypatch.setattr(Desk, name, wrapped)

    def checkout(*_args: object) -> None:
        guard.check("a database connection")

    event.listen(desk.engine, "checkout", checkout)
    yield guard
    event.remove(desk.engine, "checkout", checkout)
    assert not guard.violations, "\n\n".join(guard.violations)
