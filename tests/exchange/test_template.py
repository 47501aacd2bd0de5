"""The template's structure (SPEC §6) as Excel/LibreOffice will see it."""
from __future__ import annotations

from pathlib import Path

import openpyxl

from dkdesk.exchange import layout as L
from dkdesk.exchange.template import write_all_templates, write_template


def test_sheets_header_block_and_columns(plan, template_path: Path) -> None:
    wb = openpyxl.load_workbook(template_path)
    assert wb.sheetnames == ["Hướng dẫn", "Biểu nhập liệu", "_dkdesk"]
    assert wb.active.title == "Biểu nhập liệu"
    ws = wb["Biểu nhập liệu"]
    header = [c.value for c in ws[L.HEADER_ROW]]
    assert header == ["STT", "Mã", "Nội dung", "Đơn vị tính", "Giá trị", "Ghi chú"]
    block = " | ".join(str(c.value) for row in ws.iter_rows(max_row=L.HEADER_ROW - 1) for c in row if c.value)
    assert "UBND phường Hưng Đạo" in block and "6 tháng đầu năm 2024 (2024-H1)" in block
    assert "15/06/2024" in block and "Dương Kinh" in block
    guide = " ".join(str(c.value) for c in wb["Hướng dẫn"]["A"] if c.value)
    assert "Giá trị" in guide and ".xlsx" in guide


def test_rows_grouped_by_section_only_value_unlocked(plan, template_path: Path) -> None:
    ws = openpyxl.load_workbook(template_path)["Biểu nhập liệu"]
    codes, sections = [], []
    for row in ws.iter_rows(min_row=L.HEADER_ROW + 1):
        if row[1].value:
            codes.append(row[1].value)
            assert row[4].protection.locked is False
            assert row[4].fill.fgColor.rgb.endswith(L.INPUT_FILL)
            for other in (row[0], row[1], row[2], row[3], row[5]):
                assert other.protection.locked is True
        elif row[2].value:
            sections.append(row[2].value)
    assert codes == [f.code for f in plan.form_fields("P-HUNGDAO")]
    assert sections == [s.title for s, _ in plan.form_sections("P-HUNGDAO")]
    assert ws.protection.sheet is True and not ws.protection.password


def test_validation_print_setup_and_identity(plan, template_path: Path) -> None:
    wb = openpyxl.load_workbook(template_path)
    ws = wb["Biểu nhập liệu"]
    rows = {ws.cell(r, 2).value: r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value}
    by_cell = {}
    for dv in ws.data_validations.dataValidation:
        assert dv.showErrorMessage and dv.error and dv.errorTitle
        for rng in dv.sqref.ranges:
            by_cell[rng.coord] = dv
    num = by_cell[f"E{rows['tt_so_buoi']}"]
    assert num.type == "whole" and num.formula1 == "0" and "số nguyên" in num.error
    yes_no = by_cell[f"E{rows['kh_da_ban_hanh']}"]
    assert yes_no.type == "list" and yes_no.formula1 == '"Có,Không"' and "Có" in yes_no.error
    assert all(f"E{rows[f.code]}" in by_cell for f in plan.form_fields("P-HUNGDAO"))
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    hidden = wb["_dkdesk"]
    assert hidden.sheet_state == "hidden"
    ident = {hidden.cell(r, 1).value: hidden.cell(r, 2).value for r in range(1, 8)}
    assert ident[L.ID_PLAN] == plan.info.code and ident[L.ID_VERSION] == "1"
    assert ident[L.ID_UNIT] == "P-HUNGDAO" and ident[L.ID_PERIOD] == "2024-H1"
    assert ident[L.ID_STRUCTURE] == L.structure_hash(plan, "P-HUNGDAO")


def test_filled_writes_stored_values(plan, tmp_path: Path) -> None:
    values = {"tt_so_buoi": 1234, "kh_da_ban_hanh": False, "kho_khan": "Thiếu kinh phí"}
    path = write_template(plan, "P-HUNGDAO", "2024-H1", tmp_path / "x.xlsx", values)
    ws = openpyxl.load_workbook(path)["Biểu nhập liệu"]
    got = {ws.cell(r, 2).value: ws.cell(r, 5).value for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value}
    assert got["tt_so_buoi"] == 1234 and got["kh_da_ban_hanh"] == "Không" and got["kho_khan"] == "Thiếu kinh phí"
    assert got["tt_so_luot_nguoi"] is None


def test_all_ascii_names(plan, tmp_path: Path) -> None:
    written = write_all_templates(plan, "2024-Y", tmp_path / "out")
    assert len(written) == len(plan.units)
    names = sorted(p.name for p in written)
    assert "mau-bao-cao_2024-Y_P-HUNGDAO.xlsx" in names
    assert all(n.isascii() and " " not in n for n in names)
    assert not list((tmp_path / "out").glob("*.tmp"))
