"""Screenshot of the Tổng quan tab over a realistic, incomplete first half of 2024.

Run under Xvfb (1366×768)::

    xvfb-run -a -s "-screen 0 1366x768x24" env QT_QPA_PLATFORM=xcb PYTHONPATH=src \\
        python docs/screenshots/overview_shot.py docs/screenshots/overview.png [--dialog]

Five units have not reported (two wards among them): CT01, CT02, CT08, CT09 read "Thiếu số
liệu"; CT03, CT06, CT07 are reached; CT04 is just below its target (59,97%).
NB: PySide6 6.12 crashes after a few thousand ``processEvents()`` calls, so the event loop
runs with timers.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer

from dkdesk.core.desk import Desk
from dkdesk.gui.app import create_main_window, ensure_app

PERIOD = "2024-H1"
MISSING = {"P-HUNGDAO", "P-TANTHANH", "HLHPN", "TA", "HCCB"}
SPECIFIC = {
    "P-ANHDUNG": {"tt_so_hinh_thuc": 4, "nld_cskd_tong": 212, "nld_cskd_duoc_tt": 148},
    "P-DAPHUC": {"tt_so_hinh_thuc": 2, "nld_cskd_tong": 96, "nld_cskd_duoc_tt": 71},
    "P-HAITHANH": {"tt_so_hinh_thuc": 3, "nld_cskd_tong": 154, "nld_cskd_duoc_tt": 83},
    "P-HOANGHIA": {"tt_so_hinh_thuc": 1, "nld_cskd_tong": 78, "nld_cskd_duoc_tt": 52, "kh_da_ban_hanh": False},
    "LDLD": {"nld_kcn_tong": 9800, "nld_kcn_duoc_tt": 5200},
    "GDDT": {"hs_tong": 4000, "hs_duoc_tt": 2399},
    "CA": {"tin_bao_tiep_nhan": 12, "tin_bao_xu_ly_kip_thoi": 12},
    "VHTT": {"cskd_tong": 85, "cskd_duoc_kiem_tra": 9},
}


def realistic(desk: Desk, unit: str, n: int) -> dict[str, object]:
    values: dict[str, object] = {}
    for i, f in enumerate(desk.plan.form_fields(unit)):
        if f.type == "int":
            depth, parent = 0, f.part_of
            while parent:
                depth, parent = depth + 1, desk.plan.field(parent).part_of
            top = min(f.max_value or 60, 60)
            values[f.code] = max(1, (top // 2 + (n * 7 + i * 5) % (top // 2 + 1)) >> depth)
        elif f.type == "bool":
            values[f.code] = True
        else:
            values[f.code] = "Đã triển khai theo kế hoạch."
    values.update(SPECIFIC.get(unit, {}))
    if "cbcc_lien_quan" in values:
        values["cbcc_lien_quan"], values["cbcc_duoc_tap_huan"] = 6 + n % 5, 4 + n % 3
    return values


def build(db: Path) -> Desk:
    desk = Desk.open(db, who="Chuyên viên LĐTBXH")
    with desk.write() as s:
        for n, u in enumerate(desk.plan.units):
            if u.code not in MISSING:
                desk.set_values(u.code, PERIOD, realistic(desk, u.code, n), session=s, source="import")
    return desk


def main() -> int:
    out = sys.argv[1] if len(sys.argv) > 1 else "overview.png"
    app = ensure_app()
    tmp = tempfile.TemporaryDirectory()
    window = create_main_window(build(Path(tmp.name) / "dkdesk.sqlite"))
    window.resize(1366, 768)
    tab = window.tabs_by_title["Tổng quan"]
    window.tab_widget.setCurrentWidget(tab)
    tab.set_period(PERIOD)
    window.show()

    def shoot() -> None:
        window.grab().save(out)
        if "--dialog" in sys.argv:
            tab.show_contributions(tab.model.index(1, 1))
            QTimer.singleShot(600, shoot_dialog)
        else:
            app.quit()

    def shoot_dialog() -> None:
        tab.contribution_dialog.grab().save(out.replace(".png", "-dialog.png"))
        app.quit()

    QTimer.singleShot(1200, shoot)
    app.exec()
    window.ctx.desk.close()
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
