"""The next-year plan dialog, driven as a person: merge wards, close a unit from a date, change
targets and their kind, type wrong things and read what is wrong (page and row named)."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from dkdesk.catalogue import plan_edit
from dkdesk.core.settings import Settings
from dkdesk.gui.context import DataBus, GuiContext
from dkdesk.gui.plan_dialog import PAGE_INDICATORS, PAGE_PERIODS, PAGE_UNITS, PlanDialog
from tests.gui.plan_helpers import (
    WARDS_DUONG_KINH,
    WARDS_HUNG_DAO,
    choose_kind,
    close_unit,
    merge,
    row_of,
    set_deadline,
    set_target,
    show_page,
)


@pytest.fixture
def dialog(qtbot, desk) -> PlanDialog:
    ctx = GuiContext(desk=desk, settings=Settings(user_name="Người kiểm thử", role="tonghop"), bus=DataBus())
    d = PlanDialog(ctx, plan_edit.next_year(desk.plan))
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d


def test_merge_close_and_targets_make_the_2025_plan(qtbot, dialog):
    assert dialog.code_edit.text() == "duong-kinh-2025"
    assert dialog.year_value.text() == "2025"
    assert dialog.previous_value.text() == "duong-kinh-2024"
    merge(qtbot, dialog, WARDS_HUNG_DAO, "P-HUNGDAO", "UBND phường Hưng Đạo", "P. Hưng Đạo", "01/07/2025")
    merge(qtbot, dialog, WARDS_DUONG_KINH, "P-DUONGKINH", "UBND phường Dương Kinh", "P. Dương Kinh", "01/07/2025")
    close_unit(qtbot, dialog, "CA", "01/03/2025")
    set_target(qtbot, dialog, "CT02", "70")
    set_deadline(qtbot, dialog, "2025-H1", "20/06/2025")

    table = dialog.units_table
    for code in ("P-ANHDUNG", "P-HAITHANH", "CA"):
        assert table.item(row_of(table, code), 5).text() == ("01/03/2025" if code == "CA" else "01/07/2025")
    assert table.item(row_of(table, "P-TANTHANH"), 6).text() == "UBND phường Dương Kinh"
    assert table.item(row_of(table, "P-DUONGKINH"), 4).text() == "01/07/2025"

    plan, problems = dialog.collect()
    assert problems == [] and plan is not None
    assert plan.info.code == "duong-kinh-2025" and plan.info.previous == "duong-kinh-2024"
    assert plan.unit("CA").active_to == date(2025, 2, 28) and plan.unit("CA").successor is None
    for code in WARDS_DUONG_KINH:
        assert plan.unit(code).successor == "P-DUONGKINH" and plan.unit(code).active_to == date(2025, 6, 30)
    for code in ("P-ANHDUNG", "P-DAPHUC"):
        assert plan.unit(code).successor == "P-HUNGDAO"
    assert plan.unit("P-HUNGDAO").active_to is None
    assert plan.unit("P-DUONGKINH").active_from == date(2025, 7, 1)
    assert plan.predecessors("P-DUONGKINH") == tuple(WARDS_DUONG_KINH)
    assert plan.indicator("CT02").target == 70
    assert plan.period("2025-H1").deadline == date(2025, 6, 20)
    assert plan.period("2025-Y").deadline == date(2025, 12, 10)


def test_a_count_target(qtbot, dialog):
    choose_kind(qtbot, dialog, "CT03", "Số lượng")
    set_target(qtbot, dialog, "CT03", "500")
    plan, problems = dialog.collect()
    assert problems == [] and plan is not None
    assert plan.indicator("CT03").target_kind == "count" and plan.indicator("CT03").target == 500
    assert plan.indicator("CT02").target_kind == "percent"


def test_wrong_cells_are_named_with_page_and_row(qtbot, dialog):
    set_target(qtbot, dialog, "CT02", "sáu mươi")
    set_deadline(qtbot, dialog, "2025-Y", "31/02/2025")
    show_page(qtbot, dialog, PAGE_UNITS)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    text = dialog.error_label.text()
    assert "Chỉ tiêu dòng 2 (CT02), mục tiêu: «sáu mươi» không phải là số." in text
    assert "Kỳ báo cáo dòng 2 (Năm 2025), hạn nộp: «31/02/2025» không phải là ngày" in text
    assert dialog.pages.currentIndex() == PAGE_PERIODS  # the first problem's page is shown
    assert dialog.periods_table.currentRow() == 1
    assert dialog.isVisible()


def test_a_wrong_unit_edit_stays_in_its_small_dialog(qtbot, dialog):
    d = close_unit(qtbot, dialog, "CA", "32/13/2025")
    assert d.isVisible()
    assert "«32/13/2025» không phải là ngày" in d.error_label.text()
    assert dialog.plan.unit("CA").active_to is None
    # the new unit of a merger needs a code that is not a unit left open
    from tests.gui.plan_helpers import fill, select_units, unit_dialog

    d.reject()
    select_units(qtbot, dialog, ["P-ANHDUNG", "P-DAPHUC"])
    m = unit_dialog(qtbot, dialog, dialog.merge_button)
    fill(qtbot, m.code_edit, "P-MOI")
    fill(qtbot, m.date_edit, "01/07/2025")
    qtbot.mouseClick(m.ok_button, Qt.MouseButton.LeftButton)
    assert m.isVisible() and m.error_label.text() == "Chưa nhập tên đơn vị."
    assert dialog.plan.unit("P-ANHDUNG").successor is None
    assert dialog.pages.currentIndex() == PAGE_UNITS


def test_reopen_undoes_a_closing(qtbot, dialog):
    from tests.gui.plan_helpers import select_units

    close_unit(qtbot, dialog, "CA", "01/03/2025")
    assert dialog.plan.unit("CA").active_to == date(2025, 2, 28)
    select_units(qtbot, dialog, ["CA"])
    assert dialog.reopen_button.isEnabled()
    qtbot.mouseClick(dialog.reopen_button, Qt.MouseButton.LeftButton)
    assert dialog.plan.unit("CA").active_to is None
    assert dialog.units_table.item(row_of(dialog.units_table, "CA"), 5).text() == ""
    select_units(qtbot, dialog, ["CA"])
    assert not dialog.reopen_button.isEnabled()  # nothing to undo on an open unit


def test_an_indicator_renamed_in_its_cell(qtbot, dialog):
    from dkdesk.gui.plan_dialog import IND_NAME
    from tests.gui.plan_helpers import type_in_cell

    show_page(qtbot, dialog, PAGE_INDICATORS)
    table = dialog.indicators_table
    new = "Tỷ lệ cơ sở kinh doanh dịch vụ nhạy cảm được kiểm tra"
    type_in_cell(qtbot, table, row_of(table, "CT07"), IND_NAME, new)
    plan, problems = dialog.collect()
    assert problems == [] and plan is not None and plan.indicator("CT07").name == new
    type_in_cell(qtbot, table, row_of(table, "CT07"), IND_NAME, " ")
    plan, problems = dialog.collect()
    assert plan is None and problems[0][2] == "Chỉ tiêu dòng 7 (CT07): chưa nhập tên chỉ tiêu."


def test_merging_into_one_of_the_selected_offers_its_names(qtbot, dialog):
    from tests.gui.plan_helpers import fill, select_units, unit_dialog

    select_units(qtbot, dialog, WARDS_HUNG_DAO)
    m = unit_dialog(qtbot, dialog, dialog.merge_button)
    fill(qtbot, m.code_edit, "P-HUNGDAO")
    assert (m.name_edit.text(), m.short_edit.text()) == ("UBND phường Hưng Đạo", "P. Hưng Đạo")
    fill(qtbot, m.date_edit, "01/07/2025")
    qtbot.mouseClick(m.ok_button, Qt.MouseButton.LeftButton)
    assert not m.isVisible()
    assert dialog.plan.unit("P-HUNGDAO").short_name == "P. Hưng Đạo"
    assert dialog.plan.unit("P-ANHDUNG").successor == "P-HUNGDAO"


def test_the_small_unit_dialogs_show_only_what_they_ask(qtbot, dialog):
    """A box the mode does not ask for is hidden, not left over the dialog's text in its corner."""
    from PySide6.QtWidgets import QComboBox, QLineEdit

    from tests.gui.plan_helpers import select_units, unit_dialog

    for mode, codes, wanted in (("close", ["CA"], ["date_edit"]), ("rename", ["CA"], ["name_edit", "short_edit"]),
                                ("merge", ["P-ANHDUNG", "P-DAPHUC"],
                                 ["code_edit", "name_edit", "short_edit", "group_combo", "form_combo", "date_edit"])):
        select_units(qtbot, dialog, codes)
        d = unit_dialog(qtbot, dialog, getattr(dialog, f"{mode}_button"))
        shown = {id(w) for w in d.findChildren(QLineEdit) + d.findChildren(QComboBox) if w.isVisible()}
        shown -= {id(w.lineEdit()) for w in d.findChildren(QComboBox) if w.lineEdit() is not None}
        assert shown == {id(getattr(d, name)) for name in wanted}, mode
        d.reject()
