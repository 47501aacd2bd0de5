"""Report making speed, as ratios against computing the overview once (measured in the same run).

    PYTHONPATH=src python benchmarks/bench_reports.py

Fills every unit of 2024-H1 in a temporary database, then times: compute_overview (baseline),
gather (everything a report reads), the workbook, the narrative, and make_reports (both files).
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import PLAN_PATH, fill_unit  # noqa: E402
from dkdesk.core.desk import Desk  # noqa: E402
from dkdesk.indicators.overview import compute_overview  # noqa: E402
from dkdesk.reports.data import gather  # noqa: E402
from dkdesk.reports.narrative import build_narrative  # noqa: E402
from dkdesk.reports.output import make_reports  # noqa: E402
from dkdesk.reports.workbook import build_workbook  # noqa: E402


def best(fn, repeat: int = 5) -> float:  # noqa: ANN001
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        desk = Desk.open(Path(tmp) / "b.sqlite", plan_path=PLAN_PATH, who="bench")
        for u in desk.plan.units:
            fill_unit(desk, u.code, "2024-H1")
        data = gather(desk, "2024-H1")
        base = best(lambda: compute_overview(desk, "2024-H1"))
        rows = {
            "gather (đọc số liệu)": best(lambda: gather(desk, "2024-H1")),
            "build_workbook": best(lambda: build_workbook(data)),
            "build_narrative": best(lambda: build_narrative(data)),
            "make_reports (2 tệp)": best(lambda: make_reports(desk, "2024-H1", Path(tmp) / "a.xlsx",
                                                              Path(tmp) / "a.docx"), repeat=3),
        }
        print(f"baseline compute_overview: {base * 1000:.1f} ms")
        for name, t in rows.items():
            print(f"{name:28s} {t * 1000:8.1f} ms   x{t / base:6.1f} baseline")
        desk.close()


if __name__ == "__main__":
    main()
