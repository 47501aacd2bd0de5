"""After a plan switch the window follows the Desk opened for it: a read-only database switches
the plan menu's writing actions off (and says why) and shows "CHỈ ĐỌC"; the banner counts the units
that report in the working period (closed and not yet founded ones left out) and follows it."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from dkdesk.catalogue import plan_edit
from dkdesk.catalogue.plan_dump import dump_plan
from dkdesk.gui import plan_menu
from dkdesk.gui.ops import wait_ops
from tests.gui.desk_guard import desk_guard  # noqa: F401 - fixture
from tests.gui.entry_helpers import open_window
from tests.gui.plan_helpers import WARDS_DUONG_KINH, WARDS_HUNG_DAO

NEW = "duong-kinh-2025"
WHY = "Ổ đĩa chứa cơ sở dữ liệu chỉ cho đọc (thử nghiệm)."
WRITING = ("actionNextYearPlan", "actionImportPlan")


@pytest.fixture
def errors(monkeypatch):
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda _p, _t, text, *a: said.append(text)))
    monkeypatch.setattr(plan_menu, "confirm", lambda *a, **k: True)
    return said


def plan_2025(plan):  # noqa: ANN001, ANN201
    """2025: CA gone from the first day, the six wards two from 01/07/2025 (P-DUONGKINH new)."""
    p = plan_edit.next_year(plan)
    p = plan_edit.close_unit(p, "CA", date(2025, 1, 1))
    p = plan_edit.merge_units(p, WARDS_HUNG_DAO, "P-HUNGDAO", "UBND phường Hưng Đạo", date(2025, 7, 1))
    return plan_edit.merge_units(p, WARDS_DUONG_KINH, "P-DUONGKINH", "UBND phường Dương Kinh", date(2025, 7, 1))


def choose_plan(qtbot, window, code: str) -> None:  # noqa: ANN001
    """Kế hoạch → Chọn kế hoạch…, click the plan's row, then the button."""
    window.actions_by_name["actionChoosePlan"].trigger()
    assert wait_ops()
    dialog = window.plan_menu.dialog
    lst = dialog.list
    row = next(i for i in range(lst.count()) if lst.item(i).data(Qt.ItemDataRole.UserRole) == code)
    qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=lst.visualItemRect(lst.item(row)).center())
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert wait_ops()
    assert window.ctx.desk.plan.info.code == code


def read_only_label(window) -> QLabel | None:  # noqa: ANN001
    label = window.findChild(QLabel, "readOnlyLabel")
    return label if label is not None and label.isVisibleTo(window) else None


def test_a_read_only_database_after_a_switch_turns_the_plan_writing_off(qtbot, desk, desk_guard, errors,  # noqa: F811
                                                                          monkeypatch):
    with desk_guard.allowed():
        desk.add_plan(dump_plan(plan_2025(desk.plan)))
    window, _entry = open_window(qtbot, desk)
    actions = window.actions_by_name
    assert all(actions[n].isEnabled() for n in WRITING) and read_only_label(window) is None

    opened = plan_menu.open_plan_desk

    def read_only_desk(current, code):  # noqa: ANN001, ANN202 - as the guard finds a read-only medium
        new = opened(current, code)
        new.read_only, new.read_only_reason = True, WHY
        return new

    monkeypatch.setattr(plan_menu, "open_plan_desk", read_only_desk)
    choose_plan(qtbot, window, NEW)
    assert window.ctx.read_only
    for name in WRITING:
        assert not actions[name].isEnabled() and WHY in actions[name].toolTip(), name
    assert actions["actionChoosePlan"].isEnabled() and actions["actionExportPlan"].isEnabled()
    label = read_only_label(window)
    assert label is not None and label.toolTip() == WHY
    before = window.plan_menu.dialog
    window.plan_menu.next_year_plan()  # (a shortcut or a script): refused, said why, no dialog
    assert errors == [f"Không lưu được kế hoạch: {WHY}"] and window.plan_menu.dialog is before

    monkeypatch.setattr(plan_menu, "open_plan_desk", opened)  # back to 2024, writable
    choose_plan(qtbot, window, "duong-kinh-2024")
    assert not window.ctx.read_only and read_only_label(window) is None
    assert all(actions[n].isEnabled() for n in WRITING)
    assert len(window.findChildren(QLabel, "readOnlyLabel")) == 1  # one label, shown or hidden
    window.close()


def test_a_database_open_read_only_has_the_plan_writing_off(qtbot, desk, desk_guard, errors):  # noqa: F811
    desk.read_only, desk.read_only_reason = True, WHY
    window, _entry = open_window(qtbot, desk)
    for name in WRITING:
        assert not window.actions_by_name[name].isEnabled() and WHY in window.actions_by_name[name].toolTip()
    assert window.plan_menu.menu.toolTipsVisible()
    assert read_only_label(window) is not None
    window.plan_menu.import_plan()
    assert errors == [f"Không lưu được kế hoạch: {WHY}"]
    desk.read_only = False
    window.close()


def test_the_banner_counts_the_units_of_the_working_period(qtbot, desk, desk_guard, errors):  # noqa: F811
    with desk_guard.allowed():
        desk.add_plan(dump_plan(plan_2025(desk.plan)))
    window, entry = open_window(qtbot, desk)
    assert f"{len(desk.plan.units)} đơn vị báo cáo kỳ này" in window.banner.text()  # 2024: every unit
    choose_plan(qtbot, window, NEW)
    plan = window.ctx.desk.plan
    assert len(plan.units) == 21
    entry = window.tabs_by_title["Nhập liệu"]
    selector = entry.period_selector
    for period, count in (("2025-H1", 19), ("2025-Y", 20)):  # H1: no CA, no P-DUONGKINH yet; Y: no CA
        selector.setFocus()
        target = selector.findData(period)
        while selector.currentIndex() != target:
            qtbot.keyClick(selector, Qt.Key.Key_Down if selector.currentIndex() < target else Qt.Key.Key_Up)
        assert wait_ops()
        assert window.ctx.period.code == period
        assert f"{count} đơn vị báo cáo kỳ này" in window.banner.text(), window.banner.text()
        tip = window.banner.toolTip()
        assert f"{plan.period(period).name}: {count} đơn vị báo cáo" in tip
        assert f"{plan.unit('CA').name} (đã ngừng hoạt động từ 01/01/2025)" in tip
        assert ("UBND phường Dương Kinh (chưa thành lập" in tip) == (period == "2025-H1")
    window.close()
