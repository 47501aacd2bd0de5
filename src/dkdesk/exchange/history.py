"""The import history: every file imported or refused, and the original bytes of imported ones.

``import_history(desk)`` lists the records newest first (plain dataclasses, no ORM objects);
``original_file(desk, import_id)`` returns the stored bytes so the file can be re-opened and
a figure traced back to the file it came from; ``write_original`` puts them in a temp file.
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

from dkdesk.core.reader import Reader
from dkdesk.core.records import ImportRecord  # noqa: F401 - re-exported: callers import it from here


def import_history(desk: Reader, limit: int = 2000) -> list[ImportRecord]:
    return desk.imports(limit=limit)


def original_file(desk: Reader, import_id: int) -> tuple[str, bytes]:
    """(file name, bytes) of an imported file; Refused when nothing was kept (a refused file)."""
    return desk.original_file(import_id)


def write_original(desk: Reader, import_id: int, folder: Path | None = None) -> Path:
    """Write the stored bytes to ``<temp>/dkdesk-tep-goc/<id>-<name>`` and return the path."""
    name, content = original_file(desk, import_id)
    folder = folder or Path(tempfile.gettempdir()) / "dkdesk-tep-goc"
    folder.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r'[\\/:*?"<>|]+', "_", name) or "tep.xlsx"
    path = folder / f"{import_id}-{safe}"
    path.write_bytes(content)
    return path
