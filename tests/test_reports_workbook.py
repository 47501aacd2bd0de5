"""The consolidated workbook: open the produced file and check what a reader would check."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from reports_seed import CA_FILE, INJECTIONS, MADE_ON, seed


@pytest.fixture
def book(desk, tmp_path: Path):
    from dkdesk.reports.output import make_reports

    seed(desk)
    out = tmp_path / "bao-cao-tong-hop_2024-H1.xlsx"
    make_reports(desk, "2024-H1", out, made_on=MADE_ON)
    return out


def find_row(ws, col: int, text: str) -> int:
    for row in ws.iter_rows(min_col=col, max_col=col):
        if row[0].value == text:
            return row[0].row
    raise AssertionError(f"{text!r} not found in column {col} of {ws.title}")


def find_col(ws, row: int, prefix: str) -> int:
    for cell in ws[row]:
        if isinstance(cell.value, str) and cell.value.startswith(prefix):
            return cell.column
    raise AssertionError(f"no header starting {prefix!r} in row {row} of {ws.title}")


def test_sheets_and_administrative_header(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["Tổng hợp chỉ tiêu", "Các phòng, ban", "Khối nội chính", "Mặt trận và các đoàn thể",
                             "UBND các phường", "Tình hình báo cáo", "Ý kiến, kiến nghị", "Nguồn số liệu"]
    for ws in wb.worksheets:
        texts = [c.value for row in ws.iter_rows(min_row=1, max_row=6) for c in row if c.value]
        assert "ỦY BAN NHÂN DÂN QUẬN DƯƠNG KINH" in texts
        assert "PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI" in texts
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in texts
        assert "Độc lập - Tự do - Hạnh phúc" in texts
        assert "Dương Kinh, ngày 20 tháng 6 năm 2024" in texts
        assert any("6 tháng đầu năm 2024" in t for t in texts)
        assert ws["A1"].font.name == "Times New Roman"
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert "&P" in ws.oddFooter.center.text
    assert wb["Tổng hợp chỉ tiêu"].print_title_rows


def test_indicator_sheet_has_nine_indicators_with_numbers(book: Path) -> None:
    ws = openpyxl.load_workbook(book)["Tổng hợp chỉ tiêu"]
    codes = [ws.cell(row=r, column=2).value for r in range(1, ws.max_row + 1)]
    assert [c for c in codes if isinstance(c, str) and re.fullmatch(r"CT\d\d", c)] == [f"CT0{i}" for i in range(1, 10)]
    r = find_row(ws, 2, "CT06")
    assert ws.cell(r, 6).value == 2 and ws.cell(r, 6).data_type == "n"
    assert ws.cell(r, 7).value == 3
    assert ws.cell(r, 8).value == pytest.approx(0.6666)  # 66.666...% truncated, never 66.67
    assert ws.cell(r, 8).number_format == "0.00%"
    assert ws.cell(r, 9).value == "Chưa đạt"
    assert ws.cell(r, 5).value == 1 and "≥" in ws.cell(r, 5).number_format
    r = find_row(ws, 2, "CT02")  # P-TANTHANH has not reported: computed on the others
    assert (ws.cell(r, 6).value, ws.cell(r, 7).value) == (480, 750)
    assert ws.cell(r, 9).value == "Thiếu số liệu"
    assert "P. Tân Thành" in ws.cell(r, 10).value
    r = find_row(ws, 2, "CT07")
    assert ws.cell(r, 9).value == "Đạt"


def test_group_sheet_units_as_rows_numbers_and_totals(book: Path) -> None:
    ws = openpyxl.load_workbook(book)["UBND các phường"]
    header = find_row(ws, 1, "STT")
    col = find_col(ws, header, "Số người lao động tại các cơ sở kinh doanh dịch vụ")
    r = find_row(ws, 2, "UBND phường Anh Dũng")
    assert ws.cell(r, col).value == 150 and ws.cell(r, col).data_type == "n"
    assert ws.cell(r, col).number_format == "#,##0"
    assert ws.cell(find_row(ws, 2, "UBND phường Tân Thành"), col).value is None  # not reported: empty, never 0
    total = find_row(ws, 2, "Cộng")
    assert ws.cell(total, col).value == 750
    ws = openpyxl.load_workbook(book)["Khối nội chính"]
    found = [c for row in ws.iter_rows() for c in row if c.value == 1234]
    assert found and found[0].number_format == "#,##0"


def test_status_sheet_on_time_late_and_file(book: Path) -> None:
    ws = openpyxl.load_workbook(book)["Tình hình báo cáo"]
    r = find_row(ws, 2, "Công an quận")
    assert ws.cell(r, 4).value == "Đã nộp"
    assert ws.cell(r, 5).value == "18/06/2024"
    assert ws.cell(r, 6).value == "Chậm 3 ngày"
    assert ws.cell(r, 7).value == CA_FILE
    r = find_row(ws, 2, "Phòng Giáo dục và Đào tạo quận")
    assert ws.cell(r, 6).value == "Đúng hạn"
    r = find_row(ws, 2, "UBND phường Tân Thành")
    assert ws.cell(r, 4).value == "Chưa nhập" and ws.cell(r, 6).value == "Chưa nhận"


def test_sources_sheet_names_files(book: Path) -> None:
    ws = openpyxl.load_workbook(book)["Nguồn số liệu"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    ca = [r for r in rows if r[1] == "Công an quận" and r[2] == "tin_bao_tiep_nhan"]
    assert ca and ca[0][4] == 3 and ca[0][5] == f"tệp {CA_FILE} ngày 18/06/2024"
    assert any(r[1] == "P. Anh Dũng" and r[5] == "nhập tay" for r in rows)


def test_unit_text_never_becomes_a_formula(book: Path) -> None:
    from xml.etree import ElementTree as ET

    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    texts: list[str] = []
    with zipfile.ZipFile(book) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet") or name == "xl/sharedStrings.xml":
                root = ET.fromstring(z.read(name))
                assert not list(root.iter(f"{ns}f")), f"a formula in {name}"
                texts += [t.text or "" for t in root.iter(f"{ns}t")]
    for text in INJECTIONS.values():
        assert text in texts
    ws = openpyxl.load_workbook(book)["Ý kiến, kiến nghị"]
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for text in INJECTIONS.values():
        assert cells[text].data_type == "s" and cells[text].quotePrefix


def test_annual_report_shows_first_half_beside(desk, tmp_path: Path) -> None:
    from tests.conftest import fill_unit
    from dkdesk.reports.output import make_reports

    seed(desk)
    fill_unit(desk, "CA", "2024-Y", {"tin_bao_tiep_nhan": 4, "tin_bao_xu_ly_kip_thoi": 4})
    out = tmp_path / "nam.xlsx"
    make_reports(desk, "2024-Y", out, made_on=MADE_ON)
    ws = openpyxl.load_workbook(out)["Tổng hợp chỉ tiêu"]
    header = find_row(ws, 1, "STT")
    col = find_col(ws, header, "Kết quả 6 tháng đầu năm 2024")
    r = find_row(ws, 2, "CT06")
    assert ws.cell(r, 8).value == 1 and ws.cell(r, col).value == pytest.approx(0.6666)
    assert ws.cell(r, col + 1).value == "Chưa đạt"
