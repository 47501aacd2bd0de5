"""Every picture of the user guide (``docs/huong-dan-su-dung.md``), taken from the real program.

Run under Xvfb at the office PCs' screen size::

    xvfb-run -a -s "-screen 0 1366x768x24" env QT_QPA_PLATFORM=xcb PYTHONPATH=src \\
        python docs/make_screenshots.py [--no-office] [--only 1366|1024]

The window is taken at the size it has maximised on an office PC: the screen less a Windows
taskbar and title bar (1366x697). The same pictures are then taken again as on a 1024x768
screen (window 1024x697, dialogs fitted to that screen's free area) into
``build/screenshots/1024/`` (with the guide window, F1, as well): not in ``docs/``, which is
bundled into the exe; they are there to be looked at (every tab and dialog usable on the smallest
office screen). About 25 s for both sizes without LibreOffice.

A throw-away portable folder (``USB/dkdesk-data``) gets a demo database built through the core
``Desk``: the first half of 2024 filled for 15 of the 20 units with realistic figures (five left
unreported), some reports submitted or approved, one field changed twice (its history), one
Excel file imported and one refused, a few backups. Then the real windows and dialogs are driven
as a person would (click a unit, type a wrong figure, double-click an indicator, open a folder to
import) and each picture is saved into ``docs/screenshots/`` as a 256-colour PNG (small files:
the guide is bundled in ``dkdesk.exe``). A picture wider or taller than its screen's free area,
or showing a table whose columns do not fit its width, is an error (listed; exit 1). ``report-xlsx.png`` / ``report-docx.png`` show the first
page of the produced reports, rendered by LibreOffice (skipped with ``--no-office`` or without
``soffice``). Prints the files written; exits 1 when a picture could not be taken.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
SMALL_OUT = ROOT / "build" / "screenshots" / "1024"
TASKBAR, TITLE_BAR = 40, 31  # Windows 10 at 100%: the maximised window's client area is what is left
SIZES = {1366: (1366, 768, OUT), 1024: (1024, 768, SMALL_OUT)}  # screen width -> screen, folder
PERIOD, YEAR = "2024-H1", "2024-Y"
USB_DATA = r"E:\dkdesk-data"
USER, COLLEAGUE = "Nguyễn Thị Lan", "Trần Văn Minh"
MISSING = {"P-HUNGDAO", "P-TANTHANH", "HLHPN", "TA", "HCCB"}  # no figures for the first half
SUBMITTED = {"P-ANHDUNG", "P-DAPHUC", "P-HAITHANH", "LDLD", "GDDT", "VHTT"}
APPROVED = {"CA", "P-HOANGHIA"}
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
SCALE = {"lượt người": 37, "người": 3}  # people are counted in hundreds, sessions in tens
# the wrong figure typed for entry-errors.png: more workers informed than there are workers
WRONG_UNIT, WRONG_FIELD, WRONG_TEXT = "P-ANHDUNG", "nld_cskd_duoc_tt", "250"
HISTORY_UNIT, HISTORY_FIELD = "P-HAITHANH", "tt_so_buoi"


def realistic(desk, unit: str, n: int) -> dict[str, object]:  # noqa: ANN001
    """Plausible figures for every field of a unit's form (parts below their totals)."""
    values: dict[str, object] = {}
    for i, f in enumerate(desk.plan.form_fields(unit)):
        if f.type == "int":
            depth, root = 0, f
            while root.part_of:
                depth, root = depth + 1, desk.plan.field(root.part_of)
            top = min(f.max_value or 60, 60)
            base = max(1, (top // 2 + (n * 7 + i * 5) % (top // 2 + 1)) >> depth)
            values[f.code] = base * SCALE.get(root.measure, 1)  # a part scaled as its total
        elif f.type == "bool":
            values[f.code] = True
        else:
            values[f.code] = "Đã triển khai theo kế hoạch; phối hợp với các ngành tuyên truyền tại khu dân cư."
    values.update(SPECIFIC.get(unit, {}))
    if "cbcc_lien_quan" in values:
        values["cbcc_lien_quan"], values["cbcc_duoc_tap_huan"] = 6 + n % 5, 4 + n % 3
    return values


def filled_file(desk, unit: str, period: str, folder: Path, values: dict[str, object]) -> Path:  # noqa: ANN001
    """A unit's template filled in as a person would in Excel (only the Giá trị column)."""
    import openpyxl

    from dkdesk.exchange import layout
    from dkdesk.exchange.template import write_template

    path = folder / layout.filled_file_name(unit, period)
    write_template(desk.plan, unit, period, path)
    book = openpyxl.load_workbook(path)
    sheet = book[layout.SHEET_ENTRY]
    header = next(r for r in sheet.iter_rows(max_row=30) if r[1].value == layout.COL_CODE_TITLE)
    value_col = next(c.column for c in header if c.value == layout.COL_VALUE_TITLE)
    for row in sheet.iter_rows(min_row=header[0].row + 1):
        code = row[1].value
        if code in values:
            v = values[code]
            sheet.cell(row[0].row, value_col, ("Có" if v else "Không") if isinstance(v, bool) else v)
    book.save(path)
    return path


def build_demo(data: Path):  # noqa: ANN201 - returns (Desk, folder of files to import)
    """The demo database of the pictures, made only through the core (audited like real work)."""
    from dkdesk.core.desk import STATUS_APPROVED, STATUS_SUBMITTED, Desk
    from dkdesk.exchange import importer
    from dkdesk.safety.backup import backup_if_due, make_backup

    desk = Desk.open(data / "dkdesk.sqlite", who=USER)
    inbox, sent = data.parent / "tep-nhan-ve", data.parent / "da-nhap"
    inbox.mkdir()
    sent.mkdir()
    with desk.write() as s:
        for n, u in enumerate(desk.plan.units):
            if u.code not in MISSING and u.code != "LDLD":
                desk.set_values(u.code, PERIOD, realistic(desk, u.code, n), session=s, who=USER)
    history_values = realistic(desk, HISTORY_UNIT, 3)
    desk.set_values(HISTORY_UNIT, PERIOD, {HISTORY_FIELD: 9}, who=COLLEAGUE)
    desk.set_values(HISTORY_UNIT, PERIOD, {HISTORY_FIELD: history_values[HISTORY_FIELD]}, who=USER)
    make_backup(desk, "thu-cong")
    # one file received and imported, one refused (a word where a number belongs)
    ldld = filled_file(desk, "LDLD", PERIOD, sent, realistic(desk, "LDLD", 9))
    bad = filled_file(desk, "HLHPN", PERIOD, sent, {**realistic(desk, "HLHPN", 11), "cbcc_lien_quan": "mười"})
    importer.apply(desk, importer.preview(desk, [ldld, bad]), who=USER)
    for unit in SUBMITTED:
        desk.set_status(unit, PERIOD, STATUS_SUBMITTED, who=USER)
    for unit in APPROVED:
        desk.set_status(unit, PERIOD, STATUS_SUBMITTED, who=USER)
        desk.set_status(unit, PERIOD, STATUS_APPROVED, who=USER)
    backup_if_due(desk)
    # the files waiting on the USB stick: new, changed, already imported, refused
    shutil.copy(ldld, inbox / ldld.name)
    filled_file(desk, "P-TANTHANH", PERIOD, inbox, realistic(desk, "P-TANTHANH", 5))
    changed = {**realistic(desk, "P-DAPHUC", 2), "tt_so_buoi": 14, "nld_cskd_tong": 101, "nld_cskd_duoc_tt": 77}
    filled_file(desk, "P-DAPHUC", PERIOD, inbox, changed)
    filled_file(desk, "TA", PERIOD, inbox, {**realistic(desk, "TA", 7), "tt_so_buoi": "3,5"})
    return desk, inbox


class Camera:
    """Drives the Qt event loop and saves pictures (8-bit palette PNG) into ``OUT``."""

    def __init__(self, out: Path) -> None:
        from dkdesk.gui.app import ensure_app

        self.app = ensure_app()
        self.out = out
        self.room = (1 << 16, 1 << 16)  # the free area a window or dialog must fit (set per screen)
        self.written: list[Path] = []
        self.too_big: list[str] = []

    def wait(self, ms: int = 250) -> None:
        """Let Qt lay out and paint for ``ms`` milliseconds (a timer, not a processEvents loop)."""
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def wait_for(self, ready, seconds: float = 30.0) -> None:  # noqa: ANN001
        for _ in range(int(seconds * 10)):
            if ready():
                return
            self.wait(100)
        raise RuntimeError("the program did not get there in time")

    def shoot(self, widget, name: str) -> None:  # noqa: ANN001
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QImage

        from dkdesk.gui.ops import wait_ops

        wait_ops()  # what the screen asked the database for has arrived
        self.wait()  # and is laid out (a table refits its columns 60 ms after a resize)
        image = widget.grab().toImage().convertToFormat(QImage.Format.Format_Indexed8,
                                                        Qt.ImageConversionFlag.ThresholdDither)
        path = self.out / name
        if not image.save(str(path), "PNG", 0):
            raise RuntimeError(f"could not write {path}")
        self.written.append(path)
        print(f"{path.relative_to(ROOT)}  {image.width()}x{image.height()}  {path.stat().st_size // 1024} KB")
        if widget.isWindow() and (widget.width() > self.room[0] or widget.height() > self.room[1]):
            self.too_big.append(f"{path.relative_to(ROOT)} {widget.width()}x{widget.height()} on {self.room}")
        from PySide6.QtWidgets import QTableView

        for table in widget.findChildren(QTableView):
            header = table.horizontalHeader()
            shown = sum(header.sectionSize(c) for c in range(header.count()) if not header.isSectionHidden(c))
            if table.isVisible() and shown > table.viewport().width():
                self.too_big.append(f"{path.relative_to(ROOT)}: {table.objectName() or type(table.model()).__name__}"
                                    f" columns {shown} px in {table.viewport().width()} px")


def as_on_the_stick(label, data: Path) -> None:  # noqa: ANN001
    """The demo lives in a temporary folder: show the path it would have on the office PC's USB stick."""
    text = label.text()
    for name in ("dkdesk.sqlite", "backups"):
        text = text.replace(str(data / name), USB_DATA + "\\" + name)
    label.setText(text)


def click_unit(cam: Camera, entry, code: str) -> None:  # noqa: ANN001
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    tree = entry.unit_selector
    item = entry.unit_items()[code]
    tree.scrollToItem(item)
    cam.wait(50)
    QTest.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center())
    cam.wait()


def as_on_a_screen(width: int, height: int) -> None:
    """Dialogs fit the free area of a ``width`` x ``height`` screen above a Windows taskbar."""
    from PySide6.QtCore import QRect

    from dkdesk.gui import sizing

    sizing.available_room = lambda _widget=None: QRect(0, 0, width, height - TASKBAR)


def take_window_shots(cam: Camera, desk, inbox: Path, width: int, height: int) -> None:  # noqa: ANN001, C901
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from dkdesk.core.settings import Settings, load_settings, save_settings
    from dkdesk.gui.app import create_main_window
    from dkdesk.gui.context import DataBus, GuiContext

    as_on_a_screen(width, height)
    cam.room = (width, height - TASKBAR - TITLE_BAR)
    save_settings(Settings(user_name=USER, role="consolidator", last_period=PERIOD))
    window = create_main_window(desk, settings=load_settings())
    window.resize(*cam.room)
    window.move(0, 0)
    data = desk.sqlite_path.parent
    as_on_the_stick(window.db_label, data)
    window.show()
    window.activateWindow()
    cam.wait(600)

    # first run: the dialog a new machine shows, the name being typed
    from dkdesk.gui.first_run import FirstRunDialog

    first = FirstRunDialog(GuiContext(desk, Settings(), DataBus(), False), window)
    first.show()
    first.name_edit.setFocus()
    first.name_edit.insert(f"{USER} - Phòng LĐTBXH")  # QTest.keyClicks types ASCII only
    cam.shoot(first, "first-run.png")
    first.close()

    # Nhập liệu: the start screen, then a wrong figure, a locked report, a field's history
    entry = window.tabs_by_title["Nhập liệu"]
    click_unit(cam, entry, "P-HAITHANH")
    cam.shoot(window, "main-window.png")

    click_unit(cam, entry, WRONG_UNIT)
    editor = entry.form.editors[WRONG_FIELD]
    entry.scroll.ensureWidgetVisible(editor, 20, 160)
    QTest.mouseClick(editor, Qt.MouseButton.LeftButton)
    editor.selectAll()
    QTest.keyClicks(editor, WRONG_TEXT)
    QTest.keySequence(window, "Ctrl+S")  # refused: the message names the error
    entry.scroll.ensureWidgetVisible(editor, 20, 160)
    cam.shoot(window, "entry-errors.png")
    entry.form.load(desk.get_values(WRONG_UNIT, PERIOD).values)  # leave without the unsaved question

    click_unit(cam, entry, "CA")
    cam.shoot(window, "entry-locked.png")

    click_unit(cam, entry, HISTORY_UNIT)
    from dkdesk.gui.history_dialog import HistoryDialog

    entries = desk.history(unit=HISTORY_UNIT, period=PERIOD, field=HISTORY_FIELD)
    history = HistoryDialog(window.ctx, HISTORY_UNIT, PERIOD, HISTORY_FIELD, entries, window)
    history.show()
    cam.shoot(history, "history-dialog.png")
    history.close()

    # Trao đổi Excel: the tab with its import history, then the preview of a folder from the USB stick
    exchange = window.tabs_by_title["Trao đổi Excel"]
    window.tab_widget.setCurrentWidget(exchange)
    exchange.refresh_history()
    cam.shoot(window, "exchange-tab.png")
    exchange.import_files([str(inbox)])
    cam.wait_for(lambda: exchange.preview_dialog is not None and exchange.preview_dialog.isVisible())
    preview = exchange.preview_dialog
    changed = next(i for i, p in enumerate(preview.model.rows) if p.status == "changed")
    preview.files_view.selectRow(changed)
    cam.shoot(preview, "import-preview.png")
    preview.reject()

    # Tổng quan: the indicators, then one indicator's units (double-click on its row)
    overview = window.tabs_by_title["Tổng quan"]
    window.tab_widget.setCurrentWidget(overview)
    overview.set_period(PERIOD)
    cam.wait(600)
    cam.shoot(window, "overview.png")
    table = overview.table
    row = next(r for r in range(overview.model.rowCount()) if overview.model.result(r).missing_units)
    index = overview.model.index(row, 1)
    table.scrollTo(index)
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())
    QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())
    cam.wait(500)
    if getattr(overview, "contribution_dialog", None) is None:
        print("double-click not delivered under Xvfb; opening the row as Enter would")
        overview.show_contributions(index)
    cam.wait_for(lambda: getattr(overview, "contribution_dialog", None) is not None)
    cam.shoot(overview.contribution_dialog, "contribution-dialog.png")
    overview.contribution_dialog.close()

    # Báo cáo and the year-end preparation (the annual period shows its button)
    from dkdesk.gui.report_dialog import ReportDialog
    from dkdesk.gui.year_end_dialog import YearEndDialog

    report = ReportDialog(window.ctx, window, YEAR)
    documents = "C:\\Users\\Lan\\Documents\\"  # the demo has no Documents folder: show the office PC's
    for edit in (report.xlsx_edit, report.docx_edit):
        edit.setText(documents + Path(edit.text()).name)
    report.show()
    cam.shoot(report, "report-dialog.png")
    report.close()
    year_end = YearEndDialog(window.ctx, window, YEAR)
    year_end.show()
    cam.shoot(year_end, "year-end-dialog.png")
    year_end.close()

    # Sao lưu / Khôi phục
    from dkdesk.gui.backup_dialog import BackupDialog

    backups = BackupDialog(window.ctx, window)
    as_on_the_stick(backups.folder_label, data)
    backups.show()
    backups.table.selectRow(1)
    cam.shoot(backups, "backup-dialog.png")
    backups.close()

    if cam.out != OUT:  # the guide window (F1) on the small screen; the guide itself shows no picture of it
        from dkdesk.gui.help_dialog import HelpDialog

        guide = HelpDialog(window)
        guide.show()
        cam.shoot(guide, "help-dialog.png")
        guide.close()

    # Nhật ký
    journal = window.tabs_by_title["Nhật ký"]
    window.tab_widget.setCurrentWidget(journal)
    journal.refresh()
    cam.shoot(window, "journal.png")

    take_plan_shot(cam, window)

    # a second dkdesk on the same database (another process: the writer lock is per process)
    subprocess.run([sys.executable, __file__, "--read-only-shot", str(desk.sqlite_path), str(width), str(height),
                    str(cam.out)], check=True, timeout=120)
    cam.written.append(cam.out / "read-only.png")
    window.close()


