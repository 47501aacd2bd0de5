"""Run a long piece of work in the background behind a Vietnamese progress dialog with Hủy.

``run_with_progress(parent, title, work, on_success, label=, on_cancel=, on_failure=)``: ``work``
runs on the worker thread; exactly one of ``on_success(result)``, ``on_cancel()`` or (after the
error has been shown to the person) ``on_failure(exc)`` then runs on the GUI thread. Every
callback is connected before the work starts, so none can be missed.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from dkdesk.gui.messages import show_error
from dkdesk.gui.tasks import BackgroundTask, Progress


def run_with_progress(parent: QWidget, title: str, work: Callable[[Progress], Any],
                      on_success: Callable[[Any], None], label: str = "Đang xử lý...",
                      on_cancel: Callable[[], None] | None = None,
                      on_failure: Callable[[BaseException], None] | None = None) -> BackgroundTask:
    dialog = QProgressDialog(label, "Hủy", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setMinimumWidth(420)
    task = BackgroundTask(work, parent)

    def progressed(done: int, total: int, text: str) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(done)
        if text:
            dialog.setLabelText(text)

    def succeeded(result: Any) -> None:
        dialog.reset()
        on_success(result)

    def failed(exc: BaseException) -> None:
        dialog.reset()
        show_error(parent, title, exc)
        if on_failure:
            on_failure(exc)

    def cancelled() -> None:
        dialog.reset()
        if on_cancel:
            on_cancel()

    task.progressed.connect(progressed)
    task.succeeded.connect(succeeded)
    task.failed.connect(failed)
    task.cancelled.connect(cancelled)
    dialog.canceled.connect(task.cancel)
    task.start()
    return task
