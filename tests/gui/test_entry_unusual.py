"""A figure far above the unit's last period: a warning under the field while typing, a question
on saving ("Vẫn lưu" / "Xem lại"), never a refusal. And the save message counts fields, not numbers."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from entry_helpers import ctrl_s, editor, open_window, pick_unit, prompts, type_into  # noqa: F401

from dkdesk.gui.ops import wait_ops

W = "P-HUNGDAO"


class Answer:
    """Answers the next message box with the button labelled ``label`` (looks every 20 ms)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.text = ""
        self.default = ""
        QTimer.singleShot(0, self._look)

    def _look(self) -> None:
        box = next((w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()), None)
        if box is None:
            QTimer.singleShot(20, self._look)
            return
        self.text = box.text()
        self.default = box.defaultButton().text() if box.defaultButton() else ""
        next(b for b in box.buttons() if b.text() == self.label).click()


def save_by_mouse(qtbot, tab) -> None:
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert wait_ops()


def warning_of(tab, code: str) -> QLabel:
    return tab.findChild(QLabel, f"error_{code}")


def test_far_above_last_period_warns_then_asks_before_saving(qtbot, desk):
    desk.set_values(W, "2024-H1", {"tt_so_buoi": 12, "tt_so_hinh_thuc": 3})
    window, tab = open_window(qtbot, desk)
    tab.select_period("2024-Y")
    assert wait_ops()
    pick_unit(qtbot, tab, W)
    assert tab.period == "2024-Y"
    type_into(qtbot, tab, "tt_so_buoi", "1200")
    label = warning_of(tab, "tt_so_buoi")
    assert label.isVisible() and "Cảnh báo" in label.text()
    assert "gấp khoảng 100 lần" in label.text() and "6 tháng đầu năm 2024 (12)" in label.text()
    type_into(qtbot, tab, "tt_so_buoi", "24")  # a likely figure: the warning goes
    assert not label.isVisible()
    type_into(qtbot, tab, "tt_so_buoi", "1200")
    type_into(qtbot, tab, "tt_so_hinh_thuc", "5")
    assert label.isVisible() and not warning_of(tab, "tt_so_hinh_thuc").isVisible()
    assert "1 số lớn bất thường" in tab.message.text()
    asked = Answer("Xem lại")
    ctrl_s(window)
    assert '"Số buổi tuyên truyền' in asked.text and "1.200" in asked.text and asked.default == "Xem lại"
    assert desk.get_values(W, "2024-Y").values == {}  # nothing stored
    assert "Chưa lưu" in tab.message.text() and window.focusWidget() is editor(tab, "tt_so_buoi")
    asked = Answer("Vẫn lưu")
    save_by_mouse(qtbot, tab)  # (offscreen, the window is not made active again after the box)
    assert asked.text and desk.get_values(W, "2024-Y").values == {"tt_so_buoi": 1200, "tt_so_hinh_thuc": 5}
    assert "Đã lưu: 2 mục mới." in tab.message.text()
    assert not label.isVisible()  # stored as the person confirmed: no warning on the stored figure
    type_into(qtbot, tab, "tt_so_hinh_thuc", "6")
    save_by_mouse(qtbot, tab)  # saving another field asks nothing about the figure already confirmed
    assert desk.get_values(W, "2024-Y").values["tt_so_hinh_thuc"] == 6
    assert tab.message.text() == "Đã lưu: 1 mục sửa."
    window.close()


def test_a_huge_figure_with_nothing_to_compare_is_asked_about(qtbot, desk):
    window, tab = open_window(qtbot, desk)
    pick_unit(qtbot, tab, W)
    assert tab.period == "2024-H1"
    type_into(qtbot, tab, "ph_nguy_co_cao", "99.999.999.999")
    label = warning_of(tab, "ph_nguy_co_cao")
    assert label.isVisible() and "lớn bất thường" in label.text()
    asked = Answer("Vẫn lưu")
    ctrl_s(window)
    assert "99.999.999.999" in asked.text
    assert desk.get_values(W, "2024-H1").values == {"ph_nguy_co_cao": 99_999_999_999}
    window.close()


def test_editing_a_text_reports_a_field_not_a_number(qtbot, desk):
    desk.set_values(W, "2024-H1", {"kho_khan": "Thiếu kinh phí", "tt_so_buoi": 3})
    window, tab = open_window(qtbot, desk)
    pick_unit(qtbot, tab, W)
    type_into(qtbot, tab, "kho_khan", "Thieu can bo")
    ctrl_s(window)
    assert tab.message.text() == "Đã lưu: 1 mục sửa."
    assert "số" not in tab.message.text()
    type_into(qtbot, tab, "kho_khan", "")
    qtbot.keyClick(editor(tab, "kho_khan"), Qt.Key.Key_Delete)
    type_into(qtbot, tab, "kien_nghi", "Tang kinh phi")
    ctrl_s(window)
    assert tab.message.text() == "Đã lưu: 1 mục mới, 1 mục xóa."
    assert desk.get_values(W, "2024-H1").values == {"tt_so_buoi": 3, "kien_nghi": "Tang kinh phi"}
    window.close()
