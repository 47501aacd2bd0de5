"""Each screen with a failing database ("database is locked", injected): the person is told in
Vietnamese, what is on screen still matches its selector and the database, nothing is written.
Every test also runs under ``desk_guard``: the screens reach the database only from the worker.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy.exc import OperationalError

from dkdesk.core.desk import Desk
from dkdesk.core.settings import Settings
from dkdesk.gui.context import DataBus, GuiContext
from dkdesk.gui.ops import wait_ops
from tests.conftest import fill_unit
from tests.gui.desk_guard import desk_guard  # noqa: F401 - the fixture

P, Y = "2024-H1", "2024-Y"


def locked(*_a: object, **_k: object) -> None:
    raise OperationalError("SELECT", {}, sqlite3.OperationalError("database is locked"))


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The error boxes the person sees (title, text), without blocking the test."""
    boxes: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda _parent, title, text, *a: boxes.append((title, text))))
    return boxes


@pytest.fixture
def ctx(desk: Desk, desk_guard) -> GuiContext:  # noqa: ANN001, F811
    return GuiContext(desk=desk, settings=Settings(user_name="Người kiểm thử", last_period=P), bus=DataBus())


def stored(desk: Desk, guard) -> tuple[object, ...]:  # noqa: ANN001
    """Everything a failed action must leave as it was: every value and the audit trail."""
    with guard.allowed():
        values = {(u.code, p.code): desk.get_values(u.code, p.code).values for u in desk.plan.units
                  for p in desk.plan.periods}
        return values, len(desk.history(limit=100000))


def texts(model) -> list[list[object]]:  # noqa: ANN001
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def choose(qtbot, combo, data: str) -> None:  # noqa: ANN001
    """Pick an item of a combo box with the keyboard, as a person does."""
    combo.setFocus()
    target = combo.findData(data)
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up)


# -- Tổng quan ------------------------------------------------------------------------------
@pytest.fixture
def overview(qtbot, ctx, desk, desk_guard):  # noqa: ANN001, ANN201, F811
    from dkdesk.gui.overview_tab import OverviewTab

    with desk_guard.allowed():
        fill_unit(desk, "GDDT", P, {"hs_tong": 10000, "hs_duoc_tt": 5999})
        fill_unit(desk, "LDLD", Y, {"nld_kcn_tong": 100, "nld_kcn_duoc_tt": 50})
    ctx.settings.last_period = P
    tab = OverviewTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    assert wait_ops()
    assert tab.period == tab.shown_period == P
    return tab


def test_overview_failed_period_switch_keeps_the_page_and_the_selector(qtbot, overview, ctx, desk, desk_guard,
                                                                       shown, monkeypatch) -> None:  # noqa: F811
    from dkdesk.gui import overview_tab

    before, data = texts(overview.model), stored(desk, desk_guard)
    monkeypatch.setattr(overview_tab, "overview_page", locked)
    choose(qtbot, overview.period_combo, Y)
    assert wait_ops()
    assert shown and shown[0][0] == "Tổng quan" and "đang bận" in shown[0][1]  # in Vietnamese
    assert overview.period == overview.shown_period == P  # the selector went back to the page shown
    assert texts(overview.model) == before and "6 tháng" in overview.chart.title()
    assert ctx.settings.last_period == P and stored(desk, desk_guard) == data
    monkeypatch.undo()  # the database answers again: the switch works
    choose(qtbot, overview.period_combo, Y)
    assert wait_ops()
    assert overview.shown_period == Y and texts(overview.model) != before


def test_overview_failed_refresh_on_the_bus_keeps_the_last_good_page(qtbot, overview, ctx, desk, desk_guard,
                                                                     shown, monkeypatch) -> None:  # noqa: F811
    from dkdesk.gui import overview_tab

    before = texts(overview.model)
    monkeypatch.setattr(overview_tab, "overview_page", locked)
    ctx.notify("values", P)
    assert wait_ops()
    assert len(shown) == 1 and texts(overview.model) == before and overview.period == P


