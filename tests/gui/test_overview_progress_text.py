"""The progress bar of the Tổng quan tab keeps its text legible on a dark fill."""
from __future__ import annotations

from PySide6.QtGui import QColor

from dkdesk.gui.overview_model import STATUS_COLOURS, progress_text_colour
from dkdesk.indicators.engine import DAT


def test_text_is_white_on_the_full_green_bar() -> None:
    assert progress_text_colour(QColor(STATUS_COLOURS[DAT][0]), 1.0) == QColor("#ffffff")


def test_text_stays_dark_on_light_fills_and_short_bars() -> None:
    assert progress_text_colour(QColor("#ef8f00"), 0.9) == QColor("#1a1a1a")  # orange: Thiếu số liệu
    assert progress_text_colour(QColor("#e57373"), 0.99) == QColor("#1a1a1a")  # pale red: Chưa đạt
    assert progress_text_colour(QColor(STATUS_COLOURS[DAT][0]), 0.3) == QColor("#1a1a1a")  # text on the track
