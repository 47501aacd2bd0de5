"""Plan files with several years: units over time, successors, count targets, dump round trip."""
from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from dkdesk.catalogue.loader import PlanError, load_plan_text
from dkdesk.catalogue.plan_dump import dump_plan
from tests.conftest import PLAN_PATH, WARDS


def same(a, b) -> bool:
    """Equal plans, wherever they were read from."""
    return dataclasses.replace(a, source="", digest="") == dataclasses.replace(b, source="", digest="")


def test_the_bundled_plan_survives_dump_and_load(plan):
    text = dump_plan(plan)
    again = load_plan_text(text, name="dump.toml")
    assert same(again, plan)
    assert again.forms == plan.forms and again.units == plan.units
    assert dump_plan(again) == text


def _text(plan, old: str, new: str) -> str:
    text = PLAN_PATH.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


UNIT_CA = 'code = "CA"\nname = "Công an quận"\n'


def test_units_over_time_and_successors_load_and_round_trip(plan):
    text = PLAN_PATH.read_text(encoding="utf-8")
    text = text.replace(UNIT_CA, UNIT_CA + "active_to = 2024-03-31\n", 1)
    text = text.replace('consolidator = "LDTBXH"\n', 'consolidator = "LDTBXH"\nprevious = "duong-kinh-2023"\n', 1)
    for w in WARDS[:3]:
        text = text.replace(f'code = "{w}"\n', f'code = "{w}"\nactive_to = 2024-06-30\nsuccessor = "P-HUNGDAO"\n', 1)
    p = load_plan_text(text)
    assert p.info.previous == "duong-kinh-2023"
    assert p.unit("CA").active_to == date(2024, 3, 31)
    assert p.unit_active("CA", "2024-H1") and p.unit_active("CA", "2024-Y")
    assert p.predecessors("P-HUNGDAO") == tuple(WARDS[:3])
    assert p.predecessors("CA") == ()
    assert same(load_plan_text(dump_plan(p)), p)


def test_a_unit_closed_before_a_period_is_not_active_in_it(plan):
    text = PLAN_PATH.read_text(encoding="utf-8").replace(UNIT_CA, UNIT_CA + "active_to = 2023-12-31\n", 1)
    text = text.replace('code = "P-HUNGDAO"\n', 'code = "P-HUNGDAO"\nactive_from = 2024-07-01\n', 1)
    p = load_plan_text(text)
    assert not p.unit_active("CA", "2024-H1")
    assert not p.unit_active("P-HUNGDAO", "2024-H1") and p.unit_active("P-HUNGDAO", "2024-Y")
    assert [u.code for u in p.closed_units("2024-H1")] == ["CA", "P-HUNGDAO"]
    assert "CA" not in {u.code for u in p.active_units("2024-Y")}


@pytest.mark.parametrize("old,new,expect", [
    ('code = "P-HUNGDAO"\n', 'code = "P-HUNGDAO"\nsuccessor = "P-DAPHUC"\n', "cần active_to"),
    ('code = "P-HUNGDAO"\n', 'code = "P-HUNGDAO"\nactive_to = 2024-06-30\nsuccessor = "P-KHONGCO"\n',
     'successor "P-KHONGCO" không phải mã đơn vị'),
    ('code = "P-HUNGDAO"\n', 'code = "P-HUNGDAO"\nactive_to = 2024-06-30\nsuccessor = "P-HUNGDAO"\n',
     "chính đơn vị"),
    ('code = "P-HUNGDAO"\n', 'code = "P-HUNGDAO"\nactive_from = 2024-07-01\nactive_to = 2024-06-30\n',
     "trước active_from"),
    ('consolidator = "LDTBXH"\n', 'consolidator = "LDTBXH"\nprevious = "duong-kinh-2024"\n', "trùng mã"),
    ('code = "CT01"\n', 'code = "CT01"\ntarget_kind = "tyle"\n', 'target_kind "tyle" không hợp lệ'),
    ('code = "P-HUNGDAO"\n', 'code = "P-HUNGDAO"\nactive_to = "30/06/2024"\n', 'khóa "active_to" sai kiểu'),
])
def test_the_loader_refuses_bad_unit_dates_and_links(plan, old, new, expect):
    with pytest.raises(PlanError) as err:
        load_plan_text(_text(plan, old, new), name="kh.toml")
    assert expect in str(err.value) and str(err.value).startswith("kh.toml: ")


def test_successor_links_that_go_round_are_refused(plan):
    text = PLAN_PATH.read_text(encoding="utf-8")
    text = text.replace('code = "P-HUNGDAO"\n', 'code = "P-HUNGDAO"\nactive_to = 2024-06-30\nsuccessor = "P-DAPHUC"\n', 1)
    text = text.replace('code = "P-DAPHUC"\n', 'code = "P-DAPHUC"\nactive_to = 2024-06-30\nsuccessor = "P-HUNGDAO"\n', 1)
    with pytest.raises(PlanError, match="vòng lặp"):
        load_plan_text(text)


def test_a_count_target_needs_no_denominator(plan):
    ind = plan.indicator("CT01")
    text = PLAN_PATH.read_text(encoding="utf-8")
    start = text.index('code = "CT01"')
    block = text[start:text.index("[[indicators]]", start) if "[[indicators]]" in text[start:] else len(text)]
    den_line = next(line for line in block.splitlines() if line.startswith("denominator"))
    counted = block.replace(den_line + "\n", "").replace('code = "CT01"\n', 'code = "CT01"\ntarget_kind = "count"\n')
    p = load_plan_text(text.replace(block, counted, 1))
    assert p.indicator("CT01").target_kind == "count" and p.indicator("CT01").denominator == ""
    assert p.indicator("CT01").numerator == ind.numerator
    assert same(load_plan_text(dump_plan(p)), p)
    with pytest.raises(PlanError, match="cần mẫu số"):
        load_plan_text(text.replace(block, block.replace(den_line + "\n", ""), 1))
