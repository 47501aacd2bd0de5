"""Nhập liệu tab: pick a period and a unit, type the unit's figures, save, submit, approve and lock.

Static layout from ``ui/entry_tab.ui``; the form itself is ``EntryForm`` built from the plan.
Every call into the ``Desk`` is an op (``gui.ops``) on the single worker: reads in a ``query``,
writes in a ``change`` (one transaction per action, audited, announced with ``ctx.notify``).

What is shown is ONE object, ``Shown(unit, period, form)``: the form and the unit and period its
figures were read for. It is replaced only in an op's ``success``, so a failed read leaves the
screen as it was (the selectors go back to what is shown).

The period is the window's working period (``ctx.period``), one choice for every tab: the period
box here sets it (the others follow), and when another tab sets it this tab follows. Before it
changes, this tab is asked (a guard): with unsaved figures the person says Lưu / Không lưu / Hủy,
and on "Hủy" the choice stays where it was, in every tab. A save writes ``shown.form`` to
``shown.unit``/``shown.period`` — never to what a selector says. While an op of this tab is in
flight (``busy``) the form is read-only and nothing can be saved, so a second Ctrl+S cannot
write twice. ``save()`` answers Ctrl+S; ``maybe_close()`` asks about unsaved changes.

On a unit's workstation (``set_station(unit)``, see ``gui.unit_station``) the tree shows that unit
only, the approval buttons are hidden and "Gửi báo cáo..." writes the unit's filled report.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dkdesk.core.records import (
    STATUS_APPROVED,
    STATUS_DRAFT,
    STATUS_EMPTY,
    STATUS_LABELS,
    STATUS_SUBMITTED,
    ReportStatus,
    SaveResult,
    UnitValues,
    period_name,
)
from dkdesk.core.plausibility import Reference, reference_values
from dkdesk.core.validation import ValidationFailed
from dkdesk.gui.context import GuiContext
from dkdesk.gui.entry_actions import ReportActions
from dkdesk.gui.entry_form import EntryForm
from dkdesk.gui.messages import describe
from dkdesk.gui.ops import change, query
from dkdesk.gui.uiload import load_ui
from dkdesk.gui.unit_station import ReportSender, station_unit

STATUS_COLORS = {STATUS_EMPTY: "#9e9e9e", STATUS_DRAFT: "#e69500", STATUS_SUBMITTED: "#1e6fd9",
                 STATUS_APPROVED: "#2e7d32"}
SAVE, DISCARD, CANCEL = "save", "discard", "cancel"
PERIOD_TIP = ("Kỳ đang làm việc, chung cho cả cửa sổ: đổi ở đây thì các thẻ Tổng quan, Trao đổi Excel "
              "cũng đổi theo; lần mở sau chương trình vẫn giữ kỳ này.")
W = TypeVar("W", bound=QWidget)


def status_icon(status: str) -> QIcon:
    pix = QPixmap(12, 12)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(QColor(STATUS_COLORS[status]))
    p.setPen(Qt.PenStyle.NoPen)
    p.drawEllipse(1, 1, 10, 10)
    p.end()
    return QIcon(pix)


def ask_unsaved(parent: QWidget, what: str, closing: bool = False) -> str:
    """Lưu / Không lưu / Hủy for unsaved changes (before switching, or before closing the
    window when ``closing``); returns SAVE, DISCARD or CANCEL."""
    question = "Lưu trước khi đóng chương trình?" if closing else "Lưu trước khi chuyển?"
    box = QMessageBox(QMessageBox.Icon.Question, "Chưa lưu",
                      f"Số liệu của {what} đã sửa nhưng chưa lưu. {question}", parent=parent)
    save = box.addButton("Lưu", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Không lưu", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("Hủy", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.exec()
    clicked = box.clickedButton()
    return SAVE if clicked is save else DISCARD if clicked is discard else CANCEL


def ask_unusual(parent: QWidget, warnings: list[str]) -> bool:
    """"Vẫn lưu" / "Xem lại" for figures far above the unit's earlier ones; True to save anyway."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Số liệu bất thường",
                      "Các số sau lớn bất thường, có thể gõ thừa chữ số:\n\n"
                      + "\n".join(f"• {w}" for w in warnings) + "\n\nVẫn lưu các số này?", parent=parent)
    keep = box.addButton("Vẫn lưu", QMessageBox.ButtonRole.AcceptRole)
    look = box.addButton("Xem lại", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(look)
    box.exec()
    return box.clickedButton() is keep


def saved_text(result: SaveResult) -> str:
    """"Đã lưu: 2 mục mới, 1 mục sửa." — a field is a "mục" (a number, a Có/Không or a text)."""
    parts = [f"{n} mục {word}" for n, word in ((result.new, "mới"), (result.changed, "sửa"),
                                               (result.cleared, "xóa")) if n]
    return "Đã lưu: " + (", ".join(parts) if parts else "không có mục nào thay đổi") + "."


@dataclass(frozen=True)
class Shown:
    """The form on screen and the unit and period its figures belong to (never one without the other)."""

    unit: str
    period: str
    form: EntryForm


Reading = tuple[dict[str, ReportStatus], UnitValues]  # what a query brings back for a form


def read_form(unit: str, period: str) -> Callable[[Any], Reading]:
    """Work for an op: the period's statuses and the unit's stored figures."""
    return lambda desk: (desk.statuses(period), desk.get_values(unit, period))


class EntryTab(ReportActions, QWidget):
    """The data-entry screen. ``shown`` is what is on screen; ``unit``/``period``/``form`` read it."""

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan = ctx.desk.plan
        ui = load_ui("entry_tab.ui", self)
        outer = QVBoxLayout(self)
        outer.addWidget(ui)
        outer.setContentsMargins(0, 0, 0, 0)

        def find(cls: type[W], name: str) -> W:
            found = ui.findChild(cls, name)
            assert found is not None, name  # the .ui file names every part
            return found
        self.splitter: QSplitter = find(QSplitter, "splitter")
        self.period_selector: QComboBox = find(QComboBox, "periodSelector")
        self.unit_selector: QTreeWidget = find(QTreeWidget, "unitSelector")
        self.scroll: QScrollArea = find(QScrollArea, "formScroll")  # type: ignore[assignment]  # shadows QWidget.scroll
        self.unit_title: QLabel = find(QLabel, "unitTitle")
        self.lock_banner: QLabel = find(QLabel, "lockBanner")
        self.message: QLabel = find(QLabel, "messageLabel")
        self.legend: QLabel = find(QLabel, "legendLabel")
        self.buttons: dict[str, QPushButton] = {
            n: find(QPushButton, n) for n in ("saveButton", "submitButton", "approveButton", "unlockButton",
                                              "approveAllButton", "carryButton", "sendButton")}
        self.save_button = self.buttons["saveButton"]
        self.shown: Shown | None = None
        self.report: ReportStatus | None = None
        self.busy = 0  # ops of this tab in flight: the form cannot be edited or saved meanwhile
        self._writes = 0  # writes of this tab in flight: no switch meanwhile
        self._wanted = 0  # the newest switch asked for; an older one's answer is dropped
        self._own_notice = False
        self.station = ""  # the unit of a unit workstation ("" on the consolidator's machine)
        self.report_sender: ReportSender | None = None  # the last "Gửi báo cáo" (its boxes, in tests)
        self._reading = ""  # the period of the newest switch asked for (shown once it is read)
        self._released = ""  # the period the person agreed to leave this form for (see _follow_period)
        self._style()
        self._fill_selectors()
        self._wire()
        start = station_unit(ctx)
        self.set_station(start)  # a unit's workstation: reads that unit
        if not start:
            self._switch(self.plan.units[0].code, self.ctx.period.code)

    # what is shown (read-only views of ``shown``)
    @property
    def unit(self) -> str:
        return self.shown.unit if self.shown else ""

    @property
    def period(self) -> str:
        return self.shown.period if self.shown else ""

    @property
    def form(self) -> EntryForm | None:
        return self.shown.form if self.shown else None

    # -- set-up ----------------------------------------------------------------------
    def _style(self) -> None:
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([300, 1000])
        self.unit_selector.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.unit_selector.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.unit_selector.header().setStretchLastSection(False)
        self.unit_selector.setMinimumWidth(260)
        self.unit_title.setStyleSheet("QLabel { font-size: 12pt; color: #1f3b5a; padding: 2px 0 4px 0; }")
        self.lock_banner.setObjectName("lockBanner")
        self.lock_banner.setStyleSheet("QLabel { background: #fff4d6; border: 1px solid #e0b23c; "
                                       "padding: 6px; color: #5a4300; }")
        cells = [f'<span style="color:{STATUS_COLORS[s]}">●</span>&nbsp;{label.replace(" ", "&nbsp;")}'
                 for s, label in STATUS_LABELS.items()]
        self.legend.setText(f"{cells[0]}&nbsp;&nbsp; {cells[1]}<br>{cells[2]}&nbsp;&nbsp; {cells[3]}")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.save_button.setStyleSheet("QPushButton { font-weight: bold; padding: 4px 14px; }")
        self.buttons["sendButton"].setStyleSheet("QPushButton { font-weight: bold; padding: 4px 14px; }")

    def _fill_selectors(self) -> None:
        for p in self.plan.periods:
            self.period_selector.addItem(p.name, p.code)
        self.period_selector.setCurrentIndex(max(self.period_selector.findData(self.ctx.period.code), 0))
        self.period_selector.setToolTip(PERIOD_TIP)
        tree = self.unit_selector
        for g in self.plan.groups:
            group = QTreeWidgetItem(tree, [g.name])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setFirstColumnSpanned(True)
            for u in self.plan.units_in_group(g.code):
                item = QTreeWidgetItem(group, [u.short_name, ""])
                item.setData(0, Qt.ItemDataRole.UserRole, u.code)
                item.setToolTip(0, u.name)
        tree.expandAll()
        self._update_buttons()

    def _wire(self) -> None:
        self.unit_selector.currentItemChanged.connect(self._unit_picked)
        self.period_selector.currentIndexChanged.connect(self._period_picked)
        b = self.buttons
        b["saveButton"].clicked.connect(lambda: self.save())
        b["submitButton"].clicked.connect(self.submit)
        b["approveButton"].clicked.connect(self.approve)
        b["unlockButton"].clicked.connect(self.unlock)
        b["approveAllButton"].clicked.connect(self.approve_all)
        b["carryButton"].clicked.connect(self.carry)
        b["sendButton"].clicked.connect(lambda: self.send_report())
        self.ctx.bus.changed.connect(self._on_bus)
        working, guard = self.ctx.period, self._may_leave_period
        working.period_changed.connect(self._follow_period)
        working.add_guard(guard)
        self.destroyed.connect(lambda *_: working.remove_guard(guard))

    def unit_items(self) -> dict[str, QTreeWidgetItem]:
        out: dict[str, QTreeWidgetItem] = {}
        for i in range(self.unit_selector.topLevelItemCount()):
            group = self.unit_selector.topLevelItem(i)
            for j in range(group.childCount() if group is not None else 0):
                item = group.child(j) if group is not None else None
                if item is not None:
                    out[item.data(0, Qt.ItemDataRole.UserRole)] = item
        return out

    def _selected_period(self) -> str:
        return self.period_selector.itemData(self.period_selector.currentIndex(), Qt.ItemDataRole.UserRole)

    def _show_in_selectors(self, unit: str, period: str) -> None:
        """Make the selectors say ``unit``/``period`` without asking for a switch."""
        item = self.unit_items().get(unit)
        if item is not None:
            self.unit_selector.blockSignals(True)
            self.unit_selector.setCurrentItem(item)
            self.unit_selector.blockSignals(False)
        self.period_selector.blockSignals(True)
        self.period_selector.setCurrentIndex(max(self.period_selector.findData(period), 0))
        self.period_selector.blockSignals(False)

    def _back_to_shown(self) -> None:
        if self.shown is not None:
            self._show_in_selectors(self.shown.unit, self.shown.period)
            # a click in the tree selects the clicked row after the current item changed (and
            # after "Hủy" was answered): select the shown unit again once that click is over
            QTimer.singleShot(0, self, self._reselect_shown)

    def _reselect_shown(self) -> None:
        item = self.unit_items().get(self.unit)
        if item is not None and not item.isSelected():
            self._show_in_selectors(self.unit, self.period)
            self.unit_selector.blockSignals(True)
            self.unit_selector.clearSelection()
            item.setSelected(True)
            self.unit_selector.blockSignals(False)

    # -- choosing unit and period --------------------------------------------------------
    def select_unit(self, code: str) -> None:
        """Show a unit (asks about unsaved changes through the selector's normal path)."""
        item = self.unit_items().get(code)
        if item is not None:
            self.unit_selector.setCurrentItem(item)

    def select_period(self, code: str) -> None:
        index = self.period_selector.findData(code)
        if index >= 0:
            self.period_selector.setCurrentIndex(index)

    def set_station(self, unit: str) -> None:
        """A unit's workstation (``unit``) or the consolidator's machine (""): which units the tree
        shows and which buttons there are. Shows ``unit`` when another one is shown."""
        self.station = unit
        for i in range(self.unit_selector.topLevelItemCount()):
            group = self.unit_selector.topLevelItem(i)
            if group is None:
                continue
            hidden = 0
            for j in range(group.childCount()):
                item = group.child(j)
                if item is not None:
                    item.setHidden(bool(unit) and item.data(0, Qt.ItemDataRole.UserRole) != unit)
                    hidden += item.isHidden()
            group.setHidden(hidden == group.childCount())
        self._update_buttons()
        if unit and self.shown is None:  # nothing shown yet: read the unit (a read under way is dropped)
            self._switch(unit, self.ctx.period.code)
        elif unit and self.unit != unit:
            self._ask_switch(unit, self.period)

    def send_report(self) -> bool:
        """"Gửi báo cáo": the shown unit's filled report for the shown period into a folder
        (``gui.unit_station.ReportSender``); False when it cannot start now."""
        if self.shown is None or self.busy:
            if self.busy:
                self.say("Đang xử lý, xin chờ giây lát.")
            return False
        self.report_sender = ReportSender(self)
        self.report_sender.start()
        return True

    def _what(self) -> str:
        return f"{self.plan.unit(self.unit).name} ({period_name(self.plan, self.period)})"

    def _leave_then(self, go: Callable[[], None], stay: Callable[[], None]) -> None:
        """``go()`` once the current form may be left (clean, discarded or saved), else ``stay()``."""
        form = self.form
        if form is None or not form.is_dirty():
            go()
            return
        answer = ask_unsaved(self, self._what())
        if answer == SAVE:
            self.save(then=go, otherwise=stay)
        elif answer == DISCARD:
            go()
        else:
            stay()

    def _unit_picked(self, current: QTreeWidgetItem | None, previous: QTreeWidgetItem | None) -> None:
        code = current.data(0, Qt.ItemDataRole.UserRole) if current is not None else None
        if not code or code == self.unit:
            return
        self._ask_switch(code, self.period or self._selected_period())

    def _period_picked(self, index: int) -> None:
        """The person picked a period here: it becomes the window's working period (asked first)."""
        code = self.period_selector.itemData(index, Qt.ItemDataRole.UserRole)
        if not code or code == self.period:
            return
        self.ctx.period.choose(code, stay=self._back_to_shown)

    def _may_leave_period(self, code: str, go: Callable[[], None], stay: Callable[[], None]) -> None:
        """The guard of the working period: the form may be left (clean, discarded or saved)?"""
        if self.shown is None or code == self.period:
            go()
            return
        if self._writes:  # a write is on its way: what is shown stays until it is done
            self.say("Đang xử lý, xin chờ giây lát.")
            self._back_to_shown()
            stay()
            return

        def stay_here() -> None:
            self._back_to_shown()
            stay()

        def let_go() -> None:
            self._released = code  # asked: the form may be left for ``code``
            go()

        self._leave_then(let_go, stay_here)

    def _follow_period(self, code: str) -> None:
        """The working period changed (here or in another tab): show it. Changed without asking
        (a screen put the choice back) over unsaved figures, the person is asked now; "Hủy"
        keeps this period, for every tab."""
        if code == (self._reading or self.period):
            return
        if code == self.period:  # back to the period shown: a switch still on its way is dropped
            self._wanted += 1
            self._reading = code
            self._back_to_shown()
            return
        unit = self.unit or self.plan.units[0].code
        form, released, self._released = self.form, self._released, ""
        if form is not None and form.is_dirty() and released != code:
            self._leave_then(lambda: self._switch(unit, code), lambda: self.ctx.period.set(self.period))
            return
        self._switch(unit, code)

    def _ask_switch(self, unit: str, period: str) -> None:
        if self._writes:  # a write is on its way: what is shown stays until it is done
            self._back_to_shown()
            self.say("Đang xử lý, xin chờ giây lát.")
            return
        self._leave_then(lambda: self._switch(unit, period), self._back_to_shown)

    def _switch(self, unit: str, period: str) -> None:
        """Read ``unit``'s figures for ``period``; only when that succeeds are they shown (a newer
        switch asked for meanwhile wins; the older answer is dropped)."""
        self._wanted += 1
        wanted = self._wanted
        self._reading = period
        self._begin()

        def shown(answer: tuple[Reading, dict[str, Reference]]) -> None:
            self._end()
            if wanted == self._wanted:
                reading, reference = answer
                self._show(unit, period, *reading, reference=reference)

        def failed(exc: BaseException) -> None:
            self._end()
            if wanted != self._wanted:
                return
            self._back_to_shown()
            where = f"{self.plan.unit(unit).name} — {period_name(self.plan, period)}"
            self.say(f"Chưa chuyển sang {where}: {describe(exc)}", error=True)
            if self.shown is not None:
                self.ctx.period.set(self.shown.period)  # every tab stays on the period shown here

        def read(desk: Any) -> tuple[Reading, dict[str, Reference]]:  # the earlier figures too, for the warnings
            return read_form(unit, period)(desk), reference_values(desk, unit, period)

        query(self, self.ctx, read).success(shown).failure(failed).run()

    # -- showing -------------------------------------------------------------------------
    def _show(self, unit: str, period: str, statuses: dict[str, ReportStatus], stored: UnitValues,
              reference: dict[str, Reference] | None = None) -> None:
        """Build the form of ``unit`` over ``stored`` (read for ``period``) and make it what is shown."""
        form = EntryForm(self.plan, unit)
        form.reference = dict(reference or {})
        form.scroll_area = self.scroll
        form.edited.connect(self._edited)
        form.history_requested.connect(self.open_history)
        form.load(stored.values)
        self.shown = Shown(unit, period, form)
        self.scroll.setWidget(form)
        self._order_tabs(form)
        self._show_in_selectors(unit, period)
        self.message.clear()
        self._show_statuses(statuses)

    def _order_tabs(self, form: EntryForm) -> None:
        """Tab goes period -> unit -> the form's fields in order -> the buttons under the form
        (the form is built after the tab, so Qt would put its fields after every button)."""
        chain = [self.unit_selector, *form.editors.values(), self.buttons["carryButton"]]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    def _show_statuses(self, statuses: dict[str, ReportStatus]) -> None:
        for code, item in self.unit_items().items():
            st = statuses[code]
            item.setText(1, st.label)
            item.setIcon(1, status_icon(st.status))
            item.setForeground(1, QColor(STATUS_COLORS[st.status]))
            closed = self.plan.closed_note(code, self.period) if self.period else ""
            if closed:  # not expected in this period: said so, not "chưa có số liệu"
                item.setText(1, "Chưa thành lập" if closed.startswith("chưa") else "Ngừng hoạt động")
                item.setIcon(1, QIcon())
                item.setForeground(1, QColor("#808080"))
                item.setToolTip(1, f"{self.plan.unit(code).name} {closed}")
        if self.unit:
            self.report = statuses[self.unit]
            self._update_header()

    def show_form(self) -> None:
        """Read the shown unit and period again and rebuild the form (unsaved typing is lost)."""
        if self.shown is not None:
            self._switch(self.shown.unit, self.shown.period)

    def _update_header(self) -> None:
        unit, report = self.plan.unit(self.unit), self.report
        period = self.plan.period(self.period)
        locked = report is not None and report.locked
        self.unit_title.setText(
            f"<b>{html.escape(unit.name)}</b> — {html.escape(period.name)} "
            f'<span style="color:#555">(hạn nộp {period.deadline:%d/%m/%Y})</span>'
            f'&nbsp;&nbsp;<span style="color:{STATUS_COLORS[report.status]}">● {report.label}</span>'
            if report else unit.name)
        if locked and report is not None:
            when = report.locked_at.strftime("%H:%M %d/%m/%Y") if report.locked_at else ""
            who = f" bởi {report.locked_by}" if report.locked_by else ""
            self.lock_banner.setText(f"<b>ĐÃ DUYỆT - KHÓA.</b> Báo cáo đã được duyệt và khóa lúc {when}"
                                     f"{html.escape(who)}. Biểu mẫu chỉ để xem; muốn sửa, bấm “Mở khóa”.")
        closed = self.plan.closed_note(self.unit, self.period)
        if closed and not locked:
            self.lock_banner.setText(f"<b>KHÔNG BÁO CÁO KỲ NÀY.</b> {html.escape(unit.name)} {html.escape(closed)}: "
                                     "kỳ này không có số liệu của đơn vị.")
        self.lock_banner.setVisible(locked or bool(closed))
        if self.form is not None:
            self.form.set_read_only(locked or bool(closed) or self.ctx.read_only or bool(self.busy))
        self._update_buttons()

    def _update_buttons(self) -> None:
        status = self.report.status if self.report else STATUS_EMPTY
        writable = not self.ctx.read_only and not self.busy and self.shown is not None
        closed = bool(self.unit and self.period and self.plan.closed_note(self.unit, self.period))
        b = self.buttons
        station = bool(self.station)
        for name in ("submitButton", "approveButton", "approveAllButton"):
            b[name].setVisible(not station)  # the consolidator's actions
        b["unlockButton"].setVisible(not station or status == STATUS_APPROVED)  # never stuck on a lock
        b["sendButton"].setVisible(station)
        b["sendButton"].setEnabled(not self.busy and self.shown is not None and not closed)
        b["saveButton"].setEnabled(writable and not closed and status != STATUS_APPROVED)
        b["submitButton"].setEnabled(writable and not closed and status in (STATUS_EMPTY, STATUS_DRAFT))
        b["approveButton"].setEnabled(writable and not closed and status in (STATUS_DRAFT, STATUS_SUBMITTED))
        b["unlockButton"].setEnabled(writable and status == STATUS_APPROVED)
        b["approveAllButton"].setEnabled(writable)
        b["carryButton"].setEnabled(writable and status != STATUS_APPROVED
                                    and self.plan.previous_period(self.period) is not None)

    def _begin(self) -> None:
        """An op of this tab starts: the form cannot be edited or saved until it ends."""
        self.busy += 1
        if self.form is not None:
            self.form.set_read_only(True)
        self._update_buttons()

    def _end(self) -> None:
        self.busy = max(self.busy - 1, 0)
        if self.shown is not None:
            self._update_header()
        else:
            self._update_buttons()

    def _edited(self) -> None:
        if self.form is not None and self.form.errors:
            self.say(f"{len(self.form.errors)} ô đang có lỗi (chữ đỏ); sửa xong mới lưu được.", error=True)
        elif self.form is not None and self.form.warnings:
            self.say(f"Có thay đổi chưa lưu; {len(self.form.warnings)} số lớn bất thường (chữ cam): "
                     "kiểm tra lại trước khi lưu.")
        elif self.form is not None and self.form.is_dirty():
            self.say("Có thay đổi chưa lưu (Ctrl+S để lưu).")
        else:
            self.message.clear()

    def say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("QLabel { color: %s; }" % ("#b00020" if error else "#1f3b5a"))
        self.message.setText(text)

    def _notify(self, kind: str, period: str) -> None:
        self._own_notice = True
        try:
            self.ctx.notify(kind, period)
        finally:
            self._own_notice = False

    def _on_bus(self, kind: str, period: str) -> None:
        """Another screen changed something: read the statuses (and a clean form's figures) again."""
        shown = self.shown
        if self._own_notice or shown is None or (period and period != shown.period):
            return

        def reread(reading: Reading) -> None:
            if self.busy or self.shown is not shown:
                return  # a switch or a save of this tab reads for itself
            statuses, stored = reading
            if not shown.form.is_dirty():
                shown.form.load(stored.values)
            self._show_statuses(statuses)

        query(self, self.ctx, read_form(shown.unit, shown.period)).success(reread) \
            .failure(lambda exc: self.say("Chưa đọc lại được số liệu: " + describe(exc), error=True)).run()

    # -- actions ---------------------------------------------------------------------------
    def save(self, then: Callable[[], None] | None = None, otherwise: Callable[[], None] | None = None) -> bool:
        """Write the shown form to the unit and period it was read for, in one transaction.

        Refused (nothing written) while an error stands or an op is in flight. Returns whether the
        save was started (or nothing needed saving); ``then()`` runs after it is stored,
        ``otherwise()`` when it is refused or fails."""
        shown = self.shown
        if shown is None or self.busy or shown.form.read_only:
            if self.busy:
                self.say("Đang xử lý, xin chờ giây lát rồi lưu.")
            if otherwise is not None:
                otherwise()
            return False
        form = shown.form
        errors = form.validate()
        if errors:
            self.say(f"Chưa lưu: còn {len(errors)} lỗi. " + "; ".join(errors.values()), error=True)
            editor = form.first_error_editor()
            if editor is not None:
                editor.setFocus()
            if otherwise is not None:
                otherwise()
            return False
        if not form.is_dirty():
            self.say("Không có thay đổi nào cần lưu.")
            if then is not None:
                then()
            return True
        if form.warnings and not ask_unusual(self, list(form.warnings.values())):
            self.say("Chưa lưu: xem lại các số có cảnh báo (chữ cam), sửa nếu gõ nhầm rồi lưu lại.")
            form.editors[next(iter(form.warnings))].setFocus()
            if otherwise is not None:
                otherwise()
            return False
        raw, who = form.raw(), self._who()

        def saved(result: Any) -> None:
            self.say(saved_text(result))
            if then is not None:
                then()

        def failed(exc: BaseException) -> None:
            self.say("Chưa lưu: " + describe(exc), error=True)
            if otherwise is not None:
                otherwise()

        self.act(lambda desk, unit, period: desk.set_values(unit, period, raw, who=who), "values",
                 saved, failed, reload=True)
        return True

    def act(self, work: Callable[[Any, str, str], Any], kind: str, done: Callable[[Any], None],
            failed: Callable[[BaseException], None], reload: bool = False) -> None:
        """One write for the shown unit and period: ``work(desk, unit, period)`` then a read of the
        statuses and figures, in a ``change`` op. On success the statuses are shown again, the form
        reloaded (``reload``, or when clean) and ``done(result)`` runs; on failure ``failed(exc)``
        (a refusal of the core's checks marks the fields first). Nothing else changes on screen."""
        shown = self.shown
        if shown is None:
            return
        unit, period = shown.unit, shown.period
        self._begin()
        self._writes += 1

        def run(desk: Any) -> tuple[Any, Reading]:
            return work(desk, unit, period), read_form(unit, period)(desk)

        def ok(answer: tuple[Any, Reading]) -> None:
            self._writes -= 1
            self._end()
            result, (statuses, stored) = answer
            self._notify(kind, period)
            if self.shown is shown:
                if reload or not shown.form.is_dirty():
                    shown.form.load(stored.values)
                self._show_statuses(statuses)
            done(result)

        def bad(exc: BaseException) -> None:
            self._writes -= 1
            self._end()
            if isinstance(exc, ValidationFailed) and self.shown is shown:
                shown.form.show_core_errors(exc.errors)
            failed(exc)

        change(self, self.ctx, run, kind=kind, period=period, notify=False).success(ok).failure(bad).run()

    def widget(self) -> QWidget:
        """This tab as the parent of its dialogs (for the actions mixin)."""
        return self

    def _who(self) -> str:
        return self.ctx.settings.user_name or self.ctx.desk.who

    def open_history(self, field: str) -> None:
        from dkdesk.gui.history_dialog import open_history

        open_history(self, self.ctx, self.unit, self.period, field,
                     lambda exc: self.say("Chưa mở được lịch sử: " + describe(exc), error=True))

    def maybe_close(self) -> bool:
        """True when the window may close: clean, "Không lưu", or "Lưu" and the save went through
        (waited for here, the window's other events still served)."""
        form = self.form
        if form is None or not form.is_dirty():
            return True
        answer = ask_unsaved(self, self._what(), closing=True)
        if answer != SAVE:
            return answer == DISCARD
        outcome: list[bool] = []
        loop = QEventLoop()

        def finish(saved: bool) -> None:
            outcome.append(saved)
            loop.quit()

        if self.save(then=lambda: finish(True), otherwise=lambda: finish(False)) and not outcome:
            loop.exec()
        return bool(outcome and outcome[0])
