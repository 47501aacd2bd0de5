"""The Báo cáo dialog and the year-end preparation dialog, driven as a person would
(the file dialogs are bypassed by typing the paths; opening the files is recorded)."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt

from dkdesk.gui.ops import wait_ops
from tests.conftest import fill_unit
from reports_seed import seed


@pytest.fixture
def ctx(desk):
    from dkdesk.core.settings import Settings
    from dkdesk.gui.context import DataBus, GuiContext

    return GuiContext(desk=desk, settings=Settings(user_name="Chuyên viên", role="consolidator"), bus=DataBus())


class Opened(list):
    """The paths the dialog asked the system to open; ``refuse`` holds suffixes (or "folder")
    for which the system has no program (opening them answers False, as Qt's openUrl does)."""

    def __init__(self) -> None:
        super().__init__()
        self.refuse: set[str] = set()

    def __call__(self, path: Path) -> bool:
        self.append(path)
        return ("folder" if path.is_dir() else path.suffix) not in self.refuse


@pytest.fixture
def opened(monkeypatch, tmp_path: Path) -> Opened:
    from dkdesk.gui import report_dialog

    calls = Opened()
    monkeypatch.setattr(report_dialog, "open_file", calls)
    docs = tmp_path / "Documents"
    docs.mkdir()
    monkeypatch.setattr(report_dialog, "documents_dir", lambda: docs)
    return calls


class Boxes:
    """Looks at the screen every few milliseconds and answers each message box that appears,
    in turn: a button's label, or None for Enter (the box's default button). ``seen`` keeps the
    texts read."""

    def __init__(self, *answers: str | None) -> None:
        from PySide6.QtCore import QTimer

        self.answers = list(answers)
        self.seen: list[str] = []
        self.buttons: list[list[str]] = []
        self.timer = QTimer()
        self.timer.timeout.connect(self._look)
        self.timer.start(20)

    def _look(self) -> None:
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication, QMessageBox

        box = next((w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()), None)
        if box is None or not self.answers:
            return
        self.seen.append(box.text())
        self.buttons.append(sorted(b.text() for b in box.buttons()))
        answer = self.answers.pop(0)
        if answer is None:
            QTest.keyClick(box, Qt.Key.Key_Return)
        else:
            next(b for b in box.buttons() if b.text() == answer).click()
        if not self.answers:
            self.timer.stop()

    @property
    def done(self) -> bool:
        return not self.answers


def test_defaults_in_documents_follow_the_period(qtbot, ctx, opened, tmp_path: Path) -> None:
    from dkdesk.gui.report_dialog import ReportDialog

    dialog = ReportDialog(ctx, None, "2024-H1")
    qtbot.addWidget(dialog)
    assert dialog.xlsx_edit.text() == str(tmp_path / "Documents" / "bao-cao-tong-hop_2024-H1.xlsx")
    assert dialog.docx_edit.text().endswith("bao-cao-thuc-hien_2024-H1.docx")
    assert not dialog.year_end_button.isVisibleTo(dialog)
    dialog.period_combo.setCurrentIndex(dialog.period_combo.findData("2024-Y"))
    assert dialog.xlsx_edit.text().endswith("bao-cao-tong-hop_2024-Y.xlsx")
    assert dialog.year_end_button.isVisibleTo(dialog)


def test_make_reports_and_open_them(qtbot, ctx, desk, opened, tmp_path: Path) -> None:
    from dkdesk.gui.report_dialog import ReportDialog

    seed(desk)
    dialog = ReportDialog(ctx, None, "2024-H1")
    qtbot.addWidget(dialog)
    dialog.show()
    target = tmp_path / "tong-hop cua toi.xlsx"
    dialog.xlsx_edit.clear()
    qtbot.keyClicks(dialog.xlsx_edit, str(target))
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_files is not None, timeout=60000)
    docx_path = tmp_path / "Documents" / "bao-cao-thuc-hien_2024-H1.docx"
    assert opened == [target, docx_path]
    assert "Tổng hợp chỉ tiêu" in openpyxl.load_workbook(target).sheetnames
    assert docx_path.exists()
    # the dialog stays and says where each file went; its buttons open a file or the folder
    assert dialog.isVisible() and dialog.result_panel.isVisible()
    said = dialog.result_label.text()
    assert "6 tháng đầu năm 2024" in said
    assert f"Bảng tổng hợp: {target}" in said and f"Dự thảo báo cáo: {docx_path}" in said
    qtbot.mouseClick(dialog.open_folder_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.open_docx_button, Qt.MouseButton.LeftButton)
    assert opened[2:] == [tmp_path, docx_path]
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_docx_can_be_left_out(qtbot, ctx, opened, tmp_path: Path) -> None:
    from dkdesk.gui.report_dialog import ReportDialog

    dialog = ReportDialog(ctx, None, "2024-H1")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog.docx_check, Qt.Key.Key_Space)
    assert not dialog.docx_edit.isEnabled()
    dialog.open_check.setChecked(False)
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_files is not None, timeout=60000)
    assert dialog.result_files.docx is None and dialog.result_files.xlsx.exists()
    assert opened == []
    assert dialog.open_xlsx_button.isVisible() and not dialog.open_docx_button.isVisible()
    assert "Dự thảo" not in dialog.result_label.text()


