"""The same storage, status and indicator behaviour on PostgreSQL as on SQLite.

Every test runs twice through ``any_db_url`` (tests/safety/db_fixtures.py): on a fresh SQLite
file and on a fresh PostgreSQL database (skipped, with the reason, when DKDESK_TEST_PG_URL is
not set; scripts/test.sh starts a throwaway server and sets it).
"""
from __future__ import annotations

import json

import pytest

from dkdesk.cli.main import main
from dkdesk.core.desk import STATUS_APPROVED, STATUS_DRAFT, STATUS_SUBMITTED, Desk, Refused
from dkdesk.core.validation import ValidationFailed
from dkdesk.indicators.overview import compute_overview
from dkdesk.storage import database
from tests.conftest import PLAN_PATH, WARDS, fill_unit
from tests.safety.db_fixtures import any_db_url, any_desk, pg_admin_url, pg_url  # noqa: F401 - fixtures


def test_schema_is_created_at_head(any_desk):
    assert database.current_revision(any_desk.engine) == database.head_revision()
    assert not any_desk.read_only


def test_values_round_trip_with_types_and_vietnamese_text(any_desk):
    unit, period = "P-ANHDUNG", "2024-H1"
    stored = fill_unit(any_desk, unit, period, {"tt_so_buoi": "1.234", "kh_da_ban_hanh": "không",
                                                 "ket_qua_noi_bat": "Đã tổ chức 12 buổi; ưu tiên phường"})
    got = any_desk.get_values(unit, period)
    assert got.values["tt_so_buoi"] == 1234 and got.values["kh_da_ban_hanh"] is False
    assert got.values["ket_qua_noi_bat"] == stored["ket_qua_noi_bat"]
    assert got.status == STATUS_DRAFT
    result = any_desk.set_values(unit, period, {"tt_so_buoi": "", "kp_du_toan": 99_999})
    assert (result.cleared, result.changed) == (1, 1)
    values = any_desk.get_values(unit, period).values
    assert "tt_so_buoi" not in values and values["kp_du_toan"] == 99_999


def test_refusals_change_nothing(any_desk):
    unit, period = "P-DAPHUC", "2024-H1"
    fill_unit(any_desk, unit, period)
    before = any_desk.get_values(unit, period).values
    with pytest.raises(ValidationFailed):
        any_desk.set_values(unit, period, {"tt_so_buoi": 5, "nld_cskd_tong": 1, "nld_cskd_duoc_tt": 3})
    with pytest.raises(Refused):
        any_desk.set_values(unit, "2099-X", {"tt_so_buoi": 5})
    any_desk.set_status(unit, period, STATUS_APPROVED)
    with pytest.raises(Refused, match="khóa"):
        any_desk.set_values(unit, period, {"tt_so_buoi": 6})
    assert any_desk.get_values(unit, period).values == before


def test_statuses_move_and_are_audited(any_desk):
    period = "2024-H1"
    fill_unit(any_desk, "CA", period)
    any_desk.set_status("CA", period, STATUS_SUBMITTED)
    any_desk.set_status("CA", period, STATUS_APPROVED, note="đã kiểm tra")
    st = any_desk.statuses(period)
    assert st["CA"].locked and st["CA"].locked_by == "Người kiểm thử"
    assert st["P-HUNGDAO"].status == "empty"
    any_desk.set_status("CA", period, STATUS_DRAFT)
    actions = [e.action for e in any_desk.history(unit="CA", period=period) if e.action != "value"]
    assert actions == ["unlock", "lock", "status"]


def _overview_json(desk: Desk) -> dict:
    for i, ward in enumerate(WARDS[:4]):
        fill_unit(desk, ward, "2024-Y", {"tt_so_hinh_thuc": i})
    fill_unit(desk, "CA", "2024-Y")
    return compute_overview(desk, "2024-Y").as_json()


def test_indicator_overview_is_the_same_as_on_sqlite(any_desk, tmp_path):
    got = _overview_json(any_desk)
    with Desk.open(tmp_path / "tham-chieu.sqlite", plan_path=PLAN_PATH) as reference:
        expected = _overview_json(reference)
    assert json.loads(json.dumps(got, default=str)) == json.loads(json.dumps(expected, default=str))
    assert any(r["status"] == "thieu_so_lieu" for r in got["indicators"])


def test_cli_set_and_values(any_db_url, capsys):
    args = ["--db", any_db_url, "--plan", str(PLAN_PATH)]
    assert main([*args, "set", "--unit", "CA", "--period", "2024-H1", "tin_bao_tiep_nhan=12",
                 "tin_bao_xu_ly_kip_thoi=10"]) == 0
    assert main([*args, "set", "--unit", "CA", "--period", "2024-H1", "tin_bao_xu_ly_kip_thoi=13"]) == 1
    capsys.readouterr()
    assert main([*args, "values", "--unit", "CA", "--period", "2024-H1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["values"] == {"tin_bao_tiep_nhan": 12, "tin_bao_xu_ly_kip_thoi": 10}


def test_backup_commands_explain_the_server_case(pg_url, capsys, tmp_path):
    args = ["--db", pg_url, "--plan", str(PLAN_PATH)]
    assert main([*args, "backup", "-o", str(tmp_path / "x.sqlite")]) == 1
    assert "pg_dump" in capsys.readouterr().err
    assert main([*args, "restore", str(tmp_path / "x.sqlite")]) == 1
