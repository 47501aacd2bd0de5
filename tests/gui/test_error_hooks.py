"""An error nobody caught: written to dkdesk.log with its traceback, told in Vietnamese, never lost."""
from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtCore import Qt, qInstallMessageHandler, qWarning
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from dkdesk.gui import error_hooks
from dkdesk.logs import log_path


def error_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.objectName() == "errorBox" and w.isVisible()]


@pytest.fixture
def hooks(monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    error_hooks.install_error_hooks()
    yield
    qInstallMessageHandler(None)
    for box in error_boxes():
        box.close()


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_is_logged_and_shown_in_vietnamese(qtbot, hooks):
    button = QPushButton("Tính")
    qtbot.addWidget(button)
    button.show()

    def broken_slot() -> None:
        raise RuntimeError("phép tính hỏng")

    button.clicked.connect(broken_slot)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(error_boxes()))
    [box] = error_boxes()
    assert "Đã xảy ra lỗi không mong đợi" in box.text() and "phép tính hỏng" in box.text()
    assert str(log_path()) in box.text() and "Traceback" not in box.text()
    log = log_path().read_text(encoding="utf-8")
    assert "Traceback" in log and "broken_slot" in log and "RuntimeError: phép tính hỏng" in log


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_thread_is_logged_and_shown(qtbot, hooks):
    def work() -> None:
        raise ValueError("luồng phụ hỏng")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: bool(error_boxes()))
    assert "luồng phụ hỏng" in error_boxes()[0].text()
    assert "ValueError: luồng phụ hỏng" in log_path().read_text(encoding="utf-8")


def test_qt_warnings_go_to_the_log_only(qtbot, hooks):
    qWarning("cảnh báo nhỏ của Qt")
    QApplication.processEvents()
    assert "cảnh báo nhỏ của Qt" in log_path().read_text(encoding="utf-8")
    assert error_boxes() == []


def test_log_exception_is_still_reachable_from_the_cli():
    """The log file lives in dkdesk.logs (tests/test_layers.py keeps gui/ from importing cli/)."""
    from dkdesk.cli.main import log_exception as from_cli
    from dkdesk.logs import log_exception

    assert from_cli is log_exception
