"""How long the overview of one period takes, against the floor of any such computation.

Builds (once, cached under ``benchmarks/.cache/``) two databases over a generated plan file
(the real plan with periods 2015-H1 … 2024-Y): one with ten years stored (both periods of
all units, every field filled) and one with a single year. Then, in the same run, times:

- floor: fetching the period's raw values with one SELECT (SQLAlchemy Core, same engine);
- overview: ``compute_overview(desk, period)`` — the nine indicators, exact, with missing units;

and prints the medians and the ratio overview / floor, for ten years and for one year.
Goal: ratio <= 2, overview < 100 ms, and the same cost with one year or ten stored.

Run: ``PYTHONPATH=src python benchmarks/bench_overview.py [--rebuild] [--runs N]``
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dkdesk.core.desk import Desk  # noqa: E402
from dkdesk.indicators.overview import compute_overview  # noqa: E402
from dkdesk.storage.models import ValueRow  # noqa: E402

CACHE = ROOT / "benchmarks" / ".cache"
REAL_PLAN = ROOT / "resources" / "plans" / "duong-kinh-2024.toml"
YEARS = range(2015, 2025)
PERIOD = "2024-Y"


def make_plan() -> Path:
    """The real plan with the periods of ten years instead of 2024's two."""
    text = REAL_PLAN.read_text(encoding="utf-8")
    periods = "".join(
        f'[[periods]]\ncode = "{y}-H1"\nname = "6 tháng đầu năm {y}"\ndeadline = {y}-06-15\n\n'
        f'[[periods]]\ncode = "{y}-Y"\nname = "Năm {y}"\ndeadline = {y}-12-10\n\n' for y in YEARS)
    text, n = re.subn(r"(\[\[periods\]\]\n(?:[^\[\n][^\n]*\n)*\n?)+", periods, text, count=1)
    assert n == 1, "no [[periods]] block found in the plan"
    path = CACHE / "plan-10-nam.toml"
    path.write_text(text, encoding="utf-8")
    return path


def full_values(desk: Desk, unit: str, seed: int) -> dict[str, object]:
    out: dict[str, object] = {}
    for i, f in enumerate(desk.plan.form_fields(unit)):
        if f.type == "int":
            depth, parent = 0, f.part_of
            while parent:  # "of those" chains: each level at most half of the one above
                depth, parent = depth + 1, desk.plan.field(parent).part_of
            top = f.max_value or 100_000
            base = min(top, 1000) // 2 + (seed * 7 + i * 13) % (min(top, 1000) // 2)
            out[f.code] = base >> depth if depth else base
        elif f.type == "bool":
            out[f.code] = (seed + i) % 3 != 0
        else:
            out[f.code] = f"Nội dung {f.code} ({seed})"
    return out


def build(path: Path, plan_path: Path, years: range) -> None:
    """Fill ``years`` through ``Desk.set_values``; written aside and renamed when complete."""
    part = path.with_suffix(".partial")
    for p in (path, part, Path(f"{part}-wal"), Path(f"{part}-shm")):
        p.unlink(missing_ok=True)
    with Desk.open(part, plan_path=plan_path, who="benchmark") as desk:
        for y in years:
            for kind in ("H1", "Y"):
                with desk.write() as s:  # one transaction per period
                    for n, u in enumerate(desk.plan.units):
                        desk.set_values(u.code, f"{y}-{kind}", full_values(desk, u.code, y + n),
                                        session=s, source="import")
    part.rename(path)


def floor(desk: Desk, period: str) -> int:
    """One SELECT of every raw value of the period, rows materialised."""
    pid = desk.period_id(period)
    q = select(ValueRow.unit_id, ValueRow.field_id, ValueRow.int_value, ValueRow.bool_value,
               ValueRow.text_value).where(ValueRow.period_id == pid)
    with desk.read() as s:
        return len(s.execute(q).all())


def interleaved_medians(jobs: dict[str, object], runs: int) -> dict[str, float]:
    """Median ms of each job, run round-robin so that a busy machine slows all alike."""
    times: dict[str, list[float]] = {name: [] for name in jobs}
    for fn in jobs.values():
        fn()  # type: ignore[operator]  # warm up: caches, parsed expressions, SQL compilation
    for _ in range(runs):
        for name, fn in jobs.items():
            t = time.perf_counter()
            fn()  # type: ignore[operator]
            times[name].append(time.perf_counter() - t)
    return {name: statistics.median(ts) * 1000 for name, ts in times.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--runs", type=int, default=300)
    args = ap.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    plan_path = make_plan()
    ten, one = CACHE / "ten-years.sqlite", CACHE / "one-year.sqlite"
    for db, years in ((ten, YEARS), (one, range(2024, 2025))):
        if args.rebuild or not db.exists():
            t = time.perf_counter()
            build(db, plan_path, years)
            print(f"built {db.name} ({len(years)} năm) in {time.perf_counter() - t:.1f} s")
    ten_desk = Desk.open(ten, plan_path=plan_path, who="benchmark")
    one_desk = Desk.open(one, plan_path=plan_path, who="benchmark")
    rows = {label: floor(d, PERIOD) for label, d in (("10 năm", ten_desk), ("1 năm", one_desk))}
    stored = {label: d.engine.connect().exec_driver_sql("select count(*) from field_values").scalar()
              for label, d in (("10 năm", ten_desk), ("1 năm", one_desk))}
    m = interleaved_medians({
        "floor 10": lambda: floor(ten_desk, PERIOD), "overview 10": lambda: compute_overview(ten_desk, PERIOD),
        "floor 1": lambda: floor(one_desk, PERIOD), "overview 1": lambda: compute_overview(one_desk, PERIOD),
    }, args.runs)
    for label, key in (("10 năm", "10"), ("1 năm", "1")):
        f_ms, o_ms = m[f"floor {key}"], m[f"overview {key}"]
        print(f"{label:>7} ({stored[label]:>5} values stored): floor (1 SELECT, {rows[label]} rows) "
              f"{f_ms:5.2f} ms | overview {o_ms:5.2f} ms | ratio {o_ms / f_ms:4.2f}x")
    print(f"overview 10 years / 1 year: {m['overview 10'] / m['overview 1']:.2f}x "
          f"(floor: {m['floor 10'] / m['floor 1']:.2f}x)")
    ten_desk.close()
    one_desk.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
