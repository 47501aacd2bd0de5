"""Shared fixtures: a fresh database per test, the real plan, small helpers.

Area-specific fixtures live in the test modules (or a conftest.py in a sub-folder).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
PLAN_PATH = ROOT / "resources" / "plans" / "duong-kinh-2024.toml"
WARDS = ["P-ANHDUNG", "P-DAPHUC", "P-HAITHANH", "P-HOANGHIA", "P-HUNGDAO", "P-TANTHANH"]


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read or write the developer's own settings or data folder. The settings remember
    2024-H1 as the working period (as if the person had worked on it last time), so that what a
    screen starts on does not depend on the day the suite runs (a first run's choice does)."""
    home = tmp_path_factory.mktemp("home")
    (home / "settings.json").write_text('{"last_period": "2024-H1"}', encoding="utf-8")
    monkeypatch.setenv("DKDESK_SETTINGS", str(home / "settings.json"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.delenv("DKDESK_DB", raising=False)
    monkeypatch.setenv("DKDESK_USER", "Người kiểm thử")


@pytest.fixture(scope="session")
def plan():
    from dkdesk.catalogue.loader import load_plan

    return load_plan(PLAN_PATH)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "dkdesk.sqlite"


@pytest.fixture
def desk(db_path: Path):
    from dkdesk.core.desk import Desk

    d = Desk.open(db_path, plan_path=PLAN_PATH, who="Người kiểm thử")
    yield d
    d.close()


def values_for(desk, unit: str, overrides: dict | None = None) -> dict:
    """A complete, valid set of values for a unit (parts half of their totals), not stored."""
    values: dict[str, object] = {}
    for f in desk.plan.form_fields(unit):
        if f.type == "int":
            values[f.code] = 40 if f.part_of is None else 20
        elif f.type == "bool":
            values[f.code] = True
        else:
            values[f.code] = f"Nội dung {f.label.lower()} của {unit}"
    values.update(overrides or {})
    return values


def fill_unit(desk, unit: str, period: str, overrides: dict | None = None) -> dict:
    """Store ``values_for(desk, unit, overrides)`` for a unit and period."""
    values = values_for(desk, unit, overrides)
    desk.set_values(unit, period, values)
    return values


@pytest.fixture(autouse=True)
def _background_worker_idle_after_each_test():
    """A test must not leave work on the single background worker for the next test."""
    yield
    import sys

    tasks = sys.modules.get("dkdesk.gui.tasks")
    if tasks is not None and tasks._pool is not None:
        assert tasks.wait_idle(30000), "background work still running 30 s after the test ended"
