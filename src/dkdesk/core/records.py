"""The plain records dkdesk's core hands out: report statuses, values with their origin, audit
entries, the import history, the save summary, and ``Refused``.

No database library here (the GUI and the reports import them without loading SQLAlchemy);
``dkdesk.core.desk`` re-exports them.
"""
from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from dkdesk.core.validation import Value

if TYPE_CHECKING:
    from dkdesk.catalogue.model import Plan

STATUS_EMPTY = "empty"
STATUS_DRAFT = "draft"
STATUS_SUBMITTED = "submitted"
STATUS_APPROVED = "approved"
STATUS_LABELS = {
    STATUS_EMPTY: "Chưa nhập",
    STATUS_DRAFT: "Đang nhập",
    STATUS_SUBMITTED: "Đã nộp",
    STATUS_APPROVED: "Đã duyệt - khóa",
}


class Refused(ValueError):
    """A request refused with a Vietnamese reason; nothing was changed."""


@dataclass(frozen=True)
class ValueInfo:
    value: Value
    updated_at: datetime
    updated_by: str
    source: str  # manual | import | carry
    import_id: int | None


@dataclass(frozen=True)
class UnitValues:
    unit: str
    period: str
    status: str
    values: dict[str, Value]
    info: dict[str, ValueInfo] = field(default_factory=dict)


@dataclass(frozen=True)
class SaveResult:
    new: int
    changed: int
    unchanged: int
    cleared: int

    @property
    def touched(self) -> int:
        return self.new + self.changed + self.cleared


@dataclass(frozen=True)
class ReportStatus:
    unit: str
    period: str
    status: str
    received_at: datetime | None
    submitted_at: datetime | None
    locked_at: datetime | None
    locked_by: str

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def locked(self) -> bool:
        return self.status == STATUS_APPROVED


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    who: str
    action: str
    unit: str | None
    period: str | None
    field: str | None
    old: str | None
    new: str | None
    source: str
    import_id: int | None
    note: str


IMPORT_RESULT_LABELS = {"imported": "Đã nhập", "unchanged": "Không đổi", "rejected": "Bị từ chối"}


@dataclass(frozen=True)
class ImportRecord:
    """One row of the import history (a file imported or refused), without the file's bytes."""

    id: int
    file_name: str
    path: str
    sha256: str
    size: int
    unit: str | None
    period: str | None
    at: datetime
    who: str
    result: str  # imported | unchanged | rejected
    new: int
    changed: int
    unchanged: int
    message: str
    has_content: bool

    @property
    def result_label(self) -> str:
        return IMPORT_RESULT_LABELS.get(self.result, self.result)


@dataclass(frozen=True)
class ImportFile:
    """What the history keeps of one file received (``ImportBatch.record``)."""

    file_name: str
    path: str
    sha256: str
    size: int
    unit: str | None
    period: str | None
    template_version: str = ""
    message: str = ""  # warnings (accepted file) or the reasons it was refused; cut to 4000 characters
    content: bytes | None = None  # the original bytes; never kept for a refused file


def encode(value: Value | None) -> str | None:
    """How a value is written in the audit log (JSON-like, type-preserving)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def default_who() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return os.environ.get("USERNAME", "")


def period_name(plan: Plan, period: str) -> str:
    """How a period is named inside a sentence ("6 tháng đầu năm 2024"), or its code if unknown."""
    return plan.period(period).name.lower() if plan.has_period(period) else period


def require_unit(plan: Plan, code: str) -> None:
    """Refused, listing the plan's unit codes, when ``code`` is not one of them."""
    if not plan.has_unit(code):
        raise Refused(f'Không có đơn vị mã "{code}" trong kế hoạch. '
                      f'Các mã đơn vị: {", ".join(u.code for u in plan.units)}.')


def require_period(plan: Plan, code: str) -> None:
    """Refused, listing the plan's periods, when ``code`` is not one of them."""
    if not plan.has_period(code):
        raise Refused(f'Không có kỳ báo cáo "{code}" trong kế hoạch. '
                      f'Các kỳ: {", ".join(p.code for p in plan.periods)}.')


@dataclass(frozen=True)
class PlanSummary:
    """One plan stored in the database (``Desk.plans``)."""

    code: str
    title: str
    year: int
    previous: str | None  # the plan it follows
    has_values: bool  # figures were entered under it
    loaded_at: datetime | None = None
