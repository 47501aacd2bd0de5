"""The main window skeleton: built without showing, Vietnamese menus and tabs, smoke run."""
from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtWidgets import QMessageBox

from dkdesk.gui.ops import wait_ops


def test_main_window_has_menus_tabs_and_status(qtbot, desk):
    from dkdesk.gui.app import create_main_window

    win = create_main_window(desk)
    qtbot.addWidget(win)
    titles = [win.tab_widget.tabText(i) for i in range(win.tab_widget.count())]
    assert titles == ["Nhập liệu", "Tổng quan", "Trao đổi Excel", "Nhật ký"]
    menus = [a.text().replace("&", "") for a in win.menuBar().actions()]
    assert menus == ["Tệp", "Dữ liệu", "Kế hoạch", "Trợ giúp"]
    assert str(desk.sqlite_path) in win.db_label.text()
    assert desk.plan.info.code in win.db_label.text()
    assert not win.isVisible()


def test_about_box_shows_version_plan_and_database(qtbot, desk, monkeypatch):
    from dkdesk import __version__
    from dkdesk.gui.app import create_main_window

    seen = {}
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: seen.update(title=title, text=text))
    win = create_main_window(desk)
    qtbot.addWidget(win)
    win.actions_by_name["actionAbout"].trigger()
    assert seen["title"] == "Giới thiệu dkdesk"
    assert __version__ in seen["text"] and str(desk.sqlite_path) in seen["text"] and desk.plan.info.code in seen["text"]


def test_journal_lists_a_change(qtbot, desk):
    from dkdesk.gui.app import create_main_window

    win = create_main_window(desk)
    qtbot.addWidget(win)
    desk.set_values("CA", "2024-H1", {"tin_bao_tiep_nhan": "7"})
    win.ctx.notify("values", "2024-H1")
    journal = win.tabs_by_title["Nhật ký"]
    assert wait_ops()  # the journal is read on the worker
    model = journal.model
    assert model.rowCount() >= 1
    row = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert "Công an" in row[3] and row[7] == "7"


def test_audit_model_passes_modeltester(qtmodeltester, desk):
    from dkdesk.gui.context import DataBus, GuiContext
    from dkdesk.gui.journal_tab import AuditModel
    from dkdesk.core.settings import Settings

    desk.set_values("CA", "2024-H1", {"tin_bao_tiep_nhan": "7", "tin_bao_xu_ly_kip_thoi": "6"})
    model = AuditModel(GuiContext(desk, Settings(), DataBus()))
    model.load(desk.history())
    qtmodeltester.check(model)


def test_gui_smoke_exits_0(db_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "DKDESK_SMOKE_MS": "200"}
    r = subprocess.run([sys.executable, "-m", "dkdesk", "--db", str(db_path), "gui", "--smoke"],
                       capture_output=True, text=True, timeout=180, env=env)
    assert r.returncode == 0, r.stderr[-800:]
    assert db_path.exists()


def test_journal_shows_numbers_as_the_form_does(qtbot, desk):
    from dkdesk.gui.app import create_main_window

    win = create_main_window(desk)
    qtbot.addWidget(win)
    desk.set_values("CA", "2024-H1", {"tin_bao_tiep_nhan": "5.200"})
    desk.set_values("CA", "2024-H1", {"tin_bao_tiep_nhan": "9876"})
    model = win.tabs_by_title["Nhật ký"].model
    assert wait_ops()
    rows = [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(2)]
    assert rows[0][6:8] == ["5.200", "9.876"] and rows[1][6:8] == ["(trống)", "5.200"]


def test_journal_names_the_imported_file(qtbot, desk):
    from datetime import datetime

    from PySide6.QtCore import Qt

    from dkdesk.core.records import AuditEntry
    from dkdesk.gui.app import create_main_window

    win = create_main_window(desk)
    qtbot.addWidget(win)
    model = win.tabs_by_title["Nhật ký"].model
    assert wait_ops()  # the tab's own first read has arrived
    sha = "ab" * 32
    model.load([AuditEntry(1, datetime(2024, 7, 1, 8, 30), "Chị Lan", "import", "CA", "2024-H1", None, None,
                           sha, "import", 1, "bao-cao_CA.xlsx")])
    assert [model.data(model.index(0, c)) for c in (2, 6, 7)] == ["Nhập tệp", "", "bao-cao_CA.xlsx"]
    assert sha in model.data(model.index(0, 7), Qt.ItemDataRole.ToolTipRole)
