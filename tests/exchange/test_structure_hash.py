"""A template whose structure hash is not the current form's is never applied silently:
compatible rows -> a warning (preview, history, CLI JSON) and the file can still be applied;
rows that no longer match the form -> a refusal naming file, sheet, cell and field."""
from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from xlhelpers import fill_with_openpyxl, valid_values

from dkdesk.catalogue.loader import parse_plan
from dkdesk.cli.main import main as cli
from dkdesk.exchange import importer as I
from dkdesk.exchange import layout as L
from dkdesk.exchange import reader as R
from dkdesk.exchange.template import write_template
from dkdesk.storage.models import ImportRow
from tests.conftest import PLAN_PATH

UNIT, PERIOD = "P-HUNGDAO", "2024-H1"
EXTRA_FIELD = '''
[[fields]]
code = "tt_so_to_roi"
label = "Số tờ rơi đã phát"
type = "int"
section = "tuyen_truyen"
measure = "tờ"
'''


def plan_with_extra_field():
    """The plan as it would be after adding one field to the common part of every form."""
    text = PLAN_PATH.read_text(encoding="utf-8")
    old = 'fields = ["tt_so_buoi", "tt_so_luot_nguoi"]'
    assert old in text
    text = text.replace(old, 'fields = ["tt_so_buoi", "tt_so_luot_nguoi", "tt_so_to_roi"]') + EXTRA_FIELD
    return parse_plan(text.encode("utf-8"), name="ke-hoach-moi.toml")


def set_structure_hash(path: Path, dst: Path, value: str) -> tuple[Path, str]:
    """Rewrite the hidden sheet's structure hash with openpyxl; returns the file and the cell."""
    wb = openpyxl.load_workbook(path)
    ident = wb[L.SHEET_ID]
    row = next(r for r in range(1, 20) if ident.cell(r, 1).value == L.ID_STRUCTURE)
    ident.cell(row, 2).value = value
    wb.save(dst)
    return dst, f"'{L.SHEET_ID}'!B{row}"


@pytest.fixture
def altered(filled_path: Path, tmp_path: Path) -> tuple[Path, str]:
    return set_structure_hash(filled_path, tmp_path / "mau-da-sua.xlsx", "0123456789abcdef")


def test_the_written_hash_matches_and_reads_without_warning(desk, filled_path: Path) -> None:
    [p] = I.preview(desk, [filled_path])
    assert p.status == I.NEW and p.warnings == [] and not p.read.other_structure


def test_altered_hash_with_matching_rows_warns_and_can_still_be_applied(desk, plan, altered) -> None:
    path, cell = altered
    [p] = I.preview(desk, [path])
    assert p.status == I.NEW and p.errors == []
    [w] = p.warnings
    assert w.message.startswith("Mẫu được tạo từ phiên bản biểu mẫu khác: tệp \"mau-da-sua.xlsx\"")
    assert "0123456789abcdef" in w.message and L.structure_hash(plan, UNIT) in w.message
    assert "vẫn có thể nhập" in w.message and w.cell == cell
    report = I.apply(desk, [p])
    [o] = report.outcomes
    assert o.status == "imported" and o.warnings == [w]
    assert desk.get_values(UNIT, PERIOD).values["tt_so_buoi"] == 40
    with desk.read() as s:  # the history keeps why this file deserved a look
        assert "phiên bản biểu mẫu khác" in s.get(ImportRow, o.import_id).message


def test_an_emptied_hash_cell_is_a_different_structure_too(desk, filled_path: Path, tmp_path: Path) -> None:
    path, _cell = set_structure_hash(filled_path, tmp_path / "khong-ma.xlsx", None)
    [p] = I.preview(desk, [path])
    assert p.status == I.NEW and "(trống)" in p.warnings[0].message


def test_template_of_a_plan_with_an_extra_field_is_refused_naming_the_cell(desk, plan, tmp_path: Path) -> None:
    newer = plan_with_extra_field()
    made = write_template(newer, UNIT, PERIOD, tmp_path / "mau-moi.xlsx")
    path = fill_with_openpyxl(made, tmp_path / "bao-cao-moi.xlsx", {**valid_values(plan, UNIT), "tt_so_to_roi": 5})
    result = R.read_file(path, plan)
    assert result.state == R.REJECTED and result.values  # refused as a whole even though values parsed
    head, row_error = result.errors[0], result.errors[1]
    assert head.message.startswith("Mẫu được tạo từ phiên bản biểu mẫu khác: tệp \"bao-cao-moi.xlsx\"")
    assert "không có gì từ tệp này được lưu" in head.message and head.cell.startswith("'_dkdesk'!B")
    ws = openpyxl.load_workbook(path)["Biểu nhập liệu"]
    row = next(r for r in range(1, 200) if ws.cell(r, 2).value == "tt_so_to_roi")
    assert (row_error.field, row_error.cell) == ("tt_so_to_roi", f"'Biểu nhập liệu'!B{row}")
    assert "tt_so_to_roi" in row_error.message
    [p] = I.preview(desk, [path])
    assert p.status == I.REJECTED
    I.apply(desk, [p])
    assert desk.get_values(UNIT, PERIOD).values == {}


def test_old_template_read_by_a_plan_with_an_extra_field_warns_naming_the_missing_field(plan, tmp_path) -> None:
    newer = plan_with_extra_field()
    made = write_template(plan, UNIT, PERIOD, tmp_path / "mau-cu.xlsx")
    path = fill_with_openpyxl(made, tmp_path / "bao-cao-cu.xlsx", valid_values(plan, UNIT))
    result = R.read_file(path, newer)
    assert result.state == R.OK and result.errors == [] and result.absent == ["tt_so_to_roi"]
    [w] = result.warnings
    assert "Tệp không có dòng cho 1 trường" in w.message and '"Số tờ rơi đã phát" (tt_so_to_roi)' in w.message
    assert "giữ nguyên số liệu đã lưu" in w.message
    # with the same hash (the current plan), a missing row is still a refusal: the row was deleted
    wb = openpyxl.load_workbook(path)
    ws = wb["Biểu nhập liệu"]
    ws.delete_rows(next(r for r in range(1, 200) if ws.cell(r, 2).value == "tt_so_luot_nguoi"))
    wb.save(tmp_path / "xoa-dong.xlsx")
    cut = R.read_file(tmp_path / "xoa-dong.xlsx", plan)
    assert cut.state == R.REJECTED and "Biểu thiếu 1 dòng" in cut.errors[0].message and cut.warnings == []


def test_cli_import_json_carries_the_warning(capsys, desk, altered, db_path: Path) -> None:
    path, cell = altered
    code = cli(["--db", str(db_path), "import", str(path), "--dry-run", "--json"])
    out, err = capsys.readouterr()
    [f] = json.loads(out)["files"]
    assert code == 0 and f["status"] == "would_import" and f["errors"] == []
    [w] = f["warnings"]
    assert w["cell"] == cell and w["message"].startswith("Mẫu được tạo từ phiên bản biểu mẫu khác")
    assert "cảnh báo: Mẫu được tạo" in err and "mau-da-sua.xlsx" in err
    code = cli(["--db", str(db_path), "import", str(path), "--json"])
    out, _ = capsys.readouterr()
    [f] = json.loads(out)["files"]
    assert code == 0 and f["status"] == "imported" and len(f["warnings"]) == 1
