"""The command line through a real subprocess: SPEC §5 shapes, exit codes, Vietnamese messages."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import PLAN_PATH


def dk(db, *args, env=None):
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "dkdesk", "--db", str(db), *args],
                          capture_output=True, text=True, timeout=120, env=full_env)


def test_plan_json_shape(db_path):
    r = dk(db_path, "plan", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert set(data) == {"plan", "periods", "units", "indicators"}
    ward = next(u for u in data["units"] if u["code"] == "P-HUNGDAO")
    assert ward["group"] == "UBND các phường"
    types = {f["code"]: f["type"] for f in ward["fields"]}
    assert types["kh_da_ban_hanh"] == "bool" and types["tt_so_hinh_thuc"] == "int"
    assert data["indicators"][1] == {"code": "CT02", "name": data["indicators"][1]["name"], "target": 60.0,
                                     "responsible": data["indicators"][1]["responsible"]}


def test_set_values_round_trip_and_json_types(db_path):
    r = dk(db_path, "set", "--unit", "P-HUNGDAO", "--period", "2024-H1", "tt_so_hinh_thuc=3",
           "kh_da_ban_hanh=true", "nld_cskd_tong=1.200", "nld_cskd_duoc_tt=800",
           "kien_nghi=Đề nghị tăng kinh phí")
    assert r.returncode == 0, r.stderr
    v = json.loads(dk(db_path, "values", "--unit", "P-HUNGDAO", "--period", "2024-H1", "--json").stdout)
    assert v["unit"] == "P-HUNGDAO" and v["period"] == "2024-H1" and v["status"] == "draft"
    assert v["values"] == {"tt_so_hinh_thuc": 3, "kh_da_ban_hanh": True, "nld_cskd_tong": 1200,
                           "nld_cskd_duoc_tt": 800, "kien_nghi": "Đề nghị tăng kinh phí"}


@pytest.mark.parametrize("args,needle", [
    (["nld_cskd_tong=10", "nld_cskd_duoc_tt=50"], "lớn hơn tổng"),
    (["tt_so_hinh_thuc=-2"], "không được là số âm"),
    (["tt_so_hinh_thuc=abc"], "không phải là số"),
    (["hs_tong=5"], "không thuộc biểu mẫu"),
])
def test_set_refusals_exit_1_and_store_nothing(db_path, args, needle):
    assert dk(db_path, "set", "--unit", "P-HUNGDAO", "--period", "2024-H1", "tt_so_hinh_thuc=1").returncode == 0
    before = dk(db_path, "values", "--unit", "P-HUNGDAO", "--period", "2024-H1", "--json").stdout
    r = dk(db_path, "set", "--unit", "P-HUNGDAO", "--period", "2024-H1", "kh_da_ban_hanh=có", *args)
    assert r.returncode == 1
    assert needle in r.stderr and "không có gì được lưu" in r.stderr
    assert "Traceback" not in r.stderr
    assert dk(db_path, "values", "--unit", "P-HUNGDAO", "--period", "2024-H1", "--json").stdout == before


def test_unknown_unit_period_and_usage(db_path):
    r = dk(db_path, "values", "--unit", "XX", "--period", "2024-H1", "--json")
    assert r.returncode == 1 and 'Không có đơn vị mã "XX"' in r.stderr
    r = dk(db_path, "values", "--unit", "CA", "--period", "2031-Y", "--json")
    assert r.returncode == 1 and "Không có kỳ báo cáo" in r.stderr
    r = dk(db_path, "set", "--unit", "CA")
    assert r.returncode == 2 and "thiếu đối số bắt buộc" in r.stderr
    r = dk(db_path, "set", "--unit", "CA", "--period", "2024-H1", "khongcodau")
    assert r.returncode == 2 and "MÃ=GIÁ_TRỊ" in r.stderr


def test_help_and_version_are_vietnamese(db_path):
    r = dk(db_path, "--help")
    assert r.returncode == 0 and "Cách dùng: dkdesk" in r.stdout and "các lệnh" in r.stdout
    r = dk(db_path, "--version")
    assert r.returncode == 0 and r.stdout.startswith("dkdesk ")


def test_db_from_environment_variable(tmp_path):
    db = tmp_path / "env.sqlite"
    r = subprocess.run([sys.executable, "-m", "dkdesk", "set", "--unit", "CA", "--period", "2024-H1",
                        "tin_bao_tiep_nhan=4"], capture_output=True, text=True, timeout=120,
                       env={**os.environ, "DKDESK_DB": str(db)})
    assert r.returncode == 0, r.stderr
    assert db.exists()


def test_cli_imports_no_qt(db_path):
    code = ("import sys; from dkdesk.cli.main import main; "
            f"rc = main(['--db', {str(db_path)!r}, 'values', '--unit', 'CA', '--period', '2024-H1', '--json']); "
            "bad = [m for m in sys.modules if m.startswith('PySide6')]; "
            "print('QT', bad); sys.exit(rc)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "QT []" in r.stdout


def test_corrupt_plan_file_is_a_clear_refusal(db_path, tmp_path):
    bad = tmp_path / "plan.toml"
    bad.write_text(PLAN_PATH.read_text(encoding="utf-8").replace("format = 1", "format = 2"), encoding="utf-8")
    r = dk(db_path, "plan", "--json", env={"DKDESK_PLAN": str(bad)})
    assert r.returncode == 1 and "plan.toml" in r.stderr and "Traceback" not in r.stderr
