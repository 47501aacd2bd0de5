"""Consistent, rotated backups of the SQLite database through SQLite's backup API.

``make_backup(desk, reason)`` is called before every import batch, restore and migration
(and once a day on exit); it never copies the file of a live database byte by byte.
"""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from dkdesk.core.desk import Desk
from dkdesk.storage.database import sqlite_backup

DEFAULT_KEEP = 20
_SAFE = re.compile(r"[^a-z0-9-]+")


def backups_dir(desk: Desk) -> Path | None:
    path = desk.sqlite_path
    return None if path is None else path.parent / "backups"


def make_backup(desk: Desk, reason: str, target: Path | None = None, keep: int = DEFAULT_KEEP) -> Path | None:
    """Write a consistent copy; returns its path (None on a server database: not ours to copy).

    ``reason`` is a short ASCII tag that goes into the file name ("nhap-excel", "khoi-phuc").
    Automatic backups (no ``target``) are rotated: the newest ``keep`` stay.
    """
    source = desk.sqlite_path
    if source is None:
        return None
    if target is None:
        folder = backups_dir(desk)
        assert folder is not None
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        tag = _SAFE.sub("-", reason.lower()).strip("-") or "sao-luu"
        target = folder / f"dkdesk-{stamp}-{tag}.sqlite"
        sqlite_backup(source, target)
        rotate(folder, keep)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        sqlite_backup(source, target)
    return target


def list_backups(folder: Path) -> list[Path]:
    """Automatic backups, newest first."""
    if not folder.is_dir():
        return []
    return sorted(folder.glob("dkdesk-*.sqlite"), key=lambda p: p.name, reverse=True)


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` automatic backups; returns what was removed."""
    removed = []
    for old in list_backups(folder)[max(keep, 1):]:
        try:
            old.unlink()
            removed.append(old)
        except OSError:
            pass
    return removed
