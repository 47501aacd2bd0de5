"""Fixtures of the safety tests: the shared database fixtures and a few helpers."""
from __future__ import annotations

from tests.safety.db_fixtures import any_db_url, any_desk, pg_admin_url, pg_url  # noqa: F401 - fixtures
