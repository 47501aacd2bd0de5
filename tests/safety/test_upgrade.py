"""Upgrades: a database of each released schema (tests/fixtures/schema-*.sqlite) opens in the
current version with every value intact; a migration is preceded by a backup."""
from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from dkdesk.core.desk import Desk
from dkdesk.safety import backup, restore
from dkdesk.storage import database
from tests.conftest import PLAN_PATH

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
sys.path.insert(0, str(FIXTURES))
from make_fixture_db import expected_values  # noqa: E402

RELEASED = sorted(FIXTURES.glob("schema-*.sqlite"))


@pytest.fixture
def old_db(tmp_path: Path, request) -> Path:
    target = tmp_path / "dkdesk.sqlite"
    shutil.copy(request.param if hasattr(request, "param") else RELEASED[0], target)
    return target


def _assert_all_values_intact(desk: Desk) -> int:
    checked = 0
    for (unit, period), values in expected_values(desk.plan).items():
        assert desk.get_values(unit, period).values == values, (unit, period)
        checked += len(values)
    assert desk.status("CA", "2024-H1").status == "submitted"
    assert desk.status("P-ANHDUNG", "2024-H1").locked
    return checked


@pytest.mark.parametrize("old_db", RELEASED, indirect=True, ids=[p.stem for p in RELEASED])
def test_released_schema_opens_with_every_value_intact(old_db):
    with Desk.open(old_db, plan_path=PLAN_PATH) as desk:
        assert database.current_revision(desk.engine) == database.head_revision()
        assert _assert_all_values_intact(desk) > 300
        assert any(e.action == "lock" for e in desk.history(limit=50))  # the audit log came along


@pytest.fixture
def extra_migration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The current migrations plus one more revision (as a future release would ship)."""
    head = database.head_revision()
    folder = tmp_path / "migrations"
    shutil.copytree(database.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / "9001_kiem_thu.py").write_text(
        '"""Test-only revision: one harmless table."""\n'
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        f'revision = "9001"\ndown_revision = "{head}"\nbranch_labels = None\ndepends_on = None\n\n\n'
        "def upgrade() -> None:\n"
        '    op.create_table("kiem_thu_nang_cap", sa.Column("id", sa.Integer(), primary_key=True))\n\n\n'
        "def downgrade() -> None:\n    raise RuntimeError\n", encoding="utf-8")
    monkeypatch.setattr(database, "MIGRATIONS_DIR", folder)
    assert database.head_revision() == "9001"
    return head


def test_migration_backs_up_first_and_keeps_every_value(old_db, extra_migration):
    with Desk.open(old_db, plan_path=PLAN_PATH) as desk:
        assert database.current_revision(desk.engine) == "9001"
        _assert_all_values_intact(desk)
    [made] = backup.backup_infos(old_db.parent / "backups")
    assert made.reason_label == "Trước khi nâng cấp lược đồ"
    con = sqlite3.connect(made.path)
    try:  # the backup is the database as it was before the upgrade
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    finally:
        con.close()


def test_restoring_an_older_schema_upgrades_it(db_path, extra_migration):
    with Desk.open(db_path, plan_path=PLAN_PATH) as desk:
        info = restore.check_restore_file(RELEASED[0])
        assert info.needs_migration
        restore.restore(desk, RELEASED[0])
        assert database.current_revision(desk.engine) == "9001"
        _assert_all_values_intact(desk)
