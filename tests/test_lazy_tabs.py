"""The main window builds only the tab it shows; the others appear, real, when first used."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from dkdesk.gui.app import create_main_window
from dkdesk.gui.lazy_tabs import LazyTabs
from dkdesk.gui.main_window import TABS
from tests.conftest import PLAN_PATH


def test_only_the_first_tab_is_built_at_start(qtbot, db_path: Path) -> None:
    window = create_main_window(db_path, PLAN_PATH)
    qtbot.addWidget(window)
    tabs = window.tabs_by_title
    assert isinstance(tabs, LazyTabs)
    assert [type(w).__name__ for w in tabs.built()] == [TABS[0][1]]
    assert list(tabs) == [t[2] for t in TABS] and window.tab_widget.count() == len(TABS)


def test_clicking_a_tab_builds_it_in_place(qtbot, db_path: Path) -> None:
    window = create_main_window(db_path, PLAN_PATH)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    bar = window.tab_widget.tabBar()
    last = len(TABS) - 1
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(last).center())
    page = window.tab_widget.currentWidget()
    assert window.tab_widget.currentIndex() == last
    assert type(page).__name__ == TABS[last][1]
    assert window.tabs_by_title[TABS[last][2]] is page
    assert window.tab_widget.tabText(last) == TABS[last][2]


def test_looking_a_tab_up_builds_it_without_switching(qtbot, db_path: Path) -> None:
    window = create_main_window(db_path, PLAN_PATH)
    qtbot.addWidget(window)
    title = TABS[1][2]
    tab = window.tabs_by_title.get(title)
    assert type(tab).__name__ == TABS[1][1]
    assert window.tab_widget.indexOf(tab) == 1 and window.tab_widget.currentIndex() == 0
    assert window.tabs_by_title[title] is tab  # built once


def test_lazy_tabs_with_a_plain_tab_widget(qtbot) -> None:
    from PySide6.QtWidgets import QLabel, QTabWidget

    made: list[str] = []

    def make(cls: type) -> QWidget:
        made.append(cls.__name__)
        return QLabel(cls.__name__)

    tw = QTabWidget()
    qtbot.addWidget(tw)
    tabs = LazyTabs(tw, [("PySide6.QtWidgets", "QFrame", "A"), ("PySide6.QtWidgets", "QDialog", "B")], make)
    assert made == ["QFrame"]
    tw.setCurrentIndex(1)  # keyboard or code switching builds too
    assert made == ["QFrame", "QDialog"] and tw.currentWidget() is tabs["B"] and tw.currentIndex() == 1
