"""Screenshot of the import preview with new, changed, duplicate and rejected files.

    xvfb-run -a -s "-screen 0 1366x768x24" env QT_QPA_PLATFORM=xcb PYTHONPATH=src \
        python tests/exchange/shot_import_preview.py docs/screenshots/import-preview.png /tmp/tab.png
"""
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from xlhelpers import fill_with_openpyxl, valid_values
from PySide6.QtWidgets import QApplication
from dkdesk.gui.app import ensure_app, create_main_window
from dkdesk.exchange.template import write_template
from dkdesk.exchange import importer
app = ensure_app()
tmp = Path(tempfile.mkdtemp())
win = create_main_window(str(tmp / "db.sqlite"))
desk = win.ctx.desk
plan = desk.plan
f = tmp / "files"; f.mkdir()
def filled(unit, period, over=None, name=None):
    v = valid_values(plan, unit); v.update(over or {})
    t = write_template(plan, unit, period, tmp / f"t-{unit}-{period}.xlsx")
    return fill_with_openpyxl(t, f / (name or f"bao-cao_{period}_{unit}.xlsx"), v)
dup = filled("CA", "2024-H1")
importer.apply(desk, importer.preview(desk, [dup]))
desk.set_values("P-HUNGDAO", "2024-H1", valid_values(plan, "P-HUNGDAO"))
filled("P-HUNGDAO", "2024-H1", {"tt_so_buoi": 52, "nld_cskd_tong": 61})
filled("P-DAPHUC", "2024-H1")
filled("GDDT", "2024-H1")
filled("LDLD", "2024-H1", {"nld_kcn_duoc_tt": 900})
filled("HLHPN", "2024-H1", {"cbcc_lien_quan": "mười"})
(f / "so-lieu-cu.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
win.resize(1366, 740); win.show()
tab = win.tabs_by_title["Trao đổi Excel"]
win.tab_widget.setCurrentWidget(tab)
paths = sorted(str(p) for p in f.iterdir())
tab.show_preview(importer.preview(desk, paths))
dlg = tab.preview_dialog
for _ in range(30): app.processEvents(); time.sleep(0.02)
dlg.files_view.selectRow(next(i for i, p in enumerate(dlg.model.rows) if p.status == "changed"))
for _ in range(30): app.processEvents(); time.sleep(0.02)
dlg.grab().save(sys.argv[1])
win.grab().save(sys.argv[2])
dlg.reject(); win.close()
