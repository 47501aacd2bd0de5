"""Issue 15's "Done when", as a person: make the 2025 plan from 2024 in the dialog (the six wards
merged into phường Dương Kinh and phường Hưng Đạo from 01/07/2025, Công an quận closed on
01/03/2025, a target changed), save, switch to it, type figures, and read the overview comparing
2025 with 2024 on the merged units; the command line says the same."""
from __future__ import annotations

import json

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from dkdesk.cli.main import main
from dkdesk.gui.overview_model import COL_PREVIOUS, COL_RESULT, COL_TARGET

from dkdesk.gui import plan_menu
from dkdesk.gui.ops import wait_ops
from tests.conftest import fill_unit
from tests.gui.desk_guard import desk_guard  # noqa: F401 - fixture
from tests.gui.entry_helpers import ctrl_s, open_window, pick_unit, prompts, type_into  # noqa: F401 - fixture
from tests.gui.plan_helpers import WARDS_DUONG_KINH, WARDS_HUNG_DAO, choose_kind, close_unit, merge, set_target

NEW = "duong-kinh-2025"
# 2024 figures of the wards (nld_cskd_tong, nld_cskd_duoc_tt): CT02 = sum of the second / sum of the first
WARD_2024 = {"P-ANHDUNG": (100, 50), "P-DAPHUC": (200, 100), "P-HUNGDAO": (300, 240),
             "P-HAITHANH": (400, 100), "P-HOANGHIA": (500, 300), "P-TANTHANH": (600, 420)}


@pytest.fixture
def answers(monkeypatch):
    """The "switch to it now?" question, answered Chuyển; the texts asked are kept."""
    asked: list[str] = []

    def confirm(parent, title, text, yes="Đồng ý", no="Hủy"):  # noqa: ANN001, ANN202
        asked.append(text)
        return True

    monkeypatch.setattr(plan_menu, "confirm", confirm)

    def error(_parent, title, text, *_a):  # noqa: ANN001, ANN202 - a failure must not hide behind a modal box
        raise AssertionError(f"{title}: {text}")

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(error))
    return asked


def vn_percent(value: float) -> str:
    return f"{value:.2f}%".replace(".", ",")


def vn_int(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def choose(qtbot, combo, data: str) -> None:  # noqa: ANN001
    combo.setFocus()
    target = combo.findData(data)
    assert target >= 0
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up)
    assert wait_ops()


def make_2025(qtbot, window) -> None:  # noqa: ANN001
    window.actions_by_name["actionNextYearPlan"].trigger()  # Kế hoạch → Lập kế hoạch năm sau…
    dialog = window.plan_menu.dialog
    assert dialog is not None and dialog.isVisible()
    merge(qtbot, dialog, WARDS_HUNG_DAO, "P-HUNGDAO", "UBND phường Hưng Đạo", "P. Hưng Đạo", "01/07/2025")
    merge(qtbot, dialog, WARDS_DUONG_KINH, "P-DUONGKINH", "UBND phường Dương Kinh", "P. Dương Kinh", "01/07/2025")
    close_unit(qtbot, dialog, "CA", "01/03/2025")
    set_target(qtbot, dialog, "CT02", "70")
    choose_kind(qtbot, dialog, "CT07", "Số lượng")  # 2025: at least 5 establishments inspected
    set_target(qtbot, dialog, "CT07", "5")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert wait_ops()  # plans(), add_plan(), then the Desk for the new plan opened and handed over
    assert not dialog.isVisible(), dialog.error_label.text()
    window.activateWindow()  # back to the main window once the dialog is gone
    qtbot.waitActive(window)


