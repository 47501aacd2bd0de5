"""The "Kế hoạch" menu: choose the working plan, make next year's, export/import a plan's TOML, archive.

``install_plan_menu(window)`` adds the menu before "Trợ giúp" (its actions join
``window.actions_by_name``, so they wait for the opening like the others). Switching the working
plan (``switch_plan``) opens a ``Desk`` for that plan on the worker, the same way as at opening,
hands it over to the window (``MainWindow.desk_switched``: the tabs are built again over it)
and closes the previous Desk on the worker. Every database call goes through ``gui.ops``.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dkdesk import APP_TITLE
from dkdesk.gui.messages import confirm, show_error, show_info
from dkdesk.gui.ops import change, query

if TYPE_CHECKING:
    from dkdesk.catalogue.model import Plan
    from dkdesk.core.desk import Desk
    from dkdesk.gui.main_window import MainWindow
    from dkdesk.reports.archive import ArchiveResult

ACTIONS = (
    ("actionChoosePlan", "&Chọn kế hoạch…", "choose_plan"),
    ("actionNextYearPlan", "&Lập kế hoạch năm sau…", "next_year_plan"),
    (None, "", ""),
    ("actionExportPlan", "&Xuất kế hoạch (TOML)…", "export_plan"),
    ("actionImportPlan", "&Nhập kế hoạch (TOML)…", "import_plan"),
    (None, "", ""),
    ("actionArchivePlan", "Xuất &lưu trữ…", "archive_plan"),
)


def window_title(plan: Plan) -> str:
    """"dkdesk - Theo dõi Kế hoạch phòng, chống mại dâm năm 2025 (duong-kinh-2025)"."""
    return f"{APP_TITLE} năm {plan.info.year} ({plan.info.code})"


def install_plan_menu(window: MainWindow) -> PlanMenu:
    return PlanMenu(window)


class PlanMenu:
    """The menu and what its actions do (``window.plan_menu``)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        bar = window.menuBar()
        self.menu = QMenu("&Kế hoạch", bar)
        self.menu.setObjectName("menuPlan")
        actions = bar.actions()
        before = actions[-1] if actions else None  # "Trợ giúp" stays last
        if before is not None:
            bar.insertMenu(before, self.menu)
        else:
            bar.addMenu(self.menu)
        for name, text, method in ACTIONS:
            if name is None:
                self.menu.addSeparator()
                continue
            action = QAction(text, window)
            action.setObjectName(name)
            action.triggered.connect(lambda _c=False, m=method: getattr(self, m)())
            self.menu.addAction(action)
            window.actions_by_name[name] = action
        self.menu.setToolTipsVisible(True)  # a writing action switched off says why
        self.dialog: QDialog | None = None  # the dialog open now (tests find it here)
        self.read_only_reason = ""  # set while the database is open read-only

    WRITING = ("actionNextYearPlan", "actionImportPlan")  # store a plan in the database

    def follow_read_only(self, read_only: bool, reason: str = "") -> None:
        """The actions that store a plan are off while the database is read-only, with why."""
        self.read_only_reason = (reason or "Cơ sở dữ liệu đang mở chỉ đọc.") if read_only else ""
        for name in self.WRITING:
            action = self.window.actions_by_name[name]
            action.setEnabled(not read_only)
            action.setToolTip(f"Không dùng được: {self.read_only_reason}" if read_only
                              else action.text().replace("&", "").rstrip("…"))

    def _refused(self, title: str) -> bool:
        """True (and said) when the database is read-only: nothing can be stored."""
        if self.read_only_reason:
            show_error(self.window, title, f"Không lưu được kế hoạch: {self.read_only_reason}")
            return True
        return False

    @property
    def ctx(self):  # noqa: ANN201 - GuiContext, made at the hand-over
        return self.window.ctx

    # -- choosing and switching ---------------------------------------------------------------
    def choose_plan(self) -> None:
        query(self.window, self.ctx, lambda desk: desk.plans(), title="Chọn kế hoạch") \
            .success(self._show_choice).run()

    def _show_choice(self, plans: list) -> None:  # noqa: ANN001 - list[PlanSummary]
        dialog = ChoosePlanDialog(plans, self.ctx.desk.plan.info.code, self.window)
        dialog.accepted.connect(lambda: self.switch_plan(dialog.chosen_code()))
        self.dialog = dialog
        dialog.open()

    def switch_plan(self, code: str) -> None:
        """Work with plan ``code``: a Desk opened for it on the worker, then handed over."""
        window = self.window
        if not code or code == self.ctx.desk.plan.info.code:
            return
        for tab in window.tabs_by_title.built():
            ask = getattr(tab, "maybe_close", None)
            if ask is not None and not ask():
                return
        old = self.ctx.desk
        query(window, self.ctx, lambda desk, _progress: open_plan_desk(desk, code), title="Chọn kế hoạch") \
            .with_progress(f"Đang mở kế hoạch {code}…") \
            .success(lambda desk: self._switched(old, desk)) \
            .run()

    def _switched(self, old: Desk, desk: Desk) -> None:
        from dkdesk.gui.ops import wait_ops

        wait_ops(10000)  # what the old screens asked for is done before they go
        try:
            self.window.desk_switched(desk)
        except Exception as exc:
            query(self.window, self.ctx, lambda _d: desk.close()).run()
            show_error(self.window, "Chọn kế hoạch", exc)
            return
        query(self.window, self.ctx, lambda _d: old.close()).run()  # on the worker, after its last use

    # -- next year's plan ---------------------------------------------------------------------
    def next_year_plan(self) -> None:
        from dkdesk.gui.plan_dialog import open_next_year_dialog

        if self._refused("Lập kế hoạch năm sau"):
            return

        self.dialog = open_next_year_dialog(self.ctx, self.window, self._offer_switch)

    def _offer_switch(self, code: str) -> None:
        if confirm(self.window, "Kế hoạch",
                   f"Đã lưu kế hoạch {code}. Chuyển sang làm việc với kế hoạch này ngay?",
                   yes="Chuyển", no="Để sau"):
            self.switch_plan(code)

    # -- TOML ---------------------------------------------------------------------------------
    def export_plan(self, path: str | Path | None = None) -> None:
        code = self.ctx.desk.plan.info.code
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self.window, "Xuất kế hoạch", f"{code}.toml",
                                                  "Tệp kế hoạch (*.toml)")
            if not path:
                return
        target = Path(path)

        def work(desk: Desk) -> Path:
            target.write_text(desk.plan_source(code), encoding="utf-8")
            return target

        query(self.window, self.ctx, work, title="Xuất kế hoạch") \
            .success(lambda p: show_info(self.window, "Xuất kế hoạch", f"Đã lưu kế hoạch {code} vào tệp {p}.")) \
            .run()

    def import_plan(self, path: str | Path | None = None) -> None:
        if self._refused("Nhập kế hoạch"):
            return
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self.window, "Nhập kế hoạch", "", "Tệp kế hoạch (*.toml)")
            if not path:
                return
        source = Path(path)
        try:
            text = unicodedata.normalize("NFC", source.read_bytes().decode("utf-8-sig"))
        except UnicodeDecodeError:
            show_error(self.window, "Nhập kế hoạch", f"Tệp {source.name} không phải là văn bản UTF-8.")
            return
        except OSError as exc:
            show_error(self.window, "Nhập kế hoạch", exc)
            return
        from dkdesk.catalogue.loader import PlanError, load_plan_text

        try:
            plan = load_plan_text(text, name=source.name, source=str(source))
        except PlanError as exc:
            show_error(self.window, "Nhập kế hoạch", exc)
            return
        code = plan.info.code

        def known(codes: list[str]) -> None:
            if code in codes and not confirm(self.window, "Nhập kế hoạch",
                                             f"Cơ sở dữ liệu đã có kế hoạch {code}. Thay bằng kế hoạch trong tệp "
                                             f"{source.name}?", yes="Thay", no="Không"):
                return
            change(self.window, self.ctx, lambda desk: desk.add_plan(text, name=source.name), kind="plan",
                   title="Nhập kế hoạch") \
                .success(self._offer_switch).run()

        query(self.window, self.ctx, lambda desk: [s.code for s in desk.plans()], title="Nhập kế hoạch") \
            .success(known).run()

    # -- archive ------------------------------------------------------------------------------
    def archive_plan(self, folder: str | Path | None = None) -> None:
        code = self.ctx.desk.plan.info.code
        if folder is None:
            folder = QFileDialog.getExistingDirectory(
                self.window, f"Chọn nơi đặt thư mục lưu trữ kế hoạch {code} (một thư mục mới được tạo trong đó)")
            if not folder:
                return
        target = archive_folder(Path(folder), code)

        def work(desk: Desk, progress) -> ArchiveResult:  # noqa: ANN001 - gui.tasks.Progress
            from dkdesk.reports.archive import make_archive

            return make_archive(desk, target, progress.report)

        def done(result: ArchiveResult) -> None:
            self.last_archive = result
            show_info(self.window, "Xuất lưu trữ",
                      f"Đã xuất lưu trữ kế hoạch {code} ({len(result.files)} tệp) vào thư mục {result.folder}. "
                      "Tệp DOC-TOI.txt trong đó liệt kê các tệp.")

        query(self.window, self.ctx, work, title="Xuất lưu trữ") \
            .with_progress(f"Đang xuất lưu trữ kế hoạch {code}…") \
            .success(done) \
            .run()


