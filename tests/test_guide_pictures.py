"""The user guide's pictures: every one it shows exists, none is left over, and F1 shows them all."""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtGui import QTextDocument

from dkdesk.gui import help_dialog
from dkdesk.gui.help_dialog import HelpDialog
from dkdesk.paths import asset

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "huong-dan-su-dung.md"
SHOTS = ROOT / "docs" / "screenshots"
LINK = re.compile(r"\(\s*(screenshots/[^)\s]+)\s*\)")


def guide_pictures() -> list[str]:
    return LINK.findall(GUIDE.read_text(encoding="utf-8"))


def test_f1_opens_the_guide_that_is_bundled() -> None:
    """The help dialog reads the bundled asset, and that asset is this guide (docs/ is bundled whole)."""
    assert asset(help_dialog.GUIDE).resolve() == GUIDE.resolve()


def test_every_picture_the_guide_shows_exists() -> None:
    pictures = guide_pictures()
    assert len(pictures) >= 10
    for name in pictures:
        path = GUIDE.parent / name
        assert path.is_file(), f"{name} is referenced by the guide but missing"
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{name} is not a PNG"


def test_no_picture_is_left_over() -> None:
    used = {Path(name).name for name in guide_pictures()}
    extra = sorted(p.name for p in SHOTS.glob("*.png") if p.name not in used)
    assert extra == [], f"screenshots the guide no longer uses: {extra}"


def test_the_help_window_shows_every_picture(qtbot) -> None:
    dialog = HelpDialog()
    qtbot.addWidget(dialog)
    text = dialog.browser.toPlainText()
    assert "Hình minh họa" not in text  # a missing picture would be replaced by its caption
    document = dialog.browser.document()
    shown = set()
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                name = fmt.toImageFormat().name()
                image = document.resource(QTextDocument.ResourceType.ImageResource, name)
                assert image is not None and not image.isNull(), f"{name} does not load"
                shown.add(name)
            it += 1
        block = block.next()
    assert shown == set(guide_pictures())


def test_the_shortcuts_the_guide_lists_are_the_menus(qtbot, db_path: Path) -> None:
    """F1, Ctrl+S, Ctrl+O and Ctrl+Q as written in the guide's table (Ctrl+Q also on Windows)."""
    from dkdesk.gui.app import create_main_window
    from tests.conftest import PLAN_PATH

    window = create_main_window(db_path, PLAN_PATH)
    qtbot.addWidget(window)
    text = GUIDE.read_text(encoding="utf-8")
    for action, key in (("actionGuide", "F1"), ("actionSave", "Ctrl+S"), ("actionImport", "Ctrl+O"),
                        ("actionQuit", "Ctrl+Q")):
        assert window.actions_by_name[action].shortcut().toString() == key
        assert f"| {key} |" in text