STATION_UNIT, STATION_USER = "P-HUNGDAO", "Trần Thị Hoa"
STATION_FOLDER = "C:\\Users\\Hoa\\Documents\\Báo cáo gửi quận"


def take_station_shots(cam: Camera, work: Path) -> None:
    """A ward's own PC (its own small database): the window of a unit workstation, then the box
    "Gửi báo cáo" ends with (the path shown as on the office PC)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from dkdesk.core.desk import Desk
    from dkdesk.core.settings import Settings, load_settings, save_settings
    from dkdesk.gui import unit_station
    from dkdesk.gui.app import create_main_window
    from dkdesk.gui.ops import wait_ops

    folder = work / "bao-cao-gui-quan"
    folder.mkdir()
    ward = Desk.open(work / "may-phuong.sqlite", who=STATION_USER)
    try:
        ward.set_values(STATION_UNIT, PERIOD, realistic(ward, STATION_UNIT, 4), who=STATION_USER)
        save_settings(Settings(user_name=STATION_USER, role="unit", unit=STATION_UNIT, last_period=PERIOD))
        window = create_main_window(ward, settings=load_settings())
        window.resize(*cam.room)
        window.move(0, 0)
        window.db_label.setText(window.db_label.text().replace(str(work / "may-phuong.sqlite"),
                                                               USB_DATA + "\\dkdesk.sqlite"))
        window.show()
        window.activateWindow()
        cam.wait(600)
        cam.shoot(window, "unit-station.png")
        unit_station.choose_folder = lambda *_a: str(folder)  # the folder picker is Windows' own
        entry = window.tabs_by_title["Nhập liệu"]
        QTest.mouseClick(entry.buttons["sendButton"], Qt.MouseButton.LeftButton)
        cam.wait_for(lambda: wait_ops(100) and entry.report_sender is not None
                     and entry.report_sender.box is not None)
        box = entry.report_sender.box
        box.setText(box.text().replace(str(folder) + os.sep, STATION_FOLDER + "\\"))  # rich text: no escaping
        cam.shoot(box, "unit-sent.png")
        box.done(0)
        window.close()
    finally:
        ward.close()


def take_plan_shot(cam: Camera, window) -> None:  # noqa: ANN001
    """Kế hoạch → Lập kế hoạch năm sau…: the 2025 draft, its Đơn vị page after the wards' merger."""
    from datetime import date

    from dkdesk.catalogue import plan_edit
    from dkdesk.gui.plan_dialog import PAGE_UNITS, PlanDialog

    draft = plan_edit.next_year(window.ctx.desk.plan)
    draft = plan_edit.merge_units(draft, ["P-ANHDUNG", "P-DAPHUC", "P-HUNGDAO"], "P-HUNGDAO", "UBND phường Hưng Đạo",
                                  date(2025, 7, 1), short_name="P. Hưng Đạo")
    draft = plan_edit.merge_units(draft, ["P-HAITHANH", "P-HOANGHIA", "P-TANTHANH"], "P-DUONGKINH",
                                  "UBND phường Dương Kinh", date(2025, 7, 1), short_name="P. Dương Kinh")
    draft = plan_edit.close_unit(draft, "CA", date(2025, 3, 1))
    dialog = PlanDialog(window.ctx, draft, window)
    dialog.pages.setCurrentIndex(PAGE_UNITS)
    dialog.show()
    table = dialog.units_table
    table.scrollToBottom()
    table.selectRow(table.rowCount() - 1)
    cam.shoot(dialog, "plan-dialog.png")
    dialog.close()


