"""The working period: one choice for the whole window, remembered between runs (issue 14, items 1-2).

Driven as a person: the period boxes with the keyboard, the tabs with the mouse, the menus'
actions; the file dialogs are answered by the test (they are the system's own windows).
"""
from __future__ import annotations

from pathlib import Path

from entry_helpers import editor, open_window, pick_unit, prompts, type_into  # noqa: F401
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel

from dkdesk.core.settings import load_settings, settings_path
from dkdesk.exchange.template import write_template
from dkdesk.gui import entry_tab
from dkdesk.gui.app import create_main_window
from dkdesk.gui.ops import wait_ops
from dkdesk.gui.report_dialog import ReportDialog
from dkdesk.gui.tasks import wait_idle
from tests.exchange.xlhelpers import fill_with_openpyxl, valid_values

H1, Y = "2024-H1", "2024-Y"
H1_NAME, Y_NAME = "6 tháng đầu năm 2024", "Năm 2024"


def choose(qtbot, combo: QComboBox, data: str) -> None:
    """Pick an item of a combo box with the arrow keys, as a person does (the box may go back
    when the choice is refused: the keys are pressed once each)."""
    combo.setFocus()
    target = combo.findData(data)
    assert target >= 0
    key = Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up
    for _ in range(abs(target - combo.currentIndex())):
        qtbot.keyClick(combo, key)
    assert wait_ops()


def go_to(qtbot, window, title: str):
    """Click the tab's title in the tab bar; returns the tab."""
    bar = window.tab_widget.tabBar()
    index = next(i for i in range(bar.count()) if bar.tabText(i) == title)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert wait_ops()
    tab = window.tab_widget.currentWidget()
    assert tab is window.tabs_by_title[title]
    return tab


def shown_everywhere(window) -> set[str]:
    """The period each tab shows: its period box, and what it has read for it."""
    entry, overview, exchange = (window.tabs_by_title[t] for t in ("Nhập liệu", "Tổng quan", "Trao đổi Excel"))
    assert wait_ops()  # a tab built just now reads its period first
    entry_box = entry.period_selector.itemData(entry.period_selector.currentIndex(), Qt.ItemDataRole.UserRole)
    return {entry.period, entry_box, overview.period, overview.shown_period, exchange.period_combo.currentData(),
            window.ctx.period.code}


def test_choosing_the_period_in_one_tab_changes_it_in_every_tab(qtbot, desk) -> None:
    window, entry = open_window(qtbot, desk)
    assert shown_everywhere(window) == {H1}
    overview = go_to(qtbot, window, "Tổng quan")
    choose(qtbot, overview.period_combo, Y)
    assert shown_everywhere(window) == {Y}
    assert Y_NAME in entry.unit_title.text() and Y_NAME in overview.chart.title()
    exchange = go_to(qtbot, window, "Trao đổi Excel")
    choose(qtbot, exchange.period_combo, H1)
    assert shown_everywhere(window) == {H1}
    assert H1_NAME in entry.unit_title.text() and H1_NAME in overview.chart.title()
    entry = go_to(qtbot, window, "Nhập liệu")
    choose(qtbot, entry.period_selector, Y)
    assert shown_everywhere(window) == {Y}
    report = ReportDialog(window.ctx, window)  # "Báo cáo tổng hợp..." opens on the working period
    assert report.period == Y
    report.deleteLater()
    window.close()


def test_the_working_period_is_remembered_after_a_restart(qtbot, desk) -> None:
    window, entry = open_window(qtbot, desk)
    choose(qtbot, entry.period_selector, Y)
    assert load_settings().last_period == Y
    window.close()
    again = create_main_window(desk)  # the next run: a new window over the same settings
    qtbot.addWidget(again)
    again.show()
    assert wait_ops()
    assert shown_everywhere(again) == {Y}
    assert again.tabs_by_title["Trao đổi Excel"].period_combo.currentText() == Y_NAME
    again.close()


def test_the_first_run_starts_on_the_period_whose_deadline_comes_next(qtbot, desk) -> None:
    from dkdesk.indicators.overview import default_period

    settings_path().unlink()  # no settings yet: the first run
    window = create_main_window(desk)
    qtbot.addWidget(window)
    window.show()
    assert wait_ops()
    assert shown_everywhere(window) == {default_period(desk)}
    window.close()


