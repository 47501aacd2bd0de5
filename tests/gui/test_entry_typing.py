"""Typing a unit's figures like a person: grouping, Tab/Enter, Ctrl+S, reload, refusals."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from entry_helpers import ctrl_s, editor, open_window, pick_unit, prompts, type_into  # noqa: F401

from dkdesk.gui.ops import wait_ops


def test_type_tab_ctrl_s_and_reload(qtbot, desk):
    window, tab = open_window(qtbot, desk)
    pick_unit(qtbot, tab, "P-HUNGDAO")
    assert tab.unit == "P-HUNGDAO" and tab.period == "2024-H1"
    type_into(qtbot, tab, "tt_so_buoi", "12")
    qtbot.keyClick(editor(tab, "tt_so_buoi"), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor(tab, "tt_so_luot_nguoi")
    qtbot.keyClicks(QApplication.focusWidget(), "1234")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # Enter moves on too
    assert editor(tab, "tt_so_luot_nguoi").text() == "1.234"  # regrouped when focus leaves
    assert QApplication.focusWidget() is editor(tab, "tt_so_hinh_thuc")
    type_into(qtbot, tab, "nld_cskd_tong", "2.500")
    type_into(qtbot, tab, "nld_cskd_duoc_tt", "2 400")
    combo = editor(tab, "kh_da_ban_hanh")
    combo.setFocus()
    qtbot.keyClicks(combo, "C")
    assert combo.currentText() == "Có"
    type_into(qtbot, tab, "kho_khan", "Thiếu kinh phí\ncho tuyên truyền")
    assert tab.form.is_dirty()
    ctrl_s(window)
    stored = desk.get_values("P-HUNGDAO", "2024-H1")
    assert stored.values == {"tt_so_buoi": 12, "tt_so_luot_nguoi": 1234, "nld_cskd_tong": 2500,
                             "nld_cskd_duoc_tt": 2400, "kh_da_ban_hanh": True,
                             "kho_khan": "Thiếu kinh phí\ncho tuyên truyền"}
    assert stored.status == "draft"
    assert not tab.form.is_dirty()
    assert "Đang nhập" in tab.unit_items()["P-HUNGDAO"].text(1)
    assert len(desk.history(unit="P-HUNGDAO")) == 6
    window.close()

    window2, tab2 = open_window(qtbot, desk)
    pick_unit(qtbot, tab2, "P-HUNGDAO")
    assert editor(tab2, "nld_cskd_tong").text() == "2.500"
    assert editor(tab2, "kh_da_ban_hanh").currentText() == "Có"
    assert editor(tab2, "kho_khan").toPlainText() == "Thiếu kinh phí\ncho tuyên truyền"
    assert not tab2.form.is_dirty()
    window2.close()


def test_part_larger_than_total_is_refused_inline(qtbot, desk):
    window, tab = open_window(qtbot, desk)
    pick_unit(qtbot, tab, "P-HUNGDAO")
    type_into(qtbot, tab, "nld_cskd_tong", "40")
    type_into(qtbot, tab, "nld_cskd_duoc_tt", "50")
    label = tab.findChild(type(tab.message), "error_nld_cskd_duoc_tt")
    assert label.isVisible()
    assert "lớn hơn tổng" in label.text() and "nld_cskd_tong" in label.text()
    ctrl_s(window)
    assert desk.get_values("P-HUNGDAO", "2024-H1").values == {}
    assert desk.history() == []
    assert "Chưa lưu" in tab.message.text()
    assert QApplication.focusWidget() is editor(tab, "nld_cskd_duoc_tt")
    # fixing the figure clears the message and saving goes through
    type_into(qtbot, tab, "nld_cskd_duoc_tt", "30")
    assert not label.isVisible()
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert wait_ops()
    assert desk.get_values("P-HUNGDAO", "2024-H1").values == {"nld_cskd_tong": 40, "nld_cskd_duoc_tt": 30}
    window.close()


def test_not_a_number_and_negative_are_refused(qtbot, desk, prompts):
    desk.set_values("CA", "2024-H1", {"ca_vu_khoi_to": 3})
    window, tab = open_window(qtbot, desk)
    pick_unit(qtbot, tab, "CA")
    assert editor(tab, "ca_vu_khoi_to").text() == "3"
    type_into(qtbot, tab, "ca_vu_khoi_to", "abc")
    type_into(qtbot, tab, "ca_duong_day", "-5")
    abc = tab.findChild(type(tab.message), "error_ca_vu_khoi_to")
    neg = tab.findChild(type(tab.message), "error_ca_duong_day")
    assert "không phải là số" in abc.text()
    assert "âm" in neg.text()
    before = desk.history()
    ctrl_s(window)
    assert desk.get_values("CA", "2024-H1").values == {"ca_vu_khoi_to": 3}
    assert desk.history() == before
    assert editor(tab, "ca_vu_khoi_to").text() == "abc"  # what was typed stays to be fixed
    window.close()
    assert prompts.asked == ["Công an quận (6 tháng đầu năm 2024)"]  # unsaved changes: asked, discarded
    assert desk.get_values("CA", "2024-H1").values == {"ca_vu_khoi_to": 3}


def test_enter_on_yes_no_moves_on_and_real_prompt_buttons(qtbot, desk, monkeypatch):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    from dkdesk.gui import entry_tab

    window, tab = open_window(qtbot, desk)
    pick_unit(qtbot, tab, "P-HUNGDAO")
    combo = editor(tab, "kh_da_ban_hanh")
    combo.setFocus()
    qtbot.keyClicks(combo, "K")
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    assert combo.currentText() == "Không"
    assert QApplication.focusWidget() is editor(tab, "ph_nguy_co_cao")
    # the real Lưu / Không lưu / Hủy box (the autouse fixture replaced it; use the original)
    monkeypatch.undo()
    seen = []

    def press(label):
        box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
        seen.append(sorted(b.text() for b in box.buttons()))
        next(b for b in box.buttons() if b.text() == label).click()

    QTimer.singleShot(0, lambda: press("Hủy"))
    assert entry_tab.ask_unsaved(tab, "P. Hưng Đạo") == entry_tab.CANCEL
    QTimer.singleShot(0, lambda: press("Lưu"))
    assert tab.maybe_close()  # dirty form: "Lưu" saves it, then closing may go on
    assert desk.get_values("P-HUNGDAO", "2024-H1").values == {"kh_da_ban_hanh": False}
    assert seen[0] == ["Hủy", "Không lưu", "Lưu"]
