"""Printouts (issue 14 item 6): the consolidated workbook, the overview export, a unit's own
filled report and the overview PDF print whole, readable and on few pages."""
from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from reports_seed import MADE_ON, seed
from tests.conftest import fill_unit, values_for

P = "2024-H1"


@pytest.fixture
def book(desk, tmp_path: Path) -> Path:
    from dkdesk.reports.output import make_reports

    seed(desk)
    out = tmp_path / "tong-hop.xlsx"
    make_reports(desk, P, out, made_on=MADE_ON)
    return out


def _block_starts(ws) -> list[int]:
    return [r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value or "").startswith("Bảng ")]


def test_group_sheets_repeat_no_header_line_and_share_pages(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    first = wb.worksheets[0]
    header = next(r for r in range(1, 20) if first.cell(r, 1).value == "STT")
    assert first.print_title_rows.replace("$", "") == f"{header}:{header}"  # the table header, not the letterhead
    shared = 0
    for ws in wb.worksheets[1:-3]:  # the groups' sheets
        assert not ws.print_title_rows, ws.title  # not "1:1", the letterhead's first line
        starts = _block_starts(ws)
        breaks = [b.id for b in ws.row_breaks.brk]
        assert all(b + 1 in starts for b in breaks), (ws.title, breaks, starts)  # never inside a table
        shared += max(0, len(starts) - 1 - len(breaks))
    assert shared > 0  # some tables share a page instead of one table a page
    assert wb.worksheets[-1].print_title_rows  # the long source list repeats its header


def test_overview_export_wraps_inside_the_page(desk, tmp_path: Path) -> None:
    from dkdesk.indicators.overview import overview_page
    from dkdesk.reports.overview_sheet import write_overview_workbook

    seed(desk)
    path = write_overview_workbook(tmp_path / "o.xlsx", desk.plan, overview_page(desk, P))
    ws = openpyxl.load_workbook(path).active
    assert ws.print_title_rows.replace("$", "") == "5:5" and ws.page_setup.fitToWidth == 1
    last_col = ws.max_column
    notes = [r for r in range(6, ws.max_row + 1) if str(ws.cell(r, 1).value or "").startswith(("Đơn vị đã", "Chưa báo"))]
    assert notes
    for r in notes + [1, 2, 3]:  # the notes and title lines wrap across the table, not past it
        merged = next(m for m in ws.merged_cells.ranges if m.min_row == r and m.min_col == 1)
        assert merged.max_col == last_col and ws.cell(r, 1).alignment.wrap_text
        assert ws.row_dimensions[r].height
    for r in range(6, notes[0] - 1):  # indicator rows as tall as their wrapped names
        assert ws.row_dimensions[r].height >= 15


def test_filled_report_has_a_signature_block_and_still_imports(desk, tmp_path: Path) -> None:
    from dkdesk.exchange import layout as L
    from dkdesk.exchange.reader import read_file
    from dkdesk.exchange.template import write_template

    values = values_for(desk, "P-ANHDUNG", {"kien_nghi": ("Đề nghị " * 60).strip()})
    path = write_template(desk.plan, "P-ANHDUNG", P, tmp_path / "pb.xlsx", values)
    wb = openpyxl.load_workbook(path)
    ws = wb[L.SHEET_ENTRY]
    texts = {str(c.value): c for row in ws.iter_rows() for c in row if c.value is not None}
    for title in ("NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ"):
        assert texts[title].row > L.HEADER_ROW + len(desk.plan.form_fields("P-ANHDUNG"))
    assert any("ngày" in t and "tháng" in t and "năm" in t for t in texts)
    long_row = next(c.row for c in texts.values() if c.column == 5 and str(c.value).startswith("Đề nghị"))
    assert ws.row_dimensions[long_row].height > 60  # the long answer is shown whole, not one line
    assert ws.oddFooter.center.text and ws.page_setup.fitToWidth == 1
    guide = wb[L.SHEET_GUIDE]
    assert (guide.column_dimensions["A"].width or 0) * 8 * 0.75 <= 595 - 40 / 25.4 * 72  # fits portrait A4
    assert all(guide.row_dimensions[r].height for r in range(3, 10))  # wrapped instructions, rows tall enough
    result = read_file(path, desk.plan)
    assert result.state == "ok", result.errors
    assert result.values == values


def test_overview_pdf_never_cuts_a_row(qtbot, desk) -> None:
    from PySide6.QtCore import QSizeF

    from dkdesk.core.settings import Settings
    from dkdesk.gui.context import DataBus, GuiContext
    from dkdesk.gui.overview_tab import OverviewTab, split_row

    seed(desk)
    tab = OverviewTab(GuiContext(desk=desk, settings=Settings(user_name="x", role="tonghop"), bus=DataBus()))
    qtbot.addWidget(tab)
    tab.set_period(P)
    qtbot.waitUntil(lambda: tab.page is not None)
    small = QSizeF(480, 300)  # short pages: rows of several lines meet a page break
    plain = tab._document()
    plain.setPageSize(small)
    assert split_row(plain) is not None  # laid out as before, a row is cut
    doc = tab.paged_document(small)
    assert split_row(doc) is None and doc.pageCount() >= plain.pageCount()
    text = doc.toPlainText()
    assert all(r.name in text.replace("\u2028", " ") for r in tab.page.overview.indicators)


NO_LIBREOFFICE = shutil.which("soffice") is None or shutil.which("pdfinfo") is None


def _pdf(src: Path, tmp_path: Path) -> tuple[int, str]:
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(src)], check=True, capture_output=True, timeout=300)
    pdf = tmp_path / (src.stem + ".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    return pages, text


@pytest.mark.libreoffice
@pytest.mark.skipif(NO_LIBREOFFICE, reason="LibreOffice or poppler is not installed")
def test_consolidated_workbook_prints_on_far_fewer_pages(book: Path, tmp_path: Path) -> None:
    pages, text = _pdf(book, tmp_path)
    assert pages <= 17  # was 22 for this half-year
    assert "Trang 1 /" in text and "NGUỒN SỐ LIỆU" in text


@pytest.mark.libreoffice
@pytest.mark.skipif(NO_LIBREOFFICE, reason="LibreOffice or poppler is not installed")
def test_filled_report_prints_whole_with_signatures(desk, tmp_path: Path) -> None:
    from dkdesk.exchange.template import write_template

    path = write_template(desk.plan, "P-ANHDUNG", P, tmp_path / "pb.xlsx", values_for(desk, "P-ANHDUNG"))
    _pages, text = _pdf(path, tmp_path)
    flat = " ".join(text.split())
    assert "(trang này cho biết tệp thuộc đơn vị và kỳ báo cáo nào)" in flat  # the guide is not cut
    assert "NGƯỜI LẬP BIỂU" in flat and "THỦ TRƯỞNG ĐƠN VỊ" in flat


# --- the two-plan situation (issue 15): a 2025 plan made from 2024, figures in both years ---------

DK = "Ủy ban nhân dân phường Dương Kinh"


@pytest.fixture(scope="module")
def two_plans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with 2024 (figures for H1 and the year) and 2025 made from it: the six wards
    merged into two from 01/07/2025, CA closed on 01/03/2025, CT07 a count (≥ 5); every unit
    existing in a 2025 period has figures in it but LĐTBXH and TC-KH."""
    from datetime import date

    from dkdesk.catalogue import plan_edit as edit
    from dkdesk.catalogue.loader import load_plan
    from dkdesk.catalogue.plan_dump import dump_plan
    from dkdesk.core.desk import Desk
    from tests.conftest import PLAN_PATH, WARDS, fill_unit

    db = tmp_path_factory.mktemp("two-plans") / "dkdesk.sqlite"
    with Desk.open(db, plan_path=PLAN_PATH) as desk:
        seed(desk, "2024-H1")
        seed(desk, "2024-Y")
    p = edit.next_year(load_plan(PLAN_PATH))
    p = edit.merge_units(p, WARDS[:3], "P-DUONGKINH", DK, date(2025, 7, 1), short_name="P. Dương Kinh")
    p = edit.merge_units(p, WARDS[3:], "P-HUNGDAO", "Ủy ban nhân dân phường Hưng Đạo", date(2025, 7, 1),
                         short_name="P. Hưng Đạo")
    p = edit.close_unit(p, "CA", date(2025, 3, 1))
    with Desk.open(db) as desk:
        desk.add_plan(dump_plan(edit.set_target(p, "CT07", 5, "count")))
    with Desk.open(db) as desk:
        for period in ("2025-H1", "2025-Y"):
            for u in desk.plan.active_units(period):
                if u.code not in ("LDTBXH", "TCKH"):
                    fill_unit(desk, u.code, period)
    return db


@pytest.fixture
def desk25(two_plans: Path):
    from dkdesk.core.desk import Desk

    d = Desk.open(two_plans, who="Người kiểm thử")
    yield d
    d.close()


def _cells(ws) -> dict[str, object]:
    return {str(c.value): c for row in ws.iter_rows() for c in row if c.value is not None}


def test_overview_export_and_pdf_compare_with_last_years_plan(desk25, tmp_path: Path) -> None:
    from dkdesk.indicators.overview import overview_page
    from dkdesk.reports.overview_html import overview_html
    from dkdesk.reports.overview_sheet import write_overview_workbook

    page = overview_page(desk25, "2025-Y")
    ws = openpyxl.load_workbook(write_overview_workbook(tmp_path / "o.xlsx", desk25.plan, page)).active
    head = [c.value for c in ws[5]]
    assert head[-1] == "Cùng kỳ năm 2024"  # last year's plan: the column was missing
    rows = {ws.cell(r, 2).value: r for r in range(6, ws.max_row + 1)}
    ct07 = ws.cell(rows["CT07"], len(head))  # a count target: last year's count, not a percent
    assert ct07.value == page.year_over_year.result("CT07").value and ct07.number_format == "#,##0"
    ct02 = ws.cell(rows["CT02"], len(head))
    assert ct02.number_format == "0.00%" and 0 < ct02.value < 1
    notes = " ".join(str(ws.cell(r, 1).value) for r in range(rows["CT09"] + 1, ws.max_row + 1))
    assert "P. Dương Kinh gồm số liệu năm trước của P. Anh Dũng, P. Đa Phúc, P. Hải Thành" in notes
    assert "P. Hưng Đạo gồm số liệu năm trước của" in notes
    html = overview_html(desk25.plan, page)
    assert "<th>Cùng kỳ năm 2024</th>" in html and "P. Dương Kinh gồm số liệu năm trước của" in html


def test_a_ward_not_yet_founded_is_no_empty_row_and_the_changes_are_said(desk25, tmp_path: Path) -> None:
    from dkdesk.reports.output import make_reports

    out = tmp_path / "h1.xlsx"
    make_reports(desk25, "2025-H1", out)
    wb = openpyxl.load_workbook(out)
    wards = wb["UBND các phường"]
    names = [c.value for c in wards["B"] if isinstance(c.value, str)]
    assert DK not in names and "UBND phường Anh Dũng" in names  # was an empty row ("chưa báo cáo")
    status = _cells(wb["Tình hình báo cáo"])
    assert "Chưa thành lập (hoạt động từ 01/07/2025)" in status
    note = next(t for t in status if t.startswith("Đã nhận báo cáo"))
    assert "Đơn vị thay đổi trong kỳ: Công an quận ngừng hoạt động từ 01/03/2025." in note
    out = tmp_path / "y.xlsx"
    make_reports(desk25, "2025-Y", out)
    wb = openpyxl.load_workbook(out)
    assert DK in [c.value for c in wb["UBND các phường"]["B"]]
    note = next(t for t in _cells(wb["Tình hình báo cáo"]) if t.startswith("Đã nhận báo cáo"))
    assert ("UBND phường Anh Dũng, UBND phường Đa Phúc, UBND phường Hải Thành hoạt động đến hết 30/06/2025, "
            f"sáp nhập vào {DK}") in note
    assert f"{DK} hoạt động từ 01/07/2025" in note
    first = " ".join(t for t in _cells(wb.worksheets[0]) if t.startswith("Ghi chú"))
    assert "kế hoạch năm trước (mã duong-kinh-2024)" in first  # not "theo kế hoạch duong-kinh-2024"


def test_the_draft_report_counts_only_existing_units_and_says_the_mergers(desk25, tmp_path: Path) -> None:
    from docx import Document

    from dkdesk.reports.output import make_reports

    out = tmp_path / "h1.docx"
    make_reports(desk25, "2025-H1", tmp_path / "h1.xlsx", out)
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    expected = len(desk25.plan.active_units("2025-H1"))
    assert f"đã có {expected - 2}/{expected} cơ quan" in text  # P. Dương Kinh did not exist yet
    sent = next(line for line in text.splitlines() if "chưa gửi báo cáo" in line)
    assert DK not in sent and sent.count("quận") == 2
    assert "Trong kỳ có đơn vị thay đổi: Công an quận ngừng hoạt động từ 01/03/2025." in text
    out = tmp_path / "y.docx"
    make_reports(desk25, "2025-Y", tmp_path / "y.xlsx", out)
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert ") (" not in text  # one bracket: "(6 tháng đầu năm 2025: …; cùng kỳ năm trước, năm 2024: …)"
    assert "(6 tháng đầu năm 2025: 50,00%; cùng kỳ năm trước, năm 2024: " in text
    assert "P. Dương Kinh gồm số liệu năm trước của P. Anh Dũng, P. Đa Phúc, P. Hải Thành" in text
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "STT")
    assert [c.text for c in table.rows[0].cells][-1] == "Cùng kỳ năm trước"
    ct07 = next(r for r in table.rows if r.cells[1].text.startswith("Tỷ lệ cơ sở kinh doanh dịch vụ dễ phát sinh"))
    assert ct07.cells[2].text == "≥ 5" and "%" not in ct07.cells[5].text  # a count, last year too


def test_a_long_name_in_a_wide_column_gets_its_second_line() -> None:
    from dkdesk.core.xlsx_text import text_lines

    # CT05's name: LibreOffice wraps it in the overview's 60-wide column; the row was one line tall
    assert text_lines("Tỷ lệ phường xây dựng Kế hoạch và tổ chức thực hiện lồng ghép phòng, chống mại dâm", 60) == 2
    assert text_lines("Tỷ lệ học sinh THPT và cơ sở giáo dục nghề nghiệp được tuyên truyền", 60) == 1
    # wrapped word by word: LibreOffice puts this list of four units on 4 lines of a 32-wide column
    units = "Phòng Lao động - Thương binh và Xã hội quận, Phòng Tài chính - Kế hoạch quận, " \
            "Hội Cựu chiến binh quận, UBND phường Tân Thành"
    assert text_lines(units, 32) == 4


def test_filled_report_footer_has_room_and_the_archive_reads_well(desk, tmp_path: Path) -> None:
    from dkdesk.exchange.template import write_template
    from dkdesk.reports.archive import make_archive

    path = write_template(desk.plan, "P-ANHDUNG", P, tmp_path / "pb.xlsx", values_for(desk, "P-ANHDUNG"))
    for ws in openpyxl.load_workbook(path).worksheets:
        if ws.sheet_state == "visible":
            m = ws.page_margins
            assert (m.bottom - m.footer) * 25.4 >= 8, ws.title  # the page number was cut in half
            assert ws.oddFooter.center.font.startswith("Times New Roman")
    fill_unit(desk, "YT", P)
    readme = (make_archive(desk, tmp_path / "luu-tru").folder / "DOC-TOI.txt").read_text(encoding="utf-8")
    assert "bảng tổng hợp năm 2024" in readme and "bảng tổng hợp Năm" not in readme


@pytest.mark.libreoffice
@pytest.mark.skipif(NO_LIBREOFFICE, reason="LibreOffice or poppler is not installed")
def test_two_plan_workbook_prints_its_status_and_signatures_on_one_page(desk25, tmp_path: Path) -> None:
    from dkdesk.reports.output import make_reports

    out = tmp_path / "bao-cao-2025-H1.xlsx"
    make_reports(desk25, "2025-H1", out, made_on=date(2025, 7, 5))
    pages, text = _pdf(out, tmp_path)
    assert pages <= 18  # the one-plan half-year prints on 17
    page = next(p for p in text.split("\f") if "TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ" in p)
    assert "Đơn vị thay đổi trong kỳ" in page and "NGƯỜI LẬP BIỂU" in page and "TRƯỞNG PHÒNG" in page
