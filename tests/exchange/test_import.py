"""Import: preview, apply in one transaction, history, duplicates, locks, CLI JSON (SPEC §5)."""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from xlhelpers import db_dump, fill_with_openpyxl, valid_values
from sqlalchemy import select

from dkdesk.cli.main import main as cli
from dkdesk.exchange import importer as I
from dkdesk.exchange import reader as R
from dkdesk.exchange.template import write_template
from dkdesk.storage.models import AuditRow, ImportRow


def test_round_trip_openpyxl(desk, filled_path: Path) -> None:
    [p] = I.preview(desk, [filled_path])
    assert p.status == I.NEW and p.unit == "P-HUNGDAO" and p.period == "2024-H1"
    n = len(desk.plan.form_fields("P-HUNGDAO"))
    assert (p.count("new"), p.count("changed"), p.count("unchanged")) == (n, 0, 0)
    report = I.apply(desk, [p])
    assert report.backup is not None and report.backup.exists()
    [o] = report.outcomes
    assert (o.status, o.new) == ("imported", n)
    uv = desk.get_values("P-HUNGDAO", "2024-H1")
    assert uv.values["tt_so_buoi"] == 40 and uv.values["nld_cskd_duoc_tt"] == 20 and uv.values["kh_da_ban_hanh"] is True
    assert {i.source for i in uv.info.values()} == {"import"} and {i.import_id for i in uv.info.values()} == {o.import_id}
    assert uv.status == "submitted"
    with desk.read() as s:
        row = s.get(ImportRow, o.import_id)
        assert row.content == filled_path.read_bytes() and row.result == "imported" and row.n_new == n
        assert row.who == "Người kiểm thử" and row.template_version == "1"
        assert s.scalar(select(AuditRow).where(AuditRow.action == "import")).note == "filled.xlsx"
    # the same bytes again: duplicate, nothing done
    [again] = I.preview(desk, [filled_path])
    assert again.status == I.DUPLICATE and "đã được nhập" in again.duplicate_note


def test_changed_file_diff_and_empty_never_clears(desk, plan, template_path: Path, tmp_path: Path) -> None:
    first = fill_with_openpyxl(template_path, tmp_path / "a.xlsx", valid_values(plan, "P-HUNGDAO"))
    I.apply(desk, I.preview(desk, [first]))
    second = fill_with_openpyxl(template_path, tmp_path / "b.xlsx", {"tt_so_buoi": 41, "tt_so_hinh_thuc": 40})
    [p] = I.preview(desk, [second])
    assert p.status == I.CHANGED
    assert [(d.field, d.old, d.new, d.kind) for d in p.diffs] == [
        ("tt_so_buoi", 40, 41, "changed"), ("tt_so_hinh_thuc", 40, 40, "unchanged")]
    assert p.diffs[0].cell.startswith("'Biểu nhập liệu'!E")
    I.apply(desk, [p])
    values = desk.get_values("P-HUNGDAO", "2024-H1").values
    assert values["tt_so_buoi"] == 41 and values["nld_cskd_tong"] == 40  # empty cells kept what was stored


