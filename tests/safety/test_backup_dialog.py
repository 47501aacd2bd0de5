"""The Sao lưu / Khôi phục dialog, used as a person would: list, back up now, restore."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from dkdesk.core.settings import load_settings
from dkdesk.gui.backup_dialog import BackupDialog
from dkdesk.gui.context import DataBus, GuiContext
from dkdesk.gui.ops import wait_ops
from dkdesk.safety import backup
from tests.conftest import fill_unit

UNIT, PERIOD = "P-TANTHANH", "2024-H1"


@pytest.fixture
def dialog(desk, qtbot):
    ctx = GuiContext(desk=desk, settings=load_settings(), bus=DataBus(), read_only=desk.read_only)
    dlg = BackupDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


@pytest.fixture(autouse=True)
def _ops_done():
    yield
    assert wait_ops()


def test_model_passes_the_model_tester(dialog, desk, qtmodeltester):
    backup.make_backup(desk, "nhap-excel")
    dialog.refresh()
    qtmodeltester.check(dialog.model)


def test_backup_now_adds_a_row_with_date_size_and_reason(dialog, qtbot):
    assert dialog.model.rowCount() == 0
    assert not dialog.restore_selected_button.isEnabled()
    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=10000)
    row = [dialog.model.index(0, c).data() for c in range(3)]
    assert row[0].count("/") == 2 and ":" in row[0]  # dd/mm/yyyy HH:MM
    assert row[1].endswith("KB") and row[2] == "Sao lưu thủ công"
    assert "Đã sao lưu" in dialog.result_label.text()


def test_restore_selected_backup(dialog, desk, qtbot, monkeypatch):
    fill_unit(desk, UNIT, PERIOD, {"tt_so_buoi": 2})
    backup.make_backup(desk, "hang-ngay")
    desk.set_values(UNIT, PERIOD, {"tt_so_buoi": 9})
    heard = []
    dialog.ctx.bus.changed.connect(lambda kind, period: heard.append(kind))
    monkeypatch.setattr("dkdesk.gui.backup_dialog.confirm", lambda *a, **kw: True)
    dialog.refresh()
    dialog.table.selectRow(0)
    assert dialog.restore_selected_button.isEnabled()
    qtbot.mouseClick(dialog.restore_selected_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "restore" in heard, timeout=10000)
    assert wait_ops()
    assert desk.get_values(UNIT, PERIOD).values["tt_so_buoi"] == 2
    assert "Đã khôi phục" in dialog.result_label.text()
    assert any(b.reason == "truoc-khoi-phuc" for b in dialog.model.backups)


def test_choosing_a_junk_file_is_refused_in_the_dialog(dialog, desk, tmp_path, monkeypatch, qtbot):
    fill_unit(desk, UNIT, PERIOD)
    junk = tmp_path / "rac.sqlite"
    junk.write_text("không phải cơ sở dữ liệu")
    monkeypatch.setattr("dkdesk.gui.backup_dialog.QFileDialog.getOpenFileName",
                        lambda *a, **kw: (str(junk), ""))
    monkeypatch.setattr("dkdesk.gui.backup_dialog.confirm", lambda *a, **kw: pytest.fail("must not ask"))
    before = desk.get_values(UNIT, PERIOD).values
    qtbot.mouseClick(dialog.restore_file_button, Qt.MouseButton.LeftButton)
    assert wait_ops()
    assert "không phải cơ sở dữ liệu dkdesk" in dialog.result_label.text()
    assert desk.get_values(UNIT, PERIOD).values == before


def test_the_restore_check_runs_off_the_gui_thread(dialog, desk, tmp_path, monkeypatch, qtbot):
    """Checking a restore file runs this version's migrations in memory: never on the GUI thread."""
    import threading

    import dkdesk.gui.backup_dialog as backup_dialog

    copy = backup.make_backup(desk, "thu-cong")
    threads = []
    real = backup_dialog.check_restore_file

    def spy(path):
        threads.append(threading.current_thread())
        return real(path)

    asked = []
    monkeypatch.setattr(backup_dialog, "check_restore_file", spy)
    monkeypatch.setattr(backup_dialog, "confirm", lambda *a, **kw: asked.append(a[2]) or False)
    monkeypatch.setattr(backup_dialog.QFileDialog, "getOpenFileName", lambda *a, **kw: (str(copy), ""))
    qtbot.mouseClick(dialog.restore_file_button, Qt.MouseButton.LeftButton)
    assert wait_ops()
    assert threads and threads[0] is not threading.main_thread()
    assert asked and "số liệu" in asked[0]  # the question came after the check, with its count


def test_read_only_instance_cannot_restore(desk, db_path, qtbot):
    from dkdesk.core.desk import Desk
    from tests.conftest import PLAN_PATH

    from tests.safety.helpers import other_program_holds

    desk.close()
    other = other_program_holds(db_path)
    second = Desk.open(db_path, plan_path=PLAN_PATH)
    try:
        ctx = GuiContext(desk=second, settings=load_settings(), bus=DataBus(), read_only=second.read_only)
        dlg = BackupDialog(ctx)
        qtbot.addWidget(dlg)
        assert dlg.backup_button.isEnabled()
        assert not dlg.restore_file_button.isEnabled()
        assert "đang được mở bởi người dùng Chị Hoa" in dlg.restore_file_button.toolTip()
    finally:
        second.close()
        other.release()


def test_main_window_menu_opens_the_dialog_and_warns_about_network_drives(desk, qtbot, monkeypatch):
    from PySide6.QtWidgets import QLabel

    import dkdesk.gui.backup_dialog as backup_dialog
    from dkdesk.gui.app import create_main_window

    monkeypatch.setattr("dkdesk.safety.location.network_warning", lambda path: "Cảnh báo: ổ mạng")
    window = create_main_window(desk)
    qtbot.addWidget(window)
    opened = []
    monkeypatch.setattr(backup_dialog, "open_backup_dialog", lambda ctx, parent: opened.append(ctx))
    window.actions_by_name["actionBackup"].trigger()
    assert opened and opened[0].desk is desk
    label = window.statusBar().findChild(QLabel, "networkLabel")
    assert label is not None and "ổ mạng" in label.toolTip()


def test_closing_the_program_makes_the_daily_backup_once(db_path, monkeypatch, qtbot):
    # two real program runs in their own processes (an in-process run_app ends the shared
    # QApplication's event loop and disturbs later GUI tests)
    import os
    import subprocess
    import sys

    env = {**os.environ, "DKDESK_SMOKE_MS": "50", "QT_QPA_PLATFORM": "offscreen"}
    for _ in range(2):
        r = subprocess.run([sys.executable, "-m", "dkdesk", "--db", str(db_path), "gui", "--smoke"],
                           capture_output=True, text=True, timeout=180, env=env)
        assert r.returncode == 0, r.stderr[-500:]
    daily = [b for b in backup.backup_infos(db_path.parent / "backups") if b.reason == backup.DAILY_REASON]
    assert len(daily) == 1
