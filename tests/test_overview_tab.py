"""The Tổng quan tab, driven as a person would: pick a period, read the table, double-click,
export, print to PDF; and it follows saves made elsewhere without a restart."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt

from tests.conftest import WARDS, fill_unit
from dkdesk.core.settings import Settings
from dkdesk.gui.context import DataBus, GuiContext
from dkdesk.gui.overview_model import (
    COL_FRACTION,
    COL_NAME,
    COL_PROGRESS,
    COL_RESULT,
    COL_STT,
    COL_STATUS,
    COL_TARGET,
    PROGRESS_ROLE,
    STATUS_ROLE,
)
from dkdesk.gui.ops import wait_ops
from dkdesk.gui.overview_tab import OverviewTab

P = "2024-H1"


@pytest.fixture
def ctx(desk) -> GuiContext:
    return GuiContext(desk=desk, settings=Settings(user_name="Người kiểm thử", role="tonghop"), bus=DataBus())


@pytest.fixture
def tab(qtbot, ctx) -> OverviewTab:
    widget = OverviewTab(ctx)
    assert wait_ops()
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    qtbot.waitExposed(widget)
    assert wait_ops()
    return widget


def row_of(tab: OverviewTab, code: str) -> int:
    return next(i for i in range(tab.model.rowCount()) if tab.model.result(i).code == code)


def cell(tab: OverviewTab, code: str, col: int, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
    return tab.model.index(row_of(tab, code), col).data(role)


def choose_period(qtbot, tab: OverviewTab, code: str) -> None:
    combo = tab.period_combo
    combo.setFocus()
    target = combo.findData(code)
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up)
    assert wait_ops()  # the overview is read on the worker


def test_model_passes_qtmodeltester(qtmodeltester, tab, desk) -> None:
    fill_unit(desk, "GDDT", P, {"hs_tong": 10000, "hs_duoc_tt": 5999})
    tab.refresh()
    assert wait_ops()
    qtmodeltester.check(tab.model)


def test_table_shows_the_indicators(qtbot, tab, desk) -> None:
    fill_unit(desk, "GDDT", P, {"hs_tong": 10000, "hs_duoc_tt": 5999})
    fill_unit(desk, "CA", P, {"tin_bao_tiep_nhan": 0, "tin_bao_xu_ly_kip_thoi": 0})
    choose_period(qtbot, tab, P)
    tab.refresh()
    assert wait_ops()
    assert tab.model.rowCount() == 9
    assert cell(tab, "CT04", COL_NAME).startswith("Tỷ lệ học sinh THPT")
    assert cell(tab, "CT04", COL_TARGET) == "≥ 60%"
    assert cell(tab, "CT04", COL_RESULT) == "59,99%"
    assert cell(tab, "CT04", COL_FRACTION) == "5.999 / 10.000"
    assert cell(tab, "CT04", COL_STATUS) == "Chưa đạt"
    assert cell(tab, "CT04", 0, STATUS_ROLE) == "chua_dat"
    assert cell(tab, "CT04", COL_PROGRESS, PROGRESS_ROLE) == pytest.approx(0.99983, abs=1e-4)
    assert cell(tab, "CT06", COL_STATUS) == "Không phát sinh"
    assert cell(tab, "CT06", COL_RESULT) == "—"
    assert cell(tab, "CT02", COL_STATUS) == "Thiếu số liệu"
    assert "UBND phường Anh Dũng" in cell(tab, "CT02", COL_NAME, Qt.ItemDataRole.ToolTipRole)


def test_chart_bars_are_labelled_like_the_table_rows(qtbot, tab, desk) -> None:
    """A bar is found in the table by the same number (the STT column), with its result."""
    from PySide6.QtCharts import QBarCategoryAxis, QBarSeries

    fill_unit(desk, "GDDT", P, {"hs_tong": 10000, "hs_duoc_tt": 5999})
    choose_period(qtbot, tab, P)
    tab.refresh()
    assert wait_ops()
    axis = next(a for a in tab.chart.axes() if isinstance(a, QBarCategoryAxis))
    stt = [tab.model.index(row, 0).data() for row in range(tab.model.rowCount())]
    assert axis.categories() == stt == [str(n) for n in range(1, 10)]
    series = next(s for s in tab.chart.series() if isinstance(s, QBarSeries))
    results = series.barSets()[0]
    ct04 = stt.index(cell(tab, "CT04", COL_STT))
    assert results.at(ct04) == pytest.approx(59.99)


def test_switching_period_updates(qtbot, tab, desk) -> None:
    fill_unit(desk, "LDLD", "2024-Y", {"nld_kcn_tong": 100, "nld_kcn_duoc_tt": 50})
    choose_period(qtbot, tab, P)
    assert tab.period == P and cell(tab, "CT03", COL_STATUS) == "Thiếu số liệu"
    choose_period(qtbot, tab, "2024-Y")
    assert tab.period == "2024-Y"
    assert cell(tab, "CT03", COL_STATUS) == "Đạt" and cell(tab, "CT03", COL_RESULT) == "50,00%"
    assert "Năm 2024" in tab.chart.title()
    assert "1/20" in tab.reported_label.text()


def test_a_save_elsewhere_refreshes_the_table(qtbot, tab, ctx) -> None:
    choose_period(qtbot, tab, P)
    assert cell(tab, "CT07", COL_STATUS) == "Thiếu số liệu"
    assert tab.missing_list.count() == 20
    ctx.desk.set_values("VHTT", P, {"cskd_tong": 80, "cskd_duoc_kiem_tra": 8})
    ctx.notify("values", P)
    assert wait_ops()
    assert cell(tab, "CT07", COL_STATUS) == "Đạt" and cell(tab, "CT07", COL_RESULT) == "10,00%"
    assert tab.missing_list.count() == 19
    assert "Phòng Văn hóa và Thông tin quận" not in [tab.missing_list.item(i).text() for i in range(19)]
    assert "1/20" in tab.reported_label.text()


def test_a_save_for_another_period_does_not_redraw(qtbot, tab, ctx, monkeypatch) -> None:
    choose_period(qtbot, tab, P)
    calls: list[int] = []
    monkeypatch.setattr(tab, "refresh", lambda: calls.append(1))
    ctx.notify("values", "2024-Y")
    assert wait_ops()
    assert calls == []
    ctx.notify("import", "")
    assert wait_ops()
    assert calls == [1]


def test_double_click_opens_the_contributions(qtbot, tab, desk) -> None:
    for i, w in enumerate(WARDS[:5]):
        fill_unit(desk, w, P, {"nld_cskd_tong": 100, "nld_cskd_duoc_tt": 50 + i})
    choose_period(qtbot, tab, P)
    tab.refresh()
    assert wait_ops()
    view = tab.table
    index = tab.model.index(row_of(tab, "CT02"), COL_NAME)
    view.scrollTo(index)
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert wait_ops()
    dialog = tab.contribution_dialog
    qtbot.waitUntil(dialog.isVisible)
    model = dialog.model
    assert model.rowCount() == 7  # six wards and the total
    rows = [[model.index(r, c).data() for c in range(4)] for r in range(7)]
    assert rows[0] == ["UBND phường Anh Dũng", "50", "100", "50,00%"]
    assert rows[5][0] == "UBND phường Tân Thành" and rows[5][1] == ""
    assert model.index(5, 5).data().startswith("Thiếu số liệu")
    assert rows[6][1:4] == ["260", "500", "52,00%"]
    dialog.close()


def test_contribution_model_passes_qtmodeltester(qtmodeltester, tab, desk) -> None:
    fill_unit(desk, "P-DAPHUC", P, {"tt_so_hinh_thuc": 3})
    tab.set_period(P)
    assert wait_ops()
    tab.show_contributions(tab.model.index(row_of(tab, "CT01"), COL_NAME))
    assert wait_ops()
    model = tab.contribution_dialog.model
    qtmodeltester.check(model)
    assert not tab.contribution_dialog.table.isColumnHidden(4)  # the condition's field is shown
    assert model.index(1, 4).data() == "3"
    tab.contribution_dialog.close()


def test_export_excel(tab, desk, tmp_path: Path) -> None:
    fill_unit(desk, "GDDT", P, {"hs_tong": 10000, "hs_duoc_tt": 5999})
    tab.set_period(P)
    assert wait_ops()
    out = tab.export_excel(tmp_path / "tong-quan.xlsx")
    ws = openpyxl.load_workbook(out).active
    header = [c.value for c in ws[5]]
    assert header[:8] == ["STT", "Mã", "Chỉ tiêu", "Mục tiêu", "Kết quả", "Tử số", "Mẫu số", "Đánh giá"]
    ct04 = next(r for r in ws.iter_rows(min_row=6, max_row=14) if r[1].value == "CT04")
    assert ct04[4].value == pytest.approx(0.5999) and ct04[4].number_format == "0.00%"
    assert (ct04[5].value, ct04[6].value, ct04[7].value) == (5999, 10000, "Chưa đạt")
    assert isinstance(ct04[5].value, int)


def test_save_pdf(tab, tmp_path: Path) -> None:
    out = tab.save_pdf(tmp_path / "tong-quan.pdf")
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 2000
    assert "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU" in tab.overview_html()


def test_report_and_excel_buttons(qtbot, tab, monkeypatch, tmp_path: Path) -> None:
    calls: list[str] = []
    monkeypatch.setattr("dkdesk.gui.report_dialog.open_report_dialog",
                        lambda ctx, parent, period: calls.append(period))
    qtbot.mouseClick(tab.report_button, Qt.MouseButton.LeftButton)
    assert calls == [tab.period]
    target = tmp_path / "nut.xlsx"
    monkeypatch.setattr("dkdesk.gui.overview_tab.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(tab.excel_button, Qt.MouseButton.LeftButton)
    assert target.exists()


def test_report_dialog_is_used_when_present(tab, monkeypatch) -> None:
    import sys
    import types

    calls = []
    module = types.ModuleType("dkdesk.gui.report_dialog")
    module.open_report_dialog = lambda ctx, parent, period: calls.append((ctx, parent, period))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "dkdesk.gui.report_dialog", module)
    tab.make_report()
    assert calls == [(tab.ctx, tab, tab.period)]


PERIODS_2023 = '''
[[periods]]
code = "2023-H1"
name = "6 tháng đầu năm 2023"
deadline = 2023-06-15

'''


def test_same_period_last_year_beside_it(qtbot, tmp_path: Path) -> None:
    from tests.conftest import PLAN_PATH
    from dkdesk.core.desk import Desk
    from dkdesk.gui.overview_model import COL_PREVIOUS

    text = PLAN_PATH.read_text(encoding="utf-8").replace("[[periods]]", PERIODS_2023 + "[[periods]]", 1)
    plan_file = tmp_path / "ke-hoach-2-nam.toml"
    plan_file.write_text(text, encoding="utf-8")
    with Desk.open(tmp_path / "db.sqlite", plan_path=plan_file, who="Người kiểm thử") as desk:
        fill_unit(desk, "GDDT", "2023-H1", {"hs_tong": 1000, "hs_duoc_tt": 420})
        fill_unit(desk, "GDDT", P, {"hs_tong": 1000, "hs_duoc_tt": 610})
        ctx = GuiContext(desk=desk, settings=Settings(), bus=DataBus())
        tab = OverviewTab(ctx)
        assert wait_ops()
        qtbot.addWidget(tab)
        choose_period(qtbot, tab, P)
        assert not tab.table.isColumnHidden(COL_PREVIOUS)
        assert tab.model.headerData(COL_PREVIOUS, Qt.Orientation.Horizontal) == "Cùng kỳ\n6 tháng đầu năm 2023"
        assert cell(tab, "CT04", COL_RESULT) == "61,00%" and cell(tab, "CT04", COL_PREVIOUS) == "42,00%"
        # a change to last year's figures redraws this year's overview too
        desk.set_values("GDDT", "2023-H1", {"hs_duoc_tt": 430})
        ctx.notify("values", "2023-H1")
        assert wait_ops()
        assert cell(tab, "CT04", COL_PREVIOUS) == "43,00%"
        choose_period(qtbot, tab, "2023-H1")
        assert tab.table.isColumnHidden(COL_PREVIOUS)  # no 2022 in the plan
        tab.close()


def test_enter_opens_the_contributions_and_the_period_is_remembered(qtbot, tab, ctx) -> None:
    choose_period(qtbot, tab, P)
    assert ctx.settings.last_period == P
    tab.table.setFocus()
    tab.table.setCurrentIndex(tab.model.index(row_of(tab, "CT06"), COL_NAME))
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    assert wait_ops()
    dialog = tab.contribution_dialog
    assert dialog.isVisible() and dialog.model.parts[0].unit == "CA"
    dialog.close()
    again = OverviewTab(ctx)
    assert wait_ops()
    qtbot.addWidget(again)
    assert again.period == P
