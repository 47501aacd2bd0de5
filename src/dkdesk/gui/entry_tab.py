"""Nhập liệu tab: pick a period and a unit, type the unit's figures, save, submit, approve and lock.

Static layout from ``ui/entry_tab.ui``; the form itself is ``EntryForm`` built from the plan.
Every write goes through the ``Desk`` (one transaction per action, audited) and is announced
with ``ctx.notify``. ``save()`` answers Ctrl+S; ``maybe_close()`` asks about unsaved changes.
"""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
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
)
from dkdesk.core.settings import ROLE_UNIT, save_settings
from dkdesk.core.validation import ValidationFailed
from dkdesk.gui.context import GuiContext
from dkdesk.gui.entry_actions import ReportActions
from dkdesk.gui.entry_form import EntryForm
from dkdesk.gui.messages import describe
from dkdesk.gui.uiload import load_ui

STATUS_COLORS = {STATUS_EMPTY: "#9e9e9e", STATUS_DRAFT: "#e69500", STATUS_SUBMITTED: "#1e6fd9",
                 STATUS_APPROVED: "#2e7d32"}
SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


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


class EntryTab(ReportActions, QWidget):
    """The data-entry screen. ``unit``/``period`` are the codes shown; ``form`` the live form."""

    def __init__(self, ctx: GuiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan = ctx.desk.plan
        ui = load_ui("entry_tab.ui", self)
        QVBoxLayout(self).addWidget(ui)
        self.layout().setContentsMargins(0, 0, 0, 0)
        find = ui.findChild
        self.splitter: QSplitter = find(QSplitter, "splitter")
        self.period_selector: QComboBox = find(QComboBox, "periodSelector")
        self.unit_selector: QTreeWidget = find(QTreeWidget, "unitSelector")
        self.scroll: QScrollArea = find(QScrollArea, "formScroll")
        self.unit_title: QLabel = find(QLabel, "unitTitle")
        self.lock_banner: QLabel = find(QLabel, "lockBanner")
        self.message: QLabel = find(QLabel, "messageLabel")
        self.legend: QLabel = find(QLabel, "legendLabel")
        self.buttons: dict[str, QPushButton] = {
            n: find(QPushButton, n) for n in ("saveButton", "submitButton", "approveButton", "unlockButton",
                                              "approveAllButton", "carryButton")}
        self.save_button = self.buttons["saveButton"]
        self.unit = ""
        self.period = ""
        self.form: EntryForm | None = None
        self.report: ReportStatus | None = None
        self._own_notice = False
        self._style()
        self._fill_selectors()
        self._wire()
        start = ctx.settings.unit if ctx.settings.role == ROLE_UNIT and self.plan.has_unit(ctx.settings.unit) else ""
        self.select_unit(start or self.plan.units[0].code)

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

    def _fill_selectors(self) -> None:
        for p in self.plan.periods:
            self.period_selector.addItem(p.name, p.code)
        last = self.period_selector.findData(self.ctx.settings.last_period)
        self.period_selector.setCurrentIndex(max(last, 0))
        self.period = self.period_selector.currentData(Qt.ItemDataRole.UserRole)
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
        self.refresh_statuses()

    def _wire(self) -> None:
        self.unit_selector.currentItemChanged.connect(self._unit_picked)
        self.period_selector.currentIndexChanged.connect(self._period_picked)
        b = self.buttons
        b["saveButton"].clicked.connect(self.save)
        b["submitButton"].clicked.connect(self.submit)
        b["approveButton"].clicked.connect(self.approve)
        b["unlockButton"].clicked.connect(self.unlock)
        b["approveAllButton"].clicked.connect(self.approve_all)
        b["carryButton"].clicked.connect(self.carry)
        self.ctx.bus.changed.connect(self._on_bus)

    def unit_items(self) -> dict[str, QTreeWidgetItem]:
        out = {}
        for i in range(self.unit_selector.topLevelItemCount()):
            group = self.unit_selector.topLevelItem(i)
            for j in range(group.childCount()):
                item = group.child(j)
                out[item.data(0, Qt.ItemDataRole.UserRole)] = item
        return out

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

    def _leave_ok(self, closing: bool = False) -> bool:
        """True when the current form may be left (saved, discarded or clean)."""
        if self.form is None or not self.form.is_dirty():
            return True
        what = f"{self.plan.unit(self.unit).name} ({self.ctx.desk.period_name(self.period)})"
        answer = ask_unsaved(self, what, closing)
        if answer == SAVE:
            return self.save()
        return answer == DISCARD

    def _unit_picked(self, current: QTreeWidgetItem | None, previous: QTreeWidgetItem | None) -> None:
        code = current.data(0, Qt.ItemDataRole.UserRole) if current is not None else None
        if not code or code == self.unit:
            return
        if not self._leave_ok():
            self.unit_selector.blockSignals(True)
            self.unit_selector.setCurrentItem(previous)
            self.unit_selector.blockSignals(False)
            return
        self.unit = code
        self.show_form()

    def _period_picked(self, index: int) -> None:
        code = self.period_selector.itemData(index, Qt.ItemDataRole.UserRole)
        if code == self.period:
            return
        if not self._leave_ok():
            self.period_selector.blockSignals(True)
            self.period_selector.setCurrentIndex(self.period_selector.findData(self.period))
            self.period_selector.blockSignals(False)
            return
        self.period = code
        self.ctx.settings.last_period = code
        try:
            save_settings(self.ctx.settings)
        except OSError:
            pass  # remembering the period is a convenience, never a reason to fail
        self.refresh_statuses()
        self.show_form()

    # -- showing -------------------------------------------------------------------------
    def refresh_statuses(self) -> None:
        statuses = self.ctx.desk.statuses(self.period)
        for code, item in self.unit_items().items():
            st = statuses[code]
            item.setText(1, st.label)
            item.setIcon(1, status_icon(st.status))
            item.setForeground(1, QColor(STATUS_COLORS[st.status]))
        if self.unit:
            self.report = statuses[self.unit]
            self._update_header()

    def show_form(self) -> None:
        """(Re)build the current unit's form and load its stored values for the period."""
        stored = self.ctx.desk.get_values(self.unit, self.period)
        form = EntryForm(self.plan, self.unit)
        form.scroll_area = self.scroll
        form.edited.connect(self._edited)
        form.history_requested.connect(self.open_history)
        form.load(stored.values)
        self.scroll.setWidget(form)
        self.form = form
        self.message.clear()
        self.refresh_statuses()

    def _update_header(self) -> None:
        unit, report = self.plan.unit(self.unit), self.report
        period = self.plan.period(self.period)
        locked = report is not None and report.locked
        self.unit_title.setText(
            f"<b>{html.escape(unit.name)}</b> — {html.escape(period.name)} "
            f'<span style="color:#555">(hạn nộp {period.deadline:%d/%m/%Y})</span>'
            f'&nbsp;&nbsp;<span style="color:{STATUS_COLORS[report.status]}">● {report.label}</span>'
            if report else unit.name)
        if locked:
            when = report.locked_at.strftime("%H:%M %d/%m/%Y") if report.locked_at else ""
            who = f" bởi {report.locked_by}" if report.locked_by else ""
            self.lock_banner.setText(f"<b>ĐÃ DUYỆT - KHÓA.</b> Báo cáo đã được duyệt và khóa lúc {when}"
                                     f"{html.escape(who)}. Biểu mẫu chỉ để xem; muốn sửa, bấm “Mở khóa”.")
        self.lock_banner.setVisible(locked)
        if self.form is not None:
            self.form.set_read_only(locked or self.ctx.read_only)
        self._update_buttons()

    def _update_buttons(self) -> None:
        status = self.report.status if self.report else STATUS_EMPTY
        writable = not self.ctx.read_only
        b = self.buttons
        b["saveButton"].setEnabled(writable and status != STATUS_APPROVED)
        b["submitButton"].setEnabled(writable and status in (STATUS_EMPTY, STATUS_DRAFT))
        b["approveButton"].setEnabled(writable and status in (STATUS_DRAFT, STATUS_SUBMITTED))
        b["unlockButton"].setEnabled(writable and status == STATUS_APPROVED)
        b["approveAllButton"].setEnabled(writable)
        b["carryButton"].setEnabled(writable and status != STATUS_APPROVED
                                    and self.plan.previous_period(self.period) is not None)

    def _edited(self) -> None:
        if self.form is not None and self.form.errors:
            self.say(f"{len(self.form.errors)} ô đang có lỗi (chữ đỏ); sửa xong mới lưu được.", error=True)
        elif self.form is not None and self.form.is_dirty():
            self.say("Có thay đổi chưa lưu (Ctrl+S để lưu).")
        else:
            self.message.clear()

    def say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("QLabel { color: %s; }" % ("#b00020" if error else "#1f3b5a"))
        self.message.setText(text)

    def _notify(self, kind: str) -> None:
        self._own_notice = True
        try:
            self.ctx.notify(kind, self.period)
        finally:
            self._own_notice = False

    def _on_bus(self, kind: str, period: str) -> None:
        if self._own_notice or (period and period != self.period):
            return
        if kind == "opened" and self.form is not None:  # same form, figures read again through the Desk
            self.form.load(self.ctx.desk.get_values(self.unit, self.period).values)
            self.refresh_statuses()
            return
        self.refresh_statuses()
        if self.form is not None and not self.form.is_dirty():
            self.show_form()

    # -- actions ---------------------------------------------------------------------------
    def save(self) -> bool:
        """Write the whole form in one transaction; refused (nothing written) while an error stands."""
        form = self.form
        if form is None or form.read_only:
            return False
        errors = form.validate()
        if errors:
            self.say(f"Chưa lưu: còn {len(errors)} lỗi. " + "; ".join(errors.values()), error=True)
            editor = form.first_error_editor()
            if editor is not None:
                editor.setFocus()
            return False
        if not form.is_dirty():
            self.say("Không có thay đổi nào cần lưu.")
            return True
        try:
            result = self.ctx.desk.set_values(self.unit, self.period, form.raw(), who=self._who())
        except ValidationFailed as exc:
            form.show_core_errors(exc.errors)
            self.say("Chưa lưu: " + describe(exc), error=True)
            return False
        except Exception as exc:  # Refused (locked), database errors: nothing was written
            self.say("Chưa lưu: " + describe(exc), error=True)
            return False
        form.load(self.ctx.desk.get_values(self.unit, self.period).values)
        self._notify("values")
        self.refresh_statuses()
        self.say(f"Đã lưu: {result.new} số mới, {result.changed} số sửa, {result.cleared} số xóa.")
        return True

    def _who(self) -> str:
        return self.ctx.settings.user_name or self.ctx.desk.who

    def open_history(self, field: str) -> None:
        if self.ctx.opening:  # the first look has figures, not their history
            self.say("Đang mở cơ sở dữ liệu, xin chờ giây lát rồi mở lại lịch sử.")
            return
        from dkdesk.gui.history_dialog import HistoryDialog

        HistoryDialog(self.ctx, self.unit, self.period, field, self).exec()

    def maybe_close(self) -> bool:
        return self._leave_ok(closing=True)
