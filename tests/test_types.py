"""The type checker runs with the tests: mypy over src/dkdesk with the settings in pyproject.toml.

The GUI is checked too (a few screens with some Qt error codes switched off, listed in
pyproject.toml). A new type error fails this test with mypy's own report.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_finds_no_error():
    r = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml")],
                       cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, (r.stdout + r.stderr)[-4000:]
    assert "Success" in r.stdout
