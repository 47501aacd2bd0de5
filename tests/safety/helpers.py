"""Helpers for the safety tests: damaging files, snapshots of what is stored."""
from __future__ import annotations

import sqlite3
from pathlib import Path


def damage(path: Path) -> None:
    """Overwrite the b-tree page headers of every page after the first: quick_check fails,
    the file still starts like an SQLite database."""
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    for start in range(page, len(data), page):
        data[start:start + 12] = b"\xff" * 12
    path.write_bytes(bytes(data))


def snapshot(path: Path) -> dict:
    """Everything stored that matters: values, report statuses, the audit log length."""
    con = sqlite3.connect(path)
    try:
        values = sorted(con.execute("SELECT unit_id, period_id, field_id, int_value, bool_value, text_value "
                                    "FROM field_values").fetchall())
        reports = sorted(con.execute("SELECT unit_id, period_id, status FROM reports").fetchall())
        audit = con.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    finally:
        con.close()
    return {"values": values, "reports": reports, "audit": audit}


def other_program_holds(db_path: Path, user: str = "Chị Hoa", host: str = "MAY-KHAC"):
    """The writer lock taken as another dkdesk program would (not shared with this process's
    Desks); returns the lock, release it at the end."""
    from datetime import datetime

    from dkdesk.safety.lock import DbLock, Holder

    lock = DbLock(db_path)
    assert lock.acquire()
    lock.write_holder(Holder(user, host, 4242, datetime(2026, 11, 29, 8, 5).isoformat()))
    return lock


def read_only_notice(window) -> tuple[str, str]:  # noqa: ANN001 - a MainWindow over an opened Desk
    """(text, tooltip) of the window's red read-only notice; asserts it is there and shown."""
    from PySide6.QtWidgets import QLabel

    assert window.ctx.read_only
    label = window.statusBar().findChild(QLabel, "readOnlyLabel")
    assert label is not None and label.isVisible()
    return label.text(), label.toolTip()
