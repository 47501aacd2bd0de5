"""A failing read or write in every slot of the entry tab: nothing on screen lies, nothing is written.

Each test makes one Desk method raise SQLite's "database is locked" once (as when another program
holds the file) and acts as a person (clicks, keys, Ctrl+S).
"""
from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QToolButton
from sqlalchemy.exc import OperationalError
from entry_helpers import ctrl_s, editor, open_window, pick_unit, prompts, type_into  # noqa: F401

from dkdesk.core.desk import Desk
from dkdesk.gui.ops import wait_ops

H1, Y = "2024-H1", "2024-Y"


@pytest.fixture
def fail_once(monkeypatch):
    """``fail_once("statuses")``: the next call of ``Desk.statuses`` raises "database is locked"."""
    calls: list[str] = []

    def arm(name: str) -> list[str]:
        real = getattr(Desk, name)

        def failing(self, *args, **kwargs):
            if name not in calls:
                calls.append(name)
                raise OperationalError("SELECT …", {}, sqlite3.OperationalError("database is locked"))
            return real(self, *args, **kwargs)

        monkeypatch.setattr(Desk, name, failing)
        return calls

    return arm


def assert_screen_true(tab, desk) -> None:
    """What is shown is what is selected and what is stored for it."""
    unit, period = tab.unit, tab.period
    assert tab.unit_selector.currentItem().data(0, Qt.ItemDataRole.UserRole) == unit
    assert tab.period_selector.itemData(tab.period_selector.currentIndex(), Qt.ItemDataRole.UserRole) == period
    title = tab.unit_title.text()
    assert desk.plan.unit(unit).name in title and desk.plan.period(period).name in title
    assert tab.form.unit == unit
    if not tab.form.is_dirty():
        shown = {c: v for c, v in tab.form.current().items() if v is not None}
        assert shown == desk.get_values(unit, period).values
    status = desk.status(unit, period)
    assert status.label in tab.unit_items()[unit].text(1) and status.label in title
    assert tab.form.read_only == status.locked


def click(qtbot, button) -> None:
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert wait_ops()


def pick_period_by_keyboard(qtbot, tab, code: str) -> None:
    combo = tab.period_selector
    combo.setFocus()
    key = Qt.Key.Key_Down if combo.findData(code) > combo.currentIndex() else Qt.Key.Key_Up
    qtbot.keyClick(combo, key)
    assert wait_ops()


def fill_required(desk, unit, period, **extra):
    values = {f.code: True if f.type == "bool" else (5 if f.part_of else 10) if f.type == "int" else "x"
              for f in desk.plan.form_fields(unit) if f.required}
    values.update(extra)
    desk.set_values(unit, period, values)
    return values


@pytest.mark.parametrize("method", ["statuses", "get_values"])
def test_failed_period_switch_keeps_the_first_half_and_ctrl_s_never_writes_the_year(qtbot, desk, fail_once,
                                                                                   prompts, method):
    first_half = fill_required(desk, "CA", H1, ca_vu_khoi_to=4)
    window, tab = open_window(qtbot, desk)
    pick_unit(qtbot, tab, "CA")
    type_into(qtbot, tab, "ca_duong_day", "3")  # typed, then the person switches and answers "Không lưu"
    fail_once(method)
    pick_period_by_keyboard(qtbot, tab, Y)
    assert prompts.asked == ["Công an quận (6 tháng đầu năm 2024)"]
    assert tab.period == H1 and "6 tháng đầu năm 2024" in tab.unit_title.text()
    assert "Chưa chuyển sang" in tab.message.text() and "đang bận" in tab.message.text()
    assert_screen_true(tab, desk)
    assert editor(tab, "ca_duong_day").text() == "3"  # still shown under the first half, as typed
    ctrl_s(window)  # saves what is shown under the first half to the first half, nothing else
    assert desk.get_values("CA", Y).values == {}
    assert desk.get_values("CA", H1).values == {**first_half, "ca_duong_day": 3}
    assert_screen_true(tab, desk)
    pick_period_by_keyboard(qtbot, tab, Y)  # the database answers again: the switch goes through
    assert tab.period == Y and editor(tab, "ca_vu_khoi_to").text() == ""
    assert_screen_true(tab, desk)
    ctrl_s(window)
    assert desk.get_values("CA", Y).values == {}


