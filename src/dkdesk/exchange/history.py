"""The import history: every file imported or refused, and the original bytes of imported ones.

``import_history(desk)`` lists the records newest first (plain dataclasses, no ORM objects);
``original_file(desk, import_id)`` returns the stored bytes so the file can be re-opened and
a figure traced back to the file it came from; ``write_original`` puts them in a temp file.
"""
from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from dkdesk.core.desk import Desk, Refused
from dkdesk.storage.models import ImportRow

RESULT_LABELS = {"imported": "Đã nhập", "unchanged": "Không đổi", "rejected": "Bị từ chối"}


@dataclass(frozen=True)
class ImportRecord:
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
        return RESULT_LABELS.get(self.result, self.result)


def import_history(desk: Desk, limit: int = 2000) -> list[ImportRecord]:
    q = (select(ImportRow.id, ImportRow.file_name, ImportRow.path, ImportRow.sha256, ImportRow.size,
                ImportRow.unit_id, ImportRow.period_id, ImportRow.imported_at, ImportRow.who, ImportRow.result,
                ImportRow.n_new, ImportRow.n_changed, ImportRow.n_unchanged, ImportRow.message,
                ImportRow.content.is_not(None))
         .order_by(ImportRow.id.desc()).limit(limit))
    with desk.read() as s:
        rows = s.execute(q).all()
    return [ImportRecord(r[0], r[1], r[2], r[3], r[4], desk.code_of("unit", r[5]), desk.code_of("period", r[6]),
                         r[7], r[8], r[9], r[10], r[11], r[12], r[13], bool(r[14])) for r in rows]


def import_count(desk: Desk) -> int:
    with desk.read() as s:
        return int(s.scalar(select(func.count(ImportRow.id))) or 0)


def original_file(desk: Desk, import_id: int) -> tuple[str, bytes]:
    """(file name, bytes) of an imported file; Refused when nothing was kept (a refused file)."""
    with desk.read() as s:
        row = s.execute(select(ImportRow.file_name, ImportRow.content).where(ImportRow.id == import_id)).first()
    if row is None:
        raise Refused(f"Không có lần nhập số {import_id}.")
    if row[1] is None:
        raise Refused(f"Tệp \"{row[0]}\" bị từ chối khi nhập nên không được lưu lại.")
    return row[0], row[1]


def write_original(desk: Desk, import_id: int, folder: Path | None = None) -> Path:
    """Write the stored bytes to ``<temp>/dkdesk-tep-goc/<id>-<name>`` and return the path."""
    name, content = original_file(desk, import_id)
    folder = folder or Path(tempfile.gettempdir()) / "dkdesk-tep-goc"
    folder.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r'[\\/:*?"<>|]+', "_", name) or "tep.xlsx"
    path = folder / f"{import_id}-{safe}"
    path.write_bytes(content)
    return path
