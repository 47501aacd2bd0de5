"""The quick start: the window first, over a first look at the database; the Desk right after."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QToolButton

from dkdesk.core.settings import ROLE_CONSOLIDATOR, Settings
from dkdesk.gui.ops import wait_ops
from dkdesk.gui.startup import PendingDesk, finish_opening, first_look_window, hand_over, start_opening
from tests.conftest import PLAN_PATH, ROOT, fill_unit
from tests.gui.entry_helpers import ctrl_s, editor, pick_unit, type_into

SETTINGS = Settings(user_name="Chị Lan", role=ROLE_CONSOLIDATOR)


def _existing_database(desk) -> Path:
    fill_unit(desk, "CA", "2024-H1", {"tin_bao_tiep_nhan": 27})
    desk.set_status("CA", "2024-H1", "submitted")
    path = desk.sqlite_path
    desk.close()  # as on any day but the first: the file exists, closed by yesterday's session
    return path


def test_window_shows_the_figures_first_then_opens_the_desk_and_saves(qtbot, desk) -> None:
    path = _existing_database(desk)
    window = first_look_window(path, PLAN_PATH, SETTINGS)
    assert window is not None
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    tab = window.tabs_by_title["Nhập liệu"]
    # the first screen: the figures and statuses as stored, nothing writable yet
    assert isinstance(window.ctx.desk, PendingDesk) and window.ctx.opening
    pick_unit(qtbot, tab, "CA")
    assert editor(tab, "tin_bao_tiep_nhan").text() == "27"
    assert tab.unit_items()["CA"].text(1) == "Đã nộp"
    assert tab.form.read_only and not tab.save_button.isEnabled()
    assert not window.actions_by_name["actionSave"].isEnabled()
    assert not window.tab_widget.tabBar().isEnabled()
    assert window.statusBar().findChild(QLabel, "openingLabel") is not None
    assert window.findChild(QLabel, "readOnlyLabel") is None  # opening is not "read-only"
    history = tab.form.findChild(QToolButton, "history_tin_bao_tiep_nhan")
    tab.scroll.ensureWidgetVisible(history)
    qtbot.mouseClick(history, Qt.MouseButton.LeftButton)  # the window is alive: a person may click
    assert "Đang mở cơ sở dữ liệu" in tab.message.text()
    assert not [w for w in QApplication.topLevelWidgets() if w.objectName() == "historyDialog" and w.isVisible()]

    from dkdesk.core.desk import Desk

    with Desk.open(path, plan_path=PLAN_PATH) as other:  # a figure changes between the look and the open
        other.set_values("CA", "2024-H1", {"tin_bao_tiep_nhan": 29})
    finish_opening(window, path, PLAN_PATH, SETTINGS)
    assert wait_ops()
    assert not window.ctx.opening and not window.ctx.read_only
    assert editor(tab, "tin_bao_tiep_nhan").text() == "29"  # read again through the Desk
    assert type(window.ctx.desk).__name__ == "Desk"
    assert not [w for w in window.statusBar().findChildren(QLabel, "openingLabel") if w.isVisible()]
    assert window.actions_by_name["actionSave"].isEnabled() and window.tab_widget.tabBar().isEnabled()
    assert tab.unit == "CA" and not tab.form.read_only and tab.save_button.isEnabled()
    # a person now types and saves with Ctrl+S: written through the real Desk
    window.activateWindow()
    qtbot.waitActive(window)
    type_into(qtbot, tab, "tin_bao_tiep_nhan", "28")
    ctrl_s(window)
    assert window.ctx.desk.get_values("CA", "2024-H1").values["tin_bao_tiep_nhan"] == 28
    window.tab_widget.setCurrentIndex(3)  # the other tabs are built over the real Desk
    journal = window.tabs_by_title["Nhật ký"]
    assert journal.ctx.desk is window.ctx.desk
    window.ctx.desk.close()


def test_the_desk_opens_on_the_worker_while_the_window_answers(qtbot, desk) -> None:
    """As at a real start: the Desk opens in the background; the person may already click."""
    fill_unit(desk, "LDTBXH", "2024-H1", {"tt_so_buoi": 9})
    path = _existing_database(desk)
    window = first_look_window(path, PLAN_PATH, SETTINGS)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    tab = window.tabs_by_title["Nhập liệu"]
    task = start_opening(window, path, PLAN_PATH, SETTINGS)
    task.succeeded.connect(lambda opened: hand_over(window, opened))
    with qtbot.waitSignal(task.finished, timeout=60000):
        task.start()
        pick_unit(qtbot, tab, "CA")  # answered from the first look or from the Desk, whichever is there
        assert editor(tab, "tin_bao_tiep_nhan").text() == "27"
    qtbot.waitUntil(lambda: not window.ctx.opening, timeout=10000)
    assert type(window.ctx.desk).__name__ == "Desk" and window.actions_by_name["actionSave"].isEnabled()
    pick_unit(qtbot, tab, "LDTBXH")
    assert editor(tab, "tt_so_buoi").text() == "9" and not tab.form.read_only
    window.ctx.desk.close()


def test_no_quick_start_when_the_database_must_be_opened_first(qtbot, desk, tmp_path: Path) -> None:
    assert first_look_window(tmp_path / "new.sqlite", PLAN_PATH, SETTINGS) is None  # first day
    path = _existing_database(desk)
    other_plan = tmp_path / "plan.toml"
    other_plan.write_bytes(PLAN_PATH.read_bytes() + "\n# sửa đổi\n".encode())  # the plan file changed
    assert first_look_window(path, other_plan, SETTINGS) is None


def test_a_second_program_becomes_read_only_when_the_desk_opens(qtbot, desk) -> None:
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
        window = first_look_window(path, PLAN_PATH, SETTINGS)
        assert window is not None
        qtbot.addWidget(window)
        finish_opening(window, path, PLAN_PATH, SETTINGS)
        assert wait_ops()
        assert window.ctx.read_only
        label = window.findChild(QLabel, "readOnlyLabel")
        assert label is not None and "Anh Minh" in label.toolTip()
        tab = window.tabs_by_title["Nhập liệu"]
        assert tab.form.read_only and not tab.save_button.isEnabled()
        assert window.actions_by_name["actionSave"].isEnabled()  # Ctrl+S answers, and refuses
        window.ctx.desk.close()
    finally:
        holder.communicate("\n", timeout=30)


SMOKE = """
import sys, time
start = time.perf_counter()
write = sys.stderr.write
def spy(text):
    if text.startswith("dkdesk: shown") or text.startswith("dkdesk: ready"):
        loaded = "sqlalchemy" in sys.modules
        print(text.split()[1], "sqlalchemy" if loaded else "-", flush=True)
    return write(text)
sys.stderr.write = spy
from dkdesk.cli.main import main
sys.exit(main(["--db", sys.argv[1], "gui", "--smoke"]))
"""


def test_the_program_is_shown_before_the_database_layer_loads(desk, tmp_path: Path) -> None:
    path = _existing_database(desk)
    settings = tmp_path / "settings.json"
    settings.write_text('{"user_name": "Chị Lan", "role": "consolidator"}', encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "QT_QPA_PLATFORM": "offscreen",
           "DKDESK_SMOKE_MS": "50", "DKDESK_SMOKE_REPORT": "1", "DKDESK_SETTINGS": str(settings)}
    result = subprocess.run([sys.executable, "-c", SMOKE, str(path)], capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["shown -", "ready sqlalchemy"]