def test_failed_unit_switch_keeps_the_unit_shown(qtbot, desk, fail_once):
    desk.set_values("CA", H1, {"ca_vu_khoi_to": 4})
    desk.set_values("P-HUNGDAO", H1, {"tt_so_buoi": 7})
    window, tab = open_window(qtbot, desk)
    pick_unit(qtbot, tab, "CA")
    fail_once("get_values")
    pick_unit(qtbot, tab, "P-HUNGDAO")
    assert tab.unit == "CA" and editor(tab, "ca_vu_khoi_to").text() == "4"
    assert "Chưa chuyển sang Phường Hưng Đạo" in tab.message.text() or "Chưa chuyển sang" in tab.message.text()
    assert_screen_true(tab, desk)
    ctrl_s(window)
    assert desk.get_values("CA", H1).values == {"ca_vu_khoi_to": 4}
    assert desk.get_values("P-HUNGDAO", H1).values == {"tt_so_buoi": 7}
    assert len(desk.history()) == 2
    pick_unit(qtbot, tab, "P-HUNGDAO")
    assert tab.unit == "P-HUNGDAO" and editor(tab, "tt_so_buoi").text() == "7"
    assert_screen_true(tab, desk)


def test_failed_refresh_on_the_bus_leaves_the_screen_and_says_so(qtbot, desk, fail_once):
    window, tab = open_window(qtbot, desk)
    pick_unit(qtbot, tab, "CA")
    desk.set_values("CA", H1, {"ca_vu_khoi_to": 8}, source="import")
    fail_once("statuses")
    window.ctx.notify("import", H1)
    assert wait_ops()
    assert editor(tab, "ca_vu_khoi_to").text() == ""  # nothing half-read is shown
    assert "Chưa đọc lại được" in tab.message.text()
    window.ctx.notify("import", H1)
    assert wait_ops()
    assert editor(tab, "ca_vu_khoi_to").text() == "8"
    assert_screen_true(tab, desk)


def test_failed_save_writes_nothing_keeps_the_typing_and_a_double_ctrl_s_writes_once(qtbot, desk, fail_once):
    window, tab = open_window(qtbot, desk)
    pick_unit(qtbot, tab, "CA")
    type_into(qtbot, tab, "ca_vu_khoi_to", "5")
    fail_once("set_values")
    ctrl_s(window)
    assert "Chưa lưu" in tab.message.text() and "đang bận" in tab.message.text()
    assert desk.get_values("CA", H1).values == {} and desk.history() == []
    assert editor(tab, "ca_vu_khoi_to").text() == "5" and tab.form.is_dirty() and not tab.form.read_only
    assert_screen_true(tab, desk)
    from PySide6.QtTest import QTest

    QTest.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # before the first is done
    assert wait_ops()
    assert desk.get_values("CA", H1).values == {"ca_vu_khoi_to": 5}
    assert len(desk.history()) == 1  # written once
    assert "Đã lưu: 1 mục mới." in tab.message.text()
    assert_screen_true(tab, desk)


def test_failed_submit_and_approve_change_no_status(qtbot, desk, fail_once):
    fill_required(desk, "CA", H1)
    window, tab = open_window(qtbot, desk)
    pick_unit(qtbot, tab, "CA")
    fail_once("set_status")
    click(qtbot, tab.buttons["submitButton"])
    assert desk.status("CA", H1).status == "draft"
    assert "Chưa đổi trạng thái" in tab.message.text() and "đang bận" in tab.message.text()
    assert_screen_true(tab, desk)
    assert tab.buttons["submitButton"].isEnabled()
    type_into(qtbot, tab, "ca_vu_khoi_to", "2")
    fail_once("status")  # the approve's first read
    click(qtbot, tab.buttons["approveButton"])  # saves the typing first, then fails to approve
    assert desk.status("CA", H1).status == "draft" and desk.get_values("CA", H1).values["ca_vu_khoi_to"] == 2
    assert not tab.form.read_only and not tab.lock_banner.isVisible()
    assert_screen_true(tab, desk)
    click(qtbot, tab.buttons["approveButton"])
    assert desk.status("CA", H1).status == "approved"
    assert_screen_true(tab, desk)


