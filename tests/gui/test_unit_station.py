"""A unit's workstation ("Máy của đơn vị"), driven as a ward clerk would: chosen at the first run,
her unit only and no approval, "Gửi báo cáo" writes the filled report that the consolidator then
imports; switching the machine back to the consolidator shows everything again.

Every test runs under ``desk_guard``: the screens reach the database only from the worker.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QPushButton
from entry_helpers import prompts, type_into, type_text  # noqa: F401 - prompts: the fixture

from dkdesk.core.desk import Desk
from dkdesk.core.settings import ROLE_CONSOLIDATOR, ROLE_UNIT, Settings, load_settings, save_settings
from dkdesk.exchange import importer
from dkdesk.gui import first_run, unit_station
from dkdesk.gui.app import create_main_window
from dkdesk.gui.ops import wait_ops
from dkdesk.gui.plan_menu import window_title
from tests.conftest import PLAN_PATH, values_for
from tests.gui.desk_guard import desk_guard  # noqa: F401 - the fixture

WARD = "P-HUNGDAO"
P = "2024-H1"
APPROVAL_BUTTONS = ("submitButton", "approveButton", "approveAllButton", "unlockButton")
CONSOLIDATOR_ACTIONS = ("actionImport", "actionTemplates", "actionReport", "actionNextYearPlan", "actionArchivePlan")


def show(qtbot, window):  # noqa: ANN001, ANN201
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    assert wait_ops()
    return window, window.tabs_by_title["Nhập liệu"]


def ward_window(qtbot, desk, unit: str = WARD):  # noqa: ANN001, ANN201
    settings = Settings(user_name="Trần Thị Hoa", role=ROLE_UNIT, unit=unit, last_period=P)
    save_settings(settings)
    return show(qtbot, create_main_window(desk, settings=settings))


def visible_units(tab) -> list[str]:  # noqa: ANN001
    return [code for code, item in tab.unit_items().items() if not item.isHidden()]


def visible_groups(tab) -> list[str]:  # noqa: ANN001
    tree = tab.unit_selector
    return [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount()) if not tree.topLevelItem(i).isHidden()]


def visible_tabs(window) -> list[str]:  # noqa: ANN001
    tabs = window.tab_widget
    return [tabs.tabText(i) for i in range(tabs.count()) if tabs.isTabVisible(i)]


def menu_texts(window) -> list[str]:  # noqa: ANN001
    """What the person sees in the menus (visible actions, without the & of the shortcut letter)."""
    out = []
    for menu_action in window.menuBar().actions():
        for a in menu_action.menu().actions():
            if a.isVisible() and not a.isSeparator():
                out.append(a.text().replace("&", ""))
    return out


def answer_role(qtbot, unit: str | None, name: str = "Trần Thị Hoa"):  # noqa: ANN201
    """Stands for the person in the first-run / "Máy của đơn vị" dialog: types the name, clicks
    "Một đơn vị:" and picks ``unit`` (or clicks the consolidator), then "Đồng ý"."""
    def exec_(dialog):  # noqa: ANN001, ANN202
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.name_edit.selectAll()
        type_text(qtbot, dialog.name_edit, name)
        radio = dialog.unit_role if unit else dialog.consolidator
        qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(8, radio.height() // 2))
        if unit:
            combo = dialog.unit_combo
            combo.setFocus()
            target = combo.findData(unit)
            assert target >= 0
            while combo.currentIndex() != target:
                QTest.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up)
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        return dialog.result()
    return exec_


def box_of(tab) -> QMessageBox:  # noqa: ANN001
    assert wait_ops()
    box = tab.report_sender.box if tab.report_sender is not None else None
    assert box is not None and box.isVisible(), "no question on screen"
    return box


def click_box(qtbot, tab, label: str) -> str:  # noqa: ANN001
    """Click the button ``label`` of the box on screen; returns the box's text."""
    box = box_of(tab)
    text = box.text()
    button = next((b for b in box.buttons() if b.text() == label), None)
    assert button is not None, f"no button {label!r} in {[b.text() for b in box.buttons()]}"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert wait_ops()
    return text