def test_overview_failed_contributions_open_no_dialog(qtbot, overview, shown, monkeypatch) -> None:
    from dkdesk.indicators import contributions

    monkeypatch.setattr(contributions, "unit_contributions", locked)
    view = overview.table
    row = next(i for i in range(overview.model.rowCount()) if overview.model.result(i).code == "CT04")
    rect = view.visualRect(overview.model.index(row, 1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert wait_ops()
    assert shown and shown[0][0] == "Đóng góp của các đơn vị"
    assert getattr(overview, "contribution_dialog", None) is None


# -- Nhật ký ---------------------------------------------------------------------------------
def test_journal_failed_filter_keeps_its_rows_and_its_filter(qtbot, ctx, desk, desk_guard, shown,
                                                             monkeypatch) -> None:  # noqa: F811
    from dkdesk.gui.journal_tab import JournalTab

    with desk_guard.allowed():
        fill_unit(desk, "VHTT", P)
        fill_unit(desk, "GDDT", P)
    tab = JournalTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    assert wait_ops()
    before, summary = texts(tab.model), tab.summary.text()
    assert len({row[3] for row in before}) == 2  # both units' changes
    monkeypatch.setattr(Desk, "history", locked)
    tab.unit_filter.setCurrentIndex(tab.unit_filter.findData("VHTT"))  # chosen in the drop-down list
    assert wait_ops()
    assert len(shown) == 1 and shown[0][0] == "Nhật ký"
    assert tab.unit_filter.currentIndex() == 0  # "Tất cả đơn vị": what the rows on screen were read with
    assert texts(tab.model) == before and tab.summary.text() == summary
    ctx.notify("values", P)  # a refresh on the bus that fails keeps the rows too
    assert wait_ops()
    assert len(shown) == 2 and texts(tab.model) == before


# -- Trao đổi Excel ----------------------------------------------------------------------------
@pytest.fixture
def exchange(qtbot, ctx, desk, desk_guard, plan, tmp_path: Path):  # noqa: ANN001, ANN201, F811
    from xlhelpers import fill_with_openpyxl, valid_values

    from dkdesk.exchange import importer
    from dkdesk.exchange.template import write_template
    from dkdesk.gui.exchange_tab import ExchangeTab

    files = []
    for unit in ("CA", "GDDT"):
        tpl = write_template(plan, unit, P, tmp_path / f"mau-{unit}.xlsx")
        files.append(fill_with_openpyxl(tpl, tmp_path / f"bao-cao_{P}_{unit}.xlsx", valid_values(plan, unit)))
    with desk_guard.allowed():
        importer.apply(desk, importer.preview(desk, files[:1]))
    tab = ExchangeTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    assert wait_ops()
    assert tab.history_model.rowCount() == 1
    tab.files = files
    return tab


@pytest.fixture(autouse=True)
def _exchange_helpers_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(Path(__file__).parents[1] / "exchange"))


def test_exchange_failed_history_refresh_keeps_its_rows(qtbot, exchange, ctx, shown, monkeypatch) -> None:
    from dkdesk.exchange import history

    before, summary = texts(exchange.history_model), exchange.history_summary.text()
    monkeypatch.setattr(history, "import_history", locked)
    ctx.notify("import", P)
    assert wait_ops()
    assert shown and texts(exchange.history_model) == before and exchange.history_summary.text() == summary


def test_exchange_failed_open_original_opens_nothing(qtbot, exchange, shown, monkeypatch) -> None:
    from dkdesk.exchange import history

    opened: list[object] = []
    exchange.opener = opened.append
    monkeypatch.setattr(history, "write_original", locked)
    view = exchange.history_view
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(exchange.history_model.index(0, 1)).center())
    qtbot.mouseClick(exchange.open_button, Qt.MouseButton.LeftButton)
    assert wait_ops()
    assert shown and shown[0][0] == "Mở tệp gốc" and opened == []


def test_exchange_failed_preview_opens_no_preview(qtbot, exchange, desk, desk_guard, shown,
                                                  monkeypatch) -> None:  # noqa: F811
    from dkdesk.exchange import importer

    data = stored(desk, desk_guard)
    monkeypatch.setattr(importer, "compare", locked)  # the file is read, the database is not
    exchange.import_files([str(exchange.files[1])])
    assert wait_ops()
    assert shown and shown[0][0] == "Đọc tệp" and exchange.preview_dialog is None
    assert stored(desk, desk_guard) == data and exchange.history_model.rowCount() == 1


def test_exchange_failed_apply_changes_nothing(qtbot, exchange, desk, desk_guard, shown, monkeypatch,
                                               db_path) -> None:  # noqa: F811
    from xlhelpers import db_dump

    exchange.import_files([str(exchange.files[1])])
    assert wait_ops()
    dialog = exchange.preview_dialog
    assert dialog is not None and dialog.model.chosen()
    before, history_rows = db_dump(db_path), texts(exchange.history_model)
    original = Desk._store
    calls: list[int] = []

    def store_then_lock(self, *a, **k):  # noqa: ANN001, ANN002, ANN003, ANN202 - fails inside the transaction
        calls.append(1)
        original(self, *a, **k)
        locked()

    monkeypatch.setattr(Desk, "_store", store_then_lock)
    heard: list[str] = []
    exchange.ctx.bus.changed.connect(lambda kind, _p: heard.append(kind))
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert wait_ops()
    assert calls and shown and shown[-1][0] == "Nhập tệp"
    assert db_dump(db_path) == before and heard == [] and exchange.last_report is None
    assert texts(exchange.history_model) == history_rows