def test_cancel_in_the_unsaved_box_leaves_every_tab_on_the_old_period(qtbot, desk, prompts) -> None:  # noqa: F811
    window, entry = open_window(qtbot, desk)
    pick_unit(qtbot, entry, "P-HUNGDAO")
    type_into(qtbot, entry, "tt_so_buoi", "7")
    prompts.answer = entry_tab.CANCEL
    overview = go_to(qtbot, window, "Tổng quan")
    told: list[str] = []
    window.ctx.period.period_changed.connect(told.append)
    choose(qtbot, overview.period_combo, Y)  # asked about the typing in the entry tab: Hủy
    assert len(prompts.asked) == 1 and "P-HUNGDAO" not in prompts.asked[0]  # named, not coded
    assert told == []  # asked before anything changed: no tab was even told of 2024-Y
    assert shown_everywhere(window) == {H1}
    assert overview.period_combo.currentText() == H1_NAME
    assert load_settings().last_period == H1
    assert editor(entry, "tt_so_buoi").text() == "7" and entry.form.is_dirty()
    exchange = go_to(qtbot, window, "Trao đổi Excel")
    choose(qtbot, exchange.period_combo, Y)  # Hủy again, from another tab
    assert len(prompts.asked) == 2 and shown_everywhere(window) == {H1} and told == []
    prompts.answer = entry_tab.SAVE  # now "Lưu": the typing is stored for 2024-H1, then every tab moves
    choose(qtbot, exchange.period_combo, Y)
    assert shown_everywhere(window) == {Y}
    assert desk.get_values("P-HUNGDAO", H1).values == {"tt_so_buoi": 7}
    assert desk.get_values("P-HUNGDAO", Y).values == {}
    window.close()


def test_template_export_names_the_period_before_writing(qtbot, desk, plan, tmp_path: Path, monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    window, entry = open_window(qtbot, desk)
    choose(qtbot, entry.period_selector, H1)
    asked: list[tuple[str, bool]] = []  # (the dialog's title, whether anything was written before it)
    folder = tmp_path / "mau"
    folder.mkdir()

    def where_folder(_parent, caption, *_a, **_k) -> str:
        asked.append((caption, any(folder.iterdir())))
        return str(folder)

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(where_folder))
    window.actions_by_name["actionTemplates"].trigger()  # menu Tệp › Xuất mẫu Excel cho các đơn vị...
    exchange = window.tab_widget.currentWidget()
    assert exchange is window.tabs_by_title["Trao đổi Excel"]
    qtbot.waitUntil(lambda: exchange.last_message is not None and exchange.last_message.isVisible(), timeout=30000)
    assert asked == [(f"Chọn thư mục lưu biểu mẫu kỳ {H1_NAME} của {len(plan.units)} đơn vị", False)]
    assert len(list(folder.glob(f"mau-bao-cao_{H1}_*.xlsx"))) == len(plan.units)
    assert H1_NAME in exchange.last_message.text()
    exchange.last_message.close()

    choose(qtbot, exchange.period_combo, Y)
    exchange.unit_combo.setCurrentIndex(exchange.unit_combo.findData("CA"))
    target = tmp_path / "ca.xlsx"

    def where_file(_parent, caption, name, *_a, **_k) -> tuple[str, str]:
        asked.append((caption, target.exists()))
        assert Y in name  # the proposed file name carries the period too
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(where_file))
    qtbot.mouseClick(exchange.findChild(type(exchange.open_button), "exportButton"), Qt.MouseButton.LeftButton)
    assert wait_ops()
    assert asked[-1] == (f"Lưu biểu mẫu kỳ {Y_NAME} — {plan.unit('CA').name}", False)
    assert target.exists() and Y_NAME in exchange.last_message.text()
    exchange.last_message.close()
    window.close()


def _filled(plan, tmp: Path, unit: str, period: str) -> Path:
    tpl = write_template(plan, unit, period, tmp / f"mau-{unit}-{period}.xlsx")
    return fill_with_openpyxl(tpl, tmp / f"bao-cao_{period}_{unit}.xlsx", valid_values(plan, unit))


def test_a_file_of_another_period_is_warned_unticked_and_imported_only_when_ticked(qtbot, desk, plan,
                                                                                   tmp_path: Path) -> None:
    window, _entry = open_window(qtbot, desk)
    exchange = go_to(qtbot, window, "Trao đổi Excel")
    choose(qtbot, exchange.period_combo, Y)  # the person works on the year
    files = [_filled(plan, tmp_path, "CA", H1), _filled(plan, tmp_path, "GDDT", Y)]
    exchange.import_files([str(p) for p in files])
    qtbot.waitUntil(lambda: exchange.preview_dialog is not None and exchange.preview_dialog.isVisible(),
                    timeout=20000)
    dialog = exchange.preview_dialog
    model = dialog.model
    assert [p.period for p in model.rows] == [H1, Y]
    assert model.chosen() == [model.rows[1]]  # the year's file ticked, the half-year's not
    assert model.index(0, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert model.index(0, 3).data() == H1_NAME and H1 in model.index(0, 3).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, 8).data() == f"Kỳ khác kỳ đang làm việc ({Y_NAME})"
    assert model.index(1, 8).data() == ""
    assert f"1 tệp của kỳ khác kỳ đang làm việc ({Y_NAME})" in dialog.summary.text()
    view = dialog.files_view
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(model.index(0, 1)).center())
    assert f"Kỳ khác kỳ đang làm việc ({Y_NAME})" in dialog.errors_text.toPlainText()
    assert dialog.errors_text.isVisibleTo(dialog) and dialog.diff_view.isVisibleTo(dialog)
    # the person means it: ticks the half-year's file too, and imports both
    view.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert model.chosen() == model.rows
    assert dialog.apply_button.text() == "Nhập 2 tệp đã chọn"
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: exchange.last_report is not None, timeout=30000)
    assert wait_ops()
    wait_idle()
    assert desk.get_values("CA", H1).values["tin_bao_tiep_nhan"] == 40
    assert desk.get_values("GDDT", Y).values["hs_tong"] == 40
    assert shown_everywhere(window) == {Y}  # nothing jumped
    summary = exchange.history_summary.text()
    assert f"Có số liệu của kỳ {H1_NAME}; kỳ đang làm việc vẫn là {Y_NAME}" in summary
    window.close()


