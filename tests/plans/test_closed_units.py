"""A unit that does not exist in a period is not expected: closed, never "thiếu số liệu"; count targets."""
from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from dkdesk.catalogue import plan_edit as edit
from dkdesk.indicators.contributions import contributions
from dkdesk.indicators.engine import CHUA_DAT, DAT, THIEU, evaluate
from tests.conftest import WARDS


@pytest.fixture(scope="module")
def p25(plan):
    p = edit.next_year(plan)
    p = edit.merge_units(p, WARDS[:3], "P-DUONGKINH", "Ủy ban nhân dân phường Dương Kinh", date(2025, 7, 1))
    p = edit.merge_units(p, WARDS[3:], "P-HUNGDAO", "Ủy ban nhân dân phường Hưng Đạo", date(2025, 7, 1))
    return edit.set_target(p, "CT07", 5, "count")


def ward_figures(wards, reached=30, total=100):
    out = {}
    for w in wards:
        out[(w, "nld_cskd_duoc_tt")], out[(w, "nld_cskd_tong")] = reached, total
    return out


def test_a_ward_not_yet_founded_is_closed_not_missing(p25):
    r = evaluate(p25, p25.indicator("CT02"), ward_figures(WARDS), "2025-H1")
    assert r.closed_units == ("P-DUONGKINH",)
    assert r.missing_units == () and r.status == CHUA_DAT
    assert (r.numerator, r.denominator) == (180, 600)
    assert r.as_json()["closed_units"] == ["P-DUONGKINH"]
    # without the period, as before: the unit is just one more ward without figures
    assert evaluate(p25, p25.indicator("CT02"), ward_figures(WARDS)).missing_units == ("P-DUONGKINH",)


def test_a_unit_active_part_of_the_period_is_expected(p25):
    r = evaluate(p25, p25.indicator("CT02"), ward_figures(WARDS), "2025-Y")
    assert r.closed_units == () and r.missing_units == ("P-DUONGKINH",) and r.status == THIEU
    assert "closed_units" not in r.as_json()


def test_a_unit_closed_before_the_period_is_left_out_of_counts(p25):
    p26 = edit.next_year(p25)
    assert not p26.has_unit("P-ANHDUNG")
    p = edit.close_unit(p25, "P-HUNGDAO", date(2025, 1, 1))
    values = {(w, "tt_so_hinh_thuc"): 1 for w in [*WARDS, "P-DUONGKINH"] if w != "P-HUNGDAO"}
    r = evaluate(p, p.indicator("CT01"), values, "2025-H1")
    assert set(r.closed_units) == {"P-HUNGDAO", "P-DUONGKINH"}
    assert (r.numerator, r.denominator, r.status) == (5, 5, DAT)
    parts = {c.unit: c for c in contributions(p, p.indicator("CT01"), values, "2025-H1")}
    assert parts["P-HUNGDAO"].closed and not parts["P-HUNGDAO"].missing and parts["P-HUNGDAO"].numerator is None


def test_a_count_target_is_met_by_the_numerator_itself(p25):
    ind = p25.indicator("CT07")
    below = evaluate(p25, ind, {("VHTT", "cskd_duoc_kiem_tra"): 4, ("VHTT", "cskd_tong"): 1000}, "2025-H1")
    assert (below.status, below.value, below.value_display, below.target_display) == (CHUA_DAT, 4, "4", "≥ 5")
    at = evaluate(p25, ind, {("VHTT", "cskd_duoc_kiem_tra"): 5, ("VHTT", "cskd_tong"): 1000}, "2025-H1")
    assert at.status == DAT and at.as_json()["value"] == 5 and at.as_json()["target_kind"] == "count"
    assert at.value == Fraction(5)
    missing = evaluate(p25, ind, {}, "2025-H1")
    assert missing.status == THIEU and missing.missing_units == ("VHTT",)
    assert missing.value is None and missing.value_display == "" and missing.fraction_display == "—"