def test_make_2025_from_2024_switch_type_figures_and_compare(qtbot, desk, desk_guard, answers, capsys, tmp_path):  # noqa: F811
    with desk_guard.allowed():
        for ward, (total, told) in WARD_2024.items():
            fill_unit(desk, ward, "2024-Y", {"nld_cskd_tong": total, "nld_cskd_duoc_tt": told})
    window, _entry = open_window(qtbot, desk)
    assert "năm 2024 (duong-kinh-2024)" in window.windowTitle()

    make_2025(qtbot, window)
    assert answers == [f"Đã lưu kế hoạch {NEW}. Chuyển sang làm việc với kế hoạch này ngay?"]
    new_desk = window.ctx.desk
    assert new_desk is not desk and new_desk.plan.info.code == NEW
    assert window.windowTitle().endswith(f"năm 2025 ({NEW})")
    assert "năm 2025" in window.banner.text()
    assert f"Kế hoạch: {NEW} (2025)" in window.db_label.text()
    assert desk._lock is None  # the 2024 Desk was closed after the hand-over
    with desk_guard.allowed():
        stored = new_desk.stored_plan(NEW)
    assert stored.unit("P-TANTHANH").successor == "P-DUONGKINH" and stored.indicator("CT02").target == 70

    entry = window.tabs_by_title["Nhập liệu"]
    assert [entry.period_selector.itemData(i) for i in range(entry.period_selector.count())] == ["2025-H1", "2025-Y"]
    assert "P-DUONGKINH" in entry.unit_items()
    choose(qtbot, entry.period_selector, "2025-Y")
    for unit, (total, told) in {"P-DUONGKINH": (1000, 900), "P-HUNGDAO": (800, 400)}.items():
        pick_unit(qtbot, entry, unit)
        type_into(qtbot, entry, "nld_cskd_tong", str(total))
        type_into(qtbot, entry, "nld_cskd_duoc_tt", str(told))
        assert entry.form.is_dirty(), (entry.unit, entry.period)
        ctrl_s(window)
        assert not entry.form.is_dirty(), entry.message.text()
    with desk_guard.allowed():
        assert new_desk.get_values("P-DUONGKINH", "2025-Y").values == {"nld_cskd_tong": 1000, "nld_cskd_duoc_tt": 900}

    # the overview of 2025 against 2024, on the merged units
    tabs = window.tab_widget
    bar = tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    overview = window.tabs_by_title["Tổng quan"]
    assert wait_ops()
    choose(qtbot, overview.period_combo, "2025-Y")
    assert not overview.table.isColumnHidden(COL_PREVIOUS)
    model = overview.model
    header = model.headerData(COL_PREVIOUS, Qt.Orientation.Horizontal)
    row = next(i for i in range(model.rowCount()) if model.result(i).code == "CT02")
    shown = model.index(row, COL_PREVIOUS).data()
    tip = model.index(row, COL_PREVIOUS).data(Qt.ItemDataRole.ToolTipRole)
    this_year = model.index(row, COL_RESULT).data()
    capsys.readouterr()
    with desk_guard.allowed():
        code = main(["--db", str(desk.sqlite_path), "overview", "--period", "2025-Y", "--json", "--compare"])
    assert code == 0
    cli = {i["code"]: i for i in json.loads(capsys.readouterr().out)["indicators"]}
    ct02, before = cli["CT02"], cli["CT02"]["previous"]
    assert (before["plan"], before["period"]) == ("duong-kinh-2024", "2024-Y")
    # last year's figures of the six wards, folded into the two new ones, give last year's CT02
    assert (before["numerator"], before["denominator"]) == (sum(t for _n, t in WARD_2024.values()),
                                                            sum(n for n, _t in WARD_2024.values()))
    assert before["units_added"] == {"P-HUNGDAO": ["P-ANHDUNG", "P-DAPHUC"], "P-DUONGKINH": WARDS_DUONG_KINH}
    assert shown == vn_percent(before["value"]) and this_year == vn_percent(ct02["value"])
    assert f"Tử số / mẫu số: {vn_int(before['numerator'])} / {vn_int(before['denominator'])}" in tip
    assert before["note"] in tip and "P. Dương Kinh gồm số liệu năm trước của P. Hải Thành" in before["note"]
    assert ct02["target"] == 70 and header == "Cùng kỳ năm trước\n(Năm 2024)"
    assert cli["CT07"]["target_kind"] == "count" and cli["CT07"]["target"] == 5
    ct07 = next(i for i in range(model.rowCount()) if model.result(i).code == "CT07")
    assert model.index(ct07, COL_TARGET).data() == "≥ 5"
    from PySide6.QtCharts import QBarCategoryAxis

    axis = next(a for a in overview.chart.axes() if isinstance(a, QBarCategoryAxis))
    assert axis.categories()[ct07] == f"{ct07 + 1}*" and "chỉ tiêu số lượng" in overview.chart.title()
    # the printout and the Excel export of the screen carry the same column and note
    printed = overview.overview_html()
    assert "Cùng kỳ năm 2024" in printed and shown in printed
    assert "duong-kinh-2024" in printed and before["note"] in printed
    sheet = openpyxl.load_workbook(overview.export_excel(tmp_path / "tong-quan.xlsx")).active
    header_row = [c.value for c in sheet[5]]
    assert header_row[-1] == "Cùng kỳ năm 2024"
    ct02_row = next(r for r in sheet.iter_rows(min_row=6) if r[1].value == "CT02")
    assert round(ct02_row[-1].value * 100, 2) == before["value"]
    assert any(before["note"] in str(c.value) for row in sheet.iter_rows() for c in row if c.value)

    # in 6 tháng đầu năm 2025 phường Dương Kinh does not exist yet: listed as such, not as missing
    choose(qtbot, overview.period_combo, "2025-H1")
    missing = [overview.missing_list.item(i).text() for i in range(overview.missing_list.count())]
    assert "UBND phường Dương Kinh" not in missing and "UBND phường Tân Thành" in missing
    assert overview.closed_label.isVisible()
    assert "UBND phường Dương Kinh — chưa thành lập (hoạt động từ 01/07/2025)" in overview.closed_label.text()
    window.close()


