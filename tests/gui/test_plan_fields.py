"""The Trường số liệu page of the next-year plan dialog, as a person uses it: list a form's fields,
change a field's label, unit of measure and help (never its code), add a whole-number field to
several forms, read what is wrong (a code already used, letters the code may not have, no label)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit

from dkdesk.catalogue import plan_edit
from dkdesk.core.settings import Settings
from dkdesk.gui.context import DataBus, GuiContext
from dkdesk.gui.plan_dialog import FIELD_FORMS, FIELD_LABEL, FIELD_MEASURE, PAGE_FIELDS, FieldDialog, PlanDialog
from tests.gui.entry_helpers import type_text
from tests.gui.desk_guard import desk_guard  # noqa: F401 - fixture
from tests.gui.plan_helpers import click_row, fill, row_of, show_page


@pytest.fixture
def dialog(qtbot, desk) -> PlanDialog:
    ctx = GuiContext(desk=desk, settings=Settings(user_name="Người kiểm thử", role="tonghop"), bus=DataBus())
    d = PlanDialog(ctx, plan_edit.next_year(desk.plan))
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d


def choose_form(qtbot, dialog: PlanDialog, code: str) -> None:
    """Pick a form in the "Biểu mẫu" box with the keyboard."""
    combo = dialog.form_filter
    combo.setFocus()
    target = combo.findData(code)
    assert target >= 0
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up)


def write(qtbot, edit: QLineEdit | QPlainTextEdit, text: str) -> None:
    if isinstance(edit, QLineEdit):
        fill(qtbot, edit, text)
        return
    qtbot.mouseClick(edit.viewport(), Qt.MouseButton.LeftButton)
    edit.setFocus()
    QTest.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(edit, Qt.Key.Key_Delete)
    type_text(qtbot, edit, text)


def open_field_dialog(qtbot, dialog: PlanDialog, button) -> FieldDialog:  # noqa: ANN001
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    d = dialog.field_dialog
    assert d is not None and d.isVisible()
    return d


def tick(qtbot, d: FieldDialog, form: str, on: bool = True) -> None:
    lst = d.forms_list
    item = next(lst.item(i) for i in range(lst.count()) if lst.item(i).data(Qt.ItemDataRole.UserRole) == form)
    lst.scrollToItem(item)
    rect = lst.visualItemRect(item)
    qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # select
    qtbot.keyClick(lst, Qt.Key.Key_Space)  # tick (or untick) the box
    assert item.checkState() == (Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


def test_a_forms_fields_are_listed_in_its_order_and_say_the_new_year(qtbot, dialog, desk):
    show_page(qtbot, dialog, PAGE_FIELDS)
    table = dialog.fields_table
    assert table.rowCount() == len(desk.plan.fields)  # every field at first
    choose_form(qtbot, dialog, "gddt")
    codes = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert codes == list(desk.plan.form("gddt").fields)
    row = row_of(table, "hs_tong")
    assert table.item(row, FIELD_MEASURE).text() == desk.plan.field("hs_tong").measure
    assert table.item(row, FIELD_FORMS).text() == "gddt"
    assert table.item(row_of(table, "cbcc_lien_quan"), FIELD_FORMS).text().startswith("Mọi biểu mẫu")
    choose_form(qtbot, dialog, "phuong")
    label = table.item(row_of(table, "kh_da_ban_hanh"), FIELD_LABEL).text()
    assert "Kế hoạch phòng, chống mại dâm năm 2025" in label and "2024" not in label


def test_a_fields_label_measure_and_help_change_and_its_code_cannot(qtbot, dialog):
    show_page(qtbot, dialog, PAGE_FIELDS)
    choose_form(qtbot, dialog, "gddt")
    assert not dialog.edit_field_button.isEnabled()  # nothing chosen yet
    click_row(qtbot, dialog.fields_table, "hs_tong")
    d = open_field_dialog(qtbot, dialog, dialog.edit_field_button)
    shown = [e for e in d.findChildren(QLineEdit) if e.isVisible()]
    assert shown == [d.measure_edit]  # the code is shown, not typed: no box holds it
    assert d.findChild(QLabel, "fieldCodeValue").text() == "hs_tong"
    write(qtbot, d.label_edit, "Số học sinh THPT, học viên giáo dục nghề nghiệp")
    write(qtbot, d.measure_edit, "học sinh")
    write(qtbot, d.help_edit, "Tính đến cuối kỳ báo cáo.")
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert not d.isVisible(), d.error_label.text()
    row = row_of(dialog.fields_table, "hs_tong")
    assert dialog.fields_table.item(row, FIELD_LABEL).text() == "Số học sinh THPT, học viên giáo dục nghề nghiệp"
    plan, problems = dialog.collect()
    assert problems == [] and plan is not None
    f = plan.field("hs_tong")
    assert (f.label, f.measure, f.help) == ("Số học sinh THPT, học viên giáo dục nghề nghiệp", "học sinh",
                                            "Tính đến cuối kỳ báo cáo.")
    # an empty label is refused in the small dialog, which stays open
    click_row(qtbot, dialog.fields_table, "hs_tong")
    d = open_field_dialog(qtbot, dialog, dialog.edit_field_button)
    write(qtbot, d.label_edit, "   ")
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert d.isVisible() and d.error_label.text() == 'Trường "hs_tong": nhãn không được để trống.'
    assert dialog.plan.field("hs_tong").label == "Số học sinh THPT, học viên giáo dục nghề nghiệp"


def test_a_new_int_field_on_two_forms_and_what_is_refused(qtbot, dialog, desk):
    show_page(qtbot, dialog, PAGE_FIELDS)
    choose_form(qtbot, dialog, "phuong")
    d = open_field_dialog(qtbot, dialog, dialog.add_field_button)
    checked = d.checked_forms()
    assert checked == ["phuong"]  # the form shown is offered
    for code, label, message in (
            ("hs_tong", "Học sinh", f'Mã trường "hs_tong" đã có trong kế hoạch ({desk.plan.field("hs_tong").label}).'),
            ("số_vụ_mới", "Số vụ", 'Mã trường "số_vụ_mới" không hợp lệ: chỉ dùng chữ thường không dấu (a-z)'),
            ("So vu", "Số vụ", 'Mã trường "So vu" không hợp lệ'),
            ("so_vu_moi", "", 'Trường "so_vu_moi": nhãn không được để trống.')):
        write(qtbot, d.code_edit, code)
        write(qtbot, d.label_edit, label)
        qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
        assert d.isVisible() and d.error_label.text().startswith(message), d.error_label.text()
        assert not dialog.plan.has_field("so_vu_moi")
    write(qtbot, d.label_edit, "Số vụ mua bán dâm mới phát hiện")
    write(qtbot, d.measure_edit, "vụ")
    tick(qtbot, d, "ca")
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert not d.isVisible(), d.error_label.text()
    table = dialog.fields_table
    row = row_of(table, "so_vu_moi")  # listed at the end of the ward's form, and chosen
    assert row == table.rowCount() - 1 and dialog.selected_field_code() == "so_vu_moi"
    assert table.item(row, FIELD_FORMS).text() == "ca, phuong"
    plan, problems = dialog.collect()
    assert problems == [] and plan is not None
    assert plan.form_fields("P-DAPHUC")[-1].code == "so_vu_moi" and plan.form_fields("CA")[-1].code == "so_vu_moi"
    assert "so_vu_moi" not in plan.form("yt").fields
    f = plan.field("so_vu_moi")
    assert (f.type, f.label, f.measure, f.year_rule) == ("int", "Số vụ mua bán dâm mới phát hiện", "vụ", "sum")
    # a second field with the same code is refused
    d = open_field_dialog(qtbot, dialog, dialog.add_field_button)
    write(qtbot, d.code_edit, "so_vu_moi")
    write(qtbot, d.label_edit, "Khác")
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert d.isVisible() and "đã có trong kế hoạch (Số vụ mua bán dâm mới phát hiện)" in d.error_label.text()
    d.reject()
    # no form ticked
    d = open_field_dialog(qtbot, dialog, dialog.add_field_button)
    assert d.checked_forms() == ["phuong"]
    tick(qtbot, d, "phuong", on=False)
    write(qtbot, d.code_edit, "so_buoi_moi")
    write(qtbot, d.label_edit, "Số buổi")
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert d.isVisible() and "chưa chọn biểu mẫu nào" in d.error_label.text()


def test_a_field_added_in_the_dialog_is_typed_in_after_the_switch(qtbot, desk, desk_guard, monkeypatch):  # noqa: F811
    """Lập kế hoạch năm sau → Trường số liệu → Thêm trường số… on the wards' form, Lưu, Chuyển:
    the ward's form of 2025 has the field, a figure typed in it is stored."""
    from PySide6.QtWidgets import QMessageBox

    from dkdesk.gui import plan_menu
    from dkdesk.gui.ops import wait_ops
    from tests.gui.entry_helpers import ctrl_s, editor, open_window, pick_unit, type_into

    monkeypatch.setattr(plan_menu, "confirm", lambda *a, **k: True)  # "Chuyển sang … ngay?" → Chuyển
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda _p, t, text, *a: pytest.fail(f"{t}: {text}")))
    window, _entry = open_window(qtbot, desk)
    window.actions_by_name["actionNextYearPlan"].trigger()
    dialog = window.plan_menu.dialog
    show_page(qtbot, dialog, PAGE_FIELDS)
    choose_form(qtbot, dialog, "phuong")
    d = open_field_dialog(qtbot, dialog, dialog.add_field_button)
    write(qtbot, d.code_edit, "so_diem_nong")
    write(qtbot, d.label_edit, "Số điểm nóng về mại dâm trên địa bàn")
    write(qtbot, d.measure_edit, "điểm")
    qtbot.mouseClick(d.ok_button, Qt.MouseButton.LeftButton)
    assert not d.isVisible(), d.error_label.text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert wait_ops()
    assert not dialog.isVisible(), dialog.error_label.text()
    assert window.ctx.desk.plan.info.code == "duong-kinh-2025"
    window.activateWindow()
    qtbot.waitActive(window)
    entry = window.tabs_by_title["Nhập liệu"]
    pick_unit(qtbot, entry, "P-DAPHUC")
    assert editor(entry, "so_diem_nong") is not None
    type_into(qtbot, entry, "so_diem_nong", "3")
    ctrl_s(window)
    assert not entry.form.is_dirty(), entry.message.text()
    with desk_guard.allowed():
        assert window.ctx.desk.get_values("P-DAPHUC", entry.period).values.get("so_diem_nong") == 3
    pick_unit(qtbot, entry, "YT")
    assert editor(entry, "so_diem_nong") is None  # not on the health office's form
    window.close()
