"""Power cut at any moment (SIGKILL): the database passes integrity_check and holds each
batch wholly or not at all; a killed restore leaves the old or the new data, nothing between."""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dkdesk.core.desk import Desk
from dkdesk.safety.backup import make_backup
from tests.conftest import PLAN_PATH, fill_unit

pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.name == "nt", reason="SIGKILL: POSIX")]

WORKER = Path(__file__).with_name("kill_worker.py")
ROOT = Path(__file__).resolve().parents[2]
KILLS = 30
TIME_BUDGET = 25.0  # seconds for all kills of one test (30 kills usually take far less)


class Workers:
    """Drives kill_worker.py's fork server: start a worker, SIGKILL it, collect its output."""

    def __init__(self, *args: str) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
        self.server = subprocess.Popen([sys.executable, str(WORKER), *args], env=env, text=True,
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self._line() == "loaded"

    def _line(self) -> str:
        assert self.server.stdout is not None
        line = self.server.stdout.readline()
        assert line, "the fork server died"
        return line.strip()

    def _send(self, text: str) -> None:
        assert self.server.stdin is not None
        self.server.stdin.write(text + "\n")
        self.server.stdin.flush()

    def start(self) -> int:
        """A fresh worker with the database open; returns its pid."""
        self._send("start")
        pid, ready = None, False
        while pid is None or not ready:
            line = self._line()
            if line.startswith("pid "):
                pid = int(line.split()[1])
            elif line == "ready":
                ready = True
        return pid

    def kill_after(self, pid: int, delay: float) -> list[str]:
        """SIGKILL the worker after ``delay`` seconds; returns what it printed."""
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        self._send(f"reap {pid}")
        out = []
        while (line := self._line()) != "reaped":
            out.append(line)
        return out

    def close(self) -> None:
        assert self.server.stdin is not None
        self.server.stdin.close()
        self.server.wait(timeout=30)


def _rows(db: Path, sql: str) -> list[tuple]:
    """One query on a fresh connection, like the next start (recovers the WAL / hot journal)."""
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _integrity(db: Path) -> str:
    return ";".join(r[0] for r in _rows(db, "PRAGMA integrity_check"))


def _batches_present(db: Path) -> set[int]:
    """The batch number stored in every non-part number of every unit (one value if atomic)."""
    rows = _rows(db, "SELECT v.int_value, count(*) FROM field_values v JOIN fields f ON f.id = v.field_id "
                     "JOIN periods p ON p.id = v.period_id WHERE p.code = '2024-Y' AND f.type = 'int' "
                     "AND v.int_value > 0 GROUP BY v.int_value")
    return {r[0] for r in rows}


def test_killed_batches_are_all_or_nothing(db_path):
    Desk.open(db_path, plan_path=PLAN_PATH).close()
    rng = random.Random(20241)
    started, kills, committed = time.monotonic(), 0, 0
    workers = Workers("batch", str(db_path), str(PLAN_PATH))
    while kills < KILLS and time.monotonic() - started < TIME_BUDGET:
        out = workers.kill_after(workers.start(), rng.uniform(0.0, 0.5))
        kills += 1
        done = [int(line.split()[1]) for line in out if line.startswith("committed")]
        committed = max([committed, *done])
        assert _integrity(db_path) == "ok", f"kill {kills}"
        present = _batches_present(db_path)
        assert len(present) <= 1, f"kill {kills}: a half-written batch: {sorted(present)}"
        if committed:
            stored = present.pop()
            assert stored >= committed, "a committed batch was lost"
            assert stored <= committed + 1  # +1: killed after a commit, before reporting it
    workers.close()
    print(f"batch kill test: {kills} kills, {committed} batches committed")
    assert kills >= 10 and committed > 0, (kills, committed)


def test_killed_restore_leaves_the_old_or_the_new_data(db_path, tmp_path):
    with Desk.open(db_path, plan_path=PLAN_PATH) as desk:
        fill_unit(desk, "P-ANHDUNG", "2024-H1", {"tt_so_buoi": 1})
        a = make_backup(desk, "a", target=tmp_path / "a.sqlite")
        desk.set_values("P-ANHDUNG", "2024-H1", {"tt_so_buoi": 2})
        b = make_backup(desk, "b", target=tmp_path / "b.sqlite")
    rng = random.Random(7)
    started, kills = time.monotonic(), 0
    workers = Workers("restore", str(db_path), str(PLAN_PATH), str(a), str(b))
    while kills < KILLS and time.monotonic() - started < TIME_BUDGET:
        workers.kill_after(workers.start(), rng.uniform(0.0, 0.4))
        kills += 1
        assert _integrity(db_path) == "ok", f"kill {kills}"
        value = _rows(db_path, "SELECT v.int_value FROM field_values v JOIN fields f ON f.id = v.field_id "
                               "JOIN units u ON u.id = v.unit_id WHERE f.code = 'tt_so_buoi' AND u.code = 'P-ANHDUNG'")
        assert value in ([(1,)], [(2,)]), f"kill {kills}: {value}"
    workers.close()
    print(f"restore kill test: {kills} kills")
    with Desk.open(db_path, plan_path=PLAN_PATH) as desk:  # and dkdesk opens it normally
        assert desk.get_values("P-ANHDUNG", "2024-H1").values["tt_so_buoi"] in (1, 2)
    assert kills >= 10
