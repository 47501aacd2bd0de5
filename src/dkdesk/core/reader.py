"""``Reader``: what the operation modules (indicators, reports, the import history) read.

They take "a desk" but need only these methods, so anything offering them will do: the
``Desk`` itself, or a stand-in in a test. None of them returns a database object.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Protocol

if TYPE_CHECKING:
    from dkdesk.catalogue.model import Plan
    from dkdesk.core.records import ImportRecord, ReportStatus, UnitValues
    from dkdesk.core.validation import Value


class Reader(Protocol):
    @property
    def plan(self) -> Plan: ...

    def period_values(self, period: str, fields: Iterable[str] | None = None) -> dict[tuple[str, str], Value]: ...

    def has_values(self, period: str) -> bool: ...

    def statuses(self, period: str) -> dict[str, ReportStatus]: ...

    def get_values(self, unit: str, period: str) -> UnitValues: ...

    def imports(self, period: str | None = None, *, newest_first: bool = True,
                limit: int | None = None) -> list[ImportRecord]: ...

    def original_file(self, import_id: int) -> tuple[str, bytes]: ...