def test_year_end_preview_tick_and_apply(qtbot, ctx, desk, monkeypatch, qtmodeltester) -> None:
    from dkdesk.gui import year_end_dialog

    fill_unit(desk, "VHTT", "2024-H1", {"cskd_tong": 37})
    fill_unit(desk, "GDDT", "2024-H1", {"hs_tong": 1500, "hs_duoc_tt": 900})
    desk.set_values("GDDT", "2024-Y", {"hs_tong": 1600})
    monkeypatch.setattr(year_end_dialog, "confirm", lambda *a, **k: True)
    monkeypatch.setattr(year_end_dialog, "show_info", lambda *a, **k: None)
    changed: list[tuple[str, str]] = []
    ctx.bus.changed.connect(lambda kind, period: changed.append((kind, period)))
    dialog = year_end_dialog.YearEndDialog(ctx, None, "2024-Y")
    qtbot.addWidget(dialog)
    dialog.show()
    assert wait_ops()  # the proposals are read on the worker
    model = dialog.model
    qtmodeltester.check(model)
    keys = [(r.unit, r.field) for r in model.rows]
    assert ("VHTT", "cskd_tong") in keys and ("GDDT", "hs_tong") in keys
    kept = keys.index(("GDDT", "hs_tong"))
    assert not (model.flags(model.index(kept, 0)) & Qt.ItemFlag.ItemIsUserCheckable)
    qtbot.mouseClick(dialog.none_button, Qt.MouseButton.LeftButton)
    assert not dialog.apply_button.isEnabled()
    row = keys.index(("VHTT", "cskd_tong"))
    assert model.setData(model.index(row, 0), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert "Đã chọn 1/" in dialog.summary.text()
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert wait_ops()
    assert dialog.result is not None and dialog.result.written == 1
    annual = desk.get_values("VHTT", "2024-Y")
    assert annual.values == {"cskd_tong": 37} and annual.info["cskd_tong"].source == "carry"
    assert desk.get_values("GDDT", "2024-Y").values["hs_tong"] == 1600
    assert ("values", "2024-Y") in changed


def test_year_end_offers_sum_fields_only_when_asked(qtbot, ctx, desk) -> None:
    from dkdesk.gui.year_end_dialog import YearEndDialog

    fill_unit(desk, "VHTT", "2024-H1")
    dialog = YearEndDialog(ctx, None, "2024-Y")
    qtbot.addWidget(dialog)
    assert wait_ops()
    before = {r.field for r in dialog.model.rows}
    qtbot.keyClick(dialog.sum_check, Qt.Key.Key_Space)
    assert wait_ops()
    after = {r.field for r in dialog.model.rows}
    assert "cskd_duoc_kiem_tra" not in before and "cskd_duoc_kiem_tra" in after


def test_a_refusal_is_shown_and_nothing_is_written(qtbot, ctx, opened, monkeypatch, tmp_path: Path) -> None:
    from dkdesk.gui import report_dialog
    from dkdesk.gui.report_dialog import ReportDialog

    shown: list[str] = []  # the dialog restores itself and shows the failure
    monkeypatch.setattr(report_dialog, "show_error", lambda parent, title, exc: shown.append(str(exc)))
    dialog = ReportDialog(ctx, None, "2024-H1")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.xlsx_edit.clear()
    qtbot.keyClicks(dialog.xlsx_edit, str(tmp_path / "khong-co" / "a.xlsx"))
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown), timeout=60000)
    assert "không tồn tại" in shown[0]
    assert dialog.result_files is None and dialog.run_button.isEnabled()
    assert not (tmp_path / "Documents" / "bao-cao-thuc-hien_2024-H1.docx").exists()
    assert opened == []


