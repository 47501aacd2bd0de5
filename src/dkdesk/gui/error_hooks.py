"""Nothing unexpected is lost: uncaught errors are logged and told in Vietnamese, never as a traceback.

``install_error_hooks()`` (called by ``run_app`` at start) sets

* ``sys.excepthook`` (an exception escaping a slot or a callback on the GUI thread) and
  ``threading.excepthook`` (a Python thread): the traceback goes to the log file
  (``dkdesk.logs``) and a Vietnamese message box (``errorBox``, not modal, at most one at a time)
  names the file the person can send;
* a Qt message handler: Qt's own warnings are written to the log file only (most are harmless).
"""
from __future__ import annotations

import logging
import sys
import threading
from types import TracebackType

from PySide6.QtCore import QObject, QtMsgType, Signal, Slot, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

from dkdesk import APP_TITLE
from dkdesk.logs import install_file_logging, log_exception

qt_log = logging.getLogger("dkdesk.qt")
_QT_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}


def error_text(exc: BaseException, log: str) -> str:
    return (f"Đã xảy ra lỗi không mong đợi: {type(exc).__name__}: {exc}\n\n"
            "Dữ liệu đã lưu không bị thay đổi. Nếu lỗi lặp lại, hãy gửi tệp nhật ký lỗi cho người hỗ trợ:\n"
            f"{log}")


class _Teller(QObject):
    """Lives on the GUI thread; ``tell`` may be emitted from any thread."""

    tell = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.box: QMessageBox | None = None
        self.tell.connect(self._show)

    @Slot(str)
    def _show(self, text: str) -> None:
        if self.box is not None and self.box.isVisible():
            return  # one box at a time; every error is in the log
        box = QMessageBox(QMessageBox.Icon.Critical, APP_TITLE, text, QMessageBox.StandardButton.Ok,
                          QApplication.activeWindow())
        box.setObjectName("errorBox")
        box.button(QMessageBox.StandardButton.Ok).setText("Đóng")
        box.show()
        self.box = box


_teller: _Teller | None = None


def report(exc: BaseException) -> str:
    """Log ``exc`` and tell the person (from any thread); returns the message shown."""
    text = error_text(exc, log_exception(exc))
    if _teller is not None and QApplication.instance() is not None:
        _teller.tell.emit(text)
    return text


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    if exc.__traceback__ is None:
        exc = exc.with_traceback(tb)
    report(exc)


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None or issubclass(args.exc_type, SystemExit):
        return
    report(args.exc_value)


def _qt_message(kind: QtMsgType, context: object, message: str) -> None:
    qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)


def install_error_hooks() -> None:
    """At start (GUI thread, after the QApplication exists)."""
    global _teller
    install_file_logging()
    if _teller is None:
        _teller = _Teller()
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook
    qInstallMessageHandler(_qt_message)
