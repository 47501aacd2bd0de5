"""The one door from a screen into the ``Desk``: an operation on the single background worker.

In the shape of Anki's ``CollectionOp`` / ``QueryOp`` (``qt/aqt/operations``)::

    query(self, self.ctx, lambda desk: desk.statuses(period)) \
        .success(self._show_statuses) \
        .run()

    change(self, self.ctx, lambda desk: desk.set_values(unit, period, raw), kind="values", period=period) \
        .success(self._saved) \
        .failure(self._not_saved) \
        .run()

* ``work(desk)`` runs on the one worker thread (``gui.tasks.pool``), so every database call of
  the GUI is serialised there, reads and writes alike; it must not touch widgets.
* Exactly one of ``success(result)`` or ``failure(exc)`` then runs on the GUI thread. A screen
  changes what it shows only in ``success``: a failed read leaves the screen as it was.
* Without a ``failure`` callback the error is shown to the person in Vietnamese
  (``messages.show_error``); with one, the callback decides (it may call ``show_error`` too).
* ``change`` ops announce ``ctx.notify(kind, period)`` after a success (before ``success`` runs
  is wrong: the screen that made the change redraws itself in ``success``; the others redraw on
  the bus). ``notify=False`` leaves the announcement to the caller.
* ``with_progress(label)`` shows a window-modal progress dialog with "Hủy"; ``work`` is then
  called as ``work(desk, progress)`` and may call ``progress.report(done, total, text)``, which
  raises ``Cancelled`` after Hủy (``cancelled(fn)`` runs instead of success or failure).
* ``run()`` starts it and returns the ``BackgroundTask``; ``pending_ops()`` counts the ops not yet
  finished (tests wait for it with ``wait_ops``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Generic, TypeVar

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from dkdesk.gui.tasks import BackgroundTask, Progress

if TYPE_CHECKING:
    from dkdesk.gui.context import GuiContext

T = TypeVar("T")

_pending: set["DeskOp[Any]"] = set()  # ops started and not yet finished (kept alive here too)


class _Receiver(QObject):
    """Lives on the GUI thread, so the worker's signals reach it as queued calls."""

    def __init__(self, op: "DeskOp[Any]") -> None:
        super().__init__()
        self.op = op

    @Slot(object)
    def succeeded(self, result: object) -> None:
        self.op._succeeded(result)

    @Slot(object)
    def failed(self, exc: object) -> None:
        self.op._failed(exc)  # type: ignore[arg-type]

    @Slot()
    def cancelled(self) -> None:
        self.op._cancelled()

    @Slot(int, int, str)
    def progressed(self, done: int, total: int, text: str) -> None:
        self.op._progressed(done, total, text)


class DeskOp(Generic[T]):
    """One call into the Desk on the worker; see the module docstring."""

    def __init__(self, parent: QWidget | None, ctx: "GuiContext", work: Callable[..., T], *,
                 title: str = "dkdesk", kind: str = "", period: str = "", notify: bool = True) -> None:
        self.parent = parent
        self.ctx = ctx
        self.work = work
        self.title = title
        self.kind = kind  # "" for a query: nothing to announce
        self.period = period
        self.notify = notify
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None
        self._on_cancel: Callable[[], None] | None = None
        self._label: str | None = None
        self._dialog: QProgressDialog | None = None
        self._receiver: _Receiver | None = None
        self.task: BackgroundTask | None = None

    # -- building ----------------------------------------------------------------------
    def success(self, fn: Callable[[T], None]) -> "DeskOp[T]":
        self._on_success = fn
        return self

    def failure(self, fn: Callable[[BaseException], None]) -> "DeskOp[T]":
        self._on_failure = fn
        return self

    def cancelled(self, fn: Callable[[], None]) -> "DeskOp[T]":
        self._on_cancel = fn
        return self

    def with_progress(self, label: str = "Đang xử lý...") -> "DeskOp[T]":
        self._label = label
        return self

    # -- running -------------------------------------------------------------------------
    def run(self) -> BackgroundTask:
        ctx, work, with_progress = self.ctx, self.work, self._label is not None

        def in_worker(progress: Progress) -> T:
            desk = ctx.desk  # the Desk at the time the work runs (after a hand-over, the real one)
            return work(desk, progress) if with_progress else work(desk)

        task = BackgroundTask(in_worker)
        receiver = _Receiver(self)
        task.succeeded.connect(receiver.succeeded, Qt.ConnectionType.QueuedConnection)
        task.failed.connect(receiver.failed, Qt.ConnectionType.QueuedConnection)
        task.cancelled.connect(receiver.cancelled, Qt.ConnectionType.QueuedConnection)
        task.progressed.connect(receiver.progressed, Qt.ConnectionType.QueuedConnection)
        self.task, self._receiver = task, receiver
        if with_progress:
            dialog = QProgressDialog(self._label or "", "Hủy", 0, 0, self.parent)
            dialog.setWindowTitle(self.title)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(300)
            dialog.setMinimumWidth(420)
            dialog.canceled.connect(task.cancel)
            self._dialog = dialog
        _pending.add(self)
        task.start()
        return task

    def _finish(self) -> None:
        if self._dialog is not None:
            self._dialog.reset()
            self._dialog.deleteLater()
            self._dialog = None
        _pending.discard(self)

    def _succeeded(self, result: T) -> None:
        self._finish()
        if self.kind and self.notify:
            self.ctx.notify(self.kind, self.period)
        if self._on_success is not None:
            self._on_success(result)

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        if self._on_failure is not None:
            self._on_failure(exc)
            return
        from dkdesk.gui.messages import show_error

        show_error(self.parent, self.title, exc)

    def _cancelled(self) -> None:
        self._finish()
        if self._on_cancel is not None:
            self._on_cancel()

    def _progressed(self, done: int, total: int, text: str) -> None:
        dialog = self._dialog  # setValue() of a modal dialog processes events: the op may finish meanwhile
        if dialog is None:
            return
        if text:
            dialog.setLabelText(text)
        dialog.setMaximum(max(total, 0))
        dialog.setValue(done)


def query(parent: QWidget | None, ctx: "GuiContext", work: Callable[..., T], *, title: str = "dkdesk") -> DeskOp[T]:
    """A read: ``work(desk) -> T`` on the worker; nothing is announced."""
    return DeskOp(parent, ctx, work, title=title)


def change(parent: QWidget | None, ctx: "GuiContext", work: Callable[..., T], *, kind: str, period: str = "",
           title: str = "dkdesk", notify: bool = True) -> DeskOp[T]:
    """A write: ``work(desk) -> T`` on the worker (one Desk method = one transaction); after a
    success ``ctx.notify(kind, period)`` tells every screen."""
    return DeskOp(parent, ctx, work, title=title, kind=kind, period=period, notify=notify)


def pending_ops() -> int:
    return len(_pending)


def wait_ops(timeout_ms: int = 30000) -> bool:
    """Process events until every started op has delivered its result (tests, shutdown)."""
    from PySide6.QtCore import QDeadlineTimer, QThread

    deadline = QDeadlineTimer(timeout_ms)
    app = QApplication.instance()
    while _pending and not deadline.hasExpired():
        if app is not None:
            app.processEvents()
        QThread.msleep(5)
    if app is not None:
        app.processEvents()
    return not _pending
