"""Status and locking, the unsaved-changes prompt, carrying stock figures, field history."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QToolButton
from entry_helpers import ctrl_s, editor, open_window, pick_unit, prompts, type_into  # noqa: F401

from dkdesk.core.desk import Refused
from dkdesk.gui import entry_tab
from dkdesk.gui.history_dialog import HistoryDialog
from dkdesk.gui.ops import wait_ops


def fill_required(desk, unit, period):
    values = {}
    for f in desk.plan.form_fields(unit):
        if f.required:
            values[f.code] = True if f.type == "bool" else (5 if f.part_of else 10) if f.type == "int" else "x"
    desk.set_values(unit, period, values)


def click(qtbot, button):
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert wait_ops()


def test_submit_checks_required_fields_inline(qtbot, desk):
    window, tab = open_window(qtbot, desk)
    pick_unit(qtbot, tab, "CA")
    type_into(qtbot, tab, "ca_vu_khoi_to", "2")
    click(qtbot, tab.buttons["submitButton"])  # saves first, then the core refuses: required fields empty
    assert desk.get_values("CA", "2024-H1").values == {"ca_vu_khoi_to": 2}
    assert desk.status("CA", "2024-H1").status == "draft"
    err = tab.findChild(type(tab.message), "error_tt_so_buoi")
    assert err.isVisible() and "bắt buộc" in err.text()
    type_into(qtbot, tab, "tt_so_buoi", "1")
    assert not err.isVisible()  # editing the field clears the core's message


def test_approve_locks_form_and_refuses_writes_then_unlock(qtbot, desk, prompts):
    fill_required(desk, "P-HUNGDAO", "2024-H1")
    window, tab = open_window(qtbot, desk)
    pick_unit(qtbot, tab, "P-HUNGDAO")
    click(qtbot, tab.buttons["submitButton"])
    assert desk.status("P-HUNGDAO", "2024-H1").status == "submitted"
    assert "Đã nộp" in tab.unit_items()["P-HUNGDAO"].text(1)
    click(qtbot, tab.buttons["approveButton"])
    assert desk.status("P-HUNGDAO", "2024-H1").status == "approved"
    assert tab.lock_banner.isVisible() and "khóa" in tab.lock_banner.text()
    assert "Đã duyệt - khóa" in tab.unit_items()["P-HUNGDAO"].text(1)
    line = editor(tab, "tt_so_buoi")
    assert isinstance(line, QLineEdit) and line.isReadOnly()
    assert not editor(tab, "kh_da_ban_hanh").isEnabled()
    assert editor(tab, "kho_khan").isReadOnly()
    assert not tab.save_button.isEnabled()
    qtbot.keyClicks(line, "99")
    assert line.text() == "10"
    ctrl_s(window)
    with pytest.raises(Refused, match="khóa"):
        desk.set_values("P-HUNGDAO", "2024-H1", {"tt_so_buoi": 99})
    assert desk.get_values("P-HUNGDAO", "2024-H1").values["tt_so_buoi"] == 10
    prompts.confirm = False
    click(qtbot, tab.buttons["unlockButton"])
    assert desk.status("P-HUNGDAO", "2024-H1").status == "approved"  # "Hủy" changes nothing
    prompts.confirm = True
    click(qtbot, tab.buttons["unlockButton"])
    assert len(prompts.confirmed) == 2
    assert desk.status("P-HUNGDAO", "2024-H1").status == "submitted"
    assert not line.isReadOnly() and not tab.lock_banner.isVisible()
    actions = [e.action for e in desk.history(unit="P-HUNGDAO") if e.field is None]
    assert actions == ["unlock", "lock", "status"]


def test_approve_all_locks_every_report_with_figures(qtbot, desk, prompts):
    for unit in ("CA", "P-DAPHUC"):
        fill_required(desk, unit, "2024-H1")
        desk.set_status(unit, "2024-H1", "submitted")
    desk.set_values("VKS", "2024-H1", {"tt_so_buoi": 1})
    window, tab = open_window(qtbot, desk)
    prompts.confirm = False
    click(qtbot, tab.buttons["approveAllButton"])
    assert "Duyệt và khóa 3 báo cáo" in prompts.confirmed[0] and "1 báo cáo chưa" in prompts.confirmed[0]
    assert desk.statuses("2024-H1")["CA"].status == "submitted"  # "Hủy": nothing changed
    prompts.confirm = True
    click(qtbot, tab.buttons["approveAllButton"])
    st = desk.statuses("2024-H1")
    assert st["CA"].status == st["P-DAPHUC"].status == st["VKS"].status == "approved"
    assert st["YT"].status == "empty"
    with pytest.raises(Refused):
        desk.set_values("VKS", "2024-H1", {"tt_so_buoi": 2}, source="import")
    pick_unit(qtbot, tab, "CA")
    assert tab.lock_banner.isVisible() and editor(tab, "ca_vu_khoi_to").isReadOnly()


def test_unsaved_prompt_on_switching_unit_period_and_closing(qtbot, desk, prompts):
    window, tab = open_window(qtbot, desk)
    pick_unit(qtbot, tab, "P-HUNGDAO")
    type_into(qtbot, tab, "tt_so_buoi", "7")
    prompts.answer = entry_tab.CANCEL
    pick_unit(qtbot, tab, "CA")
    assert tab.unit == "P-HUNGDAO" and editor(tab, "tt_so_buoi").text() == "7"
    assert tab.unit_selector.currentItem() is tab.unit_items()["P-HUNGDAO"]
    tab.period_selector.setCurrentIndex(1)
    assert wait_ops()
    assert tab.period == "2024-H1" and tab.period_selector.currentIndex() == 0
    assert not tab.maybe_close()
    prompts.answer = entry_tab.SAVE
    pick_unit(qtbot, tab, "CA")
    assert tab.unit == "CA"
    assert desk.get_values("P-HUNGDAO", "2024-H1").values == {"tt_so_buoi": 7}
    type_into(qtbot, tab, "ca_vu_khoi_to", "4")
    prompts.answer = entry_tab.DISCARD
    tab.period_selector.setCurrentIndex(1)
    assert wait_ops()
    assert tab.period == "2024-Y"
    assert desk.get_values("CA", "2024-H1").values == {}
    assert len(prompts.asked) == 5
    window.close()


def test_carry_button_copies_stock_fields_into_empty_form(qtbot, desk):
    desk.set_values("P-HUNGDAO", "2024-H1", {"cskd_phuong": 31, "tt_so_buoi": 4, "cbcc_lien_quan": 6})
    window, tab = open_window(qtbot, desk)
    pick_unit(qtbot, tab, "P-HUNGDAO")
    assert not tab.buttons["carryButton"].isEnabled()  # 2024-H1 has no previous period in the plan
    tab.select_period("2024-Y")
    assert wait_ops()
    click(qtbot, tab.buttons["carryButton"])
    assert editor(tab, "cskd_phuong").text() == "31"
    assert editor(tab, "cbcc_lien_quan").text() == "6"
    assert editor(tab, "tt_so_buoi").text() == ""  # counts of events are not carried
    stored = desk.get_values("P-HUNGDAO", "2024-Y")
    assert stored.values == {"cskd_phuong": 31, "cbcc_lien_quan": 6}
    assert {i.source for i in stored.info.values()} == {"carry"}
    assert "Đã chép 2" in tab.message.text()


def test_field_history_dialog_lists_changes(qtbot, desk, monkeypatch):
    desk.set_values("CA", "2024-H1", {"ca_vu_khoi_to": 3}, who="Anh Minh")
    window, tab = open_window(qtbot, desk)
    pick_unit(qtbot, tab, "CA")
    type_into(qtbot, tab, "ca_vu_khoi_to", "5")
    ctrl_s(window)
    shown = []
    monkeypatch.setattr(HistoryDialog, "exec", lambda self: shown.append(self) or QDialog.DialogCode.Accepted)
    button = tab.findChild(QToolButton, "history_ca_vu_khoi_to")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert wait_ops()
    model = shown[0].model
    rows = [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())]
    assert [(r[1], r[6], r[7], r[8]) for r in rows] == [("Người kiểm thử", "3", "5", "Nhập tay"),
                                                        ("Anh Minh", "(trống)", "3", "Nhập tay")]


def test_changes_from_elsewhere_refresh_list_and_clean_form(qtbot, desk):
    window, tab = open_window(qtbot, desk)
    pick_unit(qtbot, tab, "CA")
    desk.set_values("CA", "2024-H1", {"ca_vu_khoi_to": 8}, source="import")  # e.g. an Excel import
    window.ctx.notify("import", "2024-H1")
    assert wait_ops()
    assert editor(tab, "ca_vu_khoi_to").text() == "8"
    assert "Đã nộp" in tab.unit_items()["CA"].text(1)
    type_into(qtbot, tab, "ca_duong_day", "1")  # unsaved typing is never thrown away by a refresh
    desk.set_values("P-HUNGDAO", "2024-H1", {"tt_so_buoi": 2}, source="import")
    window.ctx.notify("import", "2024-H1")
    assert wait_ops()
    assert editor(tab, "ca_duong_day").text() == "1"
    assert "Đã nộp" in tab.unit_items()["P-HUNGDAO"].text(1)


def test_period_choice_is_remembered(qtbot, desk):
    from dkdesk.core.settings import load_settings

    window, tab = open_window(qtbot, desk)
    tab.period_selector.setCurrentIndex(tab.period_selector.findData("2024-Y"))
    assert wait_ops()
    assert load_settings().last_period == "2024-Y"
    assert tab.period_selector.itemData(tab.period_selector.currentIndex(), Qt.ItemDataRole.UserRole) == "2024-Y"