@pytest.fixture
def folders(monkeypatch, tmp_path):  # noqa: ANN001, ANN201
    """The folder picker answers ``folders.answer`` and records where it started; "Mở thư mục"
    is recorded instead of opening a file manager."""
    class Folders:
        answer = str(tmp_path / "gui-bao-cao")
        starts: list[str] = []
        opened: list[Path] = []

    f = Folders()
    f.starts, f.opened = [], []
    Path(f.answer).mkdir()

    def choose(_parent, _title, start):  # noqa: ANN001, ANN202
        f.starts.append(start)
        return f.answer

    monkeypatch.setattr(unit_station, "choose_folder", choose)
    monkeypatch.setattr(unit_station, "open_folder", f.opened.append)
    return f


def send_button(tab):  # noqa: ANN001, ANN201
    return tab.buttons["sendButton"]


# -- the first run ----------------------------------------------------------------------------
def test_first_run_choosing_a_ward_shows_only_it_and_no_approval(qtbot, desk, desk_guard, monkeypatch):  # noqa: ANN001, F811
    window, tab = show(qtbot, create_main_window(desk))  # a fresh machine: no settings yet
    assert window.settings.first_run
    monkeypatch.setattr(first_run.FirstRunDialog, "exec", answer_role(qtbot, WARD))
    assert first_run.ask_first_run(window)
    assert wait_ops()
    saved = load_settings()
    assert (saved.role, saved.unit, saved.user_name) == (ROLE_UNIT, WARD, "Trần Thị Hoa")

    ward = desk.plan.unit(WARD)
    assert tab.unit == WARD and visible_units(tab) == [WARD]
    assert visible_groups(tab) == [desk.plan.group(ward.group).name]
    for name in APPROVAL_BUTTONS:
        assert not tab.buttons[name].isVisible(), name
    assert send_button(tab).isVisible() and send_button(tab).isEnabled()
    assert visible_tabs(window) == ["Nhập liệu", "Nhật ký"]
    menus = menu_texts(window)
    assert "Gửi báo cáo của đơn vị..." in menus and "Máy của đơn vị..." in menus
    assert not [t for t in menus if "Duyệt" in t or "tổng hợp" in t or "Nhập tệp" in t or "Xuất mẫu" in t]
    assert window.windowTitle().startswith(f"dkdesk - Máy của {ward.name}") and ward.name in window.banner.text()
    # Ctrl+O (the hidden "Nhập tệp Excel...") does not open the consolidator's Trao đổi Excel tab
    QTest.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert window.tab_widget.currentWidget() is tab

    # the next day: the machine opens as her unit's workstation straight away
    window.close()
    again, tab2 = show(qtbot, create_main_window(desk, settings=load_settings()))
    assert tab2.unit == WARD and visible_units(tab2) == [WARD]
    assert ward.name in again.windowTitle() and not tab2.buttons["approveAllButton"].isVisible()


def test_the_first_run_dialog_names_the_two_uses(qtbot, desk, desk_guard):  # noqa: ANN001, F811
    window, _tab = show(qtbot, create_main_window(desk))
    dialog = first_run.FirstRunDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    assert dialog.consolidator.text() == "Phòng LĐTBXH (tổng hợp)"
    assert dialog.unit_role.text() == "Một đơn vị:"
    units = [dialog.unit_combo.itemData(i) for i in range(dialog.unit_combo.count())]
    assert WARD in units and desk.plan.info.consolidator not in units
    assert len(units) == len(desk.plan.units) - 1


