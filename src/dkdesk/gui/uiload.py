"""Load Qt Designer files from ``ui/`` through ``dkdesk.paths.asset`` (works when frozen)."""
from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QFile, QIODevice
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QWidget

from dkdesk.paths import asset

W = TypeVar("W", bound=QWidget)


def load_ui(name: str, parent: QWidget | None = None) -> QWidget:
    """Build the widget tree of ``ui/<name>`` and return its top widget."""
    path = asset(f"ui/{name}")
    f = QFile(str(path))
    if not f.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FileNotFoundError(f"Không mở được giao diện {path}")
    try:
        widget = QUiLoader().load(f, parent)
    finally:
        f.close()
    if widget is None:
        raise RuntimeError(f"Tệp giao diện hỏng: {path}")
    return widget


def child(form: QWidget, kind: type[W], name: str) -> W:
    """The named widget of a loaded form; a form missing it is a broken installation, said so."""
    found = form.findChild(kind, name)
    if found is None:
        raise RuntimeError(f"Tệp giao diện thiếu {kind.__name__} \"{name}\"")
    return found
