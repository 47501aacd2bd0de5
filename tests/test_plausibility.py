"""Figures far above the unit's earlier ones: warned about (the form asks, the CLI says), never refused."""
from __future__ import annotations

import json

from dkdesk.core.plausibility import CEILING, Reference, implausible, reference_values, warnings_for
from tests.test_cli import dk

W = "P-HUNGDAO"


def test_the_reference_is_the_units_figure_of_its_last_period(desk) -> None:
    desk.set_values(W, "2024-H1", {"tt_so_buoi": 12, "ph_nguy_co_cao": 0})
    desk.set_values("CA", "2024-H1", {"tt_so_buoi": 900})  # another unit's figures are not compared
    ref = reference_values(desk, W, "2024-Y")
    assert ref == {"tt_so_buoi": Reference(12, "2024-H1", "6 tháng đầu năm 2024"),
                   "ph_nguy_co_cao": Reference(0, "2024-H1", "6 tháng đầu năm 2024")}
    assert reference_values(desk, W, "2024-H1") == {}  # nothing earlier in the plan


def test_far_above_the_last_period_is_warned_about(desk) -> None:
    plan = desk.plan
    ref = {"tt_so_buoi": Reference(12, "2024-H1", "6 tháng đầu năm 2024"),
           "kt_luot_co_so": Reference(3, "2024-H1", "6 tháng đầu năm 2024")}
    [w] = implausible(plan, W, {"tt_so_buoi": 1200}, ref)
    assert w.field == "tt_so_buoi" and '"Số buổi tuyên truyền' in w.message
    assert "1.200 buổi" in w.message and "gấp khoảng 100 lần" in w.message
    assert "6 tháng đầu năm 2024 (12)" in w.message
    assert implausible(plan, W, {"tt_so_buoi": 120}, ref) == []  # ten times is not "far above"
    assert [w.field for w in implausible(plan, W, {"tt_so_buoi": 121}, ref)] == ["tt_so_buoi"]
    assert implausible(plan, W, {"kt_luot_co_so": 40}, ref) == []  # 13 times, but a small figure
    assert implausible(plan, W, {"tt_so_buoi": None, "kh_da_ban_hanh": True, "kho_khan": "x" * 50}, ref) == []


def test_with_nothing_to_compare_only_a_huge_figure_is_warned_about(desk) -> None:
    plan = desk.plan
    [w] = implausible(plan, W, {"ph_nguy_co_cao": 99_999_999_999}, {})
    assert "99.999.999.999 người" in w.message and "lớn bất thường" in w.message
    assert implausible(plan, W, {"ph_nguy_co_cao": CEILING}, {}) == []
    zero = {"ph_nguy_co_cao": Reference(0, "2024-H1", "6 tháng đầu năm 2024")}
    assert implausible(plan, W, {"ph_nguy_co_cao": 500}, zero) == []  # from 0: no ratio to speak of
    assert len(implausible(plan, W, {"ph_nguy_co_cao": CEILING + 1}, zero)) == 1


def test_warnings_for_raw_input(desk) -> None:
    desk.set_values(W, "2024-H1", {"tt_so_buoi": 12})
    warned = warnings_for(desk, W, "2024-Y", {"tt_so_buoi": "1.200", "tt_so_hinh_thuc": "3"})
    assert [w.field for w in warned] == ["tt_so_buoi"]


def test_cli_set_warns_and_stores(db_path) -> None:
    r = dk(db_path, "set", "--unit", W, "--period", "2024-H1", "ph_nguy_co_cao=99.999.999.999", "tt_so_buoi=4")
    assert r.returncode == 0, r.stderr
    assert "Cảnh báo" in r.stderr and "ph_nguy_co_cao" in r.stderr and "lớn bất thường" in r.stderr
    assert "tt_so_buoi" not in r.stderr and "Traceback" not in r.stderr
    v = json.loads(dk(db_path, "values", "--unit", W, "--period", "2024-H1", "--json").stdout)
    assert v["values"] == {"ph_nguy_co_cao": 99_999_999_999, "tt_so_buoi": 4}
    r = dk(db_path, "set", "--unit", W, "--period", "2024-Y", "tt_so_buoi=400")
    assert r.returncode == 0 and "gấp khoảng 100 lần" in r.stderr and "6 tháng đầu năm 2024 (4)" in r.stderr