# -- Gửi báo cáo ------------------------------------------------------------------------------
def test_send_report_writes_the_filled_file_that_the_consolidator_imports(qtbot, desk, desk_guard, folders,  # noqa: ANN001, F811
                                                                       tmp_path):
    with desk_guard.allowed():
        desk.set_values(WARD, P, values_for(desk, WARD))
    window, tab = ward_window(qtbot, desk)
    assert tab.period == P  # the entry tab's current period
    type_into(qtbot, tab, "tt_so_buoi", "52")  # unsaved typing
    qtbot.mouseClick(send_button(tab), Qt.MouseButton.LeftButton)
    asked = click_box(qtbot, tab, "Lưu và gửi")
    assert "chưa lưu" in asked
    text = click_box(qtbot, tab, "Mở thư mục")  # written: where it went, and the folder opened
    path = Path(folders.answer) / "bao-cao_2024-H1_P-HUNGDAO.xlsx"
    assert path.is_file() and str(path) in text and str(path) in tab.message.text()
    assert folders.opened == [path.parent]
    assert load_settings().send_folder == folders.answer  # remembered
    assert not list(Path(folders.answer).glob("*.tmp"))
    with desk_guard.allowed():
        sent = desk.get_values(WARD, P).values
    assert sent["tt_so_buoi"] == 52  # saved before sending

    # the consolidator's machine imports it cleanly, with the same values
    with desk_guard.allowed(), Desk.open(tmp_path / "phong-ldtbxh.sqlite", plan_path=PLAN_PATH,
                                         who="Phòng LĐTBXH") as district:
        previews = importer.preview(district, [path])
        assert [(p.status, p.read.unit, p.read.period, p.read.errors) for p in previews] == \
            [(importer.NEW, WARD, P, [])]
        report = importer.apply(district, previews, backup=False)
        assert [o.status for o in report.outcomes] == ["imported"]
        assert district.get_values(WARD, P).values == sent


def test_send_report_from_the_menu_asks_before_overwriting(qtbot, desk, desk_guard, folders):  # noqa: ANN001, F811
    with desk_guard.allowed():
        desk.set_values(WARD, P, values_for(desk, WARD))
    window, tab = ward_window(qtbot, desk)
    window.actions_by_name["actionSend"].trigger()
    click_box(qtbot, tab, "Đóng")
    path = Path(folders.answer) / "bao-cao_2024-H1_P-HUNGDAO.xlsx"
    first = path.read_bytes()

    type_into(qtbot, tab, "tt_so_buoi", "7")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert wait_ops() and not tab.form.is_dirty()
    qtbot.mouseClick(send_button(tab), Qt.MouseButton.LeftButton)
    asked = click_box(qtbot, tab, "Hủy")
    assert folders.starts[-1] == folders.answer != folders.starts[0]  # the picker starts where it wrote last
    assert path.name in asked and "Ghi đè" in asked
    assert path.read_bytes() == first  # kept as it was
    assert "giữ nguyên" in tab.message.text()

    qtbot.mouseClick(send_button(tab), Qt.MouseButton.LeftButton)
    click_box(qtbot, tab, "Ghi đè")
    click_box(qtbot, tab, "Đóng")
    with desk_guard.allowed(), Desk.open(path.parent.parent / "doc-lai.sqlite", plan_path=PLAN_PATH) as other:
        assert importer.preview(other, [path])[0].read.values["tt_so_buoi"] == 7


def test_send_report_names_the_missing_required_fields(qtbot, desk, desk_guard, folders):  # noqa: ANN001, F811
    window, tab = ward_window(qtbot, desk)
    qtbot.mouseClick(send_button(tab), Qt.MouseButton.LeftButton)
    assert "chưa có số liệu nào" in click_box(qtbot, tab, "Đóng")  # nothing typed yet: nothing to send
    assert not list(Path(folders.answer).iterdir())

    type_into(qtbot, tab, "tt_so_buoi", "3")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert wait_ops() and not tab.form.is_dirty()
    qtbot.mouseClick(send_button(tab), Qt.MouseButton.LeftButton)
    required = [f for f in desk.plan.form_fields(WARD) if f.required and f.code != "tt_so_buoi"]
    text = click_box(qtbot, tab, "Quay lại nhập")
    assert f"còn {len(required)} ô bắt buộc" in text
    for f in required[:unit_station.MISSING_LISTED]:
        assert f.label in text
    assert not list(Path(folders.answer).iterdir())  # nothing written
    assert {f.code for f in required} <= set(tab.form.errors)  # marked on the form
    assert tab.focusWidget() is tab.form.editors[required[0].code]

    qtbot.mouseClick(send_button(tab), Qt.MouseButton.LeftButton)
    click_box(qtbot, tab, "Vẫn gửi báo cáo còn thiếu")
    assert "còn thiếu" in click_box(qtbot, tab, "Đóng")
    assert (Path(folders.answer) / "bao-cao_2024-H1_P-HUNGDAO.xlsx").is_file()