def test_the_overview_and_completeness_say_closed(tmp_path, p25):
    from dkdesk.catalogue.plan_dump import dump_plan
    from dkdesk.core.desk import Desk
    from dkdesk.indicators.overview import compute_overview, period_completeness

    db = tmp_path / "d.sqlite"
    with Desk.open(db) as desk:
        desk.add_plan(dump_plan(p25))
    with Desk.open(db) as desk:
        for w in WARDS:
            desk.set_values(w, "2025-H1", {"nld_cskd_tong": 100, "nld_cskd_duoc_tt": 70})
        ct02 = next(r for r in compute_overview(desk, "2025-H1").indicators if r.code == "CT02")
        assert ct02.status == DAT and ct02.closed_units == ("P-DUONGKINH",)
        done = period_completeness(desk, "2025-H1", today=date(2025, 7, 1))
        assert done.closed == ("P-DUONGKINH",) and "P-DUONGKINH" not in done.missing
        assert set(WARDS) <= set(done.reported)
        assert "P-DUONGKINH" in period_completeness(desk, "2025-Y").missing


def test_screens_say_why_a_unit_is_not_expected(p25):
    assert p25.closed_note("P-DUONGKINH", "2025-H1") == "chưa thành lập (hoạt động từ 01/07/2025)"
    assert p25.closed_note("P-DUONGKINH", "2025-Y") == ""
    p = edit.close_unit(p25, "CA", date(2025, 1, 1))
    assert p.closed_note("CA", "2025-H1") == "đã ngừng hoạt động từ 01/01/2025"


def test_no_figure_is_stored_for_a_unit_in_a_period_it_does_not_exist_in(tmp_path, p25):
    from dkdesk.catalogue.plan_dump import dump_plan
    from dkdesk.core.desk import Desk, Refused

    db = tmp_path / "d.sqlite"
    with Desk.open(db) as desk:
        desk.add_plan(dump_plan(p25))
    with Desk.open(db) as desk:
        with pytest.raises(Refused, match="chưa thành lập .*không có số liệu kỳ 6 tháng đầu năm 2025"):
            desk.set_values("P-DUONGKINH", "2025-H1", {"tt_so_buoi": 1})
        assert desk.get_values("P-DUONGKINH", "2025-H1").values == {}
        desk.set_values("P-DUONGKINH", "2025-Y", {"tt_so_buoi": 1})  # active in the second half
        assert desk.get_values("P-DUONGKINH", "2025-Y").values == {"tt_so_buoi": 1}


def test_a_file_for_a_unit_in_a_period_it_did_not_exist_in_is_refused(tmp_path, p25):
    from dkdesk.catalogue.plan_dump import dump_plan
    from dkdesk.core.desk import Desk
    from dkdesk.exchange import importer as I
    from dkdesk.exchange import reader as R
    from dkdesk.exchange.template import write_template

    db = tmp_path / "d.sqlite"
    with Desk.open(db) as desk:
        desk.add_plan(dump_plan(p25))
    path = write_template(p25, "P-DUONGKINH", "2025-H1", tmp_path / "p-duongkinh-2025-h1.xlsx",
                          {"tt_so_buoi": 3})
    with Desk.open(db) as desk:
        [p] = I.preview(desk, [path])
        assert p.status == R.REJECTED
        assert "chưa thành lập (hoạt động từ 01/07/2025): không nhận số liệu 6 tháng đầu năm 2025" \
            in p.errors[0].message
        assert desk.get_values("P-DUONGKINH", "2025-H1").values == {}


def test_every_units_templates_leave_out_a_unit_not_existing_in_the_period(tmp_path, p25):
    from dkdesk.exchange.template import write_all_templates

    h1 = {p.name for p in write_all_templates(p25, "2025-H1", tmp_path / "h1")}
    year = {p.name for p in write_all_templates(p25, "2025-Y", tmp_path / "y")}
    assert len(year) == len(p25.units) and len(h1) == len(p25.units) - 1
    assert not any("DUONGKINH" in n for n in h1) and any("DUONGKINH" in n for n in year)