def test_a_unit_not_yet_founded_is_shown_so_in_the_entry_tab(qtbot, desk, desk_guard, answers):  # noqa: F811
    from datetime import date

    from dkdesk.catalogue import plan_edit
    from dkdesk.catalogue.plan_dump import dump_plan
    from dkdesk.core.desk import Desk

    p = plan_edit.merge_units(plan_edit.next_year(desk.plan), WARDS_DUONG_KINH, "P-DUONGKINH",
                              "UBND phường Dương Kinh", date(2025, 7, 1), short_name="P. Dương Kinh")
    with desk_guard.allowed():
        desk.add_plan(dump_plan(p))
        d25 = Desk.open(desk.sqlite_path, plan=NEW, who="Người kiểm thử")
        window, entry = open_window(qtbot, d25)  # the window opened on the 2025 plan
    try:
        # the remembered 2024-H1 is not this plan's: the window starts on its default period
        assert entry.period == window.ctx.period.code and entry.period.startswith("2025-")
        choose(qtbot, entry.period_selector, "2025-H1")
        assert entry.period == "2025-H1"
        item = entry.unit_items()["P-DUONGKINH"]
        assert item.text(1) == "Chưa thành lập"
        assert "chưa thành lập (hoạt động từ 01/07/2025)" in item.toolTip(1)
        assert entry.unit_items()["P-TANTHANH"].text(1) != "Ngừng hoạt động"  # until 30/06: it reports
        pick_unit(qtbot, entry, "P-DUONGKINH")
        assert entry.lock_banner.isVisible() and "KHÔNG BÁO CÁO KỲ NÀY." in entry.lock_banner.text()
        assert not entry.buttons["saveButton"].isEnabled()
        choose(qtbot, entry.period_selector, "2025-Y")
        assert entry.unit_items()["P-TANTHANH"].text(1) != "Ngừng hoạt động"
        assert not entry.lock_banner.isVisible() and entry.buttons["saveButton"].isEnabled()
        window.close()
    finally:
        assert wait_ops()
        d25.close()


def test_contributions_say_a_unit_is_not_founded_yet(qtbot, desk, desk_guard, answers):  # noqa: F811
    from datetime import date

    from dkdesk.catalogue import plan_edit
    from dkdesk.catalogue.plan_dump import dump_plan
    from dkdesk.core.desk import Desk

    p = plan_edit.merge_units(plan_edit.next_year(desk.plan), WARDS_DUONG_KINH, "P-DUONGKINH",
                              "UBND phường Dương Kinh", date(2025, 7, 1), short_name="P. Dương Kinh")
    with desk_guard.allowed():
        desk.add_plan(dump_plan(p))
        d25 = Desk.open(desk.sqlite_path, plan=NEW, who="Người kiểm thử")
        window, _entry = open_window(qtbot, d25)
    try:
        window.tab_widget.setCurrentIndex(1)
        overview = window.tabs_by_title["Tổng quan"]
        assert wait_ops()
        choose(qtbot, overview.period_combo, "2025-H1")
        model = overview.model
        row = next(i for i in range(model.rowCount()) if model.result(i).code == "CT02")
        assert "UBND phường Dương Kinh chưa thành lập (hoạt động từ 01/07/2025)" in \
            model.index(row, 1).data(Qt.ItemDataRole.ToolTipRole)
        table = overview.table
        table.setFocus()
        table.setCurrentIndex(model.index(row, 1))
        qtbot.keyClick(table, Qt.Key.Key_Return)  # Enter opens the row's contributions
        assert wait_ops()
        parts = overview.contribution_dialog.model
        r = next(i for i, c in enumerate(parts.parts) if c.unit == "P-DUONGKINH")
        assert parts.index(r, 5).data() == "Chưa thành lập (hoạt động từ 01/07/2025) — không phải báo cáo kỳ này"
        r = next(i for i, c in enumerate(parts.parts) if c.unit == "P-TANTHANH")
        assert parts.index(r, 5).data() == "Thiếu số liệu — không tính vào tổng"
        overview.contribution_dialog.close()
        window.close()
    finally:
        assert wait_ops()
        d25.close()