def test_failed_approve_all_locks_nothing(qtbot, desk, fail_once, prompts):
    for unit in ("CA", "P-DAPHUC"):
        fill_required(desk, unit, H1)
    window, tab = open_window(qtbot, desk)
    fail_once("statuses")  # the count read before the confirmation
    click(qtbot, tab.buttons["approveAllButton"])
    assert prompts.confirmed == [] and "Chưa đổi trạng thái" in tab.message.text()
    fail_once("approve_all")
    click(qtbot, tab.buttons["approveAllButton"])
    assert len(prompts.confirmed) == 1
    assert {desk.status(u, H1).status for u in ("CA", "P-DAPHUC")} == {"draft"}
    assert [e for e in desk.history() if e.field is None] == []
    assert_screen_true(tab, desk)
    click(qtbot, tab.buttons["approveAllButton"])
    assert {desk.status(u, H1).status for u in ("CA", "P-DAPHUC")} == {"approved"}
    assert "Đã duyệt và khóa 2 báo cáo" in tab.message.text()
    actions = sorted((e.unit, e.action) for e in desk.history() if e.field is None)
    assert actions == [("CA", "lock"), ("P-DAPHUC", "lock")]


def test_approve_all_is_one_transaction(desk):
    for unit in ("CA", "P-DAPHUC"):
        fill_required(desk, unit, H1)
    calls = []
    real = desk.write

    def counting():
        calls.append(1)
        return real()

    desk.write = counting
    assert desk.approve_all(H1, who="Lan") == ["CA", "P-DAPHUC"]
    assert calls == [1]
    assert desk.approve_all(H1) == []  # nothing left to approve
    assert desk.status("CA", H1).locked_by == "Lan"


def test_failed_unlock_keeps_the_lock_shown(qtbot, desk, fail_once, prompts):
    fill_required(desk, "CA", H1)
    desk.set_status("CA", H1, "submitted")
    desk.set_status("CA", H1, "approved")
    window, tab = open_window(qtbot, desk)
    pick_unit(qtbot, tab, "CA")
    fail_once("set_status")
    click(qtbot, tab.buttons["unlockButton"])
    assert desk.status("CA", H1).status == "approved"
    assert tab.lock_banner.isVisible() and editor(tab, "ca_vu_khoi_to").isReadOnly()
    assert_screen_true(tab, desk)
    click(qtbot, tab.buttons["unlockButton"])
    assert desk.status("CA", H1).status == "submitted" and not editor(tab, "ca_vu_khoi_to").isReadOnly()


def test_failed_carry_copies_nothing(qtbot, desk, fail_once):
    desk.set_values("P-HUNGDAO", H1, {"cskd_phuong": 31})
    window, tab = open_window(qtbot, desk)
    pick_unit(qtbot, tab, "P-HUNGDAO")
    pick_period_by_keyboard(qtbot, tab, Y)
    fail_once("set_values")
    click(qtbot, tab.buttons["carryButton"])
    assert desk.get_values("P-HUNGDAO", Y).values == {} and editor(tab, "cskd_phuong").text() == ""
    assert "đang bận" in tab.message.text()
    assert_screen_true(tab, desk)
    click(qtbot, tab.buttons["carryButton"])
    assert editor(tab, "cskd_phuong").text() == "31"
    assert_screen_true(tab, desk)


def test_failed_history_read_opens_no_dialog(qtbot, desk, fail_once):
    desk.set_values("CA", H1, {"ca_vu_khoi_to": 3})
    window, tab = open_window(qtbot, desk)
    pick_unit(qtbot, tab, "CA")
    fail_once("history")
    button = tab.form.findChild(QToolButton, "history_ca_vu_khoi_to")
    tab.scroll.ensureWidgetVisible(button)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert wait_ops()
    assert not [w for w in QApplication.topLevelWidgets() if w.objectName() == "historyDialog" and w.isVisible()]
    assert "Chưa mở được lịch sử" in tab.message.text() and "đang bận" in tab.message.text()
    assert isinstance(tab.message, QLabel)
    assert_screen_true(tab, desk)
