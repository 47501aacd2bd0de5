"""Screenshots of the Nhập liệu tab (ward and police, some figures, one validation error).

Run under Xvfb:  xvfb-run -a -s "-screen 0 1920x1080x24" env QT_QPA_PLATFORM=xcb \
    PYTHONPATH=src python docs/screenshots/make_entry_shots.py [OUT_DIR]
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
os.environ.setdefault("DKDESK_SETTINGS", str(Path(tempfile.mkdtemp()) / "settings.json"))

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from dkdesk.core.desk import Desk  # noqa: E402
from dkdesk.gui.app import create_main_window  # noqa: E402

SIZES = [(1366, 768), (1920, 1080)]
SCENES = {
    "P-HUNGDAO": ({"tt_so_buoi": 12, "tt_so_luot_nguoi": 1850, "tt_so_hinh_thuc": 4, "nld_cskd_tong": 236,
                   "kh_da_ban_hanh": True},
                  ("nld_cskd_duoc_tt", "250")),  # part larger than its total
    "CA": ({"tt_so_buoi": 9, "tt_so_luot_nguoi": 1240, "tin_bao_tiep_nhan": 14, "ca_luot_kiem_tra": 52,
            "ca_duong_day": 2},
           ("tin_bao_xu_ly_kip_thoi", "15")),
}


def pump(ms: int = 150) -> None:
    app = QApplication.instance()
    end = QTimer()
    end.setSingleShot(True)
    end.start(ms)
    while end.isActive():
        app.processEvents()


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    db = Path(tempfile.mkdtemp()) / "shots.sqlite"
    desk = Desk.open(db, plan_path=ROOT / "resources/plans/duong-kinh-2024.toml", who="Nguyễn Thị Lan")
    for unit, (values, _bad) in SCENES.items():
        desk.set_values(unit, "2024-H1", values)
    desk.set_values("P-DAPHUC", "2024-H1", {"tt_so_buoi": 3})
    for width, height in SIZES:
        for unit, (_values, (field, bad)) in SCENES.items():
            window = create_main_window(desk)
            window.resize(width, height)
            window.show()
            tab = window.tabs_by_title["Nhập liệu"]
            tab.select_unit(unit)
            editor = tab.form.editors[field]
            editor.setFocus()
            editor.setText(bad)
            tab._edited()
            tab.scroll.ensureWidgetVisible(editor, 20, 120)
            pump()
            name = "ward" if unit.startswith("P-") else "police"
            path = out_dir / f"entry-{name}-{width}x{height}.png"
            image = window.grab().toImage().convertToFormat(QImage.Format.Format_Indexed8,
                                                            Qt.ImageConversionFlag.ThresholdDither)
            image.save(str(path), "PNG", 0)  # a 256-colour palette keeps each file under 300 KB
            print(path, path.stat().st_size)
            tab.form.load(desk.get_values(unit, "2024-H1").values)  # no unsaved prompt on close
            window.close()
    desk.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