def test_a_file_that_cannot_be_written_is_told_and_nothing_is_lost(qtbot, desk, desk_guard, folders):  # noqa: ANN001, F811
    with desk_guard.allowed():
        desk.set_values(WARD, P, values_for(desk, WARD))
    window, tab = ward_window(qtbot, desk)
    blocker = Path(folders.answer) / "bao-cao_2024-H1_P-HUNGDAO.xlsx"
    blocker.mkdir()  # something that is not a file stands where the report goes
    qtbot.mouseClick(send_button(tab), Qt.MouseButton.LeftButton)
    click_box(qtbot, tab, "Ghi đè")
    text = click_box(qtbot, tab, "Đóng")
    assert "Chưa ghi được" in text and str(blocker) in text and "Traceback" not in text
    assert blocker.is_dir() and not list(Path(folders.answer).glob("*.tmp"))
    assert "Chưa ghi được" in tab.message.text()


# -- switching the machine ------------------------------------------------------------------------
def test_switching_back_to_the_consolidator_shows_every_unit(qtbot, desk, desk_guard, monkeypatch):  # noqa: ANN001, F811
    window, tab = ward_window(qtbot, desk)
    assert visible_units(tab) == [WARD]
    monkeypatch.setattr(first_run.FirstRunDialog, "exec", answer_role(qtbot, None))
    window.actions_by_name["actionStation"].trigger()  # Tệp → Máy của đơn vị...
    assert wait_ops()
    assert load_settings().role == ROLE_CONSOLIDATOR
    assert sorted(visible_units(tab)) == sorted(u.code for u in desk.plan.units)
    assert visible_tabs(window) == ["Nhập liệu", "Tổng quan", "Trao đổi Excel", "Nhật ký"]
    for name in ("submitButton", "approveButton", "approveAllButton", "unlockButton"):
        assert tab.buttons[name].isVisible(), name
    assert not send_button(tab).isVisible()
    for name in CONSOLIDATOR_ACTIONS:
        assert window.actions_by_name[name].isVisible(), name
    assert not window.actions_by_name["actionSend"].isVisible()
    assert window.windowTitle() == window_title(desk.plan)

    # ... and to another unit's workstation: the tab moves to it
    monkeypatch.setattr(first_run.FirstRunDialog, "exec", answer_role(qtbot, "P-DAPHUC"))
    window.actions_by_name["actionStation"].trigger()
    assert wait_ops()
    assert tab.unit == "P-DAPHUC" and visible_units(tab) == ["P-DAPHUC"]
    assert desk.plan.unit("P-DAPHUC").name in window.windowTitle()


def test_the_consolidator_machine_is_unchanged(qtbot, desk, desk_guard):  # noqa: ANN001, F811
    settings = Settings(user_name="Lan", role=ROLE_CONSOLIDATOR, last_period=P)
    window, tab = show(qtbot, create_main_window(desk, settings=settings))
    assert sorted(visible_units(tab)) == sorted(u.code for u in desk.plan.units)
    assert not send_button(tab).isVisible() and tab.buttons["approveAllButton"].isVisible()
    assert "Gửi báo cáo của đơn vị..." not in menu_texts(window)
    assert window.windowTitle() == window_title(desk.plan)
    assert f"{len(desk.plan.units)} đơn vị báo cáo" in window.banner.text()



