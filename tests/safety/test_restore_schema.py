"""Restore checks the whole schema first (tables, columns, indexes, audit triggers of the file's
revision, as this version's migrations make them); a refused restore leaves the live database
file byte-identical, and a restore whose new contents fail to open puts the old ones back.

"Byte-identical" with WAL: committed data lives in the main file plus the -wal file. The CLI
tests start with every connection closed (so SQLite has checkpointed and removed the -wal)
and compare the main file's SHA-256 and the list of side files after the refused command
(whose own connections are closed again): any write would show in the main file. The in-process
test keeps the desk open with a non-empty -wal and compares both files (-shm is shared memory,
rewritten by mere readers, and is left out).
"""
from __future__ import annotations

import hashlib
import sqlite3
import sys
from pathlib import Path

import pytest

from dkdesk.cli.main import main
from dkdesk.core.desk import Desk, Refused
from dkdesk.safety import backup, restore
from dkdesk.storage import database
from dkdesk.storage.models import Base
from tests.conftest import PLAN_PATH, fill_unit

UNIT, PERIOD = "P-ANHDUNG", "2024-H1"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _sha(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _files(db_path: Path) -> dict[str, str | None]:
    """SHA-256 of the database and its -wal (None: absent)."""
    return {s: _sha(db_path.with_name(db_path.name + s)) for s in ("", "-wal")}


def _broken_copy(desk: Desk, tmp: Path, name: str, *sql: str) -> Path:
    p = backup.make_backup(desk, "mau", target=tmp / f"{name}.sqlite")
    con = sqlite3.connect(p)
    con.execute("PRAGMA journal_mode=DELETE")
    for statement in sql:
        con.execute(statement)
    con.commit()
    con.execute("VACUUM")
    con.close()
    return p


def _stub(desk: Desk, tmp: Path) -> Path:
    """Only ``meta`` and ``alembic_version``, as a dkdesk file would have them."""
    p = tmp / "chi-co-meta.sqlite"
    con = sqlite3.connect(p)
    con.execute('CREATE TABLE meta ("key" VARCHAR(64) NOT NULL PRIMARY KEY, value TEXT NOT NULL)')
    con.execute("INSERT INTO meta VALUES ('application', 'dkdesk'), ('created_at', '2026-11-30T08:00:00')")
    con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
    con.execute("INSERT INTO alembic_version VALUES (?)", (database.head_revision(),))
    con.commit()
    con.close()
    return p


BROKEN = {
    "thieu-bang": (lambda d, t: _broken_copy(d, t, "thieu-bang", "DROP TABLE reports"), ["thiếu bảng reports"]),
    "thieu-cot": (lambda d, t: _broken_copy(d, t, "thieu-cot", "ALTER TABLE audit_log DROP COLUMN note"),
                  ["bảng audit_log thiếu cột note"]),
    "thieu-trigger": (lambda d, t: _broken_copy(d, t, "thieu-trigger", "DROP TRIGGER audit_log_no_delete"),
                      ["thiếu trigger audit_log_no_delete"]),
    "sai-kieu": (lambda d, t: _broken_copy(d, t, "sai-kieu", "ALTER TABLE field_values DROP COLUMN int_value",
                                           "ALTER TABLE field_values ADD COLUMN int_value TEXT"),
                 ["cột field_values.int_value có kiểu TEXT thay vì INTEGER"]),
    "chi-meta": (_stub, ["thiếu bảng plans", "thiếu bảng field_values", "thiếu bảng audit_log",
                         "thiếu trigger audit_log_no_update"]),
}


@pytest.mark.parametrize("kind", list(BROKEN))
def test_cli_restore_of_an_incomplete_dkdesk_database_is_refused_and_the_file_stays_byte_identical(
        desk, db_path, tmp_path, kind, capsys):
    fill_unit(desk, UNIT, PERIOD, {"tt_so_buoi": 12})
    make, expected = BROKEN[kind]
    bad = make(desk, tmp_path)
    desk.close()
    before = _files(db_path)
    assert before["-wal"] is None  # everything committed is in the main file
    backups_before = backup.list_backups(db_path.parent / "backups")
    args = ["--db", str(db_path), "--plan", str(PLAN_PATH)]
    assert main([*args, "restore", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "lược đồ không đầy đủ hoặc không đúng" in err and "Không có gì thay đổi" in err
    for phrase in expected:
        assert phrase in err
    assert "Traceback" not in err and "sqlite" not in err.lower().replace(".sqlite", "")
    assert _files(db_path) == before
    assert backup.list_backups(db_path.parent / "backups") == backups_before
    assert main([*args, "values", "--unit", UNIT, "--period", PERIOD, "--json"]) == 0  # still works
    assert '"tt_so_buoi": 12' in capsys.readouterr().out


def test_refused_restore_with_the_desk_open_leaves_database_and_wal_byte_identical(desk, db_path, tmp_path):
    fill_unit(desk, UNIT, PERIOD, {"tt_so_buoi": 3})
    bad = BROKEN["thieu-cot"][0](desk, tmp_path)
    desk.set_values(UNIT, PERIOD, {"tt_so_buoi": 4})  # a committed change still in the -wal
    before = _files(db_path)
    assert before["-wal"] is not None
    with pytest.raises(Refused, match="bảng audit_log thiếu cột note"):
        restore.restore(desk, bad)
    assert _files(db_path) == before
    assert desk.get_values(UNIT, PERIOD).values["tt_so_buoi"] == 4


def test_the_released_older_schema_is_still_accepted():
    info = restore.check_restore_file(FIXTURES / "schema-0001.sqlite")
    assert info.revision == "0001" and info.n_values > 300


def test_expected_schema_comes_from_the_migrations_and_matches_the_models():
    """One source: the migrations' schema is what the models describe (tables, columns, types)."""
    from sqlalchemy import create_engine

    from dkdesk.safety import schema

    head = schema.expected_schema(database.head_revision())
    assert {"audit_log_no_update", "audit_log_no_delete"} <= set(head.triggers)
    engine = create_engine("sqlite://")
    try:
        Base.metadata.create_all(engine)
        with engine.connect() as conn:
            models = schema.read_schema(conn.connection.dbapi_connection)
    finally:
        engine.dispose()
    assert {t: c for t, c in head.tables.items() if t != "alembic_version"} == models.tables
    assert schema.schema_problems(models, head) == [
        "thiếu bảng alembic_version",
        "thiếu trigger audit_log_no_update (giữ nhật ký audit_log chỉ được ghi thêm)",
        "thiếu trigger audit_log_no_delete (giữ nhật ký audit_log chỉ được ghi thêm)",
    ]


def test_a_restore_that_fails_to_reopen_puts_the_previous_data_back(desk, db_path, tmp_path, monkeypatch, capsys):
    fill_unit(desk, UNIT, PERIOD, {"tt_so_buoi": 5})
    saved = backup.make_backup(desk, "thu-cong")
    desk.set_values(UNIT, PERIOD, {"tt_so_buoi": 99})
    real_reopen = Desk.reopen
    calls = []

    def reopen_fails_once(self):  # noqa: ANN001 - e.g. a migration that breaks on the new contents
        calls.append(1)
        if len(calls) == 1:
            raise database.DatabaseError("Nâng cấp cơ sở dữ liệu thất bại, không có gì thay đổi: lỗi thử")
        real_reopen(self)

    monkeypatch.setattr(Desk, "reopen", reopen_fails_once)
    with pytest.raises(Refused, match="đã được đặt lại từ bản sao dkdesk-.*truoc-khoi-phuc"):
        restore.restore(desk, saved)
    assert desk.get_values(UNIT, PERIOD).values["tt_so_buoi"] == 99  # the previous data is back
    desk.set_values(UNIT, PERIOD, {"tt_so_buoi": 98})  # and the desk still writes
    monkeypatch.setattr(Desk, "reopen", real_reopen)
    [kept] = [b.path for b in backup.backup_infos(db_path.parent / "backups") if b.reason == "truoc-khoi-phuc"]
    desk.close()
    args = ["--db", str(db_path), "--plan", str(PLAN_PATH)]
    assert main([*args, "restore", str(kept)]) == 0  # the kept copy restores afterwards
    capsys.readouterr()
    assert main([*args, "values", "--unit", UNIT, "--period", PERIOD, "--json"]) == 0
    assert '"tt_so_buoi": 99' in capsys.readouterr().out


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))
