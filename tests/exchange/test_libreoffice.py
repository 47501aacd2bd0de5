"""The real thing: a template filled in LibreOffice Calc (driven over UNO like a person
typing), saved as .xlsx by Calc, then imported by dkdesk."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from dkdesk.cli.main import main as cli
from dkdesk.exchange.template import write_template

HELPER = Path(__file__).with_name("lo_fill.py")
SYSTEM_PYTHON = "/usr/bin/python3"


def _lo_missing() -> str | None:
    if shutil.which("soffice") is None:
        return "LibreOffice (soffice) không được cài: cần gói libreoffice-calc"
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True)
    if probe.returncode != 0:
        return "python3-uno không có trong /usr/bin/python3"
    return None


pytestmark = [pytest.mark.libreoffice, pytest.mark.skipif(_lo_missing() is not None, reason=str(_lo_missing()))]


def fill_in_calc(src: Path, dst: Path, spec: dict[str, list[str]], work: Path) -> None:
    spec_file = work / f"{dst.stem}.json"
    spec_file.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    profile = work / f"lo-profile-{dst.stem}"
    proc = subprocess.run([SYSTEM_PYTHON, str(HELPER), str(src), str(dst), str(spec_file), str(profile)],
                          capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert dst.exists()


def test_filled_in_libreoffice_imports(plan, tmp_path: Path, db_path: Path, capsys) -> None:
    tpl = write_template(plan, "P-HUNGDAO", "2024-H1", tmp_path / "mau-bao-cao_2024-H1_P-HUNGDAO.xlsx")
    spec = {
        "tt_so_buoi": ["value", "12"],                 # a number typed
        "tt_so_luot_nguoi": ["string", "1.234"],       # a text-number with Vietnamese grouping
        "tt_so_hinh_thuc": ["formula", "=2+3"],        # a formula: Calc stores its cached result
        "nld_cskd_tong": ["string", "40 "],            # trailing space
        "nld_cskd_duoc_tt": ["value", "25"],
        "kh_da_ban_hanh": ["string", "có"],            # lower-case có
        "kp_bo_tri": ["string", "Không"],
        "ket_qua_noi_bat": ["string", "Tổ chức 3 hội nghị tuyên truyền tại khu dân cư"],
    }
    out = tmp_path / "tra-ve.xlsx"
    fill_in_calc(tpl, out, spec, tmp_path)
    wb = openpyxl.load_workbook(out)
    assert wb["_dkdesk"].sheet_state in ("hidden", "veryHidden")  # survived Calc's save
    entry = wb["Biểu nhập liệu"]
    assert entry.protection.sheet  # still protected, still validated after Calc's save
    kinds = {dv.type for dv in entry.data_validations.dataValidation}
    assert {"whole", "list"} <= kinds
    code = cli(["--db", str(db_path), "import", str(out), "--json"])
    result = json.loads(capsys.readouterr().out)["files"][0]
    assert code == 0 and result["status"] == "imported", result
    assert result["warnings"] == []  # the structure hash survived Calc's save unchanged
    assert result["unit"] == "P-HUNGDAO" and result["period"] == "2024-H1" and result["new"] == len(spec)
    cli(["--db", str(db_path), "values", "--unit", "P-HUNGDAO", "--period", "2024-H1", "--json"])
    values = json.loads(capsys.readouterr().out)["values"]
    assert values == {"tt_so_buoi": 12, "tt_so_luot_nguoi": 1234, "tt_so_hinh_thuc": 5, "nld_cskd_tong": 40,
                      "nld_cskd_duoc_tt": 25, "kh_da_ban_hanh": True, "kp_bo_tri": False,
                      "ket_qua_noi_bat": "Tổ chức 3 hội nghị tuyên truyền tại khu dân cư"}
    # the cells left empty stayed "no value" (never 0)
    assert "cbcc_lien_quan" not in values


def test_bad_input_typed_in_libreoffice_is_refused_with_cell(plan, tmp_path: Path, db_path: Path, capsys) -> None:
    tpl = write_template(plan, "GDDT", "2024-Y", tmp_path / "mau.xlsx")
    out = tmp_path / "sai.xlsx"
    fill_in_calc(tpl, out, {"hs_tong": ["string", "12,5"], "hs_duoc_tt": ["value", "3"]}, tmp_path)
    code = cli(["--db", str(db_path), "import", str(out), "--json"])
    captured = capsys.readouterr()
    result = json.loads(captured.out)["files"][0]
    assert code == 1 and result["status"] == "rejected"
    [error] = result["errors"]
    assert error["field"] == "hs_tong" and error["cell"].startswith("'Biểu nhập liệu'!E")
    assert "sai.xlsx" in captured.err and "12,5" in captured.err


def _typed(plan, unit: str) -> tuple[dict[str, list[str]], dict[str, object]]:
    """What a person types in every field of a unit (numbers as numbers and as text, Có/Không,
    text with a leading "=" and an "_x..._"-like part), and what must be stored."""
    spec: dict[str, list[str]] = {}
    want: dict[str, object] = {}
    for i, f in enumerate(plan.form_fields(unit)):
        if f.type == "int":
            n = 40 if f.part_of is None else 20
            spec[f.code] = ["value", str(n)] if i % 2 else ["string", f"{n} "]
            want[f.code] = n
        elif f.type == "bool":
            spec[f.code] = ["string", "Có" if i % 2 else "không"]
            want[f.code] = bool(i % 2)
        else:
            text = f"=> Đề nghị hỗ trợ {unit} (mã tt_mang_xa_hoi, _x0041_)"
            spec[f.code] = ["string", text]
            want[f.code] = text
    return spec, want


def test_every_template_both_periods_survives_libreoffice(plan, tmp_path: Path, db_path: Path, capsys) -> None:
    """All 20 units x 2 periods: written by dkdesk, every field typed in Calc, saved by Calc, imported
    in one run; the stored values are exactly what was typed (``tt_mang_xa_hoi`` stays itself)."""
    from dkdesk.core.desk import Desk

    jobs, wanted = [], {}
    for period in ("2024-H1", "2024-Y"):
        for u in plan.units:
            src = write_template(plan, u.code, period, tmp_path / "mau" / f"mau-bao-cao_{period}_{u.code}.xlsx")
            dst = tmp_path / "ve" / f"bao-cao_{period}_{u.code}.xlsx"
            spec, want = _typed(plan, u.code)
            jobs.append({"src": str(src), "dst": str(dst), "spec": spec})
            wanted[(u.code, period)] = want
    assert len(jobs) == 40
    (tmp_path / "ve").mkdir()
    jobs_file = tmp_path / "jobs.json"
    jobs_file.write_text(json.dumps(jobs, ensure_ascii=False), encoding="utf-8")
    proc = subprocess.run([SYSTEM_PYTHON, str(HELPER), "--batch", str(jobs_file), str(tmp_path / "lo-profile")],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("filled ") == 40
    code = cli(["--db", str(db_path), "import", str(tmp_path / "ve"), "--json"])
    out, err = capsys.readouterr()
    files = json.loads(out)["files"]
    assert code == 0, err
    assert len(files) == 40 and all(f["status"] == "imported" and not f["warnings"] for f in files), err
    desk = Desk.open(db_path, plan_path=Path(__file__).resolve().parents[2] / "resources" / "plans"
                     / "duong-kinh-2024.toml")
    try:
        for (unit, period), want in wanted.items():
            assert desk.get_values(unit, period).values == want, (unit, period)
    finally:
        desk.close()