def run_and_wait(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result_files is not None, timeout=60000)


def test_the_folder_is_remembered(qtbot, ctx, opened, tmp_path: Path) -> None:
    import json
    import os

    from dkdesk.gui.report_dialog import ReportDialog

    mine = tmp_path / "Bao cao cua phong"
    mine.mkdir()
    dialog = ReportDialog(ctx, None, "2024-H1")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.xlsx_edit.clear()
    qtbot.keyClicks(dialog.xlsx_edit, str(mine / "tong-hop.xlsx"))
    qtbot.keyClick(dialog.docx_check, Qt.Key.Key_Space)
    dialog.open_check.setChecked(False)
    run_and_wait(qtbot, dialog)
    saved = json.loads(Path(os.environ["DKDESK_SETTINGS"]).read_text(encoding="utf-8"))
    assert saved["report_folder"] == str(mine) == ctx.settings.report_folder
    again = ReportDialog(ctx, None, "2024-Y")  # the next time, the default names are in that folder
    qtbot.addWidget(again)
    assert again.xlsx_edit.text() == str(mine / "bao-cao-tong-hop_2024-Y.xlsx")
    assert again.docx_edit.text() == str(mine / "bao-cao-thuc-hien_2024-Y.docx")
    mine.rename(tmp_path / "da-doi-ten")  # a folder that is gone: back to Documents
    third = ReportDialog(ctx, None, "2024-Y")
    qtbot.addWidget(third)
    assert third.xlsx_edit.text() == str(tmp_path / "Documents" / "bao-cao-tong-hop_2024-Y.xlsx")


def test_an_existing_file_is_overwritten_only_when_the_person_says_so(qtbot, ctx, opened, tmp_path: Path) -> None:
    from dkdesk.gui.report_dialog import ReportDialog

    target = tmp_path / "Documents" / "bao-cao-tong-hop_2024-H1.xlsx"
    target.write_bytes(b"ban cu")
    dialog = ReportDialog(ctx, None, "2024-H1")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog.docx_check, Qt.Key.Key_Space)
    dialog.open_check.setChecked(False)
    boxes = Boxes("Hủy")
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    assert boxes.done and str(target) in boxes.seen[0] and "Ghi đè" in boxes.seen[0]
    assert boxes.buttons[0] == ["Ghi đè", "Hủy"]
    assert wait_ops() and dialog.result_files is None
    assert target.read_bytes() == b"ban cu" and "Chưa ghi gì" in dialog.status_label.text()
    boxes = Boxes("Ghi đè")
    run_and_wait(qtbot, dialog)
    assert boxes.done and "Tổng hợp chỉ tiêu" in openpyxl.load_workbook(target).sheetnames


