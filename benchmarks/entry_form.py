"""How long switching to a unit's form takes in the Nhập liệu tab, against a baseline.

Baseline (measured in the same run): one ``desk.get_values`` for the unit, the read the form
needs anyway. Printed: the ratio switch / baseline for the largest form and the police form.
Run: QT_QPA_PLATFORM=offscreen PYTHONPATH=src python benchmarks/entry_form.py
"""
from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("DKDESK_SETTINGS", str(Path(tempfile.mkdtemp()) / "settings.json"))

from dkdesk.core.desk import Desk  # noqa: E402
from dkdesk.gui.app import create_main_window  # noqa: E402

ROUNDS = 20


def best(fn, rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    desk = Desk.open(Path(tempfile.mkdtemp()) / "bench.sqlite", plan_path=ROOT / "resources/plans/duong-kinh-2024.toml")
    window = create_main_window(desk)
    tab = window.tabs_by_title["Nhập liệu"]
    for unit in ("LDTBXH", "CA", "P-HUNGDAO"):
        n = len(desk.plan.form_fields(unit))
        desk.set_values(unit, "2024-H1", {f.code: 1 for f in desk.plan.form_fields(unit) if f.type == "int"})
        baseline = best(lambda u=unit: desk.get_values(u, "2024-H1"))

        def switch(u: str = unit) -> None:
            tab.unit = u
            tab.show_form()

        build = best(switch)
        print(f"{unit:10s} {n:3d} trường: đọc số liệu {baseline * 1000:6.2f} ms, dựng biểu mẫu {build * 1000:7.2f} ms, "
              f"tỉ lệ {build / baseline:5.1f}x")
    desk.close()


if __name__ == "__main__":
    main()
