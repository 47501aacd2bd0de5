"""Subprocess for the kill tests (not a test module): writes batches or restores forever.

It is a small fork server (``serve``): Python and SQLAlchemy are imported once, each worker
is a fork that opens the database itself, so a kill cycle costs milliseconds, not an import.

``python kill_worker.py batch DB PLAN``: each worker writes every unit's figures in ONE
transaction per batch (batch n stores n in every non-"trong đó" number) and prints
"committed n" after each commit. ``python kill_worker.py restore DB PLAN A B``: each worker
restores A and B alternately. Commands on stdin: "start" (answers "pid N", the worker says
"ready" once its database is open) and "reap N" (answers "reaped").
"""
from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

from dkdesk.core.desk import Desk

PERIOD = "2024-Y"


def batch_values(desk: Desk, unit: str, n: int) -> dict[str, object]:
    out: dict[str, object] = {}
    for f in desk.plan.form_fields(unit):
        if f.type == "int":
            out[f.code] = n if f.part_of is None else 0
        elif f.type == "bool":
            out[f.code] = n % 2 == 0
        else:
            out[f.code] = f"Lô số {n} - " + "nội dung " * 40
    return out


def current_batch(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT coalesce(max(int_value), 0) FROM field_values").fetchone()[0]
    finally:
        con.close()


def run_batches(db: Path, plan: Path) -> None:
    desk = Desk.open(db, plan_path=plan, who="kiểm thử")
    n = current_batch(db)
    print("ready", flush=True)
    while True:
        n += 1
        with desk.write() as s:
            for unit in desk.plan.units:
                desk.set_values(unit.code, PERIOD, batch_values(desk, unit.code, n), session=s, source="import")
        print(f"committed {n}", flush=True)


def run_restores(db: Path, plan: Path, a: Path, b: Path) -> None:
    from dkdesk.safety.restore import restore

    desk = Desk.open(db, plan_path=plan, who="kiểm thử")
    print("ready", flush=True)
    i = 0
    while True:
        restore(desk, a if i % 2 == 0 else b)
        i += 1


def serve(argv: list[str]) -> None:
    """Fork server: imports once, then forks one worker per "start" line; "reap PID" waits
    for a killed worker and answers "reaped" (its output is then all in the pipe)."""
    import dkdesk.safety.restore  # noqa: F401 - imported before forking, like everything else
    import sqlalchemy.dialects.sqlite  # noqa: F401

    mode, db, plan = argv[0], Path(argv[1]), Path(argv[2])
    print("loaded", flush=True)
    for line in sys.stdin:
        cmd = line.split()
        if cmd[0] == "start":
            pid = os.fork()
            if pid == 0:  # the worker: never returns, dies by SIGKILL
                try:
                    if mode == "batch":
                        run_batches(db, plan)
                    else:
                        run_restores(db, plan, Path(argv[3]), Path(argv[4]))
                finally:
                    os._exit(1)
            print(f"pid {pid}", flush=True)
        elif cmd[0] == "reap":
            os.waitpid(int(cmd[1]), 0)
            print("reaped", flush=True)


if __name__ == "__main__":
    serve(sys.argv[1:])