def test_reads_what_people_type(desk, template_path: Path, tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Khó khăn về kinh phí")
    raw = {"tt_so_buoi": "1.234", "tt_so_luot_nguoi": "12 345", "tt_so_hinh_thuc": "7  ",
           "nld_cskd_tong": 12.0, "kh_da_ban_hanh": "CÓ", "kp_bo_tri": "x", "kho_khan": nfd + "  ",
           "tt_loa_truyen_thanh": "   "}
    path = fill_with_openpyxl(template_path, tmp_path / "typed.xlsx", raw)
    r = R.read_file(path, desk.plan)
    assert r.state == R.OK, r.errors
    assert r.values == {"tt_so_buoi": 1234, "tt_so_luot_nguoi": 12345, "tt_so_hinh_thuc": 7, "nld_cskd_tong": 12,
                        "kh_da_ban_hanh": True, "kp_bo_tri": True, "kho_khan": "Khó khăn về kinh phí"}
    assert unicodedata.is_normalized("NFC", r.values["kho_khan"])


def test_locked_period_refused_and_recorded(desk, plan, filled_path: Path) -> None:
    desk.set_values("P-HUNGDAO", "2024-H1", {"tt_so_buoi": 3})
    desk.set_status("P-HUNGDAO", "2024-H1", "approved")
    [p] = I.preview(desk, [filled_path])
    assert p.status == I.LOCKED and "khóa" in p.errors[0].message
    report = I.apply(desk, [p])
    assert report.outcomes[0].status == "rejected" and report.backup is None
    assert desk.get_values("P-HUNGDAO", "2024-H1").values == {"tt_so_buoi": 3}
    with desk.read() as s:
        row = s.scalar(select(ImportRow))
        assert row.result == "rejected" and row.content is None and "khóa" in row.message


def test_locked_between_preview_and_apply_rolls_back_that_file_only(desk, plan, template_path, tmp_path) -> None:
    a = fill_with_openpyxl(template_path, tmp_path / "a.xlsx", valid_values(plan, "P-HUNGDAO"))
    b_tpl = write_template(plan, "CA", "2024-H1", tmp_path / "ca.xlsx")
    b = fill_with_openpyxl(b_tpl, tmp_path / "b.xlsx", valid_values(plan, "CA"))
    previews = I.preview(desk, [a, b])
    assert [p.status for p in previews] == [I.NEW, I.NEW]
    desk.set_values("P-HUNGDAO", "2024-H1", {"tt_so_buoi": 1})
    desk.set_status("P-HUNGDAO", "2024-H1", "approved")
    report = I.apply(desk, previews)
    assert [o.status for o in report.outcomes] == ["rejected", "imported"]
    assert desk.get_values("P-HUNGDAO", "2024-H1").values == {"tt_so_buoi": 1}
    assert desk.get_values("CA", "2024-H1").values["tin_bao_tiep_nhan"] == 40


def test_cancel_during_apply_stores_nothing(desk, plan, template_path, tmp_path, db_path) -> None:
    a = fill_with_openpyxl(template_path, tmp_path / "a.xlsx", valid_values(plan, "P-HUNGDAO"))
    b = fill_with_openpyxl(write_template(plan, "CA", "2024-H1", tmp_path / "ca.xlsx"), tmp_path / "b.xlsx",
                           valid_values(plan, "CA"))
    previews = I.preview(desk, [a, b])
    before = db_dump(db_path)

    def progress(done: int, total: int, text: str) -> None:
        if done == 1:
            raise KeyboardInterrupt("Hủy")

    with pytest.raises(KeyboardInterrupt):
        I.apply(desk, previews, progress=progress)
    assert db_dump(db_path) == before


def test_unidentified_template_asks_unit_and_period(desk, plan, filled_path: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(filled_path)
    del wb["_dkdesk"]
    path = tmp_path / "no-id.xlsx"
    wb.save(path)
    [p] = I.preview(desk, [path])
    assert p.status == I.NEEDS_ID
    assert (p.read.guess_unit, p.read.guess_period) == ("P-HUNGDAO", "2024-H1")
    [p] = I.preview(desk, [path], identities={path: ("P-HUNGDAO", "2024-H1")})
    assert p.status == I.NEW
    I.apply(desk, [p])
    assert desk.get_values("P-HUNGDAO", "2024-H1").values["tt_so_buoi"] == 40


def test_readers_per_version() -> None:
    assert 1 in R.READERS  # every released template format keeps its reader


def run_cli(capsys, db: Path, *args: str) -> tuple[int, str, str]:
    code = cli(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_import_json_dry_run_and_mixed_exit(capsys, desk, plan, filled_path, template_path, tmp_path,
                                                db_path) -> None:
    bad = fill_with_openpyxl(template_path, tmp_path / "bad.xlsx", {"tt_so_buoi": -3})
    before = db_dump(db_path)
    code, out, err = run_cli(capsys, db_path, "import", str(filled_path), "--dry-run", "--json")
    assert code == 0 and db_dump(db_path) == before
    [f] = json.loads(out)["files"]
    assert set(f) == {"path", "sha256", "unit", "period", "status", "new", "changed", "unchanged", "errors",
                      "warnings"}
    assert f["status"] == "would_import" and f["new"] == len(plan.form_fields("P-HUNGDAO"))
    code, out, err = run_cli(capsys, db_path, "import", str(filled_path), str(bad), "--json")
    assert code == 1
    good, rejected = json.loads(out)["files"]
    assert good["status"] == "imported" and good["unit"] == "P-HUNGDAO"
    assert rejected["status"] == "rejected" and rejected["errors"][0]["field"] == "tt_so_buoi"
    assert rejected["errors"][0]["cell"].startswith("'Biểu nhập liệu'!E") and "âm" in rejected["errors"][0]["message"]
    assert "bad.xlsx" in err and "Traceback" not in err
    code, out, _ = run_cli(capsys, db_path, "import", str(filled_path), "--json")
    assert code == 0 and json.loads(out)["files"][0]["status"] == "duplicate"


def test_cli_template_filled_round_trip(capsys, desk, plan, tmp_path, db_path) -> None:
    from xlhelpers import valid_values as vv

    desk.set_values("GDDT", "2024-Y", vv(plan, "GDDT"))
    out_file = tmp_path / "gddt.xlsx"
    code, out, _ = run_cli(capsys, db_path, "template", "--unit", "GDDT", "--period", "2024-Y", "-o", str(out_file),
                           "--filled")
    assert code == 0 and out_file.exists()
    other = tmp_path / "other.sqlite"
    code, out, _ = run_cli(capsys, other, "import", str(out_file), "--json")
    assert code == 0 and json.loads(out)["files"][0]["status"] == "imported"
    code, out, _ = run_cli(capsys, other, "values", "--unit", "GDDT", "--period", "2024-Y", "--json")
    assert json.loads(out)["values"] == desk.get_values("GDDT", "2024-Y").values
    code, out, _ = run_cli(capsys, db_path, "template", "--all", "--period", "2024-H1", "-o", str(tmp_path / "all"))
    assert code == 0 and len(list((tmp_path / "all").glob("mau-bao-cao_2024-H1_*.xlsx"))) == len(plan.units)
    code, _, err = run_cli(capsys, db_path, "template", "--unit", "XX", "--period", "2024-H1", "-o", "/tmp/x.xlsx")
    assert code == 1 and "XX" in err


def test_file_version_selects_its_reader(desk, plan, filled_path: Path, tmp_path: Path, monkeypatch) -> None:
    """A file carries its template version; the reader registered for it reads the file."""
    wb = openpyxl.load_workbook(filled_path)
    ident = wb["_dkdesk"]
    row = next(r for r in range(1, 10) if ident.cell(r, 1).value == "phien_ban_mau")
    ident.cell(row, 2, "2")
    path = tmp_path / "v2.xlsx"
    wb.save(path)
    assert R.read_file(path, plan).state == R.REJECTED  # unknown version: a newer dkdesk made it
    seen = []

    def read_v2(plan_, unit, sheet, result):  # noqa: ANN001, ANN202
        seen.append(unit)
        R.read_rows_v1(plan_, unit, sheet, result)

    monkeypatch.setitem(R.READERS, 2, read_v2)
    result = R.read_file(path, plan)
    assert result.state == R.OK and result.version == 2 and seen == ["P-HUNGDAO"]


def test_a_wrong_declared_dimension_does_not_hide_data(desk, plan, filled_path: Path, tmp_path: Path) -> None:
    """Some writers declare the used range as "A1": every row is still read."""
    import re
    import zipfile

    from xlhelpers import replace_part

    with zipfile.ZipFile(filled_path) as z:
        sheet = z.read("xl/worksheets/sheet2.xml")
    lying = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1"/>', sheet)
    assert lying != sheet
    path = replace_part(filled_path, tmp_path / "dim.xlsx", "xl/worksheets/sheet2.xml", lying)
    result = R.read_file(path, plan)
    assert result.state == R.OK and len(result.values) == len(plan.form_fields("P-HUNGDAO"))


def test_folder_means_every_xlsx_below_it(tmp_path: Path) -> None:
    (tmp_path / "usb" / "phuong").mkdir(parents=True)
    for name in ("a.xlsx", "phuong/b.XLSM", "~$a.xlsx", "ghi-chu.txt", "cu.xls"):
        (tmp_path / "usb" / name).write_bytes(b"x")
    found = [p.relative_to(tmp_path / "usb").as_posix() for p in I.expand_paths([tmp_path / "usb"])]
    assert found == ["a.xlsx", "phuong/b.XLSM"]  # Excel's "~$" lock files are not reports


def test_same_file_twice_in_one_batch(capsys, desk, filled_path: Path, db_path: Path) -> None:
    code, out, _ = run_cli(capsys, db_path, "import", str(filled_path), str(filled_path), "--json")
    assert code == 0
    assert [f["status"] for f in json.loads(out)["files"]] == ["imported", "duplicate"]


def _far_above_last_period(desk, plan, tmp_path: Path) -> Path:
    """P-HUNGDAO reported 12 sessions for 2024-H1; its 2024-Y file says 1.200 (two zeros too many)."""
    desk.set_values("P-HUNGDAO", "2024-H1", {**valid_values(plan, "P-HUNGDAO"), "tt_so_buoi": 12})
    tpl = write_template(plan, "P-HUNGDAO", "2024-Y", tmp_path / "mau-y.xlsx")
    return fill_with_openpyxl(tpl, tmp_path / "bao-cao_2024-Y_P-HUNGDAO.xlsx",
                              {**valid_values(plan, "P-HUNGDAO"), "tt_so_buoi": 1200})


def test_a_figure_far_above_the_last_period_is_a_warning_not_a_refusal(desk, plan, tmp_path: Path) -> None:
    path = _far_above_last_period(desk, plan, tmp_path)
    [p] = I.preview(desk, [path])
    assert p.status == I.NEW and p.errors == []
    [w] = p.plausibility
    assert w in p.warnings and w.field == "tt_so_buoi"
    assert w.cell == p.read.cells["tt_so_buoi"] and w.cell.startswith("'Biểu nhập liệu'!E")
    assert w.message.startswith("Số lớn bất thường: ")
    assert "1.200" in w.message and "so với 12 của kỳ trước (6 tháng đầu năm 2024)" in w.message
    report = I.apply(desk, [p], backup=False)  # the person decides: applied as any file
    [o] = report.outcomes
    assert o.status == "imported" and w in o.warnings
    assert desk.get_values("P-HUNGDAO", "2024-Y").values["tt_so_buoi"] == 1200
    assert "Số lớn bất thường" in desk.imports()[0].message  # the history keeps what was said


def test_no_plausibility_warning_for_ordinary_or_already_stored_figures(desk, plan, tmp_path: Path) -> None:
    path = _far_above_last_period(desk, plan, tmp_path)
    ordinary = fill_with_openpyxl(path, tmp_path / "bao-cao-dung.xlsx", {"tt_so_buoi": 100})
    assert I.preview(desk, [ordinary])[0].plausibility == []  # ten times 12 is not "far above"
    desk.set_values("P-HUNGDAO", "2024-Y", {"tt_so_buoi": 1200})  # typed and kept after the form's question
    [p] = I.preview(desk, [path])
    assert p.status == I.NEW and p.plausibility == []  # 1.200 is stored already: the person has seen it
    first = write_template(plan, "P-HUNGDAO", "2024-H1", tmp_path / "mau-h1.xlsx")
    h1 = fill_with_openpyxl(first, tmp_path / "h1.xlsx", {"tt_so_buoi": 5000})
    assert I.preview(desk, [h1])[0].plausibility == []  # no earlier period in the plan, below the ceiling


def test_cli_import_dry_run_json_lists_the_plausibility_warning(capsys, desk, plan, tmp_path, db_path) -> None:
    path = _far_above_last_period(desk, plan, tmp_path)
    before = db_dump(db_path)
    code, out, err = run_cli(capsys, db_path, "import", str(path), "--dry-run", "--json")
    assert code == 0 and db_dump(db_path) == before
    [f] = json.loads(out)["files"]
    assert set(f) == {"path", "sha256", "unit", "period", "status", "new", "changed", "unchanged", "errors",
                      "warnings"}  # SPEC §5's keys, "warnings" as before
    assert f["status"] == "would_import" and f["errors"] == []
    [w] = f["warnings"]
    assert w["field"] == "tt_so_buoi" and w["cell"].startswith("'Biểu nhập liệu'!E")
    assert w["message"].startswith("Số lớn bất thường") and "kỳ trước" in w["message"]
    assert "cảnh báo: Số lớn bất thường" in err
    code, out, _ = run_cli(capsys, db_path, "import", str(path), "--json")
    assert code == 0 and json.loads(out)["files"][0]["status"] == "imported"
    assert json.loads(out)["files"][0]["warnings"][0]["field"] == "tt_so_buoi"