def test_both_existing_files_are_named_in_one_question(qtbot, ctx, opened, tmp_path: Path) -> None:
    from dkdesk.gui.report_dialog import ReportDialog

    docs = tmp_path / "Documents"
    for name in ("bao-cao-tong-hop_2024-H1.xlsx", "bao-cao-thuc-hien_2024-H1.docx"):
        (docs / name).write_bytes(b"cu")
    dialog = ReportDialog(ctx, None, "2024-H1")
    qtbot.addWidget(dialog)
    dialog.show()
    boxes = Boxes("Hủy")
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    assert boxes.done and len(boxes.seen) == 1
    assert "bao-cao-tong-hop_2024-H1.xlsx" in boxes.seen[0] and "bao-cao-thuc-hien_2024-H1.docx" in boxes.seen[0]
    assert wait_ops() and opened == [] and (docs / "bao-cao-tong-hop_2024-H1.xlsx").read_bytes() == b"cu"


def test_a_file_without_a_program_to_open_it_is_told(qtbot, ctx, opened, tmp_path: Path) -> None:
    from dkdesk.gui.report_dialog import ReportDialog

    opened.refuse = {".docx"}  # no word processor on this PC
    dialog = ReportDialog(ctx, None, "2024-H1")
    qtbot.addWidget(dialog)
    dialog.show()
    boxes = Boxes(None)
    run_and_wait(qtbot, dialog)
    qtbot.waitUntil(lambda: boxes.done, timeout=10000)
    told = boxes.seen[0]
    assert "bao-cao-thuc-hien_2024-H1.docx" in told and "không mở được" in told and "Microsoft Word" in told
    assert str(tmp_path / "Documents") in told and "xlsx" not in told  # the workbook did open
    assert dialog.result_files.docx.exists() and dialog.result_panel.isVisible()
    opened.refuse = {"folder"}
    boxes = Boxes(None)
    qtbot.mouseClick(dialog.open_folder_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: boxes.done, timeout=10000)
    assert "Không mở được thư mục" in boxes.seen[0] and str(tmp_path / "Documents") in boxes.seen[0]


def test_a_file_open_in_excel_is_named_as_such(qtbot, ctx, opened, monkeypatch, tmp_path: Path) -> None:
    """On Windows, Excel holding the workbook makes the final rename fail with PermissionError."""
    import os

    from dkdesk.gui.report_dialog import ReportDialog
    from dkdesk.reports import output

    target = tmp_path / "Documents" / "bao-cao-tong-hop_2024-H1.xlsx"
    target.write_bytes(b"dang mo trong Excel")
    real_replace = os.replace

    def locked(src, dst):  # noqa: ANN001
        if Path(dst) == target:
            raise PermissionError(13, "The process cannot access the file", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(output.os, "replace", locked)
    dialog = ReportDialog(ctx, None, "2024-H1")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog.docx_check, Qt.Key.Key_Space)
    boxes = Boxes("Ghi đè", None)
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: boxes.done, timeout=60000)
    told = boxes.seen[1]
    assert str(target) in told and "đang mở trong một chương trình khác" in told
    assert target.read_bytes() == b"dang mo trong Excel" and dialog.result_files is None
    assert [p.name for p in (tmp_path / "Documents").iterdir()] == [target.name]  # no temporary file left
    assert opened == [] and dialog.run_button.isEnabled()


def test_a_file_chosen_in_the_save_dialog_is_not_asked_about_twice(qtbot, ctx, opened, monkeypatch,
                                                                   tmp_path: Path) -> None:
    """The save dialog ("Chọn...") has already asked whether to replace the file."""
    from PySide6.QtWidgets import QFileDialog

    from dkdesk.gui.report_dialog import ReportDialog

    target = tmp_path / "da-co.xlsx"
    target.write_bytes(b"cu")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog = ReportDialog(ctx, None, "2024-H1")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog.docx_check, Qt.Key.Key_Space)
    dialog.open_check.setChecked(False)
    qtbot.mouseClick(dialog.xlsx_browse, Qt.MouseButton.LeftButton)
    assert dialog.xlsx_edit.text() == str(target)
    boxes = Boxes("Hủy")
    run_and_wait(qtbot, dialog)
    assert not boxes.seen and "Tổng hợp chỉ tiêu" in openpyxl.load_workbook(target).sheetnames
    dialog.result_files = None
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)  # again: now it asks
    assert boxes.done and str(target) in boxes.seen[0]
    assert wait_ops() and dialog.result_files is None
    boxes.timer.stop()
