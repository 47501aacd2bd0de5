"""The user guide (``docs/huong-dan-su-dung.md``) shown readable inside dkdesk (Trợ giúp, F1).

The Markdown is rendered by Qt (``QTextDocument.setMarkdown``) in a QTextBrowser, with the
screenshots from ``docs/screenshots/`` scaled to the window's width; a picture not shipped yet
is replaced by its caption. Links to web pages open in the browser. Ctrl+F searches. The
guide is bundled in the executable (``paths.asset``).
"""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QUrl, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor, QTextDocument, QTextImageFormat
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QLineEdit, QTextBrowser,
                               QVBoxLayout, QWidget)

from dkdesk.gui.sizing import fit_to_screen
from dkdesk.paths import asset

GUIDE = "docs/huong-dan-su-dung.md"
IMAGE_MAX_WIDTH = 760
_IMAGE_RE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")


def guide_markdown(path: Path) -> str:
    """The guide's text with every picture whose file is missing replaced by its caption."""
    text = path.read_text(encoding="utf-8")

    def keep_or_caption(match: re.Match[str]) -> str:
        alt, target = match.group(1), match.group(2)
        if "://" in target or (path.parent / target).is_file():
            return match.group(0)
        return f"*(Hình minh họa: {alt})*"

    return _IMAGE_RE.sub(keep_or_caption, text)


def _scale_images(document: QTextDocument, max_width: int) -> None:
    """Shrink pictures wider than ``max_width`` (keeping their proportions)."""
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            if fragment.isValid() and fmt.isImageFormat():
                image_fmt: QTextImageFormat = fmt.toImageFormat()
                image = document.resource(QTextDocument.ResourceType.ImageResource, QUrl(image_fmt.name()))
                width = getattr(image, "width", lambda: 0)()
                if width > max_width:
                    image_fmt.setWidth(max_width)
                    image_fmt.setHeight(image.height() * max_width / width)
                    cursor = QTextCursor(document)
                    cursor.setPosition(fragment.position())
                    cursor.setPosition(fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor)
                    cursor.setCharFormat(image_fmt)
            it += 1
        block = block.next()


class HelpDialog(QDialog):
    """A non-modal window with the guide; ``browser`` holds the rendered text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("helpDialog")
        self.setWindowTitle("Hướng dẫn sử dụng dkdesk")
        fit_to_screen(self, 900, 700)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("guideBrowser")
        self.browser.setOpenExternalLinks(True)
        self.find_edit = QLineEdit(self)
        self.find_edit.setObjectName("guideFind")
        self.find_edit.setPlaceholderText("Tìm trong hướng dẫn (Enter: tìm tiếp)")
        self.find_edit.returnPressed.connect(self.find_next)
        QShortcut(QKeySequence.StandardKey.Find, self, self.find_edit.setFocus)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText("Đóng")
        close.setAutoDefault(False)  # Enter in the search box searches, it does not close the guide
        close.setDefault(False)
        buttons.rejected.connect(self.close)
        find_row = QHBoxLayout()
        find_row.addWidget(QLabel("Tìm:", self))
        find_row.addWidget(self.find_edit, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addLayout(find_row)
        layout.addWidget(buttons)
        self.load()

    def load(self) -> None:
        try:
            path = asset(GUIDE)
        except FileNotFoundError:
            self.browser.setPlainText("Không tìm thấy tệp hướng dẫn sử dụng đi kèm chương trình.")
            return
        document = self.browser.document()
        document.setBaseUrl(QUrl.fromLocalFile(str(path.parent) + "/"))
        self.browser.setSearchPaths([str(path.parent)])
        document.setDefaultStyleSheet("h1 { color: #1f3b5a; } h2 { color: #1f3b5a; } code { color: #7a2e0e; }")
        document.setMarkdown(guide_markdown(path))
        _scale_images(document, IMAGE_MAX_WIDTH)
        self.browser.moveCursor(QTextCursor.MoveOperation.Start)

    def find_next(self) -> bool:
        """Select the next occurrence of the search text (wrapping round); False when absent."""
        text = self.find_edit.text().strip()
        if not text:
            return False
        if self.browser.find(text):
            return True
        self.browser.moveCursor(QTextCursor.MoveOperation.Start)
        return self.browser.find(text)


def open_help(parent: QWidget | None = None) -> HelpDialog:
    """Show the guide (one window per parent: a second F1 brings it to the front)."""
    existing = parent.findChild(HelpDialog) if parent is not None else None
    dialog = existing or HelpDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
