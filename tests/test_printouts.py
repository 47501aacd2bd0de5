"""Printouts (issue 14 item 6): the consolidated workbook, the overview export, a unit's own
filled report and the overview PDF print whole, readable and on few pages."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from reports_seed import MADE_ON, seed
from tests.conftest import values_for

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
