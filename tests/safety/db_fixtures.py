"""Database fixtures others can reuse: ``pg_url`` (a fresh PostgreSQL database per test, skipped
when ``DKDESK_TEST_PG_URL`` is not set) and ``any_db_url`` (parametrised: a fresh SQLite file
and, when available, a fresh PostgreSQL database), ``any_desk`` (a Desk over ``any_db_url``).

Use them with ``from tests.safety.db_fixtures import any_db_url, any_desk, pg_admin_url, pg_url``
in a test module (scripts/test.sh starts a throwaway PostgreSQL and exports the URL). Not in a
``conftest.py`` of a sub-folder: a second module named ``conftest`` shadows tests/conftest.py for
the test modules that do ``from tests.conftest import ...``.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

PG_ENV = "DKDESK_TEST_PG_URL"
PLAN_PATH = Path(__file__).resolve().parents[2] / "resources" / "plans" / "duong-kinh-2024.toml"


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"không có PostgreSQL để kiểm thử: biến {PG_ENV} chưa đặt "
                    "(scripts/test.sh khởi động một máy chủ tạm và đặt biến này)")
    return url


@pytest.fixture
def pg_url(pg_admin_url: str):
    """A fresh, empty PostgreSQL database for one test (dropped afterwards)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"dkdesk_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(pg_admin_url).set(database=name).render_as_string(hide_password=False)
        yield url
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on a fresh SQLite file and on a fresh PostgreSQL database."""
    if request.param == "postgresql":
        return request.getfixturevalue("pg_url")
    return str(tmp_path / "dkdesk.sqlite")


@pytest.fixture
def any_desk(any_db_url: str):
    from dkdesk.core.desk import Desk

    desk = Desk.open(any_db_url, plan_path=PLAN_PATH, who="Người kiểm thử")
    yield desk
    desk.close()
