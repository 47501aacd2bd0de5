"""A unit's workstation ("Máy của đơn vị"): the ward or office PC on which one unit types its own
report and sends it to the consolidating office (Phòng LĐTBXH) as a filled Excel file.

The machine's role is in the settings (``Settings.role``/``unit``, asked by the first-run dialog,
changed with "Tệp → Máy của đơn vị..."). ``apply_station(window)`` makes the window fit it:

* the title and the banner say whose machine it is;
* the Nhập liệu tree and the Nhật ký unit filter show that unit only (the journal only its
  changes); "Đánh dấu đã nộp", "Duyệt và khóa" and "Duyệt và khóa mọi báo cáo của kỳ" are hidden
  ("Mở khóa" only appears on a report that is locked, so nobody is stuck); "Gửi báo cáo..."
  appears on the tab and in the Dữ liệu menu;
* the consolidator's tabs (Tổng quan: the district's indicators and the consolidated report with the
  year-end closing; Trao đổi Excel: templates for every unit and the import of their files) and
  menu actions (Nhập tệp Excel, Xuất mẫu Excel cho các đơn vị, Báo cáo tổng hợp) are hidden.

On the consolidator's machine nothing of this shows and the window is as before.

``ReportSender`` is "Gửi báo cáo": save unsaved typing first, check what the submission rules
still miss (the core's ``exchange.template.unit_report``), pick the folder (remembered), ask
before overwriting, write the filled report on the worker (``write_unit_report``, the function of
``dkdesk template --filled``), then say where it went and offer to open the folder. Its questions
are window-modal boxes opened one after the other (``self.box``), never a nested event loop.
"""
from __future__ import annotations

import html
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QUrl, Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from dkdesk import APP_TITLE
from dkdesk.core.records import period_name
from dkdesk.core.settings import save_settings
from dkdesk.exchange.layout import filled_file_name
from dkdesk.gui.messages import describe
from dkdesk.gui.ops import query

if TYPE_CHECKING:
    from dkdesk.catalogue.model import Plan
    from dkdesk.exchange.template import UnitReport
    from dkdesk.gui.context import GuiContext
    from dkdesk.gui.entry_tab import EntryTab
    from dkdesk.gui.main_window import MainWindow

ENTRY_TAB = "Nhập liệu"
CONSOLIDATOR_TABS = ("Tổng quan", "Trao đổi Excel")
# the district's work: importing every unit's files, templates for all, the consolidated report,
# making next year's plan and archiving a plan (a ward still chooses a plan and imports the plan file
# the office sends it: Kế hoạch → Chọn / Nhập kế hoạch)
CONSOLIDATOR_ACTIONS = ("actionImport", "actionTemplates", "actionReport", "actionNextYearPlan", "actionArchivePlan")
TITLE = "Gửi báo cáo"
MISSING_LISTED = 12  # names of missing fields listed in the box; the rest are counted


def station_unit(ctx: GuiContext) -> str:
    """The unit whose workstation this is, "" on the consolidator's machine (or a unit the plan lacks)."""
    unit = ctx.settings.station_unit
    return unit if unit and ctx.desk.plan.has_unit(unit) else ""


def consolidator_name(plan: Plan) -> str:
    code = plan.info.consolidator
    return plan.unit(code).short_name if plan.has_unit(code) else "Phòng LĐTBXH"


def station_title(ctx: GuiContext) -> str:
    """The window title; a unit's workstation names the unit first (a taskbar button shows the start)."""
    from dkdesk.gui.plan_menu import window_title

    unit = station_unit(ctx)
    title = window_title(ctx.desk.plan)  # names the plan worked on
    if not unit:
        return title
    app, _sep, rest = title.partition(" - ")
    return f"{app} - Máy của {ctx.desk.plan.unit(unit).name}" + (f" - {rest}" if rest else "")


def apply_station(window: MainWindow) -> None:
    """Make the window fit the machine's role (see the module docstring)."""
    ctx = window.ctx
    unit = station_unit(ctx)
    window.setWindowTitle(station_title(ctx))
    tabs = window.tab_widget
    for i in range(tabs.count()):
        if tabs.tabText(i) in CONSOLIDATOR_TABS:
            tabs.setTabVisible(i, not unit)
    if unit and tabs.tabText(tabs.currentIndex()) in CONSOLIDATOR_TABS:
        tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == ENTRY_TAB))
    for name in CONSOLIDATOR_ACTIONS:
        window.actions_by_name[name].setVisible(not unit)
    window.actions_by_name["actionSend"].setVisible(bool(unit))
    window._fill_banner()
    entry = window.tabs_by_title.get(ENTRY_TAB)
    if entry is not None:
        entry.set_station(unit)  # type: ignore[attr-defined]
    for tab in window.tabs_by_title.built():  # the Nhật ký tab, once built, shows that unit only
        follow = getattr(tab, "set_station", None)
        if tab is not entry and follow is not None:
            follow(unit)


