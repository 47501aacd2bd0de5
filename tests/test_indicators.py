"""The indicator engine (SPEC §4): exact targets, missing units, 0/0, truncated display,
the safe expression parser, per-unit contributions, and a plan with an extra indicator."""
from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import PLAN_PATH, WARDS, fill_unit
from dkdesk.catalogue.model import Indicator
from dkdesk.catalogue import expr
from dkdesk.indicators.contributions import contributions, unit_contributions
from dkdesk.indicators.engine import (
    CHUA_DAT,
    DAT,
    KHONG_AP_DUNG,
    THIEU,
    evaluate,
    evaluate_all,
)
from dkdesk.indicators.overview import compute_overview, period_completeness


def wards_values(pairs: list[tuple[int, int]]) -> dict[tuple[str, str], object]:
    """CT02 inputs: (reached, total) per ward, in WARDS order."""
    values: dict[tuple[str, str], object] = {}
    for ward, (reached, total) in zip(WARDS, pairs):
        values[(ward, "nld_cskd_duoc_tt")] = reached
        values[(ward, "nld_cskd_tong")] = total
    return values


def ct(plan, code: str) -> Indicator:
    return plan.indicator(code)


# -- statuses, exactness, display -----------------------------------------------------------
def test_exactly_at_target_is_reached(plan) -> None:
    r = evaluate(plan, ct(plan, "CT02"), wards_values([(10, 20), (10, 16), (10, 16), (10, 16), (10, 16), (10, 16)]))
    assert (r.numerator, r.denominator) == (60, 100)
    assert r.status == DAT and r.value == 60
    assert r.value_display == "60,00%"
    assert r.as_json()["value"] == 60.0


def test_just_below_target_is_not_reached(plan) -> None:
    pairs = [(5999, 10000)] + [(0, 0)] * 5
    r = evaluate(plan, ct(plan, "CT02"), wards_values(pairs))
    assert r.status == CHUA_DAT
    assert r.value_display == "59,99%"
    assert r.as_json()["value"] == 59.99


def test_truncated_never_rounded_up(plan) -> None:
    # 14999 / 25000 = 59.996 %: must read 59,99 %, below the 60 % target
    r = evaluate(plan, ct(plan, "CT02"), wards_values([(14999, 25000)] + [(0, 0)] * 5))
    assert r.value == Fraction(59996, 1000)
    assert r.value_display == "59,99%"
    assert r.as_json()["value"] == 59.99
    assert r.status == CHUA_DAT


def test_zero_over_zero_is_not_applicable(plan) -> None:
    r = evaluate(plan, ct(plan, "CT02"), wards_values([(0, 0)] * 6))
    assert r.status == KHONG_AP_DUNG and r.status_label == "Không phát sinh"
    assert r.value is None and r.value_display == ""
    assert r.as_json()["value"] is None and r.as_json()["missing_units"] == []


