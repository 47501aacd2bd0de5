"""Files that lie (issue 12): ambiguous thousands, text that would become a formula or an OOXML
escape, a header or file name naming another report, two files for one report, special files."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from xlhelpers import ENTRY, fill_with_openpyxl, row_of, valid_values

from dkdesk.cli.main import main as cli
from dkdesk.core.numbers import ParseError, parse_int
from dkdesk.exchange import importer as I
from dkdesk.exchange import reader as R
from dkdesk.exchange.template import write_template

UNIT, PERIOD = "P-HUNGDAO", "2024-H1"


def _filled(plan, tmp: Path, name: str, unit: str = UNIT, period: str = PERIOD, over=None, change=None) -> Path:  # noqa: ANN001
    tpl = write_template(plan, unit, period, tmp / f"tpl-{name}")
    values = {**valid_values(plan, unit), **(over or {})}
    path = fill_with_openpyxl(tpl, tmp / name, values)
    if change:
        wb = openpyxl.load_workbook(path)
        change(wb[ENTRY])
        wb.save(path)
    return path


# -- 2. comma forms --------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["1,000", "25,000", "1,000,000", "999,999"])
def test_comma_then_three_digits_is_refused_as_ambiguous(text: str) -> None:
    with pytest.raises(ParseError) as exc:
        parse_int(text)
    message = str(exc.value)
    assert "không rõ nghĩa" in message and text.replace(",", "") in message and text.replace(",", ".") in message


@pytest.mark.parametrize(("text", "value"), [("5,0", 5), ("5,00", 5), ("1.000", 1000), ("1000", 1000)])
def test_other_forms_keep_their_meaning(text: str, value: int) -> None:
    assert parse_int(text) == value


def test_set_refuses_us_thousands(db_path: Path, capsys) -> None:  # noqa: ANN001
    code = cli(["--db", str(db_path), "set", "--unit", UNIT, "--period", PERIOD, "tt_so_luot_nguoi=1,000"])
    err = capsys.readouterr().err
    assert code == 1 and "không rõ nghĩa" in err and "1000" in err
    cli(["--db", str(db_path), "values", "--unit", UNIT, "--period", PERIOD, "--json"])
    assert "tt_so_luot_nguoi" not in json.loads(capsys.readouterr().out)["values"]


# -- 1 and 6. text written as text, escaped ----------------------------------------------------
def test_codes_with_x_hex_are_escaped_and_read_back(plan, tmp_path: Path) -> None:  # noqa: ANN001
    path = write_template(plan, "VHTT", PERIOD, tmp_path / "vhtt.xlsx")
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "tt_mang_x005F_xa_hoi" in xml and "tt_mang_xa_hoi" not in xml  # Calc would read "tt_mang\nhoi"
    filled = fill_with_openpyxl(path, tmp_path / "vhtt-du.xlsx", valid_values(plan, "VHTT"))
    result = R.read_file(filled, plan)
    assert result.state == R.OK, result.errors
    assert result.values["tt_mang_xa_hoi"] == valid_values(plan, "VHTT")["tt_mang_xa_hoi"]


def test_text_starting_with_equals_survives_filled_template(db_path: Path, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    text = "=> Đề nghị bổ sung kinh phí (tt_mang_xa_hoi)"
    assert cli(["--db", str(db_path), "set", "--unit", UNIT, "--period", PERIOD, "tt_so_buoi=3",
                f"kho_khan={text}"]) == 0
    out = tmp_path / "bao-cao.xlsx"
    assert cli(["--db", str(db_path), "template", "--unit", UNIT, "--period", PERIOD, "--filled", "-o", str(out)]) == 0
    ws = openpyxl.load_workbook(out)[ENTRY]
    cell = ws.cell(row_of(ws, "kho_khan"), 5)
    assert cell.data_type == "s" and cell.value.startswith("=> Đề nghị")  # a string cell, not a formula
    capsys.readouterr()
    assert cli(["--db", str(db_path), "import", str(out), "--json"]) == 0
    [entry] = json.loads(capsys.readouterr().out)["files"]
    assert entry["status"] == "unchanged", entry
    cli(["--db", str(db_path), "values", "--unit", UNIT, "--period", PERIOD, "--json"])
    assert json.loads(capsys.readouterr().out)["values"]["kho_khan"] == text


def test_report_cells_are_text_and_escaped() -> None:
    from dkdesk.reports.xlsx_style import put

    wb = openpyxl.Workbook()
    cell = put(wb.active["A1"], "=SUM(A2) tt_mang_xa_hoi")
    assert cell.data_type == "s" and cell.value == "=SUM(A2) tt_mang_x005F_xa_hoi"


# -- 3. contradictions -------------------------------------------------------------------------
def test_header_naming_another_unit_is_refused_naming_both(plan, tmp_path: Path) -> None:  # noqa: ANN001
    path = _filled(plan, tmp_path, "a.xlsx", change=lambda ws: ws.cell(4, 3, plan.unit("CA").name))
    result = R.read_file(path, plan)
    assert result.state == R.REJECTED
    [error] = result.errors
    assert plan.unit(UNIT).name in error.message and plan.unit("CA").name in error.message
    assert error.cell == f"'{ENTRY}'!C4"


def test_header_naming_another_period_is_refused(plan, tmp_path: Path) -> None:  # noqa: ANN001
    path = _filled(plan, tmp_path, "b.xlsx", change=lambda ws: ws.cell(5, 3, "Năm 2024 (2024-Y)"))
    result = R.read_file(path, plan)
    assert result.state == R.REJECTED and "Năm 2024" in result.errors[0].message
    assert "2024-H1" in result.errors[0].message


def test_file_name_with_another_units_code_is_refused(plan, tmp_path: Path) -> None:  # noqa: ANN001
    path = _filled(plan, tmp_path, "bao-cao_2024-H1_CA.xlsx")
    result = R.read_file(path, plan)
    assert result.state == R.REJECTED and "CA" in result.errors[0].message and UNIT in result.errors[0].message


def test_blank_or_retyped_header_and_plain_name_are_fine(plan, tmp_path: Path) -> None:  # noqa: ANN001
    import unicodedata

    def retype(ws) -> None:  # noqa: ANN001
        ws.cell(4, 3, "  " + unicodedata.normalize("NFD", plan.unit(UNIT).name.upper()) + " ")
        ws.cell(5, 3, None)
    path = _filled(plan, tmp_path, "bao cao phuong (1).xlsx", change=retype)
    result = R.read_file(path, plan)
    assert result.state == R.OK, result.errors


# -- 5. figures outside Giá trị ----------------------------------------------------------------
def test_value_typed_into_merged_cell_is_refused_naming_it(plan, tmp_path: Path) -> None:  # noqa: ANN001
    def merge(ws) -> None:  # noqa: ANN001
        r = row_of(ws, "tt_so_buoi")
        ws.cell(r, 5, None)
        ws.merge_cells(start_row=r, start_column=4, end_row=r, end_column=5)
        ws.cell(r, 4, 12)
    path = _filled(plan, tmp_path, "gop.xlsx", change=merge)
    result = R.read_file(path, plan)
    r = row_of(openpyxl.load_workbook(path)[ENTRY], "tt_so_buoi")
    assert result.state == R.REJECTED
    assert [(e.cell, e.field) for e in result.errors] == [(f"'{ENTRY}'!D{r}", "tt_so_buoi")]


def test_calc_style_changes_outside_value_are_tolerated(plan, tmp_path: Path) -> None:  # noqa: ANN001
    def calc_like(ws) -> None:  # noqa: ANN001
        r = row_of(ws, "tt_so_buoi")
        ws.cell(r, 1, float(ws.cell(r, 1).value))
        ws.cell(r, 3, "  " + ws.cell(r, 3).value + "  ")
    result = R.read_file(_filled(plan, tmp_path, "calc.xlsx", change=calc_like), plan)
    assert result.state == R.OK, result.errors


# -- 4. two files for one report ---------------------------------------------------------------
def _two_for_one(plan, tmp: Path) -> tuple[Path, Path, Path]:  # noqa: ANN001
    a = _filled(plan, tmp, "phuong-lan-1.xlsx", over={"tt_so_buoi": 5})
    b = _filled(plan, tmp, "phuong-lan-2.xlsx", over={"tt_so_buoi": 7})
    other = _filled(plan, tmp, "giao-duc.xlsx", unit="GDDT")
    return a, b, other


@pytest.mark.parametrize("dry", [False, True])
def test_conflict_in_cli_applies_neither(plan, db_path: Path, tmp_path: Path, capsys, dry: bool) -> None:  # noqa: ANN001
    a, b, other = _two_for_one(plan, tmp_path)
    code = cli(["--db", str(db_path), "import", str(a), str(b), str(other), "--json"] + (["--dry-run"] if dry else []))
    files = {Path(f["path"]).name: f for f in json.loads(capsys.readouterr().out)["files"]}
    assert code == 1
    assert files["phuong-lan-1.xlsx"]["status"] == files["phuong-lan-2.xlsx"]["status"] == "conflict"
    assert "phuong-lan-2.xlsx" in files["phuong-lan-1.xlsx"]["errors"][0]["message"]
    assert "phuong-lan-1.xlsx" in files["phuong-lan-2.xlsx"]["errors"][0]["message"]
    assert files["giao-duc.xlsx"]["status"] == ("would_import" if dry else "imported")
    cli(["--db", str(db_path), "values", "--unit", UNIT, "--period", PERIOD, "--json"])
    assert json.loads(capsys.readouterr().out)["values"] == {}


def test_conflict_in_preview_person_picks_one(qtbot, desk, plan, tmp_path: Path) -> None:  # noqa: ANN001
    from dkdesk.core.settings import Settings
    from dkdesk.gui.context import DataBus, GuiContext
    from dkdesk.gui.import_preview import PreviewDialog
    from dkdesk.gui.ops import wait_ops

    a, b, other = _two_for_one(plan, tmp_path)
    ctx = GuiContext(desk=desk, settings=Settings(last_period=PERIOD), bus=DataBus())  # as the tab's
    dialog = PreviewDialog(ctx, I.preview(desk, [a, b, other]))
    qtbot.addWidget(dialog)
    dialog.show()
    model, view = dialog.model, dialog.files_view
    assert [p.label for p in model.rows] == ["Xung đột", "Xung đột", "Mới"]
    assert model.chosen() == [model.rows[2]]  # neither conflicting file is ticked
    assert "phuong-lan-2.xlsx" in model.data(model.index(0, 8))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(model.index(0, 1)).center())
    assert "phuong-lan-2.xlsx" in dialog.detail_title.text()
    # the person keeps the second file: ticks it with the keyboard
    view.setCurrentIndex(model.index(1, 0))
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert wait_ops()  # the comparison runs on the worker, as every database read of a screen
    assert [p.label for p in model.rows] == ["Bỏ qua", "Mới", "Mới"]
    assert model.chosen() == [model.rows[1], model.rows[2]]
    # changes their mind: ticks the first one; the second is skipped instead
    view.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert wait_ops()
    assert [p.label for p in model.rows] == ["Mới", "Bỏ qua", "Mới"]
    report = I.apply(desk, dialog.selected())
    assert desk.get_values(UNIT, PERIOD).values["tt_so_buoi"] == 5
    assert {o.path.name: o.status for o in report.outcomes} == {"phuong-lan-1.xlsx": "imported",
                                                                "giao-duc.xlsx": "imported"}


# -- 8. special files ---------------------------------------------------------------------------
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFO chỉ có trên Linux/macOS")
def test_fifo_and_link_to_dev_zero_are_refused_without_reading(db_path: Path, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "ong.xlsx")
    (tmp_path / "zero.xlsx").symlink_to("/dev/zero")
    proc = subprocess.run([sys.executable, "-m", "dkdesk", "--db", str(db_path), "import",
                           str(tmp_path / "ong.xlsx"), str(tmp_path / "zero.xlsx"), "--json"],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert proc.returncode == 1, proc.stderr
    files = {Path(f["path"]).name: f for f in json.loads(proc.stdout)["files"]}
    assert "FIFO" in files["ong.xlsx"]["errors"][0]["message"]
    assert "thiết bị" in files["zero.xlsx"]["errors"][0]["message"]


def test_growing_file_is_read_bounded(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from dkdesk.exchange import safety

    monkeypatch.setattr(safety, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "lon.xlsx"
    path.write_bytes(b"PK" + b"\0" * 5000)
    content, reason = safety.read_regular_file(path)
    assert content == b"" and "quá lớn" in reason