def test_a_failed_read_in_one_tab_puts_every_tab_back(qtbot, desk, monkeypatch) -> None:
    import sqlite3

    from PySide6.QtWidgets import QMessageBox
    from sqlalchemy.exc import OperationalError

    from dkdesk.gui import overview_tab

    def locked(*_a: object, **_k: object) -> None:
        raise OperationalError("SELECT", {}, sqlite3.OperationalError("database is locked"))

    boxes: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda _p, title, text, *a: boxes.append(text)))
    window, entry = open_window(qtbot, desk)
    overview = go_to(qtbot, window, "Tổng quan")
    monkeypatch.setattr(overview_tab, "overview_page", locked)
    choose(qtbot, overview.period_combo, Y)  # the overview cannot read the year: it keeps the half-year
    assert boxes and "đang bận" in boxes[0]
    assert shown_everywhere(window) == {H1} and load_settings().last_period == H1
    assert H1_NAME in entry.unit_title.text()
    window.close()


def test_a_choice_put_back_while_the_screens_are_told_reaches_every_screen(qtbot, desk) -> None:
    window, _entry = open_window(qtbot, desk)
    working = window.ctx.period
    heard: list[str] = []
    working.period_changed.connect(lambda code: working.set(H1) if code == Y else None)  # a screen refuses
    working.period_changed.connect(heard.append)  # a screen told after it
    working.set(Y)
    assert wait_ops()
    assert working.code == H1 and heard[-1] == H1
    assert shown_everywhere(window) == {H1}
    window.close()


def test_a_choice_changed_without_asking_still_asks_before_unsaved_figures_go(qtbot, desk, prompts) -> None:  # noqa: F811
    window, entry = open_window(qtbot, desk)
    pick_unit(qtbot, entry, "CA")
    type_into(qtbot, entry, "ca_duong_day", "3")
    prompts.answer = entry_tab.CANCEL
    window.ctx.period.set(Y)  # a screen putting a choice back asks no guard
    assert wait_ops()
    assert len(prompts.asked) == 1 and shown_everywhere(window) == {H1}
    assert editor(entry, "ca_duong_day").text() == "3"
    window.close()


def status_period(window) -> str:  # noqa: ANN001
    """What the status bar says of the period, as the person reads it (shown, not cut)."""
    label = window.statusBar().findChild(QLabel, "statusPeriodLabel")
    assert label is not None and label.isVisible(), "no working period in the status bar"
    assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width(), f"{label.text()!r} is cut"
    return label.text()


def test_the_status_bar_names_the_working_period(qtbot, desk, prompts) -> None:  # noqa: F811
    window, entry = open_window(qtbot, desk)
    assert status_period(window) == f"Kỳ: {H1_NAME}"
    overview = go_to(qtbot, window, "Tổng quan")
    choose(qtbot, overview.period_combo, Y)
    assert status_period(window) == f"Kỳ: {Y_NAME}"
    entry = go_to(qtbot, window, "Nhập liệu")
    pick_unit(qtbot, entry, "P-HUNGDAO")
    type_into(qtbot, entry, "tt_so_buoi", "7")
    prompts.answer = entry_tab.CANCEL  # unsaved typing, "Hủy": the period stays, and so does the status bar
    choose(qtbot, entry.period_selector, H1)
    assert len(prompts.asked) == 1 and status_period(window) == f"Kỳ: {Y_NAME}"
    prompts.answer = entry_tab.SAVE
    choose(qtbot, entry.period_selector, H1)
    assert status_period(window) == f"Kỳ: {H1_NAME}"
    window.resize(1024, 697)  # the smallest office screen: still there, whole
    qtbot.waitUntil(lambda: window.width() == 1024)
    assert status_period(window) == f"Kỳ: {H1_NAME}"
    window.close()
