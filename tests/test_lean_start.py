"""Opening the GUI loads no library it does not need yet (a quick start, see benchmarks/README.md).

Spreadsheet, Word and migration libraries are loaded when a person first uses them (export,
import, report, schema upgrade), not while the main window appears.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOT_AT_START = ("openpyxl", "docx", "alembic", "mako", "lxml", "PySide6.QtCharts", "psycopg")

CODE = """
import sys
from dkdesk.cli.main import main
code = main(["--db", sys.argv[1], "gui", "--smoke"])
heavy = sorted({m.split(".")[0] if not m.startswith("PySide6") else m for m in sys.modules
                if m.split(".")[0] in NOT or m in NOT})
print(" ".join(heavy))
sys.exit(code)
"""


def test_gui_start_over_an_existing_database_stays_lean(db_path: Path, tmp_path: Path) -> None:
    from dkdesk.core.desk import Desk

    Desk.open(db_path).close()  # an existing, up-to-date database (as on every day but the first)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "QT_QPA_PLATFORM": "offscreen",
           "DKDESK_SMOKE_MS": "50"}
    result = subprocess.run([sys.executable, "-c", f"NOT = {NOT_AT_START!r}\n" + CODE, str(db_path)],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"loaded at GUI start: {result.stdout.strip()}"
