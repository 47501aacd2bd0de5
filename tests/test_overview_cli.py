"""`dkdesk overview --period P --json` exactly as SPEC §5, and its plain-text form."""
from __future__ import annotations

import json

from tests.conftest import WARDS, fill_unit
from dkdesk.cli.main import main

KEYS = ["code", "name", "target", "numerator", "denominator", "value", "status", "missing_units"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_overview_json_shape_and_values(desk, db_path, capsys) -> None:
    for w in WARDS[:5]:
        fill_unit(desk, w, "2024-H1", {"nld_cskd_tong": 10000, "nld_cskd_duoc_tt": 1200})
    fill_unit(desk, "CA", "2024-H1", {"tin_bao_tiep_nhan": 0, "tin_bao_xu_ly_kip_thoi": 0})
    fill_unit(desk, "GDDT", "2024-H1", {"hs_tong": 10000, "hs_duoc_tt": 5999})
    fill_unit(desk, "LDLD", "2024-H1", {"nld_kcn_tong": 200, "nld_kcn_duoc_tt": 100})
    desk.close()
    code, out, _ = run(capsys, "--db", str(db_path), "overview", "--period", "2024-H1", "--json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["period", "indicators"] and data["period"] == "2024-H1"
    rows = {r["code"]: r for r in data["indicators"]}
    assert list(rows) == [f"CT0{i}" for i in range(1, 10)]
    assert all(list(r) == KEYS for r in data["indicators"])
    assert rows["CT02"] == {**rows["CT02"], "numerator": 6000, "denominator": 50000, "value": 12.0,
                            "status": "thieu_so_lieu", "missing_units": ["P-TANTHANH"], "target": 60}
    assert rows["CT03"]["status"] == "dat" and rows["CT03"]["value"] == 50.0
    assert rows["CT04"]["status"] == "chua_dat" and rows["CT04"]["value"] == 59.99
    assert rows["CT06"]["status"] == "khong_ap_dung" and rows["CT06"]["value"] is None
    assert rows["CT08"]["status"] == "thieu_so_lieu" and rows["CT08"]["missing_units"] == ["HLHPN"]
    assert rows["CT08"]["value"] is None


def test_overview_text(desk, db_path, capsys) -> None:
    fill_unit(desk, "GDDT", "2024-H1", {"hs_tong": 10000, "hs_duoc_tt": 5999})
    desk.close()
    code, out, _ = run(capsys, "--db", str(db_path), "overview", "--period", "2024-H1")
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("CT04"))
    assert "59,99%" in line and "Chưa đạt" in line and "5.999/10.000" in line


def test_overview_unknown_period_is_refused(db_path, capsys) -> None:
    code, _, err = run(capsys, "--db", str(db_path), "overview", "--period", "2023-H1", "--json")
    assert code == 1 and "Không có kỳ báo cáo" in err
