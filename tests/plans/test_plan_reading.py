"""A stored plan is read from its text once per process, and read again whenever that text changes;
the plan file's own plan is not read again from its copy in the database."""
from __future__ import annotations

import dataclasses
import sqlite3

import pytest

from dkdesk.catalogue import plan_edit as edit
from dkdesk.catalogue.loader import load_plan, load_plan_text
from dkdesk.catalogue.plan_dump import dump_plan
from dkdesk.core.desk import Desk, Refused
from dkdesk.indicators.compare import year_over_year
from tests.conftest import PLAN_PATH


def store_2025(db_path, plan) -> str:
    with Desk.open(db_path, plan_path=PLAN_PATH) as desk:
        text = dump_plan(edit.set_target(edit.next_year(plan), "CT02", 75))
        desk.add_plan(text)
        desk.set_values("YT", "2024-H1", {"tt_so_buoi": 4})
    return text


def test_a_stored_plan_is_the_plan_of_its_text_read_once_and_again_after_a_change(db_path, plan):
    text = store_2025(db_path, plan)
    with Desk.open(db_path) as first:
        assert first.plan.info.code == "duong-kinh-2025"
        assert first.plan == load_plan_text(text)  # what reading the stored text gives, field for field
    with Desk.open(db_path) as second:
        assert second.plan is first.plan  # the same text is not parsed and checked again
        changed = dump_plan(edit.set_target(second.plan, "CT02", 80))
        second.add_plan(changed)  # no figure under 2025 yet: replaced
        assert second.plan.indicator("CT02").target == 80
    with Desk.open(db_path) as third:
        assert third.plan is not first.plan
        assert third.plan == load_plan_text(changed) and third.plan.indicator("CT02").target == 80


def test_a_stored_text_damaged_after_a_good_read_is_still_refused(db_path, plan):
    text = store_2025(db_path, plan)
    with Desk.open(db_path) as desk:
        assert desk.plan.indicator("CT02").target == 75
    bad = text.replace('code = "CT02"', 'code = "CT02"\nkhong_co = 1', 1)
    assert bad != text
    with sqlite3.connect(db_path) as con:
        con.execute("UPDATE plans SET source = ? WHERE code = 'duong-kinh-2025'", (bad,))
    with pytest.raises(Refused, match='kế hoạch "duong-kinh-2025" \\(lưu trong cơ sở dữ liệu\\)'):
        Desk.open(db_path)
    with Desk.open(db_path, plan="duong-kinh-2024") as desk, pytest.raises(Refused, match="khong_co"):
        desk.stored_plan("duong-kinh-2025")


def test_the_plan_files_own_plan_is_taken_as_read_from_the_file(db_path, plan):
    store_2025(db_path, plan)
    with Desk.open(db_path) as desk:
        previous = desk.stored_plan("duong-kinh-2024")
        assert previous == load_plan(PLAN_PATH)  # the file's plan, its source the file
        from_text = load_plan_text(desk.plan_source("duong-kinh-2024"))
        assert previous == dataclasses.replace(from_text, source=previous.source)
        yoy = year_over_year(desk, "2025-H1")
        assert yoy is not None and yoy.previous_plan == "duong-kinh-2024" and yoy.previous_period == "2024-H1"
        assert yoy.result("CT01") is not None
        with Desk.open(db_path, plan="duong-kinh-2024") as d24:
            assert d24.plan == previous
