"""Report actions of the Nhập liệu tab: submit, approve and lock, approve all, unlock, carry stock figures.

A mixin for ``EntryTab`` (it provides ``ctx``, ``plan``, ``shown``, ``unit``, ``period``, ``form``,
``report``, ``save()``, ``act()``, ``say()`` and ``_who()``). Each action is one op on the worker
(``EntryTab.act``: a ``change`` for the unit and period shown, audited in the core, announced with
``ctx.notify``); the screen changes only when it succeeded. Unsaved typing is saved first.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from dkdesk.core.records import STATUS_APPROVED, STATUS_DRAFT, STATUS_EMPTY, STATUS_SUBMITTED, period_name
from dkdesk.gui.messages import confirm, describe
from dkdesk.gui.ops import query

if TYPE_CHECKING:
    from dkdesk.catalogue.model import Plan
    from dkdesk.gui.context import GuiContext
    from PySide6.QtWidgets import QWidget

    from dkdesk.gui.entry_tab import Shown


class ReportActions:
    """Status and carry actions; each returns whether it was started."""

    ctx: GuiContext
    plan: Plan
    shown: Shown | None
    busy: int

    if TYPE_CHECKING:  # provided by EntryTab (a QWidget)
        @property
        def unit(self) -> str: ...
        @property
        def period(self) -> str: ...
        def widget(self) -> QWidget: ...
        def say(self, text: str, error: bool = False) -> None: ...
        def save(self, then: Callable[[], None] | None = None,
                 otherwise: Callable[[], None] | None = None) -> bool: ...
        def act(self, work: Callable[[Any, str, str], Any], kind: str, done: Callable[[Any], None],
                failed: Callable[[BaseException], None], reload: bool = False) -> None: ...
        def _who(self) -> str: ...

    def _status_failed(self, exc: BaseException) -> None:
        self.say("Chưa đổi trạng thái: " + describe(exc), error=True)

    def _after_save(self, then: Callable[[], None]) -> bool:
        """Save unsaved typing first, then ``then()``; False when nothing can start."""
        if self.shown is None or self.busy:
            if self.busy:
                self.say("Đang xử lý, xin chờ giây lát.")
            return False
        if not self.shown.form.is_dirty():
            then()
            return True
        return self.save(then=then)

    def submit(self) -> bool:
        """Mark the report submitted (the core checks the required fields)."""
        who = self._who()
        return self._after_save(lambda: self.act(
            lambda desk, unit, period: desk.set_status(unit, period, STATUS_SUBMITTED, who=who), "status",
            lambda _r: self.say("Đã đánh dấu báo cáo là đã nộp."), self._status_failed))

    def approve(self) -> bool:
        """Approve and lock this unit's report (submitting it first when still a draft)."""
        who = self._who()

        def work(desk: Any, unit: str, period: str) -> object:
            if desk.status(unit, period).status == STATUS_DRAFT:
                desk.set_status(unit, period, STATUS_SUBMITTED, who=who)  # the core checks required fields
            return desk.set_status(unit, period, STATUS_APPROVED, who=who)

        return self._after_save(lambda: self.act(
            work, "status", lambda _r: self.say("Đã duyệt và khóa báo cáo; biểu mẫu chuyển sang chỉ đọc."),
            self._status_failed))

    def approve_all(self) -> bool:
        """Approve and lock every report of the period that has figures, in one transaction
        (``Desk.approve_all``). Units without any figure stay open (there is nothing to approve)."""
        return self._after_save(self._ask_approve_all)

    def _ask_approve_all(self) -> None:
        period = self.period
        query(self.widget(), self.ctx, lambda desk: desk.statuses(period)).success(self._confirm_approve_all) \
            .failure(self._status_failed).run()

    def _confirm_approve_all(self, statuses: dict) -> None:
        if self.shown is None or self.busy:
            return
        ready = [c for c, s in statuses.items() if s.status in (STATUS_DRAFT, STATUS_SUBMITTED)]
        if not ready:
            self.say("Không có báo cáo nào có số liệu (Đang nhập hoặc Đã nộp) để duyệt.", error=True)
            return
        drafts = sum(1 for c in ready if statuses[c].status == STATUS_DRAFT)
        empty = sum(1 for s in statuses.values() if s.status == STATUS_EMPTY)
        text = (f"Duyệt và khóa {len(ready)} báo cáo có số liệu của {period_name(self.plan, self.period)}?"
                + (f"\nTrong đó {drafts} báo cáo chưa được đánh dấu đã nộp." if drafts else "")
                + (f"\n{empty} đơn vị chưa nhập số liệu sẽ không bị khóa." if empty else "")
                + "\nSau khi khóa, biểu mẫu chỉ để xem và các lần nhập tệp vào các báo cáo này bị từ chối.")
        if not confirm(self.widget(), "Duyệt và khóa", text, yes="Duyệt và khóa"):
            return
        who = self._who()
        self.act(lambda desk, _unit, period: desk.approve_all(period, ready, who=who), "status",
                 lambda locked: self.say(f"Đã duyệt và khóa {len(locked)} báo cáo."), self._status_failed)

    def unlock(self) -> bool:
        """Unlock after confirmation (the core audits it); the report returns to submitted."""
        if self.shown is None or self.busy:
            return False
        name = self.plan.unit(self.unit).name
        if not confirm(self.widget(), "Mở khóa", f"Mở khóa báo cáo {period_name(self.plan, self.period)} của {name} "
                                      "để sửa? Việc mở khóa được ghi vào nhật ký.", yes="Mở khóa"):
            return False
        who = self._who()
        self.act(lambda desk, unit, period: desk.set_status(unit, period, STATUS_SUBMITTED, who=who), "status",
                 lambda _r: self.say("Đã mở khóa; có thể sửa số liệu."), self._status_failed)
        return True

    def carry(self) -> bool:
        """Copy the previous period's stock figures into the empty fields (saved, source "carry")."""
        who = self._who()

        def work(desk: Any, unit: str, period: str) -> Any:
            from dkdesk.core.carry import carry_stock  # loads the database layer: not at start

            return carry_stock(desk, unit, period, who=who)

        def done(result: Any) -> None:
            self.say(f"Đã chép {len(result.copied)} số liệu tồn từ {period_name(self.plan, result.source_period)}"
                     + (f"; giữ nguyên {len(result.kept)} ô đã có số." if result.kept else "."))

        return self._after_save(lambda: self.act(work, "values", done,
                                                 lambda exc: self.say(describe(exc), error=True), reload=True))
