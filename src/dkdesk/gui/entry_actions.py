"""Report actions of the Nhập liệu tab: submit, approve and lock, unlock, carry stock figures.

A mixin for ``EntryTab`` (it provides ``ctx``, ``plan``, ``unit``, ``period``, ``form``,
``report``, ``save()``, ``say()``, ``show_form()``, ``refresh_statuses()`` and ``_notify()``).
Every change goes through the ``Desk`` (audited there) and is announced with ``ctx.notify``.
"""
from __future__ import annotations

from dkdesk.core.records import STATUS_APPROVED, STATUS_DRAFT, STATUS_EMPTY, STATUS_SUBMITTED
from dkdesk.core.validation import ValidationFailed
from dkdesk.gui.messages import confirm, describe


class ReportActions:
    """Status and carry actions; each returns whether (or how much) it changed."""

    def _set_status(self, unit: str, status: str) -> bool:
        try:
            self.ctx.desk.set_status(unit, self.period, status, who=self._who())
        except ValidationFailed as exc:
            if unit == self.unit and self.form is not None:
                self.form.show_core_errors(exc.errors)
            self.say("Chưa đổi trạng thái: " + describe(exc), error=True)
            return False
        except Exception as exc:
            self.say("Chưa đổi trạng thái: " + describe(exc), error=True)
            return False
        return True

    def _save_first(self) -> bool:
        return self.form is None or not self.form.is_dirty() or self.save()

    def submit(self) -> bool:
        """Mark the report submitted (the core checks the required fields)."""
        if not self._save_first() or not self._set_status(self.unit, STATUS_SUBMITTED):
            return False
        self._after_status("Đã đánh dấu báo cáo là đã nộp.")
        return True

    def approve(self) -> bool:
        """Approve and lock this unit's report (submitting it first when still a draft)."""
        if not self._save_first():
            return False
        if self.report and self.report.status == STATUS_DRAFT and not self._set_status(self.unit, STATUS_SUBMITTED):
            return False
        if not self._set_status(self.unit, STATUS_APPROVED):
            return False
        self._after_status("Đã duyệt và khóa báo cáo; biểu mẫu chuyển sang chỉ đọc.")
        return True

    def approve_all(self) -> int:
        """Approve and lock every report of the period that has figures; returns how many were locked.

        Units without any figure stay open (there is nothing to approve)."""
        if not self._save_first():
            return 0
        statuses = self.ctx.desk.statuses(self.period)
        ready = [c for c, s in statuses.items() if s.status in (STATUS_DRAFT, STATUS_SUBMITTED)]
        if not ready:
            self.say("Không có báo cáo nào có số liệu (Đang nhập hoặc Đã nộp) để duyệt.", error=True)
            return 0
        drafts = sum(1 for c in ready if statuses[c].status == STATUS_DRAFT)
        empty = sum(1 for s in statuses.values() if s.status == STATUS_EMPTY)
        text = (f"Duyệt và khóa {len(ready)} báo cáo có số liệu của {self.ctx.desk.period_name(self.period)}?"
                + (f"\nTrong đó {drafts} báo cáo chưa được đánh dấu đã nộp." if drafts else "")
                + (f"\n{empty} đơn vị chưa nhập số liệu sẽ không bị khóa." if empty else "")
                + "\nSau khi khóa, biểu mẫu chỉ để xem và các lần nhập tệp vào các báo cáo này bị từ chối.")
        if not confirm(self, "Duyệt và khóa", text, yes="Duyệt và khóa"):
            return 0
        done = sum(1 for code in ready if self._set_status(code, STATUS_APPROVED))
        self._after_status(f"Đã duyệt và khóa {done} báo cáo.")
        return done

    def unlock(self) -> bool:
        """Unlock after confirmation (the core audits it); the report returns to submitted."""
        name = self.plan.unit(self.unit).name
        if not confirm(self, "Mở khóa", f"Mở khóa báo cáo {self.ctx.desk.period_name(self.period)} của {name} "
                                      "để sửa? Việc mở khóa được ghi vào nhật ký.", yes="Mở khóa"):
            return False
        if not self._set_status(self.unit, STATUS_SUBMITTED):
            return False
        self._after_status("Đã mở khóa; có thể sửa số liệu.")
        return True

    def _after_status(self, text: str) -> None:
        self._notify("status")
        self.refresh_statuses()
        self.say(text)

    def carry(self) -> bool:
        """Copy the previous period's stock figures into the empty fields (saved, source "carry")."""
        if not self._save_first():
            return False
        from dkdesk.core.carry import carry_stock  # loads the database layer: not at start

        try:
            result = carry_stock(self.ctx.desk, self.unit, self.period, who=self._who())
        except Exception as exc:
            self.say(describe(exc), error=True)
            return False
        self.show_form()
        self._notify("values")
        self.say(f"Đã chép {len(result.copied)} số liệu tồn từ {self.ctx.desk.period_name(result.source_period)}"
                 + (f"; giữ nguyên {len(result.kept)} ô đã có số." if result.kept else "."))
        return True
