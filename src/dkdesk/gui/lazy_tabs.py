"""Tabs built when first needed, so that the main window appears quickly.

``LazyTabs`` is the main window's ``tabs_by_title`` mapping. The first tab (the one shown at
start) is built at once; every other tab starts as an empty placeholder page and is built the
first time it is shown (``currentChanged``) or looked up (``tabs[title]``, ``tabs.get``), then
takes its placeholder's place at the same index. Callers therefore always receive the real tab
widget; ``built()`` lists only the tabs that exist (closing need not build the others).
"""
from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import Callable

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QTabWidget, QWidget

TabSpec = tuple[str, str, str]  # (module, class, title)


class LazyTabs(Mapping[str, QWidget]):
    """Title -> tab widget, building each tab on first use (see the module docstring)."""

    def __init__(self, tab_widget: QTabWidget, specs: list[TabSpec],
                 make: Callable[[type], QWidget], eager: int = 0) -> None:
        self._tab_widget = tab_widget
        self._make = make
        self._specs = {title: (module, cls) for module, cls, title in specs}
        self._titles = [title for _module, _cls, title in specs]
        self._built: dict[str, QWidget] = {}
        self._placeholders: dict[str, QWidget] = {}
        for i, title in enumerate(self._titles):
            if i == eager:
                self._built[title] = self._construct(title)
                tab_widget.addTab(self._built[title], title)
            else:
                placeholder = QWidget()
                placeholder.setObjectName(f"lazyTab{i}")
                self._placeholders[title] = placeholder
                tab_widget.addTab(placeholder, title)
        tab_widget.currentChanged.connect(self._on_current_changed)

    # -- Mapping ------------------------------------------------------------------------
    def __getitem__(self, title: str) -> QWidget:
        if title not in self._specs:
            raise KeyError(title)
        if title not in self._built:
            self._build(title)
        return self._built[title]

    def __iter__(self) -> Iterator[str]:
        return iter(self._titles)

    def __len__(self) -> int:
        return len(self._titles)

    def built(self) -> list[QWidget]:
        """The tabs constructed so far, in tab order."""
        return [self._built[t] for t in self._titles if t in self._built]

    def dispose(self) -> None:
        """Take every tab (built or not) out of the tab widget and delete it (the window is
        given another Desk: a new ``LazyTabs`` follows)."""
        tabs = self._tab_widget
        tabs.currentChanged.disconnect(self._on_current_changed)
        widgets = [tabs.widget(i) for i in range(tabs.count())]
        tabs.clear()
        for w in widgets:
            if w is not None:
                w.deleteLater()
        self._built.clear()
        self._placeholders.clear()

    # -- building -------------------------------------------------------------------------
    def _construct(self, title: str) -> QWidget:
        module, cls = self._specs[title]
        return self._make(getattr(importlib.import_module(module), cls))

    def _build(self, title: str) -> None:
        widget = self._construct(title)
        self._built[title] = widget
        placeholder = self._placeholders.pop(title)
        tabs = self._tab_widget
        index = tabs.indexOf(placeholder)
        was_current = tabs.currentIndex() == index
        blocker = QSignalBlocker(tabs)
        tabs.removeTab(index)
        tabs.insertTab(index, widget, title)
        if was_current:
            tabs.setCurrentIndex(index)
        blocker.unblock()
        placeholder.deleteLater()

    def _on_current_changed(self, index: int) -> None:
        if index < 0:
            return
        title = self._tab_widget.tabText(index)
        if title in self._placeholders and self._tab_widget.widget(index) is self._placeholders[title]:
            self._build(title)