def test_a_ward_pc_stays_one_over_next_years_plan(qtbot, desk, desk_guard):  # noqa: ANN001, F811
    """Kế hoạch → Chọn kế hoạch on a ward's PC: the window over the 2025 plan is still her unit's
    (her unit only, no district tabs, no plan making), and the title names unit and plan."""
    from dkdesk.catalogue import plan_edit
    from dkdesk.catalogue.plan_dump import dump_plan

    with desk_guard.allowed():
        desk.add_plan(dump_plan(plan_edit.next_year(desk.plan)))
    window, _tab = ward_window(qtbot, desk)
    window.plan_menu.switch_plan("duong-kinh-2025")
    assert wait_ops()
    assert window.ctx.desk.plan.info.code == "duong-kinh-2025"
    tab = window.tabs_by_title["Nhập liệu"]
    assert visible_units(tab) == [WARD] and tab.unit == WARD
    assert visible_tabs(window) == ["Nhập liệu", "Nhật ký"]
    for name in CONSOLIDATOR_ACTIONS:
        assert not window.actions_by_name[name].isVisible(), name
    assert window.actions_by_name["actionChoosePlan"].isVisible()  # she receives the office's plan file
    assert window.actions_by_name["actionImportPlan"].isVisible()
    title = window.windowTitle()
    assert title.startswith(f"dkdesk - Máy của {desk.plan.unit(WARD).name}") and "(duong-kinh-2025)" in title
    window.ctx.desk.close()


# -- Nhật ký ----------------------------------------------------------------------------------
def open_tab(qtbot, window, title: str):  # noqa: ANN001, ANN201
    """Click the tab ``title`` in the tab bar, as the person does."""
    bar = window.tab_widget.tabBar()
    index = next(i for i in range(bar.count()) if bar.tabText(i) == title)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert wait_ops()
    return window.tab_widget.currentWidget()


def journal_units(journal) -> tuple[list[str], set[str]]:  # noqa: ANN001
    """The units the filter offers, and the units of the rows shown (Đơn vị column)."""
    combo, model = journal.unit_filter, journal.model
    offered = [combo.itemText(i) for i in range(combo.count())]
    return offered, {model.data(model.index(r, 3)) for r in range(model.rowCount())}


def test_the_journal_of_a_ward_shows_her_unit_only(qtbot, desk, desk_guard, monkeypatch):  # noqa: ANN001, F811
    other = "P-DAPHUC"
    with desk_guard.allowed():
        desk.set_values(WARD, P, values_for(desk, WARD))
        desk.set_values(other, P, values_for(desk, other))
    window, _tab = ward_window(qtbot, desk)
    journal = open_tab(qtbot, window, "Nhật ký")
    offered, shown = journal_units(journal)
    ward = desk.plan.unit(WARD).short_name
    assert offered == [ward]  # not "Tất cả đơn vị" and the 19 others
    assert shown == {ward} and journal.model.rowCount() == len(values_for(desk, WARD))
    qtbot.mouseClick(journal.findChild(QPushButton, "journalClearFilters"), Qt.MouseButton.LeftButton)
    assert wait_ops()
    assert journal_units(journal) == ([ward], {ward})  # "Bỏ lọc" keeps her unit

    # the machine becomes the consolidator's: every unit again, in the filter and in the rows
    monkeypatch.setattr(first_run.FirstRunDialog, "exec", answer_role(qtbot, None))
    window.actions_by_name["actionStation"].trigger()
    assert wait_ops()
    offered, shown = journal_units(journal)
    assert offered == ["Tất cả đơn vị"] + [u.short_name for u in desk.plan.units]
    assert shown == {ward, desk.plan.unit(other).short_name}
    # ... and another ward's: that ward only
    monkeypatch.setattr(first_run.FirstRunDialog, "exec", answer_role(qtbot, other))
    window.actions_by_name["actionStation"].trigger()
    assert wait_ops()
    assert journal_units(journal) == ([desk.plan.unit(other).short_name], {desk.plan.unit(other).short_name})
