"""The audit log is append-only in the database itself: UPDATE, DELETE (and TRUNCATE on
PostgreSQL) are refused by triggers, whatever program connects."""
from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.conftest import fill_unit
from tests.safety.db_fixtures import any_db_url, any_desk, pg_admin_url, pg_url  # noqa: F401 - fixtures

STATEMENTS = {
    "update": "UPDATE audit_log SET new_value = 'sửa lén' WHERE id = (SELECT min(id) FROM audit_log)",
    "delete": "DELETE FROM audit_log",
    "update-all": "UPDATE audit_log SET who = 'ai đó'",
}


def _rows(desk) -> list[tuple]:
    with desk.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT id, who, new_value FROM audit_log ORDER BY id"))]


@pytest.mark.parametrize("verb", list(STATEMENTS))
def test_update_and_delete_on_the_audit_log_are_refused(any_desk, verb):
    fill_unit(any_desk, "CA", "2024-H1")
    before = _rows(any_desk)
    assert before
    with pytest.raises(DBAPIError, match="append-only"):
        with any_desk.engine.begin() as conn:
            conn.execute(text(STATEMENTS[verb]))
    assert _rows(any_desk) == before


def test_truncate_is_refused_on_postgresql(pg_url):
    from dkdesk.core.desk import Desk
    from tests.conftest import PLAN_PATH

    with Desk.open(pg_url, plan_path=PLAN_PATH) as desk:
        fill_unit(desk, "CA", "2024-H1")
        before = _rows(desk)
        with pytest.raises(DBAPIError, match="append-only"):
            with desk.engine.begin() as conn:
                conn.execute(text("TRUNCATE audit_log CASCADE"))
        assert _rows(desk) == before


def test_appending_still_works_and_every_change_is_there(any_desk):
    fill_unit(any_desk, "CA", "2024-H1")
    any_desk.set_values("CA", "2024-H1", {"tin_bao_tiep_nhan": 99})
    entries = any_desk.history(unit="CA", field="tin_bao_tiep_nhan")
    assert [e.new for e in entries][:1] == ["99"]
