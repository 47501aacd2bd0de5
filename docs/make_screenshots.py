"""Take the guide's main-window picture from the real program (run under Xvfb).

    xvfb-run -a -s "-screen 0 1366x768x24" env QT_QPA_PLATFORM=xcb PYTHONPATH=src \
        python docs/make_screenshots.py

Writes ``docs/screenshots/main-window.png`` from a throw-away database holding a few units'
figures. (The other pictures named in the guide are taken by the tabs' own scripts.)
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="dkdesk-shot-")) / "USB" / "dkdesk-data"
    tmp.mkdir(parents=True)
    os.environ["DKDESK_SETTINGS"] = str(tmp / "settings.json")
    from dkdesk.core.desk import Desk
    from dkdesk.core.settings import Settings, save_settings

    save_settings(Settings(user_name="Nguyễn Thị Lan", role="consolidator"))
    desk = Desk.open(tmp / "dkdesk.sqlite", who="Nguyễn Thị Lan")
    for unit in ("P-HUNGDAO", "P-ANHDUNG", "CA"):
        values = {f.code: (12 if f.part_of is None else 9) if f.type == "int" else True if f.type == "bool"
                  else "Đã triển khai theo kế hoạch." for f in desk.plan.form_fields(unit)}
        desk.set_values(unit, "2024-H1", values)
    from PySide6.QtWidgets import QApplication

    from dkdesk.core.settings import load_settings
    from dkdesk.gui.app import create_main_window

    window = create_main_window(desk, settings=load_settings())
    window.resize(1280, 740)
    window.show()
    app = QApplication.instance()
    for _ in range(30):
        app.processEvents()
    target = HERE / "screenshots" / "main-window.png"
    target.parent.mkdir(exist_ok=True)
    window.grab().save(str(target))
    print(f"wrote {target}")
    window.close()
    desk.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