def test_exchange_failed_filled_export_writes_no_file(qtbot, exchange, shown, monkeypatch, tmp_path: Path) -> None:
    choose(qtbot, exchange.unit_combo, "CA")
    exchange.filled_check.setChecked(True)
    monkeypatch.setattr(Desk, "get_values", locked)
    target = tmp_path / "ca.xlsx"
    exchange.export_templates(str(target))
    assert wait_ops()
    assert shown and shown[0][0] == "Xuất biểu mẫu" and not target.exists() and exchange.last_message is None


# -- Sao lưu / Khôi phục -------------------------------------------------------------------------
def test_backup_failed_backup_and_restore_change_nothing(qtbot, ctx, desk, desk_guard, shown,
                                                         monkeypatch) -> None:  # noqa: F811
    from dkdesk.gui import backup_dialog
    from dkdesk.safety import backup

    with desk_guard.allowed():
        fill_unit(desk, "P-TANTHANH", P, {"tt_so_buoi": 2})
        backup.make_backup(desk, "hang-ngay")
        desk.set_values("P-TANTHANH", P, {"tt_so_buoi": 9})
    dialog = backup_dialog.BackupDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    rows, data = texts(dialog.model), stored(desk, desk_guard)
    assert len(rows) == 1
    monkeypatch.setattr(backup_dialog, "make_backup", locked)
    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    assert wait_ops()
    assert shown[-1][0] == "Sao lưu" and texts(dialog.model) == rows and dialog.result_label.text() == ""
    heard: list[str] = []
    ctx.bus.changed.connect(lambda kind, _p: heard.append(kind))
    monkeypatch.setattr(backup_dialog, "confirm", lambda *a, **k: True)
    monkeypatch.setattr(backup_dialog, "restore", locked)
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.restore_selected_button, Qt.MouseButton.LeftButton)
    assert wait_ops()
    assert shown[-1][0] == "Khôi phục" and heard == [] and dialog.result_label.text() == ""
    assert stored(desk, desk_guard) == data and texts(dialog.model) == rows


# -- Báo cáo, chuẩn bị số liệu cả năm -------------------------------------------------------------
def test_report_failed_read_writes_no_file(qtbot, ctx, shown, monkeypatch, tmp_path: Path) -> None:
    from dkdesk.gui.report_dialog import ReportDialog
    from dkdesk.reports import output

    monkeypatch.setattr(output, "gather", locked)
    dialog = ReportDialog(ctx, None, P)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.xlsx_edit.clear()
    qtbot.keyClicks(dialog.xlsx_edit, str(tmp_path / "bao-cao.xlsx"))
    dialog.docx_check.setChecked(False)
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    assert wait_ops()
    assert shown and shown[0][0] == "Lập báo cáo" and dialog.result_files is None and dialog.run_button.isEnabled()
    assert list(tmp_path.glob("*.xlsx")) == []


def test_year_end_failed_proposal_opens_no_dialog(qtbot, ctx, shown, monkeypatch) -> None:
    from dkdesk.gui import year_end_dialog
    from dkdesk.gui.report_dialog import ReportDialog
    from dkdesk.reports import year_end

    opened: list[object] = []
    monkeypatch.setattr(year_end_dialog, "open_year_end_dialog", lambda *a, **k: opened.append(a))
    monkeypatch.setattr(year_end, "preview", locked)
    dialog = ReportDialog(ctx, None, Y)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.year_end_button, Qt.MouseButton.LeftButton)
    assert wait_ops()
    assert shown and shown[0][0] == "Chuẩn bị số liệu cả năm" and opened == []


def test_year_end_failed_reread_and_apply_change_nothing(qtbot, ctx, desk, desk_guard, shown,
                                                         monkeypatch) -> None:  # noqa: F811
    from dkdesk.gui import year_end_dialog
    from dkdesk.reports import year_end

    with desk_guard.allowed():
        fill_unit(desk, "VHTT", P, {"cskd_tong": 37})
    dialog = year_end_dialog.YearEndDialog(ctx, None, Y)
    qtbot.addWidget(dialog)
    dialog.show()
    assert wait_ops()
    rows, data = texts(dialog.model), stored(desk, desk_guard)
    assert rows
    real_preview = year_end.preview
    monkeypatch.setattr(year_end, "preview", locked)
    qtbot.keyClick(dialog.sum_check, Qt.Key.Key_Space)  # also the summed figures: the read fails
    assert wait_ops()
    assert shown[-1][0] == "Chuẩn bị số liệu cả năm"
    assert not dialog.sum_check.isChecked() and texts(dialog.model) == rows
    monkeypatch.setattr(year_end, "preview", real_preview)
    monkeypatch.setattr(year_end_dialog, "confirm", lambda *a, **k: True)
    monkeypatch.setattr(Desk, "_store", locked)  # the copy fails inside its transaction
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert wait_ops()
    assert shown[-1][0] == "Chép số liệu" and dialog.result is None and dialog.isVisible()
    assert stored(desk, desk_guard) == data and dialog.apply_button.isEnabled()