def test_missing_ward_sum_over_the_others(plan) -> None:
    values = wards_values([(10, 10), (20, 40), (30, 30), (5, 10), (0, 10), (99, 99)])
    del values[("P-HAITHANH", "nld_cskd_duoc_tt")]  # one ward lacks one of the two fields
    r = evaluate(plan, ct(plan, "CT02"), values)
    assert r.status == THIEU and r.status_label == "Thiếu số liệu"
    assert r.missing_units == ("P-HAITHANH",)
    assert (r.numerator, r.denominator) == (10 + 20 + 5 + 0 + 99, 10 + 40 + 10 + 10 + 99)
    assert r.as_json()["value"] == float(Fraction(13400, 169) // Fraction(1, 100) / 100)


def test_missing_units_listed_in_plan_order(plan) -> None:
    values = wards_values([(1, 1)] * 6)
    for ward in ("P-TANTHANH", "P-ANHDUNG", "P-HOANGHIA"):
        del values[(ward, "nld_cskd_tong")]
    r = evaluate(plan, ct(plan, "CT02"), values)
    assert r.missing_units == ("P-ANHDUNG", "P-HOANGHIA", "P-TANTHANH")


def test_everything_missing_gives_no_value(plan) -> None:
    r = evaluate(plan, ct(plan, "CT02"), {})
    assert r.status == THIEU and r.value is None and len(r.missing_units) == 6


def test_count_of_wards_with_a_missing_ward(plan) -> None:
    values = {(w, "tt_so_hinh_thuc"): 2 for w in WARDS[:4]}
    values[(WARDS[4], "tt_so_hinh_thuc")] = 0
    r = evaluate(plan, ct(plan, "CT01"), values)  # P-TANTHANH has nothing
    assert r.missing_units == ("P-TANTHANH",)
    assert (r.numerator, r.denominator) == (4, 5) and r.status == THIEU
    values[(WARDS[5], "tt_so_hinh_thuc")] = 1
    r = evaluate(plan, ct(plan, "CT01"), values)
    assert (r.numerator, r.denominator, r.status) == (5, 6, CHUA_DAT)
    values[(WARDS[4], "tt_so_hinh_thuc")] = 1
    assert evaluate(plan, ct(plan, "CT01"), values).status == DAT


def test_bool_condition(plan) -> None:
    values = {(w, "kh_da_ban_hanh"): True for w in WARDS}
    assert evaluate(plan, ct(plan, "CT05"), values).status == DAT
    values[(WARDS[0], "kh_da_ban_hanh")] = False
    r = evaluate(plan, ct(plan, "CT05"), values)
    assert (r.numerator, r.denominator, r.status) == (5, 6, CHUA_DAT)
    assert r.value_display == "83,33%"


def test_unit_whose_form_lacks_the_field_is_not_missing(plan) -> None:
    # only GDDT's form has hs_tong / hs_duoc_tt: the other 19 units are not "missing"
    ind = Indicator("X1", "thử", 60, 'sum(hs_duoc_tt, "all")', 'sum(hs_tong, "all")', "Phòng GD")
    r = evaluate(plan, ind, {("GDDT", "hs_duoc_tt"): 3, ("GDDT", "hs_tong"): 4})
    assert r.missing_units == () and r.status == DAT and r.value == 75
    r = evaluate(plan, ind, {})
    assert r.missing_units == ("GDDT",)


def test_every_indicator_with_a_complete_plan_is_computed(plan) -> None:
    values: dict[tuple[str, str], object] = {}
    for u in plan.units:
        for f in plan.form_fields(u.code):
            values[(u.code, f.code)] = {"int": 10 if f.part_of is None else 5, "bool": True, "text": "x"}[f.type]
    results = evaluate_all(plan, values)
    assert [r.code for r in results] == [i.code for i in plan.indicators]
    assert all(r.missing_units == () for r in results)
    assert {r.code: r.status for r in results}["CT02"] == CHUA_DAT  # 50 % < 60 %
    assert {r.code: r.status for r in results}["CT07"] == DAT  # 50 % >= 10 %


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 10**6)), min_size=6, max_size=6))
def test_status_is_exact_comparison(plan, pairs) -> None:
    pairs = [(min(a, b), max(a, b)) for a, b in pairs]
    r = evaluate(plan, ct(plan, "CT02"), wards_values(pairs))
    num, den = sum(a for a, _ in pairs), sum(b for _, b in pairs)
    assert r.missing_units == ()
    if den == 0:
        assert r.status == KHONG_AP_DUNG
    else:
        assert (r.status == DAT) == (num * 100 >= 60 * den)
        shown = r.as_json()["value"]
        assert shown <= num * 100 / den + 1e-9  # truncated: never above the exact value
        assert Fraction(str(shown)) == Fraction(num * 10000 // den, 100)


# -- the expression parser -----------------------------------------------------------------
@pytest.mark.parametrize("source, pos, words", [
    ("sum(a, @)", 7, "ký tự không hợp lệ"),
    ('sum(a, "all)', 7, "ngoặc kép"),
    ('sum(a "all")', 6, '","'),
    ("eval(1)", 0, "hàm không biết"),
    ("1 +", 3, "hết biểu thức"),
    ('count("all", a >= 1 and b = 1 or c = 1)', 30, "and với or"),
    ('count("bogus")', 6, "phạm vi"),
    ("1 2", 2, "thừa"),
    ('count("all", a >= "x")', 18, "true/false"),
    ('__import__("os")', 0, "hàm không biết"),
])
def test_parser_refuses_with_position(source: str, pos: int, words: str) -> None:
    with pytest.raises(expr.ExprError) as info:
        expr.parse(source)
    assert info.value.pos == pos
    assert words in info.value.message


def test_parser_reads_fields_and_scopes() -> None:
    node = expr.parse('(sum(a, "group:phuong") + sum(b, "unit:CA,VKS")) * 2 / count("all", c >= 1 and d = true)')
    assert expr.fields_read(node) == {"a", "b", "c", "d"}
    assert [s.kind for s, _ in expr.scopes(node)] == ["group", "unit", "all"]


# -- contributions -------------------------------------------------------------------------
def test_contributions_of_the_wards(plan) -> None:
    values = wards_values([(10, 10), (20, 40), (30, 30), (5, 10), (0, 10), (99, 99)])
    del values[("P-HAITHANH", "nld_cskd_tong")]
    parts = contributions(plan, ct(plan, "CT02"), values)
    assert [p.unit for p in parts] == WARDS
    haithanh = parts[2]
    assert haithanh.missing and haithanh.numerator is None and haithanh.values == {"nld_cskd_duoc_tt": 30}
    assert (parts[1].numerator, parts[1].denominator, parts[1].value) == (20, 40, 50)
    r = evaluate(plan, ct(plan, "CT02"), values)
    assert sum(p.numerator for p in parts if not p.missing) == r.numerator
    assert sum(p.denominator for p in parts if not p.missing) == r.denominator


def test_contributions_of_a_count(plan) -> None:
    values = {(w, "tt_so_hinh_thuc"): i for i, w in enumerate(WARDS)}
    parts = contributions(plan, ct(plan, "CT01"), values)
    assert [(p.numerator, p.denominator) for p in parts] == [(0, 1)] + [(1, 1)] * 5
    assert parts[0].value == 0


def test_contributions_from_the_database(desk) -> None:
    fill_unit(desk, "CA", "2024-H1", {"tin_bao_tiep_nhan": 8, "tin_bao_xu_ly_kip_thoi": 6})
    (part,) = unit_contributions(desk, "CT06", "2024-H1")
    assert (part.unit, part.numerator, part.denominator, part.missing) == ("CA", 6, 8, False)
    assert len(unit_contributions(desk, "CT09", "2024-H1")) == 20


# -- through the database -------------------------------------------------------------------
def test_overview_from_the_database(desk) -> None:
    for i, w in enumerate(WARDS[:5]):
        fill_unit(desk, w, "2024-H1", {"nld_cskd_tong": 100, "nld_cskd_duoc_tt": 60 + i})
    ov = compute_overview(desk, "2024-H1")
    ct02 = next(r for r in ov.indicators if r.code == "CT02")
    assert ct02.missing_units == ("P-TANTHANH",)
    assert (ct02.numerator, ct02.denominator, ct02.status) == (310, 500, THIEU)
    fill_unit(desk, "P-TANTHANH", "2024-H1", {"nld_cskd_tong": 100, "nld_cskd_duoc_tt": 50})
    ct02 = next(r for r in compute_overview(desk, "2024-H1").indicators if r.code == "CT02")
    assert (ct02.numerator, ct02.denominator, ct02.status) == (360, 600, DAT)
    # the other period is untouched
    ct02_y = next(r for r in compute_overview(desk, "2024-Y").indicators if r.code == "CT02")
    assert ct02_y.numerator == 0 and ct02_y.status == THIEU


def test_completeness(desk) -> None:
    fill_unit(desk, "CA", "2024-H1")
    fill_unit(desk, "P-DAPHUC", "2024-H1")
    c = period_completeness(desk, "2024-H1", today=date(2024, 6, 10))
    assert c.reported == ("CA", "P-DAPHUC") and c.total == 20 and len(c.missing) == 18
    assert c.deadline == date(2024, 6, 15) and not c.overdue and not c.deadline_passed
    assert period_completeness(desk, "2024-H1", today=date(2024, 6, 16)).overdue


EXTRA = '''
[[indicators]]
code = "CT10"
name = "Tỷ lệ phường tổ chức từ 3 hình thức tuyên truyền trở lên"
target = 50
numerator = 'count("group:phuong", tt_so_hinh_thuc >= 3)'
denominator = 'count("group:phuong")'
responsible = "UBND các phường"
'''


def test_plan_with_an_extra_indicator(tmp_path: Path) -> None:
    from dkdesk.core.desk import Desk

    plan_file = tmp_path / "ke-hoach-them.toml"
    plan_file.write_text(PLAN_PATH.read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
    with Desk.open(tmp_path / "db.sqlite", plan_path=plan_file, who="Người kiểm thử") as desk:
        for i, w in enumerate(WARDS):
            fill_unit(desk, w, "2024-H1", {"tt_so_hinh_thuc": i})
        ov = compute_overview(desk, "2024-H1")
    ct10 = ov.indicators[-1]
    assert len(ov.indicators) == 10
    assert (ct10.code, ct10.numerator, ct10.denominator, ct10.status) == ("CT10", 3, 6, DAT)
    assert ct10.as_json()["value"] == 50.0 and ct10.target_display == "≥ 50%"