def archive_folder(parent: Path, code: str) -> Path:
    """A new folder for the archive inside the one chosen: luu-tru-<code>, -2, -3… (nothing overwritten)."""
    n, target = 1, parent / f"luu-tru-{code}"
    while target.exists():
        n += 1
        target = parent / f"luu-tru-{code}-{n}"
    return target


def open_plan_desk(current: Desk, code: str) -> Desk:
    """A Desk on the same database for plan ``code`` (on the worker). The writer lock is shared
    within the program, so the new Desk writes as the current one does."""
    from dkdesk.core.desk import Desk

    db: str | Path = current.sqlite_path if current.sqlite_path is not None else current.url
    return Desk.open(db, plan=code, who=current.who)


class ChoosePlanDialog(QDialog):
    """The plans in the database, newest first; the one in use is selected."""

    def __init__(self, plans: list, current: str, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.setWindowTitle("Chọn kế hoạch")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        root = QVBoxLayout(self)
        root.addWidget(QLabel("Kế hoạch làm việc (số liệu nhập, tổng quan, báo cáo đều theo kế hoạch này):", self))
        self.list = QListWidget(self)
        ordered = sorted(plans, key=lambda s: s.year, reverse=True)
        for s in ordered:
            mark = " — đang dùng" if s.code == current else ""
            values = "đã có số liệu" if s.has_values else "chưa có số liệu"
            item = QListWidgetItem(f"Năm {s.year}: {s.code} ({values}){mark}")
            item.setData(Qt.ItemDataRole.UserRole, s.code)
            item.setToolTip(s.title + (f"\nKế hoạch năm trước: {s.previous}" if s.previous else ""))
            self.list.addItem(item)
            if s.code == current:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        root.addWidget(self.list)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.ok_button = QPushButton("Làm việc với kế hoạch này", self)
        self.ok_button.setDefault(True)
        self.cancel_button = QPushButton("Hủy", self)
        buttons.addWidget(self.ok_button)
        buttons.addWidget(self.cancel_button)
        root.addLayout(buttons)
        self.ok_button.clicked.connect(self.accept)
        self.cancel_button.clicked.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda _i: self.accept())
        self.resize(560, 300)

    def chosen_code(self) -> str:
        item = self.list.currentItem()
        return "" if item is None else str(item.data(Qt.ItemDataRole.UserRole))
