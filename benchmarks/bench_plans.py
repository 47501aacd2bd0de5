"""Opening a database that holds two plans, against the same database with one plan.

Builds (once, cached under ``benchmarks/.cache/``, ``--rebuild`` to redo) two databases over the
bundled 2024 plan, both with 2024-H1 filled for every unit:

- **one plan**: the bundled plan only (the baseline);
- **two plans**: the same, plus a 2025 plan made with ``catalogue.plan_edit.next_year`` and
  stored with ``Desk.add_plan`` (as the GUI's "next year's plan" does), 2025-H1 filled too.
  Opening it without ``--plan`` works on the newest plan, 2025, which is read from its TOML
  text in the database; its overview compares with 2024 (``year_over_year``).

Then, round-robin so that the machine's load hits both alike, times (median):

- ``Desk.open`` + ``close`` in this process, again and again (a plan read once in the process is
  not read again), and ``overview_page`` of the working plan's H1 (2024-H1 without comparison,
  2025-H1 with it) right after each open;
- the same once in a new process (modules imported beforehand, not timed): the first open and the
  first overview of a CLI command or of the GUI's start;
- ``dkdesk plan --json`` and ``dkdesk values --unit LDTBXH --period <H1> --json`` as new
  processes (what a script calling the CLI waits for: Python start, imports, open, output);

and prints two plans / one plan for each. Run:
``PYTHONPATH=src python benchmarks/bench_plans.py [--rebuild] [--runs N] [--cli-runs N]``
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DKDESK_SETTINGS", str(Path(tempfile.mkdtemp()) / "settings.json"))
os.environ.setdefault("DKDESK_USER", "benchmark")

from dkdesk.core.desk import Desk  # noqa: E402
from dkdesk.indicators.overview import overview_page  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_overview import full_values  # noqa: E402 - every field of a form filled, "of those" within totals

CACHE = ROOT / "benchmarks" / ".cache"
UNIT = "LDTBXH"


def fill(desk: Desk, period: str, seed: int) -> None:
    with desk.write() as s:
        for n, u in enumerate(desk.plan.units):
            desk.set_values(u.code, period, full_values(desk, u.code, seed + n), session=s, source="import")


def build(path: Path, two: bool) -> None:
    from dkdesk.catalogue.plan_dump import dump_plan
    from dkdesk.catalogue.plan_edit import next_year

    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        p.unlink(missing_ok=True)
    with Desk.open(path, who="benchmark") as desk:
        fill(desk, "2024-H1", 1)
        if two:
            code = desk.add_plan(dump_plan(next_year(desk.plan)))
    if two:
        with Desk.open(path, who="benchmark", plan=code) as desk:
            fill(desk, "2025-H1", 2)


def cli(db: Path, *args: str) -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), QT_QPA_PLATFORM="offscreen")
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "dkdesk", "--db", str(db), *args],
                         capture_output=True, env=env, check=True)
    elapsed = time.perf_counter() - t
    json.loads(out.stdout)  # a complete answer, not an error
    return elapsed


COLD = """
import sys, time
sys.path.insert(0, sys.argv[2])
from dkdesk.core.desk import Desk
from dkdesk.indicators.overview import overview_page
t = time.perf_counter()
desk = Desk.open(sys.argv[1])
opened = time.perf_counter() - t
period = next(p.code for p in desk.plan.periods if p.kind == "H1")
t = time.perf_counter()
overview_page(desk, period)
print(opened, time.perf_counter() - t)
"""


def cold(db: Path) -> tuple[float, float]:
    """Desk.open and the first overview_page in a new process (modules imported first, not timed)."""
    out = subprocess.run([sys.executable, "-c", COLD, str(db), str(ROOT / "src")], capture_output=True,
                         check=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT / "src")))
    opened, page = out.stdout.split()
    return float(opened), float(page)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--runs", type=int, default=30, help="rounds of the in-process timings")
    ap.add_argument("--cli-runs", type=int, default=7, help="rounds of the CLI processes")
    args = ap.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    dbs = {"one": CACHE / "plans-one.sqlite", "two": CACHE / "plans-two.sqlite"}
    for name, path in dbs.items():
        if args.rebuild or not path.exists():
            build(path, name == "two")

    h1 = {}
    for name, path in dbs.items():
        with Desk.open(path) as desk:
            h1[name] = next(p.code for p in desk.plan.periods if p.kind == "H1")
            page = overview_page(desk, h1[name])
            print(f"{name}: plan {desk.plan.info.code}, {len(desk.plans_codes())} plan(s), period {h1[name]}, "
                  f"year over year: {'yes' if page.year_over_year else 'no'}")

    timings: dict[str, dict[str, list[float]]] = {k: {"one": [], "two": []} for k in
                                                   ("Desk.open", "overview_page", "Desk.open, new process",
                                                    "first overview_page", "plan --json", "values --json")}
    for _ in range(args.runs):
        for name, path in dbs.items():
            t = time.perf_counter()
            desk = Desk.open(path)
            timings["Desk.open"][name].append(time.perf_counter() - t)
            t = time.perf_counter()
            overview_page(desk, h1[name])
            timings["overview_page"][name].append(time.perf_counter() - t)
            desk.close()
    for _ in range(args.cli_runs):
        for name, path in dbs.items():
            opened, page = cold(path)
            timings["Desk.open, new process"][name].append(opened)
            timings["first overview_page"][name].append(page)
            timings["plan --json"][name].append(cli(path, "plan", "--json"))
            timings["values --json"][name].append(cli(path, "values", "--unit", UNIT, "--period", h1[name], "--json"))

    print(f"{'':22s} {'one plan':>10s} {'two plans':>10s} {'ratio':>7s}   (median; load {os.getloadavg()[0]:.1f})")
    for what, by in timings.items():
        one, two = statistics.median(by["one"]), statistics.median(by["two"])
        print(f"{what:22s} {one * 1000:8.1f} ms {two * 1000:8.1f} ms {two / one:6.2f}x")


if __name__ == "__main__":
    main()
