"""What safety costs: the start-up check, a backup, a restore — as ratios against a baseline
measured in the same run (opening without the check; a plain file copy).

Run: PYTHONPATH=src python benchmarks/safety_bench.py [--saves N]
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "resources" / "plans" / "duong-kinh-2024.toml"


def best_of(fn, n: int = 5) -> float:  # noqa: ANN001
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def fill(desk, saves: int) -> None:  # noqa: ANN001
    """A busy year: every unit, both periods, ``saves`` rounds of edits (audit rows pile up)."""
    for r in range(saves):
        with desk.write() as s:
            for period in ("2024-H1", "2024-Y"):
                for u in desk.plan.units:
                    values = {f.code: (r + 1 if f.part_of is None else 0) if f.type == "int" else
                              (r % 2 == 0 if f.type == "bool" else f"Vòng {r} " + "nội dung " * 30)
                              for f in desk.plan.form_fields(u.code)}
                    desk.set_values(u.code, period, values, session=s)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=30)
    args = parser.parse_args()
    from dkdesk.core.desk import Desk
    from dkdesk.safety import guard
    from dkdesk.safety.backup import make_backup
    from dkdesk.safety.restore import restore

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "dkdesk.sqlite"
        with Desk.open(db, plan_path=PLAN) as desk:
            fill(desk, args.saves)
        size = db.stat().st_size + (db.with_name(db.name + "-wal").stat().st_size
                                    if db.with_name(db.name + "-wal").exists() else 0)

        def open_close() -> None:
            Desk.open(db, plan_path=PLAN).close()

        real_check, real_lock = guard.check_before_open, guard.before_migrate
        with_check, without = [], []
        for _ in range(9):  # interleaved, so that load from other processes hits both alike
            with_check.append(best_of(open_close, 1))
            guard.check_before_open = lambda db: None  # the baseline: no quick_check, no lock
            guard.before_migrate = lambda engine: None
            try:
                without.append(best_of(open_close, 1))
            finally:
                guard.check_before_open, guard.before_migrate = real_check, real_lock
        checked, unchecked = statistics.median(with_check), statistics.median(without)

        with Desk.open(db, plan_path=PLAN) as desk:
            copy_target = Path(tmp) / "copy.sqlite"
            plain_copy = best_of(lambda: shutil.copyfile(db, copy_target))
            backup_time = best_of(lambda: make_backup(desk, "bench", target=Path(tmp) / "b.sqlite"), 3)
            source = make_backup(desk, "nguon", target=Path(tmp) / "nguon.sqlite")
            restore_time = best_of(lambda: restore(desk, source), 3)

    print(f"database: {size / 1e6:.1f} MB after {args.saves} rounds of saves")
    print(f"open with quick_check + lock: {checked * 1000:.0f} ms; without: {unchecked * 1000:.0f} ms; "
          f"ratio {checked / unchecked:.2f}")
    print(f"backup (SQLite backup API): {backup_time * 1000:.0f} ms; plain file copy: {plain_copy * 1000:.0f} ms; "
          f"ratio {backup_time / plain_copy:.1f}")
    print(f"restore (check + pre-restore backup + replace + reopen): {restore_time * 1000:.0f} ms; "
          f"ratio to one backup {restore_time / backup_time:.1f}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
