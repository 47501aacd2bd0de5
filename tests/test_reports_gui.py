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


@pytest.fixture
def opened(monkeypatch, tmp_path: Path) -> list[Path]:
    from dkdesk.gui import report_dialog

    calls: list[Path] = []
    monkeypatch.setattr(report_dialog, "open_file", calls.append)
    docs = tmp_path / "Documents"
    docs.mkdir()
    monkeypatch.setattr(report_dialog, "documents_dir", lambda: docs)
    return calls


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
