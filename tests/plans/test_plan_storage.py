"""Several plans in one database: add, choose, read another plan's figures, upgrade from 0001."""
from __future__ import annotations

import shutil
import sqlite3
import sys
from datetime import date
from pathlib import Path

import pytest

from dkdesk.catalogue import plan_edit as edit
from dkdesk.catalogue.loader import PlanError
from dkdesk.catalogue.plan_dump import dump_plan
from dkdesk.core.desk import Desk, Refused
from dkdesk.storage import database
from tests.conftest import PLAN_PATH, WARDS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def plan_2025(plan):
    p = edit.next_year(plan)
    p = edit.merge_units(p, WARDS[:3], "P-DUONGKINH", "Ủy ban nhân dân phường Dương Kinh", date(2025, 7, 1))
    return edit.close_unit(p, "CA", date(2025, 3, 1))


def test_a_new_plan_is_stored_and_becomes_the_default(db_path, plan):
    with Desk.open(db_path) as desk:
        assert [p.code for p in desk.plans()] == ["duong-kinh-2024"]
        assert desk.plan_source("duong-kinh-2024") == PLAN_PATH.read_text(encoding="utf-8")
        text = dump_plan(plan_2025(plan))
        assert desk.add_plan(text) == "duong-kinh-2025"
        assert desk.plan.info.code == "duong-kinh-2024"  # the open desk keeps its plan
        assert desk.history(limit=1)[0].action == "plan_add"
    with Desk.open(db_path) as desk:
        assert desk.plan.info.code == "duong-kinh-2025"
        assert desk.plan.unit("CA").active_to == date(2025, 2, 28)
        assert desk.plan_source() == text
        summaries = {p.code: p for p in desk.plans()}
        assert summaries["duong-kinh-2025"].previous == "duong-kinh-2024"
        assert not summaries["duong-kinh-2025"].has_values
        desk.set_values("P-DUONGKINH", "2025-Y", {"tt_so_buoi": 7})
        assert {p.code: p.has_values for p in desk.plans()} == {"duong-kinh-2024": False, "duong-kinh-2025": True}
    with Desk.open(db_path, plan="duong-kinh-2024") as desk:
        assert desk.plan.info.code == "duong-kinh-2024" and not desk.plan.has_unit("P-DUONGKINH")
        assert desk.period_values("2025-Y", plan="duong-kinh-2025") == {("P-DUONGKINH", "tt_so_buoi"): 7}
        assert desk.period_values("2024-Y") == {}
        with pytest.raises(Refused, match='không có kỳ báo cáo "2024-Y"'):
            desk.period_values("2024-Y", plan="duong-kinh-2025")
    with pytest.raises(Refused, match='Không có kế hoạch mã "khong-co"'):
        Desk.open(db_path, plan="khong-co")


def test_a_stored_plan_is_replaced_only_while_it_has_no_figures(desk, plan):
    first = plan_2025(plan)
    desk.add_plan(dump_plan(first))
    n_audit = len(desk.history())
    assert desk.add_plan(dump_plan(first)) == "duong-kinh-2025"  # the same text again: nothing happens
    assert len(desk.history()) == n_audit
    second = edit.set_target(first, "CT02", 75)
    desk.add_plan(dump_plan(second))
    assert desk.history(limit=1)[0].action == "plan_replace"
    assert desk.stored_plan("duong-kinh-2025").indicator("CT02").target == 75
    with Desk.open(desk.sqlite_path, plan="duong-kinh-2025") as d25:
        d25.set_values("YT", "2025-H1", {"tt_so_buoi": 2})
    with pytest.raises(Refused, match="đã có số liệu"):
        desk.add_plan(dump_plan(edit.set_target(second, "CT02", 80)))
    assert desk.stored_plan("duong-kinh-2025").indicator("CT02").target == 75
    with pytest.raises(Refused, match="kế hoạch của tệp kế hoạch chương trình"):
        desk.add_plan(dump_plan(edit.set_target(plan, "CT02", 80)))


def test_a_bad_plan_text_is_refused_naming_the_place(desk, plan):
    text = dump_plan(plan_2025(plan)).replace('code = "P-DUONGKINH"', 'code = "P-DUONGKINH"\nsuccessor = "X"', 1)
    with pytest.raises(PlanError, match=r'^tệp kế hoạch: \[\[units\]\] thứ \d+ \(mã "P-DUONGKINH"\)'):
        desk.add_plan(text)
    assert [p.code for p in desk.plans()] == ["duong-kinh-2024"]


def test_a_2024_database_of_schema_0001_upgrades_with_every_figure(tmp_path, plan):
    sys.path.insert(0, str(FIXTURES))
    from make_fixture_db import expected_values

    db = tmp_path / "old.sqlite"
    shutil.copy(FIXTURES / "schema-0001.sqlite", db)
    with Desk.open(db) as desk:
        assert database.current_revision(desk.engine) == "0002" == database.head_revision()
        assert desk.plan_source() == PLAN_PATH.read_text(encoding="utf-8")  # filled in on the first open
        for (unit, period), values in expected_values(desk.plan).items():
            assert desk.get_values(unit, period).values == values, (unit, period)
        desk.add_plan(dump_plan(plan_2025(plan)))
    with Desk.open(db) as desk:
        assert desk.plan.info.code == "duong-kinh-2025"
        last_year = desk.period_values("2024-H1", plan="duong-kinh-2024")
    expected = {(u, f): v for (u, p), vals in expected_values(plan).items() if p == "2024-H1" for f, v in vals.items()}
    assert last_year == expected
    with sqlite3.connect(db) as con:
        row = con.execute("SELECT u.active_to, u.successor_code FROM units u JOIN plans p ON p.id = u.plan_id "
                          "WHERE p.code = 'duong-kinh-2025' AND u.code = 'P-ANHDUNG'").fetchone()
    assert row == ("2025-06-30", "P-DUONGKINH")


def test_the_journal_and_import_history_show_the_working_plans_own(db_path, plan):
    from dkdesk.core.records import ImportFile

    with Desk.open(db_path) as desk:
        desk.set_values("YT", "2024-H1", {"tt_so_buoi": 1})
        with desk.import_batch() as batch:
            batch.record([ImportFile("yt-2024.xlsx", "", "a" * 64, 1, "YT", "2024-H1", content=b"x")])
        desk.add_plan(dump_plan(plan_2025(plan)))
    with Desk.open(db_path) as desk:
        desk.set_values("YT", "2025-H1", {"tt_so_buoi": 2})
        with desk.import_batch() as batch:
            batch.record([ImportFile("yt-2025.xlsx", "", "b" * 64, 1, "YT", "2025-H1", content=b"y")])
        entries = desk.history()
        assert {e.period for e in entries if e.period} == {"2025-H1"}
        assert "plan_add" in {e.action for e in entries}  # an event on the whole database stays
        assert [r.file_name for r in desk.imports()] == ["yt-2025.xlsx"]
    with Desk.open(db_path, plan="duong-kinh-2024") as desk:
        assert {e.period for e in desk.history() if e.period} == {"2024-H1"}
        assert [r.file_name for r in desk.imports()] == ["yt-2024.xlsx"]
