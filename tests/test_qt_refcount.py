"""Guard: Qt calls that return nothing must not drop references to None.

PySide6 6.12.0 on Python 3.11 (where None is not immortal) decrements None's reference count
on every such call (``label.setText``, ``processEvents``...), so a GUI session aborts with
"Fatal Python error: none_dealloc" after a few thousand calls. pyproject.toml excludes
6.12.0; this test fails on any binding that does it again.
"""
from __future__ import annotations

import sys

import pytest

PySide6 = pytest.importorskip("PySide6")
BROKEN = PySide6.__version__ == "6.12.0" and sys.version_info < (3, 12)


@pytest.mark.xfail(BROKEN, reason="PySide6 6.12.0 on Python 3.11 leaks None references", strict=True)
def test_void_qt_calls_keep_none_alive(qapp) -> None:
    from PySide6.QtWidgets import QLabel

    label = QLabel("x")
    label.setText("y")
    before = sys.getrefcount(None)
    for _ in range(100):
        label.setText("y")
        qapp.processEvents()
    assert sys.getrefcount(None) >= before - 5
