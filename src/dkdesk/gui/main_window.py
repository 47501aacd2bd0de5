"""The main window: menus, the four tabs, the status bar. Built from ``ui/main_window.ui``.

``MainWindow(settings, where)`` is shown at once in an opening state (``dkdesk.gui.startup``):
no tab yet, a centred "Đang mở cơ sở dữ liệu…" page, the status bar saying so, the menus'
actions disabled. ``desk_opened(desk)`` then makes ``ctx`` and builds the tabs over the Desk.
"""
from __future__ import annotations

import html
import importlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl, Qt
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabWidget, QVBoxLayout

from dkdesk import APP_TITLE, __version__
from dkdesk.core.settings import Settings
from dkdesk.gui.context import DataBus, GuiContext
from dkdesk.gui.lazy_tabs import LazyTabs
from dkdesk.gui.sizing import ElidedLabel
from dkdesk.gui.unit_station import apply_station, change_station, station_unit
from dkdesk.gui.uiload import load_ui

if TYPE_CHECKING:
    from dkdesk.core.desk import Desk

# (module, class, tab title); a tab's class takes (ctx, parent) and may define
# ``maybe_close() -> bool`` (asked before the window closes) and ``save()``.
TABS = [
    ("dkdesk.gui.entry_tab", "EntryTab", "Nhập liệu"),
    ("dkdesk.gui.overview_tab", "OverviewTab", "Tổng quan"),
    ("dkdesk.gui.exchange_tab", "ExchangeTab", "Trao đổi Excel"),
    ("dkdesk.gui.journal_tab", "JournalTab", "Nhật ký"),
]


