"""The Trao đổi Excel tab, driven as a person would: files in, preview, tick, apply."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication
from xlhelpers import fill_with_openpyxl, valid_values

from dkdesk.exchange import importer as I
from dkdesk.exchange.template import write_template
from dkdesk.gui.import_models import DiffModel, HistoryModel, PreviewModel
from dkdesk.gui.ops import wait_ops
from dkdesk.gui.tasks import BackgroundTask, wait_idle


@pytest.fixture
def window(qtbot, desk):  # noqa: ANN001, ANN201
    from dkdesk.gui.app import create_main_window

    win = create_main_window(desk)
    qtbot.addWidget(win)
    win.show()
    yield win
    wait_ops()
    wait_idle()


@pytest.fixture
def tab(window):  # noqa: ANN001, ANN201
    tab = window.tabs_by_title["Trao đổi Excel"]
    window.tab_widget.setCurrentWidget(tab)
    return tab


def make(plan, tmp: Path, unit: str, period: str = "2024-H1", over: dict | None = None) -> Path:  # noqa: ANN001
    values = valid_values(plan, unit)
    values.update(over or {})
    tpl = write_template(plan, unit, period, tmp / f"mau-{unit}-{period}.xlsx")
    return fill_with_openpyxl(tpl, tmp / f"bao-cao_{period}_{unit}.xlsx", values)


@pytest.fixture
def mixed(desk, plan, tmp_path: Path) -> list[Path]:  # noqa: ANN001
    """A duplicate, a new, a changed and a rejected file."""
    dup = make(plan, tmp_path, "CA")
    I.apply(desk, I.preview(desk, [dup]))
    desk.set_values("P-HUNGDAO", "2024-H1", valid_values(plan, "P-HUNGDAO"))
    changed = make(plan, tmp_path, "P-HUNGDAO", over={"tt_so_buoi": 52})
    new = make(plan, tmp_path, "GDDT")
    bad = make(plan, tmp_path, "LDLD", over={"nld_kcn_duoc_tt": 900})
    return [dup, new, changed, bad]


def open_preview(qtbot, tab, paths: list[Path]):  # noqa: ANN001, ANN201
    tab.import_files([str(p) for p in paths])
    qtbot.waitUntil(lambda: tab.preview_dialog is not None and tab.preview_dialog.isVisible(), timeout=20000)
    return tab.preview_dialog


def test_models_pass_modeltester(qtmodeltester, desk, mixed) -> None:  # noqa: ANN001
    from dkdesk.exchange.history import import_history

    previews = I.preview(desk, mixed)
    model = PreviewModel(desk.plan, previews)
    qtmodeltester.check(model)
    diff = DiffModel()
    diff.load(next(p for p in previews if p.status == I.CHANGED).diffs)
    qtmodeltester.check(diff)
    history = HistoryModel(desk.plan)
    history.load(import_history(desk))
    qtmodeltester.check(history)


def test_preview_tick_and_apply(qtbot, tab, desk, mixed) -> None:  # noqa: ANN001
    dialog = open_preview(qtbot, tab, mixed)
    model = dialog.model
    assert [p.label for p in model.rows] == ["Trùng", "Mới", "Có thay đổi", "Bị từ chối"]
    assert model.chosen() == [model.rows[1], model.rows[2]]  # new and changed ticked by default
    # the person looks at the changed file: old -> new per value
    view = dialog.files_view
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(model.index(2, 1)).center())
    first = dialog.diff_model.rows[0]
    assert (first.field, first.old, first.new) == ("tt_so_buoi", 40, 52)
    # ... the rejected one shows why
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(model.index(3, 1)).center())
    assert "nld_kcn_duoc_tt" in dialog.errors_text.toPlainText() and "E" in dialog.errors_text.toPlainText()
    # unticks the new file with the keyboard
    view.setCurrentIndex(model.index(1, 0))
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert model.chosen() == [model.rows[2]]
    assert dialog.apply_button.text() == "Nhập 1 tệp đã chọn"
    with qtbot.waitSignal(tab.ctx.bus.changed, timeout=20000) as signal:
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert signal.args == ["import", "2024-H1"]
    assert wait_ops()  # the history is read again on the worker
    assert desk.get_values("P-HUNGDAO", "2024-H1").values["tt_so_buoi"] == 52
    assert desk.get_values("GDDT", "2024-H1").values == {}
    results = [(r.file_name, r.result) for r in tab.history_model.rows]
    assert ("bao-cao_2024-H1_P-HUNGDAO.xlsx", "imported") in results
    assert ("bao-cao_2024-H1_LDLD.xlsx", "rejected") in results
    assert tab.last_report.backup is not None


def test_open_original_writes_the_stored_bytes(qtbot, tab, mixed) -> None:  # noqa: ANN001
    opened: list[QUrl] = []
    tab.opener = opened.append
    tab.refresh_history()
    assert wait_ops()
    view = tab.history_view
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(tab.history_model.index(0, 1)).center())
    assert tab.open_button.isEnabled()
    qtbot.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    assert wait_ops()
    assert Path(opened[0].toLocalFile()).read_bytes() == mixed[0].read_bytes()


def test_unidentified_file_asks_unit_and_period(qtbot, tab, desk, plan, tmp_path) -> None:  # noqa: ANN001
    import openpyxl

    src = make(plan, tmp_path, "P-DAPHUC")
    wb = openpyxl.load_workbook(src)
    del wb["_dkdesk"]
    path = tmp_path / "khong-nhan-dang.xlsx"
    wb.save(path)
    dialog = open_preview(qtbot, tab, [path])
    assert dialog.model.rows[0].status == I.NEEDS_ID and dialog.identify_button.isEnabled()

    def choose() -> None:
        box = QApplication.activeModalWidget()
        assert box is not None and box.unit_combo.currentData() == "P-DAPHUC"  # guessed from the header
        box.period_combo.setCurrentIndex(box.period_combo.findData("2024-H1"))
        box.accept()

    QTimer.singleShot(0, choose)
    qtbot.mouseClick(dialog.identify_button, Qt.MouseButton.LeftButton)
    assert wait_ops()  # read again and compared on the worker
    assert dialog.model.rows[0].status == I.NEW and dialog.model.chosen()
    with qtbot.waitSignal(tab.ctx.bus.changed, timeout=20000):
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert desk.get_values("P-DAPHUC", "2024-H1").values["tt_so_hinh_thuc"] == 40


def test_drop_a_folder_previews_its_files(qtbot, tab, plan, tmp_path) -> None:  # noqa: ANN001
    folder = tmp_path / "usb"
    folder.mkdir()
    make(plan, tmp_path, "TP").rename(folder / "bao-cao-tu-phap.xlsx")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    event = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    tab.dropEvent(event)
    qtbot.waitUntil(lambda: tab.preview_dialog is not None and tab.preview_dialog.isVisible(), timeout=20000)
    assert [p.unit for p in tab.preview_dialog.model.rows] == ["TP"]


def test_cancelled_apply_stores_nothing(qtbot, tab, desk, mixed, db_path) -> None:  # noqa: ANN001
    from xlhelpers import db_dump

    previews = I.preview(desk, mixed)
    before = db_dump(db_path)
    gate = threading.Event()
    blocker = BackgroundTask(lambda _p: gate.wait(10), tab)
    blocker.start()  # the single worker is busy: the import waits behind it
    tab.apply([p for p in previews if p.status in I.APPLICABLE])
    tab._task.cancel()  # the person pressed Hủy
    gate.set()
    qtbot.waitUntil(lambda: "hủy" in tab.history_summary.text().lower(), timeout=20000)
    assert db_dump(db_path) == before


def test_export_templates(qtbot, tab, desk, plan, tmp_path) -> None:  # noqa: ANN001
    import openpyxl

    desk.set_values("VHTT", "2024-Y", {"cskd_tong": 12})
    tab.unit_combo.setCurrentIndex(tab.unit_combo.findData("VHTT"))
    tab.period_combo.setCurrentIndex(tab.period_combo.findData("2024-Y"))
    assert tab.filled_check.isEnabled()
    tab.filled_check.setChecked(True)
    target = tmp_path / "vhtt.xlsx"
    tab.export_templates(str(target))
    assert wait_ops()
    tab.last_message.close()
    ws = openpyxl.load_workbook(target)["Biểu nhập liệu"]
    assert 12 in [ws.cell(r, 5).value for r in range(1, ws.max_row + 1)]
    tab.unit_combo.setCurrentIndex(0)
    folder = tmp_path / "all"
    tab.export_templates(str(folder))
    qtbot.waitUntil(lambda: tab.last_message is not None and "20 biểu mẫu" in tab.last_message.text(),
                    timeout=30000)
    assert len(list(folder.glob("mau-bao-cao_2024-Y_*.xlsx"))) == len(plan.units)
    tab.last_message.close()


def test_template_of_another_form_version_warns_and_is_applied_only_when_ticked(qtbot, tab, desk, plan,
                                                                                tmp_path) -> None:  # noqa: ANN001
    import openpyxl

    good = make(plan, tmp_path, "GDDT")
    other = make(plan, tmp_path, "P-HUNGDAO")
    wb = openpyxl.load_workbook(other)
    ident = wb["_dkdesk"]
    ident.cell(next(r for r in range(1, 20) if ident.cell(r, 1).value == "cau_truc"), 2).value = "ffffffffffffffff"
    wb.save(other)
    dialog = open_preview(qtbot, tab, [good, other])
    model = dialog.model
    assert [p.label for p in model.rows] == ["Mới", "Mới"]
    assert model.chosen() == [model.rows[0]]  # the warned file is not ticked for the person
    note = model.data(model.index(1, 8))
    assert note.startswith("Cảnh báo: Mẫu được tạo từ phiên bản biểu mẫu khác: tệp \"bao-cao_2024-H1_P-HUNGDAO.xlsx\"")
    assert "cảnh báo" in dialog.summary.text()
    view = dialog.files_view
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(model.index(1, 1)).center())
    assert dialog.errors_text.isVisible() and dialog.diff_view.isVisible()
    assert "phiên bản biểu mẫu khác" in dialog.errors_text.toPlainText()
    # the person has read the warning and still wants the file: ticks it with the keyboard
    view.setCurrentIndex(model.index(1, 0))
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert model.chosen() == model.rows
    with qtbot.waitSignal(tab.ctx.bus.changed, timeout=20000):
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert wait_ops()
    assert desk.get_values("P-HUNGDAO", "2024-H1").values["tt_so_buoi"] == 40
    row = next(r for r in tab.history_model.rows if r.file_name == "bao-cao_2024-H1_P-HUNGDAO.xlsx")
    assert row.result == "imported" and "phiên bản biểu mẫu khác" in row.message


def test_preview_and_history_name_the_period_as_people_do(qtbot, desk, plan, tmp_path: Path) -> None:  # noqa: ANN001
    """The Kỳ column reads "6 tháng đầu năm 2024", not the code 2024-H1 (the code is in the tooltip)."""
    from PySide6.QtCore import Qt

    from dkdesk.exchange.history import import_history
    from dkdesk.gui.import_models import HistoryModel, PreviewModel

    path = make(plan, tmp_path, "P-HUNGDAO")
    previews = I.preview(desk, [path])
    model = PreviewModel(plan, previews)
    assert model.data(model.index(0, 3)) == plan.period("2024-H1").name
    assert "2024-H1" in model.data(model.index(0, 3), Qt.ItemDataRole.ToolTipRole)
    I.apply(desk, previews)
    history = HistoryModel(plan)
    history.load(import_history(desk))
    assert history.data(history.index(0, 3)) == plan.period("2024-H1").name


def test_space_ticks_the_current_file_at_once_whatever_cell(qtbot, tab, desk, plan, tmp_path: Path) -> None:  # noqa: ANN001
    desk.set_values("P-HUNGDAO", "2024-H1", valid_values(plan, "P-HUNGDAO"))
    paths = [make(plan, tmp_path, "GDDT"), make(plan, tmp_path, "P-HUNGDAO", over={"tt_so_buoi": 52})]
    dialog = open_preview(qtbot, tab, paths)
    model, view = dialog.model, dialog.files_view
    first = next(i for i, p in enumerate(model.rows) if p.status in (I.NEW, I.CHANGED))
    assert first == 0 and model.ticked == {0, 1}
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Space)  # no Home first: the first row's tick box is current
    assert model.ticked == {1} and dialog.apply_button.text() == "Nhập 1 tệp đã chọn"
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert model.ticked == {0, 1}
    # a click on the second file's name, then Space: that file is unticked, whatever the column
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(model.index(1, 3)).center())
    assert view.currentIndex().column() == 3
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert model.ticked == {0}
    qtbot.keyClick(view, Qt.Key.Key_Up)
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert model.ticked == set() and not dialog.apply_button.isEnabled()
    dialog.reject()


def test_space_on_a_file_that_cannot_be_imported_changes_nothing(qtbot, tab, mixed) -> None:  # noqa: ANN001
    dialog = open_preview(qtbot, tab, mixed)
    model, view = dialog.model, dialog.files_view
    rejected = next(i for i, p in enumerate(model.rows) if p.status == I.REJECTED)
    before = set(model.ticked)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(model.index(rejected, 1)).center())
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert model.ticked == before and view.currentIndex().row() == rejected
    dialog.reject()


def test_a_figure_far_above_the_last_period_is_shown_and_still_ticked(qtbot, tab, desk, plan, tmp_path) -> None:  # noqa: ANN001
    """P-HUNGDAO reported 12 sessions for 2024-H1; its year file says 1.200: the preview says so in the
    note and the detail, and the file is ticked as any new file (a warning: the person decides)."""
    from dkdesk.gui.import_models import BG, TIP, DiffModel

    desk.set_values("P-HUNGDAO", "2024-H1", {**valid_values(plan, "P-HUNGDAO"), "tt_so_buoi": 12})
    combo = tab.period_combo  # the person works on the year report
    combo.setFocus()
    while combo.currentData() != "2024-Y":
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert wait_ops() and tab.ctx.period.code == "2024-Y"
    unusual = make(plan, tmp_path, "P-HUNGDAO", "2024-Y", {"tt_so_buoi": 1200})
    ordinary = make(plan, tmp_path, "GDDT", "2024-Y")
    dialog = open_preview(qtbot, tab, [unusual, ordinary])
    model = dialog.model
    assert [p.label for p in model.rows] == ["Mới", "Mới"]
    assert model.chosen() == model.rows  # both ticked: a warning is no refusal
    note = model.data(model.index(0, 8))
    assert note.startswith("Cảnh báo: Số lớn bất thường") and "so với 12 của kỳ trước" in note
    assert model.data(model.index(1, 8)) == ""
    assert "1 tệp có số lớn bất thường so với kỳ trước" in dialog.summary.text()

    view = dialog.files_view
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(model.index(0, 1)).center())
    detail = dialog.errors_text.toPlainText()
    assert dialog.errors_text.isVisible() and "⚠ Cảnh báo: 'Biểu nhập liệu'!E" in detail
    assert "Số lớn bất thường" in detail and "1.200" in detail and "6 tháng đầu năm 2024" in detail
    row = next(i for i, d in enumerate(dialog.diff_model.rows) if d.field == "tt_so_buoi")
    cell = dialog.diff_model.index(row, 3)
    assert dialog.diff_model.data(cell, BG).color().name() == DiffModel.UNUSUAL_COLOR
    assert "Số lớn bất thường" in dialog.diff_model.data(cell, TIP)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(model.index(1, 1)).center())
    assert not dialog.errors_text.isVisible()

    assert dialog.apply_button.text() == "Nhập 2 tệp đã chọn"
    with qtbot.waitSignal(tab.ctx.bus.changed, timeout=20000):
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert wait_ops()
    assert desk.get_values("P-HUNGDAO", "2024-Y").values["tt_so_buoi"] == 1200
    assert [o.status for o in tab.last_report.outcomes] == ["imported", "imported"]
