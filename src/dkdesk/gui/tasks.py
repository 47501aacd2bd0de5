"""Long work off the GUI thread: one single-worker runner, progress and cancel.

Usage::

    task = BackgroundTask(work, parent=self)      # work(progress) -> result
    task.succeeded.connect(...); task.failed.connect(...)
    task.start()

``work`` receives a ``Progress`` whose ``report(done, total, text)`` may raise ``Cancelled``
when the person pressed Hủy. ``work`` must not touch widgets. Results and errors arrive on
the GUI thread through signals. All tasks share one worker thread, so database writes are
serialised (like Anki's taskman).
"""
from __future__ import annotations

import threading
from typing import Any, Callable

from PySide6.QtCore import QObject, QThreadPool, QRunnable, Signal, Slot


class Cancelled(Exception):
    """The person cancelled; the work must leave everything as it was."""


class Progress:
    def __init__(self, task: "BackgroundTask") -> None:
        self._task = task
        self.cancel_event = threading.Event()

    def report(self, done: int, total: int, text: str = "") -> None:
        if self.cancel_event.is_set():
            raise Cancelled()
        self._task.progressed.emit(done, total, text)

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()


_pool: QThreadPool | None = None


def pool() -> QThreadPool:
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
    return _pool


class _Runnable(QRunnable):
    def __init__(self, task: "BackgroundTask") -> None:
        super().__init__()
        self.task = task
        self.setAutoDelete(True)

    def run(self) -> None:
        t = self.task
        try:
            result = t.work(t.progress)
        except Cancelled:
            t.cancelled.emit()
        except BaseException as exc:  # delivered to the GUI, never raised in the worker
            t.failed.emit(exc)
        else:
            t.succeeded.emit(result)
        finally:
            t.finished.emit()


class BackgroundTask(QObject):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, work: Callable[[Progress], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.progress = Progress(self)

    def start(self) -> None:
        pool().start(_Runnable(self))

    @Slot()
    def cancel(self) -> None:
        self.progress.cancel_event.set()


def wait_idle(msecs: int = 30000) -> bool:
    """Block until the worker is idle (tests and shutdown)."""
    return pool().waitForDone(msecs)
