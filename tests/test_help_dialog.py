"""F1 / Trợ giúp shows the Vietnamese user guide, readable, inside the program."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from dkdesk.gui.app import create_main_window
from dkdesk.gui.help_dialog import HelpDialog, guide_markdown
from dkdesk.paths import asset
from tests.conftest import PLAN_PATH


def _open_window(qtbot, db_path: Path):
    window = create_main_window(db_path, PLAN_PATH)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_help_menu_shows_the_rendered_guide(qtbot, db_path: Path) -> None:
    window = _open_window(qtbot, db_path)
    window.actions_by_name["actionGuide"].trigger()  # Trợ giúp → Hướng dẫn sử dụng
    dialog = window.findChild(HelpDialog)
    assert dialog is not None and dialog.isVisible()
    text = dialog.browser.toPlainText()
    assert text.startswith("Hướng dẫn sử dụng dkdesk")
    assert "# " not in text and "**" not in text  # rendered, not raw Markdown
    for section in ("Cài đặt từ USB", "Lần chạy đầu tiên", "Nhập số liệu", "Tổng quan", "Sao lưu"):
        assert section in text
    window.actions_by_name["actionGuide"].trigger()  # a second time: the same window
    assert len(window.findChildren(HelpDialog)) == 1


def test_f1_is_the_guide_shortcut_in_the_help_menu(qtbot, db_path: Path) -> None:
    """F1 is bound to the guide (key simulation of menu shortcuts is unreliable offscreen)."""
    window = _open_window(qtbot, db_path)
    action = window.actions_by_name["actionGuide"]
    assert action.shortcut().toString() == "F1"
    help_menu = next(m.menu() for m in window.menuBar().actions() if m.menu() and "giúp" in m.text())
    assert action in help_menu.actions()
    help_menu.popup(window.mapToGlobal(window.rect().center()))
    qtbot.waitUntil(help_menu.isVisible)
    help_menu.setActiveAction(action)
    qtbot.keyClick(help_menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.findChild(HelpDialog) is not None and window.findChild(HelpDialog).isVisible())


def test_search_in_the_guide(qtbot, db_path: Path) -> None:
    window = _open_window(qtbot, db_path)
    window.open_guide()
    dialog = window.findChild(HelpDialog)
    qtbot.keyClicks(dialog.find_edit, "dkdesk-data")
    qtbot.keyClick(dialog.find_edit, Qt.Key.Key_Return)
    assert dialog.browser.textCursor().selectedText() == "dkdesk-data"
    dialog.find_edit.setText("chữ-không-có-trong-hướng-dẫn")
    assert dialog.find_next() is False


def test_pictures_exist_or_become_captions(tmp_path: Path) -> None:
    (tmp_path / "shots").mkdir()
    (tmp_path / "shots" / "there.png").write_bytes(b"png")
    guide = tmp_path / "g.md"
    guide.write_text("![Có ảnh](shots/there.png)\n![Chưa có](shots/missing.png)\n", encoding="utf-8")
    rendered = guide_markdown(guide)
    assert "![Có ảnh](shots/there.png)" in rendered
    assert "*(Hình minh họa: Chưa có)*" in rendered


def test_the_main_window_picture_is_shipped() -> None:
    text = asset("docs/huong-dan-su-dung.md").read_text(encoding="utf-8")
    assert "screenshots/main-window.png" in text
    assert asset("docs/screenshots/main-window.png").stat().st_size > 10_000