def change_station(window: MainWindow) -> None:
    """"Tệp → Máy của đơn vị...": the first-run dialog again (name and role), once the form may
    be left (unsaved typing saved or dropped), then the window follows the answer."""
    from dkdesk.gui.first_run import FirstRunDialog

    def ask() -> None:
        dialog = FirstRunDialog(window.ctx, window, first=False)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            window._fill_status_bar()
            apply_station(window)

    entry = window.tabs_by_title.get(ENTRY_TAB)
    if entry is None:
        ask()
        return
    entry._leave_then(ask, lambda: None)  # type: ignore[attr-defined]


def choose_folder(parent: QWidget, title: str, start: str) -> str:
    """The folder picker (replaced in tests: a native dialog cannot be driven)."""
    return QFileDialog.getExistingDirectory(parent, title, start)


def open_folder(folder: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def start_folder(ctx: GuiContext) -> str:
    remembered = ctx.settings.send_folder
    if remembered and Path(remembered).is_dir():
        return remembered
    from dkdesk.gui.report_dialog import documents_dir

    return str(documents_dir())


class ReportSender:
    """One "Gửi báo cáo" of the unit and period shown on the entry tab (see the module docstring)."""

    def __init__(self, tab: EntryTab) -> None:
        self.tab = tab
        self.ctx = tab.ctx
        self.plan = tab.plan
        self.unit, self.period = tab.unit, tab.period
        self.box: QMessageBox | None = None  # the question on screen
        self.path: Path | None = None  # the file written (once written)
        self.missing = 0

    @property
    def what(self) -> str:
        return f"{self.plan.unit(self.unit).name} — {period_name(self.plan, self.period)}"

    # -- the steps ---------------------------------------------------------------------------
    def start(self) -> None:
        form = self.tab.form
        if form is not None and form.is_dirty():
            self._ask(QMessageBox.Icon.Question,
                      f"Số liệu của {self.what} đã sửa nhưng chưa lưu. Lưu rồi gửi báo cáo?",
                      ["Lưu và gửi", "Hủy"], lambda i: self.tab.save(then=self._check) if i == 0 else None)
            return
        self._check()

    def _check(self) -> None:
        from dkdesk.exchange import template  # openpyxl: loaded when first needed

        unit, period = self.unit, self.period
        query(self.tab, self.ctx, lambda desk: template.unit_report(desk, unit, period), title=TITLE) \
            .success(self._checked).run()

    def _checked(self, report: UnitReport) -> None:
        if not report.values:
            self.tab.say(f"Chưa gửi: {self.what} chưa có số liệu nào.", error=True)
            self._ask(QMessageBox.Icon.Warning, f"Báo cáo {self.what} chưa có số liệu nào để gửi.\n\n"
                      "Hãy nhập số liệu, bấm Lưu, rồi bấm Gửi báo cáo.", ["Đóng"], lambda _i: None)
            return
        if not report.missing:
            self._pick()
            return
        self.missing = len(report.missing)
        form = self.tab.form
        if form is not None and self.tab.unit == self.unit and self.tab.period == self.period:
            form.show_core_errors(report.missing)  # red, until typed into
        names = [f"• {self.plan.field(e.field).label}" if e.field else f"• {e.message}"
                 for e in report.missing[:MISSING_LISTED]]
        more = len(report.missing) - len(names)
        text = (f"Báo cáo {self.what} còn {len(report.missing)} ô bắt buộc chưa nhập:\n" + "\n".join(names)
                + (f"\n… và {more} ô khác." if more > 0 else "")
                + "\n\nNên nhập đủ rồi mới gửi (số liệu bằng 0 thì gõ 0). Các ô này được tô đỏ trên biểu mẫu.")
        self._ask(QMessageBox.Icon.Warning, text, ["Quay lại nhập", "Vẫn gửi báo cáo còn thiếu"],
                  lambda i: self._pick() if i == 1 else self._back_to_form())

    def _back_to_form(self) -> None:
        self.tab.say(f"Chưa gửi: còn {self.missing} ô bắt buộc chưa nhập (tô đỏ).", error=True)
        form = self.tab.form
        editor = form.first_error_editor() if form is not None else None
        if editor is not None:
            self.tab.scroll.ensureWidgetVisible(editor)
            editor.setFocus()

    def _pick(self) -> None:
        folder = choose_folder(self.tab, "Chọn thư mục để lưu tệp báo cáo gửi đi", start_folder(self.ctx))
        if not folder:
            self.tab.say("Chưa gửi: chưa chọn thư mục.")
            return
        settings = self.ctx.settings
        if settings.send_folder != folder:
            settings.send_folder = folder
            try:
                save_settings(settings)
            except OSError:
                pass  # remembering the folder is a convenience, never a reason to fail
        path = Path(folder) / filled_file_name(self.unit, self.period)
        if path.exists():
            try:
                when = f" (ghi lúc {datetime.fromtimestamp(path.stat().st_mtime):%H:%M %d/%m/%Y})"
            except OSError:
                when = ""
            self._ask(QMessageBox.Icon.Question,
                      f"Trong thư mục\n{folder}\nđã có tệp {path.name}{when}.\n\n"
                      "Ghi đè bằng báo cáo hiện tại?", ["Ghi đè", "Hủy"],
                      lambda i: self._write(path) if i == 0 else self.tab.say(
                          f"Chưa gửi: giữ nguyên tệp {path.name} đã có."), default=1)
            return
        self._write(path)

    def _write(self, path: Path) -> None:
        from dkdesk.exchange import template

        unit, period = self.unit, self.period
        self.tab.say(f"Đang ghi báo cáo vào {path}...")
        query(self.tab, self.ctx, lambda desk: template.write_unit_report(desk, unit, period, path), title=TITLE) \
            .success(self._written).failure(lambda exc: self._failed(path, exc)).run()

    def _written(self, path: Path) -> None:
        self.path = path
        self.tab.say(f"Đã ghi báo cáo vào {path}.")
        deadline = self.plan.period(self.period).deadline
        short = f"<br><br>Lưu ý: báo cáo còn thiếu {self.missing} ô bắt buộc." if self.missing else ""
        self._ask(QMessageBox.Icon.Information,
                  f"Đã ghi báo cáo <b>{html.escape(self.what)}</b> vào tệp:<br>"
                  f"<span style=\"white-space: nowrap\">{html.escape(str(path))}</span>{short}<br><br>"  # the path is never cut in two
                  f"Hãy gửi tệp này cho {html.escape(consolidator_name(self.plan))} (thư điện tử, Zalo hoặc "
                  f"USB) trước hạn {deadline:%d/%m/%Y}.", ["Mở thư mục", "Đóng"],
                  lambda i: open_folder(path.parent) if i == 0 else None, rich=True)
        if self.box is not None:  # wide enough for the path on one line (QMessageBox wraps at ~500 px)
            width = min(self.box.fontMetrics().horizontalAdvance(str(path)) + 24, 900)
            self.box.setStyleSheet(f"QLabel#qt_msgbox_label {{ min-width: {width}px; }}")

    def _failed(self, path: Path, exc: BaseException) -> None:
        self.tab.say(f"Chưa ghi được báo cáo vào {path}.", error=True)
        hint = ("\n\nNếu tệp này đang mở trong Excel, hãy đóng nó rồi bấm Gửi báo cáo lại."
                if isinstance(exc, PermissionError) else "")
        self._ask(QMessageBox.Icon.Warning, f"Chưa ghi được báo cáo vào\n{path}\n\n{describe(exc)}{hint}",
                  ["Đóng"], lambda _i: None)

    # -- the boxes ------------------------------------------------------------------------
    def _ask(self, icon: QMessageBox.Icon, text: str, buttons: list[str], then: Callable[[int], object],
             default: int = 0, rich: bool = False) -> None:
        """A window-modal box; ``then(index of the button clicked)`` once it closes (Esc and the
        close button count as the last button)."""
        box = QMessageBox(icon, TITLE, text, parent=self.tab)
        box.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
        last = len(buttons) - 1
        made = [box.addButton(label, QMessageBox.ButtonRole.RejectRole if i == last and last
                              else QMessageBox.ButtonRole.AcceptRole) for i, label in enumerate(buttons)]
        box.setDefaultButton(made[default])
        box.setEscapeButton(made[last])
        box.setWindowModality(Qt.WindowModality.WindowModal)

        def closed(_result: int) -> None:
            clicked = box.clickedButton()
            index = made.index(clicked) if clicked in made else last
            if self.box is box:
                self.box = None
            box.deleteLater()
            then(index)

        box.finished.connect(closed)
        self.box = box
        box.open()
