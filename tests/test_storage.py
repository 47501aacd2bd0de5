"""Opening databases: creation, migration of an existing one, pragmas, refusals."""
from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from dkdesk.core.desk import Desk
from dkdesk.storage import database
from tests.conftest import PLAN_PATH


def test_new_database_is_created_at_head_with_pragmas(db_path):
    with Desk.open(db_path, plan_path=PLAN_PATH) as desk:
        assert database.current_revision(desk.engine) == database.head_revision()
        with desk.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.execute(text("SELECT value FROM meta WHERE key='application'")).scalar() == "dkdesk"
            assert conn.execute(text("SELECT count(*) FROM units")).scalar() == 20


def test_existing_database_opens_again_without_losing_values(db_path):
    with Desk.open(db_path, plan_path=PLAN_PATH) as desk:
        desk.set_values("CA", "2024-H1", {"tin_bao_tiep_nhan": "12", "tin_bao_xu_ly_kip_thoi": "12"})
    with Desk.open(db_path, plan_path=PLAN_PATH) as desk:
        assert database.migrate(desk.engine) is False  # nothing left to apply
        assert desk.get_values("CA", "2024-H1").values == {"tin_bao_tiep_nhan": 12, "tin_bao_xu_ly_kip_thoi": 12}


def test_migration_upgrades_an_older_database_and_backs_it_up_first(db_path, monkeypatch):
    """A database stamped at an older revision is backed up, then upgraded in place."""
    with Desk.open(db_path, plan_path=PLAN_PATH) as desk:
        desk.set_values("GDDT", "2024-H1", {"hs_tong": "1.500"})
    # make it the file a release whose newest migration was 0001 wrote (0002 only added columns):
    # the real upgrade path
    from alembic.script import ScriptDirectory

    real_head = database.head_revision()
    con = sqlite3.connect(db_path)
    con.execute("UPDATE alembic_version SET version_num='0001'")
    for table, column in (("plans", "source"), ("plans", "previous_code"), ("units", "active_from"),
                          ("units", "active_to"), ("units", "successor_code")):
        con.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    con.commit()
    con.close()
    if real_head == "0001":
        pytest.skip("only one revision so far: the upgrade path is exercised once 0002 exists")
    with Desk.open(db_path, plan_path=PLAN_PATH) as desk:
        assert database.current_revision(desk.engine) == real_head
        assert desk.get_values("GDDT", "2024-H1").values["hs_tong"] == 1500
    backups = list((db_path.parent / "backups").glob("*truoc-nang-cap-0001*.sqlite"))
    assert backups, "no backup before migration"
    assert ScriptDirectory  # imported for the skip message's sake


def test_foreign_sqlite_file_is_refused_untouched(tmp_path):
    path = tmp_path / "other.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE customers (id INTEGER)")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(database.DatabaseError, match="không phải cơ sở dữ liệu dkdesk"):
        Desk.open(path, plan_path=PLAN_PATH)
    assert path.read_bytes() == before


def test_newer_schema_is_refused(db_path):
    Desk.open(db_path, plan_path=PLAN_PATH).close()
    con = sqlite3.connect(db_path)
    con.execute("UPDATE alembic_version SET version_num='9999_future'")
    con.commit()
    con.close()
    with pytest.raises(database.DatabaseError, match="phiên bản dkdesk mới hơn"):
        Desk.open(db_path, plan_path=PLAN_PATH)


def test_missing_folder_is_a_clear_refusal(tmp_path):
    with pytest.raises(database.DatabaseError, match="không tồn tại"):
        Desk.open(tmp_path / "nowhere" / "x.sqlite", plan_path=PLAN_PATH)


def test_url_resolution(tmp_path):
    assert database.resolve_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database.resolve_url(tmp_path / "a.sqlite") == f"sqlite:///{tmp_path / 'a.sqlite'}"


def test_audit_log_refuses_update_and_delete(desk):
    desk.set_values("CA", "2024-H1", {"tin_bao_tiep_nhan": "3"})
    from sqlalchemy.exc import DatabaseError as SADatabaseError

    for stmt in ("UPDATE audit_log SET who='x'", "DELETE FROM audit_log"):
        with pytest.raises(SADatabaseError, match="append-only"):
            with desk.write() as s:
                s.execute(text(stmt))
    assert len(desk.history(unit="CA")) == 1


def test_plan_changes_never_delete_rows(tmp_path):
    """A unit that leaves the plan is marked inactive; its figures stay in the database."""
    db = tmp_path / "d.sqlite"
    with Desk.open(db, plan_path=PLAN_PATH) as desk:
        desk.set_values("HCCB", "2024-H1", {"cbcc_lien_quan": "4"})
    raw = PLAN_PATH.read_text(encoding="utf-8")
    start = raw.index('code = "HCCB"')
    block_start = raw.rindex("[[units]]", 0, start)
    block_end = raw.index("[[units]]", start)
    smaller = tmp_path / "plan.toml"
    smaller.write_text(raw[:block_start] + raw[block_end:], encoding="utf-8")
    with Desk.open(db, plan_path=smaller) as desk:
        assert not desk.plan.has_unit("HCCB")
    con = sqlite3.connect(db)
    assert con.execute("SELECT active FROM units WHERE code='HCCB'").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM field_values").fetchone() == (1,)
    con.close()
