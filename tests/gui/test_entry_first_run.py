"""First-run dialog (name + role) and the Nhật ký tab's filters and model."""
from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QDialog
from entry_helpers import open_window, prompts, type_text  # noqa: F401

from dkdesk.core.settings import ROLE_CONSOLIDATOR, ROLE_UNIT, load_settings
from dkdesk.gui import first_run
from dkdesk.gui.ops import wait_ops


def answer_with(qtbot, name: str, unit: str | None):
    def exec_(dialog):
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.name_edit.clear()
        type_text(qtbot, dialog.name_edit, name)
        if unit:
            qtbot.mouseClick(dialog.unit_role, Qt.MouseButton.LeftButton,
                             pos=QPoint(8, dialog.unit_role.height() // 2))
            dialog.unit_combo.setCurrentIndex(dialog.unit_combo.findData(unit))
        dialog.accept()
        return dialog.result()
    return exec_


def test_first_run_stores_name_and_unit_role(qtbot, desk, monkeypatch):
    window, tab = open_window(qtbot, desk)
    monkeypatch.setattr(first_run.FirstRunDialog, "exec", answer_with(qtbot, "  Nguyễn Thị   Lan ", "P-HUNGDAO"))
    assert first_run.ask_first_run(window)
    assert wait_ops()
    saved = load_settings()
    assert (saved.user_name, saved.role, saved.unit) == ("Nguyễn Thị Lan", ROLE_UNIT, "P-HUNGDAO")
    assert tab.unit == "P-HUNGDAO"  # the workstation opens on its unit
    desk_values = window.ctx.desk
    tab.form.editors["tt_so_buoi"].setText("3")
    assert tab.save()
    assert wait_ops()
    assert desk_values.history()[0].who == "Nguyễn Thị Lan"


def test_first_run_needs_a_name_and_defaults_to_consolidator(qtbot, desk, monkeypatch):
    window, _tab = open_window(qtbot, desk)

    def exec_(dialog):
        dialog.accept()  # no name: refused, the dialog stays
        assert dialog.result() != QDialog.DialogCode.Accepted and "tên" in dialog.error.text()
        type_text(qtbot, dialog.name_edit, "Lan")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(first_run.FirstRunDialog, "exec", exec_)
    assert first_run.ask_first_run(window)
    saved = load_settings()
    assert (saved.user_name, saved.role, saved.unit) == ("Lan", ROLE_CONSOLIDATOR, "")
    assert not saved.first_run


def test_journal_filters_by_unit_period_and_date(qtbot, desk, qtmodeltester):
    desk.set_values("CA", "2024-H1", {"ca_vu_khoi_to": 3})
    desk.set_values("CA", "2024-Y", {"ca_vu_khoi_to": 4})
    desk.set_values("P-HUNGDAO", "2024-H1", {"tt_so_buoi": 1})
    window, _tab = open_window(qtbot, desk)
    journal = window.tabs_by_title["Nhật ký"]
    assert wait_ops()  # the journal is read on the worker
    qtmodeltester.check(journal.model)
    assert journal.model.rowCount() == 3
    journal.unit_filter.setCurrentIndex(journal.unit_filter.findData("CA"))
    assert wait_ops()
    assert journal.model.rowCount() == 2
    journal.period_filter.setCurrentIndex(journal.period_filter.findData("2024-Y"))
    assert wait_ops()
    assert journal.model.rowCount() == 1
    assert journal.model.data(journal.model.index(0, 7)) == "4"
    qtmodeltester.check(journal.model)
    journal.clear_filters()
    assert wait_ops()
    assert journal.model.rowCount() == 3
    qtbot.mouseClick(journal.date_filter, Qt.MouseButton.LeftButton)
    tomorrow = date.today() + timedelta(days=1)
    journal.date_from.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
    journal.date_to.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
    assert wait_ops()
    assert journal.model.rowCount() == 0
    journal.date_from.setDate(QDate.currentDate())
    journal.date_to.setDate(QDate.currentDate())
    assert wait_ops()
    assert journal.model.rowCount() == 3
    # a save in the entry tab shows up at once
    entry = window.tabs_by_title["Nhập liệu"]
    entry.select_unit("CA")
    assert wait_ops()
    entry.form.editors["ca_vu_khoi_to"].setText("9")
    assert entry.save()
    assert wait_ops()
    assert journal.model.rowCount() == 4


def test_unit_workstation_opens_on_its_unit_and_read_only_window_cannot_save(qtbot, desk):
    from dkdesk.core.settings import Settings
    from dkdesk.gui.app import create_main_window

    window = create_main_window(desk, settings=Settings(user_name="Lan", role=ROLE_UNIT, unit="CA"))
    qtbot.addWidget(window)
    tab = window.tabs_by_title["Nhập liệu"]
    assert wait_ops()
    assert tab.unit == "CA"
    assert tab.unit_selector.currentItem().data(0, Qt.ItemDataRole.UserRole) == "CA"

    window.ctx.read_only = True  # another dkdesk holds the database
    tab.show_form()
    assert wait_ops()
    assert tab.form.editors["ca_vu_khoi_to"].isReadOnly()
    assert not tab.save_button.isEnabled() and not tab.save()
    assert desk.history() == []