def take_report_shots(cam: Camera, desk, work: Path) -> None:  # noqa: ANN001
    """First page of the produced workbook and draft, rendered by LibreOffice and pdftoppm."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    from dkdesk.reports.output import make_reports

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftoppm") is None:
        print("report-xlsx.png / report-docx.png kept as they are (no LibreOffice or pdftoppm)")
        return
    files = make_reports(desk, PERIOD, work / "bao-cao.xlsx", work / "bao-cao.docx")
    for source, name, width in ((files.xlsx, "report-xlsx.png", 1170), (files.docx, "report-docx.png", 745)):
        subprocess.run([soffice, f"-env:UserInstallation=file://{work}/lo-profile", "--headless",
                        "--convert-to", "pdf", "--outdir", str(work), str(source)],
                       check=True, capture_output=True, timeout=180,
                       env={**os.environ, "LANG": "vi_VN.UTF-8", "LC_ALL": "vi_VN.UTF-8"})
        # as on an office PC set to Vietnamese: 5.200 and 59,99% (Excel cells hold numbers;
        # the separators follow the reader's regional settings)
        pdf = work / (Path(source).stem + ".pdf")
        stem = work / Path(name).stem
        subprocess.run(["pdftoppm", "-png", "-f", "1", "-l", "1", "-singlefile", "-scale-to-x", str(width),
                        "-scale-to-y", "-1", str(pdf), str(stem)], check=True, timeout=120)
        image = QImage(str(stem) + ".png").convertToFormat(QImage.Format.Format_Indexed8,
                                                          Qt.ImageConversionFlag.ThresholdDither)
        path = cam.out / name
        image.save(str(path), "PNG", 0)
        cam.written.append(path)
        print(f"{path.relative_to(ROOT)}  {image.width()}x{image.height()}  {path.stat().st_size // 1024} KB")


def read_only_shot(db: Path, width: int, height: int, out: Path) -> int:
    """Run as a second program while the first holds the database: its status bar says CHỈ ĐỌC."""
    from dkdesk.core.desk import Desk
    from dkdesk.core.settings import load_settings
    from dkdesk.gui.app import create_main_window

    cam = Camera(out)
    cam.room = (width, height - TASKBAR - TITLE_BAR)
    desk = Desk.open(db, who=COLLEAGUE)
    window = create_main_window(desk, settings=load_settings())
    as_on_the_stick(window.db_label, db.parent)
    window.resize(*cam.room)
    window.show()
    cam.wait(400)
    cam.shoot(window.statusBar(), "read-only.png")
    read_only = desk.read_only and window.width() <= cam.room[0]  # the long status bar fits the screen
    window.close()
    desk.close()
    return 0 if read_only else 1


def main(argv: list[str]) -> int:
    if argv[:1] == ["--read-only-shot"]:
        return read_only_shot(Path(argv[1]), int(argv[2]), int(argv[3]), Path(argv[4]))
    sizes = [int(argv[argv.index("--only") + 1])] if "--only" in argv else list(SIZES)
    work = Path(tempfile.mkdtemp(prefix="dkdesk-shots-"))
    data = work / "USB" / "dkdesk-data"
    data.mkdir(parents=True)
    os.environ["DKDESK_SETTINGS"] = str(data / "settings.json")
    os.environ.setdefault("DKDESK_PLAN", str(ROOT / "resources" / "plans" / "duong-kinh-2024.toml"))
    desk, inbox = build_demo(data)
    cam = Camera(OUT)
    try:
        for width in sizes:
            screen_w, screen_h, cam.out = SIZES[width]
            cam.out.mkdir(parents=True, exist_ok=True)
            take_window_shots(cam, desk, inbox, screen_w, screen_h)
            if width == 1366:  # the guide's pictures of a ward's PC
                take_station_shots(cam, work)
        if "--no-office" not in argv and 1366 in sizes:
            cam.out = OUT
            take_report_shots(cam, desk, work)
    finally:
        desk.close()
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(cam.written)} pictures; {len(cam.too_big)} larger than their screen or with a table cut off")
    for line in cam.too_big:
        print("  too big:", line)
    return 1 if cam.too_big else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
