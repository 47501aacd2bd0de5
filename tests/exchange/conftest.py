"""Fixtures for the Excel exchange tests (helpers live in ``xlhelpers``)."""
from __future__ import annotations

from pathlib import Path

import pytest
from xlhelpers import fill_with_openpyxl, valid_values


@pytest.fixture
def template_path(tmp_path: Path, plan) -> Path:
    from dkdesk.exchange.template import write_template

    return write_template(plan, "P-HUNGDAO", "2024-H1", tmp_path / "mau.xlsx")


@pytest.fixture
def filled_path(tmp_path: Path, plan, template_path: Path) -> Path:
    return fill_with_openpyxl(template_path, tmp_path / "filled.xlsx", valid_values(plan, "P-HUNGDAO"))
