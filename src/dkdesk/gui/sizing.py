"""Sizes that fit the office screens (1024x768 and 1366x768, a Windows taskbar below).

``fit_to_screen(dialog, w, h)``: a dialog's wished size, never larger than the free area of its
screen. ``ColumnFitter``: a table's columns inside its width: each column at its content width
(capped), the flexible ones (long names, notes) sharing what is left down to a readable minimum,
their text wrapping; only below those minimums a horizontal scroll bar. ``ElidedLabel``: one line
cut with "…" when the room is short (the whole text in its tooltip), so that a long path in the
status bar never makes the window wider than the screen.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QPainter, QPaintEvent
from PySide6.QtWidgets import QHeaderView, QLabel, QSizePolicy, QTableView, QWidget

# what a window's frame takes around its client area on Windows (title bar, borders)
FRAME_W, FRAME_H = 16, 40


def available_room(widget: QWidget | None = None) -> QRect:
    """The free area (without the taskbar) of the screen ``widget`` is on, else of the main screen."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1024, 728)


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize ``widget`` (a dialog) to ``width`` x ``height``, or less so that it and its frame fit
    the screen's free area."""
    room = available_room(widget.parentWidget() or widget)
    widget.resize(max(1, min(width, room.width() - FRAME_W)), max(1, min(height, room.height() - FRAME_H)))


class ColumnFitter(QObject):
    """Keeps ``view``'s columns inside its viewport, refitted when its rows change and when it is
    resized (once the resizing pauses).

    ``flexible``: column -> the least width it may be squeezed to (its text wraps); ``caps``:
    column -> the most width its content may claim (content widths are measured again only when
    the rows change); ``stretch``: the column given the room left over (default: the last visible
    one); ``first``: flexible columns that give way before the others (a note wraps before a file
    name does). Other columns keep their content width. The person may still drag a column's edge;
    the next resize refits."""

    def __init__(self, view: QTableView, flexible: dict[int, int], *, caps: dict[int, int] | None = None,
                 stretch: int | None = None, first: tuple[int, ...] = (), rows_to_contents: bool = True) -> None:
        super().__init__(view)
        self.view, self.flexible, self.caps, self.stretch = view, dict(flexible), dict(caps or {}), stretch
        self.first = first
        self.rows_to_contents = rows_to_contents
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.setWordWrap(True)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.viewport().installEventFilter(self)
        model = view.model()
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted, model.rowsRemoved):
            signal.connect(self.contents_changed)
        model.dataChanged.connect(lambda *_: self._naturals.clear())
        model.headerDataChanged.connect(lambda *_: self._naturals.clear())
        self._width = -1
        self._naturals: dict[int, int] = {}
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(60)  # a window being dragged wider is refitted when it pauses
        self._later.timeout.connect(self.fit)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Resize and self.view.viewport().width() != self._width:
            self._later.start()
        return False

    def contents_changed(self, *_args: object) -> None:
        """New rows: measure the columns again and refit now."""
        self._naturals.clear()
        self.fit(rows=True)

    def natural(self, col: int) -> int:
        """The width the column's header and content ask for, at most its cap."""
        if col not in self._naturals:
            header = self.view.horizontalHeader()
            want = max(header.sectionSizeFromContents(col).width(), self.view.sizeHintForColumn(col))
            self._naturals[col] = max(header.minimumSectionSize(), min(want, self.caps.get(col, want)))
        return self._naturals[col]

    def fit(self, rows: bool = False) -> None:
        """Share the width among the columns; then the rows take the height of their wrapped text
        (``rows``: even when no column changed width, as after new rows)."""
        self._later.stop()
        view, header = self.view, self.view.horizontalHeader()
        self._width = room = view.viewport().width()
        shown = [c for c in range(header.count()) if not header.isSectionHidden(c)]
        if not shown or room <= 0:
            return
        widths = {c: self.natural(c) for c in shown}
        over = sum(widths.values()) - room
        least = {c: max(w, header.minimumSectionSize()) for c, w in self.flexible.items()}
        for tier in (self.first, tuple(c for c in self.flexible if c not in self.first)):
            squeezable = {c: widths[c] - least[c] for c in tier if c in widths and widths[c] > least[c]}
            if over <= 0 or not squeezable:
                continue
            give, total = min(over, sum(squeezable.values())), sum(squeezable.values())
            for c, slack in squeezable.items():  # each in proportion to what it can give
                widths[c] -= give * slack // total
            over = sum(widths.values()) - room
            for c in sorted(squeezable, key=lambda c: widths[c] - least[c], reverse=True):
                if over <= 0:
                    break
                cut = min(over, widths[c] - least[c])  # what the rounding down left
                widths[c] -= cut
                over -= cut
        stretch = self.stretch if self.stretch in widths else shown[-1]
        if over < 0:
            widths[stretch] -= over  # the spare room
        moved = any(header.sectionSize(c) != w for c, w in widths.items())
        for c, w in widths.items():
            header.resizeSection(c, w)
        if (moved or rows) and self.rows_to_contents and view.wordWrap():
            view.resizeRowsToContents()


class ElidedLabel(QLabel):
    """A one-line label that may be narrower than its text: cut with "…", whole in the tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(40)
        self.setToolTip(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        super().setText(text)
        self.setToolTip(text)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, int(self.alignment() | Qt.AlignmentFlag.AlignVCenter), text)
