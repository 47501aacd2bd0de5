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
TIME_BUDGET = 25.0  # seconds for all kills of one test


class Workers:
    """Starts worker processes, always keeping the next one imported and waiting."""

    def __init__(self, *args: str) -> None:
        self.args = args
        self.next = self._prepare()

    def _prepare(self) -> subprocess.Popen:
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
        return subprocess.Popen([sys.executable, str(WORKER), *self.args], env=env, text=True,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def start(self) -> subprocess.Popen:
        proc, self.next = self.next, None
        assert proc.stdout is not None and proc.stdin is not None
        assert proc.stdout.readline().strip() == "loaded"
        proc.stdin.write("go\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "ready"
        self.next = self._prepare()  # imports while this one works
        return proc

    def close(self) -> None:
        if self.next is not None:
            self.next.kill()
            self.next.communicate(timeout=30)


def _kill_at_random(proc: subprocess.Popen, rng: random.Random, longest: float) -> str:
    time.sleep(rng.uniform(0.0, longest))
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=30)
    return out


def _integrity(db: Path) -> str:
    con = sqlite3.connect(db)  # like the next start: recovers the WAL / hot journal
    try:
        return ";".join(r[0] for r in con.execute("PRAGMA integrity_check"))
    finally:
        con.close()


def _batches_present(db: Path) -> set[int]:
    """The batch number stored in every non-part number of every unit (one value if atomic)."""
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT v.int_value, count(*) FROM field_values v JOIN fields f ON f.id = v.field_id "
                           "JOIN periods p ON p.id = v.period_id WHERE p.code = '2024-Y' AND f.type = 'int' "
                           "AND v.int_value > 0 GROUP BY v.int_value").fetchall()
    finally:
        con.close()
    return {r[0] for r in rows}


def test_killed_batches_are_all_or_nothing(db_path):
    Desk.open(db_path, plan_path=PLAN_PATH).close()
    rng = random.Random(20241)
    started, kills, committed = time.monotonic(), 0, 0
    mid_batch = 0
    workers = Workers("batch", str(db_path), str(PLAN_PATH))
    while kills < KILLS and time.monotonic() - started < TIME_BUDGET:
        out = _kill_at_random(workers.start(), rng, 0.8)
        kills += 1
        done = [int(line.split()[1]) for line in out.splitlines() if line.startswith("committed")]
        committed = max([committed, *done])
        assert _integrity(db_path) == "ok", f"kill {kills}"
        present = _batches_present(db_path)
        assert len(present) <= 1, f"kill {kills}: a half-written batch: {sorted(present)}"
        if committed:
            stored = present.pop()
            assert stored >= committed, "a committed batch was lost"
            assert stored <= committed + 1
            mid_batch += stored == committed + 1  # the kill hit just after an unreported commit
    workers.close()
    print(f"batch kill test: {kills} kills, {committed} batches committed, {mid_batch} kills right after a commit")
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
        _kill_at_random(workers.start(), rng, 0.6)
        kills += 1
        assert _integrity(db_path) == "ok", f"kill {kills}"
        con = sqlite3.connect(db_path)
        try:
            value = con.execute("SELECT v.int_value FROM field_values v JOIN fields f ON f.id = v.field_id "
                                "JOIN units u ON u.id = v.unit_id WHERE f.code = 'tt_so_buoi' "
                                "AND u.code = 'P-ANHDUNG'").fetchall()
        finally:
            con.close()
        assert value in ([(1,)], [(2,)]), f"kill {kills}: {value}"
    workers.close()
    print(f"restore kill test: {kills} kills")
    with Desk.open(db_path, plan_path=PLAN_PATH) as desk:  # and dkdesk opens it normally
        assert desk.get_values("P-ANHDUNG", "2024-H1").values["tt_so_buoi"] in (1, 2)
    assert kills >= 10