class MainWindow(QMainWindow):
    """Hosts the tabs; menus forward to them. ``self.tabs_by_title`` finds a tab."""

    ctx: GuiContext  # made at hand-over (``desk_opened``)

    def __init__(self, settings: Settings, where: str = "") -> None:
        super().__init__()
        self.settings = settings
        self.opened = False
        form = load_ui("main_window.ui")
        assert isinstance(form, QMainWindow)
        # adopt the designer window's parts
        central = form.centralWidget()
        assert central is not None
        self.setMenuBar(form.menuBar())
        self.setCentralWidget(central)
        self.setStatusBar(form.statusBar())
        self.resize(form.size())
        self.setWindowTitle(APP_TITLE)
        self.actions_by_name: dict[str, QAction] = {a.objectName(): a for a in form.findChildren(QAction)}
        for a in self.actions_by_name.values():
            a.setParent(self)
        tabs, banner, layout = central.findChild(QTabWidget, "tabs"), central.findChild(QLabel, "planBanner"), \
            central.layout()
        assert tabs is not None and banner is not None and isinstance(layout, QVBoxLayout)
        self.tab_widget: QTabWidget = tabs
        self.banner: QLabel = banner
        form.deleteLater()
        self.tabs_by_title: LazyTabs = LazyTabs(self.tab_widget, [], lambda cls: cls(self.ctx, self))  # none yet
        self._wire_actions()
        from dkdesk.gui.plan_menu import install_plan_menu

        self.plan_menu = install_plan_menu(self)  # "Kế hoạch"
        # a long path is cut with "…" (whole in the tooltip): never wider than a 1024-pixel screen
        self.db_label = ElidedLabel(f"Cơ sở dữ liệu: {where}" if where else "")
        self.statusBar().addWidget(self.db_label, 1)
        self.opening_label: QLabel | None = QLabel("Đang mở cơ sở dữ liệu…")
        self.opening_label.setObjectName("openingLabel")
        self.opening_label.setStyleSheet("color: #1f3b5a;")
        self.statusBar().addPermanentWidget(self.opening_label)
        self.period_label = QLabel()  # the working period, once the Desk is open ("Kỳ: Năm 2024")
        self.period_label.setObjectName("statusPeriodLabel")
        self.period_label.setToolTip("Kỳ đang làm việc, chung cho cả cửa sổ: đổi ở ô Kỳ báo cáo của thẻ Nhập liệu, "
                                     "Tổng quan hoặc Trao đổi Excel.")
        self.period_label.hide()
        self.statusBar().addPermanentWidget(self.period_label)
        self.opening_page: QLabel | None = QLabel("Đang mở cơ sở dữ liệu…")
        self.opening_page.setObjectName("openingPage")
        self.opening_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.opening_page.setStyleSheet("QLabel { color: #1f3b5a; font-size: 14pt; }")
        layout.addWidget(self.opening_page, 1)  # centred in the whole window
        self.tab_widget.hide()
        self.banner.hide()
        self._allow_actions(False)

    # -- set-up ---------------------------------------------------------------------------
    def _wire_actions(self) -> None:
        a = self.actions_by_name
        a["actionQuit"].setShortcut(QKeySequence("Ctrl+Q"))  # StandardKey.Quit is empty on Windows
        a["actionQuit"].triggered.connect(self.close)
        a["actionSave"].setShortcut(QKeySequence.StandardKey.Save)
        a["actionSave"].triggered.connect(self._save)
        a["actionImport"].setShortcut(QKeySequence.StandardKey.Open)
        a["actionImport"].triggered.connect(lambda: self._forward("Trao đổi Excel", "import_files"))
        a["actionTemplates"].triggered.connect(lambda: self._forward("Trao đổi Excel", "export_templates"))
        a["actionReport"].triggered.connect(lambda: self._forward("Tổng quan", "make_report"))
        a["actionGuide"].setShortcut(QKeySequence.StandardKey.HelpContents)
        a["actionGuide"].triggered.connect(self.open_guide)
        a["actionAbout"].triggered.connect(self.about)
        a["actionOpenDataFolder"].triggered.connect(self._open_data_folder)
        a["actionBackup"].triggered.connect(lambda: self._run_dialog("dkdesk.gui.backup_dialog", "open_backup_dialog"))
        a["actionRestore"].triggered.connect(lambda: self._run_dialog("dkdesk.gui.backup_dialog", "open_backup_dialog"))
        a["actionStation"].triggered.connect(lambda: change_station(self))
        a["actionSend"].triggered.connect(lambda: self._forward("Nhập liệu", "send_report"))

    def _fill_banner(self) -> None:
        """The plan, and whose machine this is or how many units report for the working period (a
        unit closed before it, or founded after it, does not: the banner follows the period)."""
        plan, station = self.ctx.desk.plan, station_unit(self.ctx)
        info, period = plan.info, self.ctx.period.code
        active = plan.active_units(period)
        whose = (f"Máy của đơn vị: <b>{html.escape(plan.unit(station).name)}</b>" if station else
                 f"{len(active)} đơn vị báo cáo kỳ này, {len(plan.indicators)} chỉ tiêu")
        self.banner.setText(f"<b>Ủy ban nhân dân {info.district}</b> — Kế hoạch phòng, chống mại dâm năm {info.year}"
                            f" &nbsp;·&nbsp; {whose}")
        tip = f"{info.title}\n\nKỳ {plan.period(period).name}: {len(active)} đơn vị báo cáo"
        closed = plan.closed_units(period)
        if closed:
            tip += "; không báo cáo kỳ này: " + "; ".join(f"{u.name} ({plan.closed_note(u.code, period)})"
                                                         for u in closed)
        self.banner.setToolTip(tip)
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.banner.setStyleSheet("QLabel { color: #1f3b5a; padding: 2px 2px 6px 2px; }")

    def _fill_status_bar(self) -> None:
        desk = self.ctx.desk
        where = str(desk.sqlite_path) if desk.sqlite_path else desk.url
        text = f"Cơ sở dữ liệu: {where}   |   Kế hoạch: {desk.plan.info.code} ({desk.plan.info.year})"
        if self.ctx.settings.user_name:
            text += f"   |   Người dùng: {self.ctx.settings.user_name}"
        self.db_label.setText(text)

    def _show_period(self, _code: str = "") -> None:
        self.period_label.setText(f"Kỳ: {self.ctx.period.name}")
        self.period_label.show()

    def _fill_warnings(self) -> None:
        """Read-only and network-drive warnings, once the Desk is open."""
        desk = self.ctx.desk
        from dkdesk.safety.location import network_warning

        network = network_warning(desk.sqlite_path)
        if network:
            self.network_label = QLabel("CẢNH BÁO: dữ liệu nằm trên ổ mạng")
            self.network_label.setObjectName("networkLabel")
            self.network_label.setToolTip(network)
            self.network_label.setStyleSheet("color: #a15c00; font-weight: bold;")
            self.statusBar().addPermanentWidget(self.network_label)

    def _follow_read_only(self) -> None:
        """At the hand-over and after each plan switch: the status bar says "CHỈ ĐỌC" (why, in its
        tooltip) when the Desk is read-only, and the plan menu's writing actions are off."""
        read_only, reason = self.ctx.read_only, getattr(self.ctx.desk, "read_only_reason", "")
        label = self.findChild(QLabel, "readOnlyLabel")
        if read_only and label is None:
            label = QLabel("CHỈ ĐỌC: một dkdesk khác đang mở cơ sở dữ liệu này")
            label.setObjectName("readOnlyLabel")
            label.setStyleSheet("color: #b00020; font-weight: bold;")
            self.statusBar().addPermanentWidget(label)
        if label is not None:
            label.setToolTip(reason)
            label.setVisible(read_only)
        self.plan_menu.follow_read_only(read_only, reason)

    def _allow_actions(self, allowed: bool) -> None:
        for name, action in self.actions_by_name.items():
            action.setEnabled(allowed or name in ("actionQuit", "actionGuide"))

    def desk_opened(self, desk: Desk) -> None:
        """The hand-over: the window gets its ``ctx`` over the opened Desk and builds its tabs
        (the first at once, the others when first shown); writing becomes possible."""
        self._take(desk)
        self._fill_warnings()
        for widget in (self.opening_label, self.opening_page):
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.opening_label = self.opening_page = None
        self.tabs_by_title = LazyTabs(self.tab_widget, TABS, lambda cls: cls(self.ctx, self))
        self.banner.show()
        self.tab_widget.show()
        self._allow_actions(True)
        self._follow_read_only()
        apply_station(self)  # a unit's workstation: its unit only, no approval, "Gửi báo cáo"
        self.opened = True

    def _take(self, desk: Desk) -> None:
        """A new ``ctx`` over ``desk`` (at the hand-over, and over another plan): banner, status bar
        and title say what it holds, and the banner and status bar follow its working period."""
        self.ctx = GuiContext(desk=desk, settings=self.settings, bus=DataBus(), read_only=desk.read_only)
        self.ctx.period.period_changed.connect(lambda _code: self._fill_banner())
        self.ctx.period.period_changed.connect(self._show_period)
        self._fill_banner()
        self._fill_status_bar()
        self._fill_title()
        self._show_period()

    def _fill_title(self) -> None:
        from dkdesk.gui.plan_menu import window_title

        self.setWindowTitle(window_title(self.ctx.desk.plan))

    def desk_switched(self, desk: Desk) -> None:
        """Another working plan (``gui.plan_menu``): the window over the Desk opened for it; every
        tab is built again (the tab shown stays shown), the banner, title and status bar follow."""
        index = max(self.tab_widget.currentIndex(), 0)
        self.tabs_by_title.dispose()
        self._take(desk)
        self._follow_read_only()  # the Desk opened for the plan says again whether it may write
        self.tabs_by_title = LazyTabs(self.tab_widget, TABS, lambda cls: cls(self.ctx, self), eager=index)
        self.tab_widget.setCurrentIndex(index)
        apply_station(self)  # a unit's workstation stays one over the other plan

    # -- actions --------------------------------------------------------------------------
    def _forward(self, title: str, method: str) -> None:
        tab = self.tabs_by_title.get(title)
        if tab is None:
            return
        self.tab_widget.setCurrentWidget(tab)
        fn = getattr(tab, method, None)
        if fn is not None:
            fn()

    def _save(self) -> None:
        fn = getattr(self.tab_widget.currentWidget(), "save", None)
        if fn is not None:
            fn()

    def _run_dialog(self, module: str, fn: str) -> None:
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError:
            QMessageBox.information(self, "dkdesk", "Chức năng này chưa có trong phiên bản này.")
            return
        getattr(mod, fn)(self.ctx, self)

    def _open_data_folder(self) -> None:
        path = self.ctx.desk.sqlite_path
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))

    def open_guide(self) -> None:
        from dkdesk.gui.help_dialog import open_help

        open_help(self)

    def about(self) -> None:
        from dkdesk.logs import log_path

        desk = self.ctx.desk
        where = str(desk.sqlite_path) if desk.sqlite_path else desk.url
        QMessageBox.about(
            self, "Giới thiệu dkdesk",
            f"<h3>dkdesk {__version__}</h3>"
            f"<p>Thu thập, kiểm tra và tổng hợp số liệu thực hiện<br>{desk.plan.info.title}</p>"
            f"<p><b>Kế hoạch:</b> {desk.plan.info.code} — {len(desk.plan.units)} đơn vị, "
            f"{len(desk.plan.indicators)} chỉ tiêu</p>"
            f"<p><b>Cơ sở dữ liệu:</b> {where}</p>"
            f"<p><b>Nhật ký lỗi</b> (gửi cho người hỗ trợ khi có lỗi): {log_path()}</p>"
            "<p>Phát triển cho Phòng Lao động - Thương binh và Xã hội quận Dương Kinh.</p>")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        for tab in self.tabs_by_title.built():
            ask = getattr(tab, "maybe_close", None)
            if ask is not None and not ask():
                event.ignore()
                return
        self._remember_size()
        event.accept()

    def _remember_size(self) -> None:
        """Opened maximised next time, or at the size the person made the window (``app.show_fitting``)."""
        size = "" if self.isMaximized() or self.isFullScreen() else f"{self.width()}x{self.height()}"
        if size == self.settings.window_size:
            return
        self.settings.window_size = size
        try:
            from dkdesk.core.settings import save_settings

            save_settings(self.settings)
        except OSError:
            pass  # remembering the size is a convenience, never an error
