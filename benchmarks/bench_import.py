"""Import speed: 40 filled unit files (20 units x 2 periods) into an empty database, compared
with openpyxl alone opening and reading the same files, in the same run.

    PYTHONPATH=src python benchmarks/bench_import.py [--repeat 3]

Prints both times and the ratio (goal: import <= 1.5 x openpyxl). The baseline opens each
file with ``load_workbook(read_only=True, data_only=True)`` (openpyxl's fastest way) and
reads every cell of every sheet; the default (non read-only) mode is printed too.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from openpyxl import load_workbook

from dkdesk import paths
from dkdesk.catalogue.loader import load_plan
from dkdesk.core.desk import Desk
from dkdesk.exchange import importer
from dkdesk.exchange.layout import filled_file_name
from dkdesk.exchange.template import write_template


def make_files(plan, folder: Path) -> list[Path]:  # noqa: ANN001
    files = []
    for period in plan.periods:
        for u in plan.units:
            values: dict[str, object] = {}
            for f in plan.form_fields(u.code):
                if f.type == "int":
                    top = min(1200, f.max_value or 1200)
                    values[f.code] = top if f.part_of is None else top // 2
                elif f.type == "bool":
                    values[f.code] = True
                else:
                    values[f.code] = f"Kết quả của {u.name} trong {period.name}"
            files.append(write_template(plan, u.code, period.code, folder / filled_file_name(u.code, period.code),
                                        values))
    return files


def openpyxl_alone(files: list[Path], read_only: bool) -> float:
    start = time.perf_counter()
    cells = 0
    for path in files:
        wb = load_workbook(path, read_only=read_only, data_only=True)
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                cells += sum(1 for v in row if v is not None)
        wb.close()
    assert cells > 0
    return time.perf_counter() - start


def dkdesk_import(plan_path: Path, files: list[Path], folder: Path, n: int) -> tuple[float, float]:
    """(total, of which preview) seconds for preview + backup + apply of every file."""
    desk = Desk.open(folder / f"bench-{n}.sqlite", plan_path=plan_path, who="bench")
    try:
        start = time.perf_counter()
        previews = importer.preview(desk, files)
        middle = time.perf_counter()
        report = importer.apply(desk, previews)
        elapsed = time.perf_counter() - start
        assert all(o.status == "imported" for o in report.outcomes), [o.errors for o in report.outcomes]
        return elapsed, middle - start
    finally:
        desk.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    plan_path = paths.default_plan_path()
    plan = load_plan(plan_path)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = make_files(plan, folder / "files")
        base_ro, base_full, ours = [], [], []
        for n in range(args.repeat):  # interleaved so that machine load hits both alike
            base_ro.append(openpyxl_alone(files, read_only=True))
            base_full.append(openpyxl_alone(files, read_only=False))
            ours.append(dkdesk_import(plan_path, files, folder, n))
        b_ro, b_full = min(base_ro), min(base_full)
        o, o_preview = min(ours)
        print(f"files: {len(files)} ({sum(p.stat().st_size for p in files) // 1024} KB)")
        print(f"openpyxl alone, read-only:  {b_ro:.3f} s")
        print(f"openpyxl alone, full load:  {b_full:.3f} s")
        print(f"dkdesk import (preview + backup + apply, empty DB): {o:.3f} s "
              f"(preview {o_preview:.3f} s, backup + apply {o - o_preview:.3f} s)")
        print(f"ratio vs read-only openpyxl: {o / b_ro:.2f}x (goal <= 1.5x)")
        print(f"ratio vs full-load openpyxl: {o / b_full:.2f}x")


if __name__ == "__main__":
    main()
