"""How long switching to a unit's form takes in the Nhập liệu tab, against a baseline.

Baseline (measured in the same run): one ``desk.get_values`` for the unit, the read the form
needs anyway. Timed: what a switch does, on this thread: the read of the op (statuses, the unit's
figures, and the earlier figures for the warnings where the tab reads them), building the
``EntryForm`` and showing it (``EntryTab._show``), then the events that posts (layout, polish).
The worker hop of the op is left out (it only hands the read over). Printed: the ratio switch /
baseline for the largest form, the police form and a ward's.

Then, where the application has the key event filter (``gui/keyboard.py``: until 02/12 an
application-wide filter, since then one on the focused button), the same switch and typing 40
characters into a figure of the form are timed with the filter as the program sets it up and with
no filter at all, alternately: what the filter costs.
Run: QT_QPA_PLATFORM=offscreen PYTHONPATH=src python benchmarks/entry_form.py
"""
from __future__ import annotations

import inspect
import os
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("DKDESK_SETTINGS", str(Path(tempfile.mkdtemp()) / "settings.json"))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QLineEdit  # noqa: E402

from dkdesk.core.desk import Desk  # noqa: E402
from dkdesk.gui import entry_tab  # noqa: E402
from dkdesk.gui.app import create_main_window  # noqa: E402

ROUNDS = 20
PERIOD = "2024-H1"


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
    window.show()
    app = QApplication.instance()
    tab = window.tabs_by_title["Nhập liệu"]
    with_reference = "reference" in inspect.signature(tab._show).parameters

    def switch(u: str) -> None:
        kw = {}
        if with_reference:
            from dkdesk.core.plausibility import reference_values

            kw["reference"] = reference_values(desk, u, PERIOD)
        tab._show(u, PERIOD, *entry_tab.read_form(u, PERIOD)(desk), **kw)
        app.processEvents()

    for unit in ("LDTBXH", "CA", "P-HUNGDAO"):
        n = len(desk.plan.form_fields(unit))
        desk.set_values(unit, PERIOD, {f.code: 1 for f in desk.plan.form_fields(unit) if f.type == "int"})
        baseline = best(lambda u=unit: desk.get_values(u, PERIOD))
        build = best(lambda u=unit: switch(u))
        print(f"{unit:10s} {n:3d} trường: đọc số liệu {baseline * 1000:6.2f} ms, dựng biểu mẫu {build * 1000:7.2f} ms, "
              f"tỉ lệ {build / baseline:5.1f}x")

    keys = getattr(app, "_dkdesk_enter_filter", None)
    if keys is None:
        print("no application-wide key event filter in this version")
    else:
        watching_focus = hasattr(keys, "_focus_moved")  # since 02/12: on the focused button only

        def filter_off() -> None:
            if watching_focus:
                app.focusChanged.disconnect(keys._focus_moved)
                keys._focus_moved(None, None)
            else:
                app.removeEventFilter(keys)

        def filter_on() -> None:
            if watching_focus:
                app.focusChanged.connect(keys._focus_moved)
                keys._focus_moved(None, app.focusWidget())
            else:
                app.installEventFilter(keys)

        def typing() -> None:
            form = tab.form
            edit = next(e for e in form.findChildren(QLineEdit) if e.isVisible() and e.isEnabled())
            edit.setFocus()
            for _ in range(4):
                QTest.keyClicks(edit, "1234567890")
                QTest.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            app.processEvents()

        times: dict[str, dict[bool, list[float]]] = {"switch LDTBXH": {True: [], False: []},
                                                     "typing 40 keys": {True: [], False: []}}
        for _ in range(ROUNDS):
            for on in (True, False):
                if not on:
                    filter_off()
                t = time.perf_counter()
                switch("LDTBXH")
                times["switch LDTBXH"][on].append(time.perf_counter() - t)
                t = time.perf_counter()
                typing()
                times["typing 40 keys"][on].append(time.perf_counter() - t)
                if not on:
                    filter_on()
        for what, by in times.items():
            with_f, without = statistics.median(by[True]), statistics.median(by[False])
            print(f"key filter, {what}: with {with_f * 1000:7.2f} ms, without {without * 1000:7.2f} ms, "
                  f"ratio {with_f / without:5.3f}x (median of {ROUNDS})")
    desk.close()


if __name__ == "__main__":
    main()
