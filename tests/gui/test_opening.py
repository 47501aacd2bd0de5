"""One way of opening: the window at once in an opening state, the Desk on the worker, the tabs at hand-over."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QLabel

from dkdesk.core.settings import ROLE_CONSOLIDATOR, Settings
from dkdesk.gui.main_window import MainWindow
from dkdesk.gui.ops import wait_ops
from dkdesk.gui.startup import start_opening, where_of
from tests.conftest import PLAN_PATH, ROOT, fill_unit
from tests.gui.entry_helpers import ctrl_s, editor, pick_unit, type_into

SETTINGS = Settings(user_name="Chị Lan", role=ROLE_CONSOLIDATOR, last_period="2024-H1")


def _existing_database(desk) -> Path:
    fill_unit(desk, "CA", "2024-H1", {"tin_bao_tiep_nhan": 27})
    desk.set_status("CA", "2024-H1", "submitted")
    path = desk.sqlite_path
    desk.close()  # as on any day but the first: the file exists, closed by yesterday's session
    return path


def _opening_window(qtbot, path) -> MainWindow:
    window = MainWindow(SETTINGS, where_of(path))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_window_opens_first_then_the_desk_on_the_worker_then_the_tabs(qtbot, desk) -> None:
    path = _existing_database(desk)
    window = _opening_window(qtbot, path)
    # the opening state: nothing to read or write yet, and the window says so
    assert window.findChild(QLabel, "openingPage").isVisible()
    assert window.statusBar().findChild(QLabel, "openingLabel").text() == "Đang mở cơ sở dữ liệu…"
    assert str(path) in window.db_label.text()
    assert not window.tab_widget.isVisible() and len(window.tabs_by_title) == 0
    assert not window.actions_by_name["actionSave"].isEnabled()
    assert window.actions_by_name["actionQuit"].isEnabled()
    ctrl_s(window)  # nothing happens, nothing breaks
    outcome: list[object] = []
    task = start_opening(window, path, PLAN_PATH, SETTINGS, lambda: outcome.append("opened"), outcome.append)
    with qtbot.waitSignal(task.finished, timeout=60000):
        pass
    qtbot.waitUntil(lambda: outcome == ["opened"], timeout=10000)
    assert wait_ops()
    # the hand-over: tabs over the real Desk, the opening state gone
    assert window.opened and type(window.ctx.desk).__name__ == "Desk" and not window.ctx.read_only
    assert window.findChild(QLabel, "openingLabel") is None and window.findChild(QLabel, "openingPage") is None
    assert window.tab_widget.isVisible() and window.actions_by_name["actionSave"].isEnabled()
    assert "Kế hoạch:" in window.db_label.text()
    tab = window.tabs_by_title["Nhập liệu"]
    pick_unit(qtbot, tab, "CA")
    assert editor(tab, "tin_bao_tiep_nhan").text() == "27" and "Đã nộp" in tab.unit_items()["CA"].text(1)
    window.activateWindow()
    qtbot.waitActive(window)
    type_into(qtbot, tab, "tin_bao_tiep_nhan", "28")
    ctrl_s(window)
    assert window.ctx.desk.get_values("CA", "2024-H1").values["tin_bao_tiep_nhan"] == 28
    window.tab_widget.setCurrentIndex(3)  # the other tabs are built over the same Desk
    assert window.tabs_by_title["Nhật ký"].ctx.desk is window.ctx.desk
    window.ctx.desk.close()


def test_a_database_that_cannot_open_is_told_and_no_tab_is_built(qtbot, tmp_path: Path) -> None:
    bad = tmp_path / "hỏng.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    window = _opening_window(qtbot, bad)
    outcome: list[object] = []
    task = start_opening(window, bad, PLAN_PATH, SETTINGS, lambda: outcome.append("opened"), outcome.append)
    with qtbot.waitSignal(task.finished, timeout=60000):
        pass
    qtbot.waitUntil(lambda: bool(outcome), timeout=10000)
    assert isinstance(outcome[0], Exception) and not window.opened
    assert len(window.tabs_by_title) == 0 and not window.actions_by_name["actionSave"].isEnabled()


def test_a_second_program_becomes_read_only_at_the_hand_over(qtbot, desk) -> None:
    path = _existing_database(desk)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\nfrom dkdesk.core.desk import Desk\n"
         f"d = Desk.open({str(path)!r}, plan_path={str(PLAN_PATH)!r}, who='Anh Minh')\n"
         "print('open', flush=True)\nsys.stdin.readline()\nd.close()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    try:
        assert holder.stdout.readline().strip() == "open"
        window = _opening_window(qtbot, path)
        outcome: list[object] = []
        start_opening(window, path, PLAN_PATH, SETTINGS, lambda: outcome.append("opened"), outcome.append)
        qtbot.waitUntil(lambda: bool(outcome), timeout=60000)
        assert outcome == ["opened"] and wait_ops()
        assert window.ctx.read_only
        label = window.findChild(QLabel, "readOnlyLabel")
        assert label is not None and "Anh Minh" in label.toolTip()
        tab = window.tabs_by_title["Nhập liệu"]
        assert tab.form.read_only and not tab.save_button.isEnabled()
        window.ctx.desk.close()
    finally:
        holder.communicate("\n", timeout=30)


SMOKE = """
import sys
write = sys.stderr.write
def spy(text):
    if text.startswith("dkdesk: shown") or text.startswith("dkdesk: ready"):
        print(text.split()[1], "sqlalchemy" if "sqlalchemy" in sys.modules else "-", flush=True)
    return write(text)
sys.stderr.write = spy
from dkdesk.cli.main import main
sys.exit(main(["--db", sys.argv[1], "gui", "--smoke"]))
"""


def _smoke(path: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    settings = tmp_path / "settings.json"
    settings.write_text('{"user_name": "Chị Lan", "role": "consolidator"}', encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "QT_QPA_PLATFORM": "offscreen",
           "DKDESK_SMOKE_MS": "50", "DKDESK_SMOKE_REPORT": "1", "DKDESK_SETTINGS": str(settings)}
    return subprocess.run([sys.executable, "-c", SMOKE, str(path)], capture_output=True, text=True,
                          env=env, timeout=120)


def test_the_window_is_shown_before_the_database_layer_loads(desk, tmp_path: Path) -> None:
    result = _smoke(_existing_database(desk), tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["shown -", "ready sqlalchemy"]


def test_a_new_database_opens_the_same_way(tmp_path: Path) -> None:
    path = tmp_path / "ngày-đầu.sqlite"
    result = _smoke(path, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["shown -", "ready sqlalchemy"] and path.is_file()


def test_smoke_over_a_database_that_cannot_open_exits_1_in_vietnamese(tmp_path: Path) -> None:
    bad = tmp_path / "hỏng.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    result = _smoke(bad, tmp_path)
    assert result.returncode == 1
    assert "shown" in result.stdout and "ready" not in result.stdout
    assert "dkdesk:" in result.stderr and "Traceback" not in result.stderr and "hỏng" in result.stderr
