"""The Kế hoạch menu as a person uses it: choose the working plan, export and import a plan's
TOML file, archive a plan; a plan that cannot be stored is said so in the dialog."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from dkdesk.catalogue import plan_edit
from dkdesk.catalogue.plan_dump import dump_plan
from dkdesk.gui import plan_menu
from dkdesk.gui.ops import wait_ops
from tests.conftest import PLAN_PATH, fill_unit
from tests.gui.desk_guard import desk_guard  # noqa: F401 - fixture
from tests.gui.entry_helpers import open_window, prompts  # noqa: F401 - fixture
from tests.gui.plan_helpers import set_target


@pytest.fixture
def said(monkeypatch):
    """Message boxes of the menu, recorded instead of shown; "switch now?" answered by ``said.switch``."""

    class Said:
        switch = True
        infos: list[str] = []
        errors: list[str] = []
        asked: list[str] = []

    s = Said()
    s.infos, s.errors, s.asked = [], [], []

    def confirm(parent, title, text, yes="Đồng ý", no="Hủy"):  # noqa: ANN001, ANN202
        s.asked.append(text)
        return s.switch

    monkeypatch.setattr(plan_menu, "confirm", confirm)
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda _p, _t, text, *a: s.infos.append(text)))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda _p, _t, text, *a: s.errors.append(text)))
    monkeypatch.setattr("dkdesk.gui.plan_dialog.confirm", confirm)
    return s


def plan_2025_text(plan) -> str:  # noqa: ANN001
    p = plan_edit.next_year(plan)
    p = plan_edit.close_unit(p, "CA", date(2025, 3, 1))
    return dump_plan(p)


def test_choose_a_plan_and_back(qtbot, desk, desk_guard, said):  # noqa: F811
    with desk_guard.allowed():
        desk.add_plan(plan_2025_text(desk.plan))
        fill_unit(desk, "GDDT", "2024-H1", {"hs_tong": 100, "hs_duoc_tt": 70})
    window, _entry = open_window(qtbot, desk)
    assert window.ctx.desk.plan.info.code == "duong-kinh-2024"  # the plan file given at opening
    window.actions_by_name["actionChoosePlan"].trigger()  # Kế hoạch → Chọn kế hoạch…
    assert wait_ops()
    dialog = window.plan_menu.dialog
    rows = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert rows == ["Năm 2025: duong-kinh-2025 (chưa có số liệu)",
                    "Năm 2024: duong-kinh-2024 (đã có số liệu) — đang dùng"]
    assert dialog.chosen_code() == "duong-kinh-2024"
    lst = dialog.list
    qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=lst.visualItemRect(lst.item(0)).center())
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert wait_ops()
    assert window.ctx.desk.plan.info.code == "duong-kinh-2025"
    assert "(duong-kinh-2025)" in window.windowTitle()
    entry = window.tabs_by_title["Nhập liệu"]
    assert entry.period_selector.itemData(0) == "2025-H1"
    assert window.period_label.text() == f"Kỳ: {window.ctx.period.name}" and "2025" in window.period_label.text()

    window.actions_by_name["actionChoosePlan"].trigger()
    assert wait_ops()
    dialog = window.plan_menu.dialog
    lst = dialog.list
    qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=lst.visualItemRect(lst.item(1)).center())
    qtbot.keyClick(lst, Qt.Key.Key_Return)  # Enter: the default button, "Làm việc với kế hoạch này"
    assert wait_ops()
    assert window.ctx.desk.plan.info.code == "duong-kinh-2024"
    assert window.tabs_by_title["Nhập liệu"].period_selector.itemData(0) == "2024-H1"
    assert said.errors == []
    window.close()


def test_export_then_import_a_plan_file(qtbot, desk, desk_guard, said, tmp_path, monkeypatch):  # noqa: F811
    window, _entry = open_window(qtbot, desk)
    out = tmp_path / "ke-hoach-2024.toml"
    monkeypatch.setattr(plan_menu.QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    window.actions_by_name["actionExportPlan"].trigger()
    assert wait_ops()
    assert out.read_text(encoding="utf-8") == PLAN_PATH.read_text(encoding="utf-8")
    assert said.infos == [f"Đã lưu kế hoạch duong-kinh-2024 vào tệp {out}."]

    new = tmp_path / "ke-hoach-2025.toml"
    new.write_text(plan_2025_text(desk.plan), encoding="utf-8")
    monkeypatch.setattr(plan_menu.QFileDialog, "getOpenFileName", lambda *a, **k: (str(new), ""))
    said.switch = False  # "Để sau": stay on 2024
    window.actions_by_name["actionImportPlan"].trigger()
    assert wait_ops()
    assert said.asked == ["Đã lưu kế hoạch duong-kinh-2025. Chuyển sang làm việc với kế hoạch này ngay?"]
    assert window.ctx.desk.plan.info.code == "duong-kinh-2024"
    with desk_guard.allowed():
        assert [s.code for s in desk.plans()] == ["duong-kinh-2024", "duong-kinh-2025"]
        assert desk.stored_plan("duong-kinh-2025").unit("CA").active_to == date(2025, 2, 28)

    broken = tmp_path / "hong.toml"
    broken.write_text(new.read_text(encoding="utf-8").replace('successor', 'succesor', 1)
                      .replace('consolidator = "LDTBXH"', 'consolidator = "KHONGCO"'), encoding="utf-8")
    monkeypatch.setattr(plan_menu.QFileDialog, "getOpenFileName", lambda *a, **k: (str(broken), ""))
    window.actions_by_name["actionImportPlan"].trigger()
    assert wait_ops()
    assert len(said.errors) == 1 and "hong.toml" in said.errors[0] and "KHONGCO" in said.errors[0]
    with desk_guard.allowed():
        assert len(desk.plans()) == 2
    window.close()


def test_archive_a_plan(qtbot, desk, desk_guard, said, tmp_path, monkeypatch):  # noqa: F811
    with desk_guard.allowed():
        fill_unit(desk, "GDDT", "2024-H1", {"hs_tong": 100, "hs_duoc_tt": 70})
    window, _entry = open_window(qtbot, desk)
    monkeypatch.setattr(plan_menu.QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    (tmp_path / "luu-tru-duong-kinh-2024").mkdir()
    (tmp_path / "luu-tru-duong-kinh-2024" / "cu.txt").write_text("đã có", encoding="utf-8")
    window.actions_by_name["actionArchivePlan"].trigger()  # Kế hoạch → Xuất lưu trữ…
    assert wait_ops(60000)
    folder = tmp_path / "luu-tru-duong-kinh-2024-2"  # a new folder: the one there is kept as it was
    assert said.errors == [] and len(said.infos) == 1 and str(folder) in said.infos[0]
    assert (folder / "DOC-TOI.txt").is_file()
    assert (folder / "ke-hoach" / "duong-kinh-2024.toml").read_text(encoding="utf-8") == \
        PLAN_PATH.read_text(encoding="utf-8")
    assert list((folder / "bao-cao").glob("*.xlsx"))
    assert (tmp_path / "luu-tru-duong-kinh-2024" / "cu.txt").read_text(encoding="utf-8") == "đã có"
    window.close()


def test_a_plan_over_figures_is_refused_in_the_dialog(qtbot, desk, desk_guard, said):  # noqa: F811
    """2025 saved, figures typed under it, then a second "2025" made again: stored text with
    figures under it is never replaced; the dialog says so and stays open."""
    text = plan_2025_text(desk.plan)
    with desk_guard.allowed():
        desk.add_plan(text)
    window, _entry = open_window(qtbot, desk)
    with desk_guard.allowed():
        from dkdesk.core.desk import Desk

        with Desk.open(desk.sqlite_path, plan="duong-kinh-2025") as d25:
            fill_unit(d25, "GDDT", "2025-H1", {"hs_tong": 10, "hs_duoc_tt": 5})
    window.actions_by_name["actionNextYearPlan"].trigger()
    dialog = window.plan_menu.dialog
    set_target(qtbot, dialog, "CT04", "65")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert wait_ops()
    assert said.asked == ["Cơ sở dữ liệu đã có kế hoạch duong-kinh-2025. Thay kế hoạch đó bằng kế hoạch này?"]
    assert dialog.isVisible()
    assert "duong-kinh-2025" in dialog.error_label.text() and "số liệu" in dialog.error_label.text()
    with desk_guard.allowed():
        assert desk.plan_source("duong-kinh-2025") == text
    assert window.ctx.desk.plan.info.code == "duong-kinh-2024"
    window.close()


def test_unit_dialog_fields_are_vietnamese(qtbot, desk):
    from tests.gui.plan_helpers import select_units, unit_dialog
    from dkdesk.core.settings import Settings
    from dkdesk.gui.context import DataBus, GuiContext
    from dkdesk.gui.plan_dialog import PlanDialog

    ctx = GuiContext(desk=desk, settings=Settings(user_name="Người kiểm thử", role="tonghop"), bus=DataBus())
    d = PlanDialog(ctx, plan_edit.next_year(desk.plan))
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    select_units(qtbot, d, ["VHTT"])
    rename = unit_dialog(qtbot, d, d.rename_button)
    assert rename.windowTitle() == "Đổi tên đơn vị" and rename.name_edit.text() == "Phòng Văn hóa và Thông tin quận"
    assert not d.merge_button.isEnabled()  # merging needs two or more rows
