"""The overview as an Excel sheet and as printable HTML (Qt-free core)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl

from tests.conftest import fill_unit
from dkdesk.indicators.overview import default_period, overview_page
from dkdesk.reports.overview_html import overview_html
from dkdesk.reports.overview_sheet import write_overview_workbook

P = "2024-H1"


def test_sheet_holds_numbers_in_number_cells(desk, tmp_path: Path) -> None:
    fill_unit(desk, "GDDT", P, {"hs_tong": 25000, "hs_duoc_tt": 14999})  # 59,996 %
    fill_unit(desk, "CA", P)
    page = overview_page(desk, P, today=date(2024, 6, 20))
    out = write_overview_workbook(tmp_path / "tq.xlsx", desk.plan, page, today=date(2024, 6, 20))
    ws = openpyxl.load_workbook(out).active
    assert ws.title == "Tổng quan chỉ tiêu"
    assert "6 THÁNG ĐẦU NĂM 2024" in ws["A2"].value
    rows = {r[1].value: r for r in ws.iter_rows(min_row=6, max_row=14)}
    ct04 = rows["CT04"]
    assert ct04[3].value == 0.6 and ct04[4].value == 0.5999  # truncated, never 0.60
    assert (ct04[5].value, ct04[6].value, ct04[7].value) == (14999, 25000, "Chưa đạt")
    assert ct04[5].number_format == "#,##0" and ct04[4].number_format == "0.00%"
    assert rows["CT08"][4].value is None and rows["CT08"][7].value == "Thiếu số liệu"
    assert rows["CT08"][9].value == "Hội Liên hiệp Phụ nữ quận"
    notes = [ws.cell(r, 1).value for r in range(15, 19)]
    assert "Đơn vị đã báo cáo: 2/20. Hạn nộp: 15/06/2024 (đã quá hạn)." in notes


def test_html_for_printing(desk) -> None:
    fill_unit(desk, "GDDT", P, {"hs_tong": 25000, "hs_duoc_tt": 14999})
    html = overview_html(desk.plan, overview_page(desk, P, today=date(2024, 6, 1)), today=date(2024, 6, 1))
    assert "59,99%" in html and "Chưa đạt" in html and "14.999 / 25.000" in html
    assert "Đơn vị đã báo cáo: <b>1/20</b>. Hạn nộp: 15/06/2024." in html
    assert "<script" not in html


def test_default_period(desk) -> None:
    assert default_period(desk, date(2024, 3, 1)) == "2024-H1"
    assert default_period(desk, date(2024, 7, 1)) == "2024-Y"
    assert default_period(desk, date(2026, 1, 1)) == "2024-Y"
