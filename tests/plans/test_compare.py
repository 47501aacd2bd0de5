"""Year over year across plans: last year's figures mapped through the successor links."""
from __future__ import annotations

from datetime import date

import pytest

from dkdesk.catalogue import plan_edit as edit
from dkdesk.catalogue.plan_dump import dump_plan
from dkdesk.core.desk import Desk
from dkdesk.indicators.compare import fold, year_over_year
from dkdesk.indicators.engine import CHUA_DAT, DAT, THIEU
from dkdesk.indicators.overview import overview_page
from tests.conftest import WARDS


def make_2025(plan):
    p = edit.next_year(plan)
    p = edit.merge_units(p, WARDS[:3], "P-DUONGKINH", "Ủy ban nhân dân phường Dương Kinh", date(2025, 7, 1),
                         short_name="P. Dương Kinh")
    p = edit.merge_units(p, WARDS[3:], "P-HUNGDAO", "Ủy ban nhân dân phường Hưng Đạo", date(2025, 7, 1),
                         short_name="P. Hưng Đạo")
    return edit.close_unit(p, "CA", date(2025, 3, 1))


@pytest.fixture
def two_years(db_path, plan):
    with Desk.open(db_path) as desk:
        for i, w in enumerate(WARDS):  # CT02 last year: reached 10, 20 ... 60 of 100 each
            desk.set_values(w, "2024-Y", {"nld_cskd_tong": 100, "nld_cskd_duoc_tt": 10 * (i + 1),
                                          "kh_da_ban_hanh": i != 1})
        desk.set_values("VHTT", "2024-Y", {"cskd_tong": 40, "cskd_duoc_kiem_tra": 6})
        desk.add_plan(dump_plan(make_2025(plan)))
    with Desk.open(db_path) as desk:
        yield desk


def test_a_successor_carries_its_predecessors_figures_and_says_so(two_years):
    yoy = year_over_year(two_years, "2025-Y")
    assert (yoy.previous_plan, yoy.previous_period, yoy.previous_period_name) == (
        "duong-kinh-2024", "2024-Y", "Năm 2024")
    assert yoy.folded == {"P-DUONGKINH": ("P-ANHDUNG", "P-DAPHUC", "P-HAITHANH"),
                          "P-HUNGDAO": ("P-HOANGHIA", "P-TANTHANH")}
    ct02 = yoy.result("CT02")
    assert (ct02.numerator, ct02.denominator, ct02.status) == (210, 600, CHUA_DAT)
    assert set(ct02.closed_units) == set(WARDS) - {"P-HUNGDAO"} and ct02.missing_units == ()
    note = yoy.note("CT02")
    assert note.startswith("P. Dương Kinh gồm số liệu năm trước của ")
    assert "P. Hưng Đạo gồm số liệu năm trước của" in note
    assert yoy.note("CT07") == ""  # VHTT is no successor of anyone
    assert yoy.result("CT07").numerator == 6
    js = yoy.previous_json("CT02")
    assert js["plan"] == "duong-kinh-2024" and js["value"] == 35.0 and js["note"] == note
    assert js["units_added"]["P-DUONGKINH"] == ["P-ANHDUNG", "P-DAPHUC", "P-HAITHANH"]
    assert yoy.previous_json("CT07")["units_added"] == {}


def test_yes_no_fields_hold_for_a_successor_only_when_they_held_for_all(two_years, plan):
    this = two_years.plan
    values = {(w, "kh_da_ban_hanh"): w != "P-DAPHUC" for w in WARDS}
    mapped, _ = fold(this, plan, "2025-Y", values)
    assert mapped[("P-DUONGKINH", "kh_da_ban_hanh")] is False
    assert mapped[("P-HUNGDAO", "kh_da_ban_hanh")] is True
    assert ("P-ANHDUNG", "kh_da_ban_hanh") not in mapped


def test_the_first_half_compares_unit_by_unit_while_the_old_wards_still_exist(two_years):
    with Desk.open(two_years.sqlite_path, plan="duong-kinh-2024") as d24:
        for w in WARDS:
            d24.set_values(w, "2024-H1", {"nld_cskd_tong": 50, "nld_cskd_duoc_tt": 40})
    yoy = year_over_year(two_years, "2025-H1")
    assert yoy.previous_period == "2024-H1" and yoy.folded == {}
    ct02 = yoy.result("CT02")
    assert ct02.closed_units == ("P-DUONGKINH",)
    assert (ct02.numerator, ct02.denominator, ct02.status) == (240, 300, DAT)
    assert yoy.result("CT03").status == THIEU  # nothing was entered for GDDT last year


def test_the_overview_page_carries_the_comparison_only_when_there_is_a_previous_plan(two_years, desk):
    page = overview_page(two_years, "2025-Y")
    assert page.year_over_year is not None and page.year_over_year.result("CT02").numerator == 210
    assert overview_page(desk, "2024-Y").year_over_year is None  # the 2024 plan follows none
