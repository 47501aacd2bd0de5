"""The smallest office screens (issue 14, 3): every tab and dialog usable at 1024x768 and 1366x768.

A maximised window there has a client area of 1024 (1366) x 697: 768 less a 40-pixel Windows
taskbar and a 31-pixel title bar. The tabs are opened by clicking them, as a person would; the
screen of the dialogs is a 1024x768 one (its free area above the taskbar: 1024x728).
"""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QDialog, QStyle, QStyleOptionComboBox, QTableView, QWidget

from dkdesk.gui.ops import wait_ops
from tests.conftest import WARDS, fill_unit, values_for

P = "2024-H1"
CLIENT_H = 768 - 40 - 31
LONG_NAME = "Nguyễn Thị Thanh Lan - chuyên viên Phòng Lao động - Thương binh và Xã hội quận Dương Kinh"


@pytest.fixture
def window(qtbot, desk):
    from dkdesk.core.settings import Settings
    from dkdesk.gui.app import create_main_window

    for n, unit in enumerate(WARDS[:4] + ["GDDT", "LDLD", "CA", "VHTT"]):
        fill_unit(desk, unit, P, {"tt_so_buoi": 10 + n} if unit in WARDS else None)
    settings = Settings(user_name=LONG_NAME, role="consolidator", last_period=P)
    win = create_main_window(desk, settings=settings)
    qtbot.addWidget(win)
    return win


def show_at(qtbot, win, width: int) -> None:
    win.resize(width, CLIENT_H)
    win.show()
    qtbot.waitExposed(win)
    assert wait_ops()
    assert win.width() == width, f"the window cannot be made {width} wide: it needs {win.minimumSizeHint().width()}"


def click_tab(qtbot, win, title: str) -> QWidget:
    bar = win.tab_widget.tabBar()
    index = next(i for i in range(bar.count()) if bar.tabText(i) == title)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert wait_ops()
    qtbot.wait(10)  # the layout settles (a posted resize), not a timing assertion
    assert win.tab_widget.currentIndex() == index
    return win.tab_widget.currentWidget()


def columns_fit(view: QTableView) -> tuple[int, int]:
    """(sum of the shown columns' widths, the room the table has for them)."""
    header = view.horizontalHeader()
    shown = sum(header.sectionSize(c) for c in range(header.count()) if not header.isSectionHidden(c))
    return shown, view.viewport().width()


def assert_columns_fit(qtbot, view: QTableView, what: str) -> None:
    """Once the table has settled (a resize is refitted when it pauses), every column is inside it."""
    try:
        qtbot.waitUntil(lambda: columns_fit(view)[0] <= columns_fit(view)[1], timeout=3000)
    except AssertionError:
        pass
    shown, room = columns_fit(view)
    assert shown <= room, f"{what}: {shown} px of columns in {room} px, a column is cut off"


def test_every_tab_fits_a_1024x768_screen(qtbot, window) -> None:
    """No tab (nor the status bar with a long path and user name) asks for more than 1024 x 697."""
    show_at(qtbot, window, 1024)
    for title in ("Nhập liệu", "Tổng quan", "Trao đổi Excel", "Nhật ký"):
        tab = click_tab(qtbot, window, title)
        need = tab.minimumSizeHint()
        assert need.width() <= 1024 - 16 and need.height() <= CLIENT_H - 120, f"{title} needs {need.toTuple()}"
        whole = window.minimumSizeHint()
        assert whole.width() <= 1024 and whole.height() <= CLIENT_H, f"with {title}: {whole.toTuple()}"
        assert window.width() == 1024, f"{title} widened the window to {window.width()}"
    assert LONG_NAME in window.db_label.text()  # the whole text, shortened only on screen
    assert LONG_NAME in window.db_label.toolTip()


@pytest.mark.parametrize("width", [1024, 1366])
def test_the_overview_names_are_readable_and_every_column_shows(qtbot, window, width: int) -> None:
    from dkdesk.gui.overview_model import COL_NAME

    show_at(qtbot, window, width)
    tab = click_tab(qtbot, window, "Tổng quan")
    table = tab.table
    chars = table.fontMetrics().averageCharWidth()
    assert tab.model.rowCount() == len(window.ctx.desk.plan.indicators)
    assert table.columnWidth(COL_NAME) >= 26 * chars  # not one word a line
    assert_columns_fit(qtbot, table, f"overview at {width}")
    if width == 1366:  # the names take the width the other columns leave: most fit on one line
        one_line = table.fontMetrics().lineSpacing() + 12
        assert sum(table.rowHeight(r) <= max(one_line, 28) for r in range(tab.model.rowCount())) >= 5
    # the person widens the window: the name column takes the new room
    before = table.columnWidth(COL_NAME)
    window.resize(width + 200, CLIENT_H)
    qtbot.waitUntil(lambda: table.columnWidth(COL_NAME) > before)
    assert_columns_fit(qtbot, table, f"overview at {width + 200}")


@pytest.mark.parametrize("title, view", [("Nhật ký", "view"), ("Trao đổi Excel", "history_view")])
def test_the_journal_and_the_import_history_show_every_column_at_1024(qtbot, window, tmp_path, title, view) -> None:
    from dkdesk.exchange import importer
    from dkdesk.exchange.template import write_template

    desk = window.ctx.desk
    plan = desk.plan
    path = write_template(plan, "HCCB", P, tmp_path / "bao-cao_2024-H1_HCCB.xlsx", values=values_for(desk, "HCCB"))
    importer.apply(desk, importer.preview(desk, [path]), who="Người kiểm thử")
    show_at(qtbot, window, 1024)
    table = getattr(click_tab(qtbot, window, title), view)
    assert table.model().rowCount() > 0
    assert_columns_fit(qtbot, table, title)
    room = table.viewport().width()
    header = table.horizontalHeader()
    for col in range(header.count()):
        assert header.sectionSize(col) >= header.minimumSectionSize()
    last = header.count() - 1  # the journal's source, the history's note: on screen, not cut off
    assert header.sectionViewportPosition(last) + header.sectionSize(last) <= room


@pytest.fixture
def office_font(qapp):
    """The font the program itself uses (``ensure_app``: Segoe UI, or Noto Sans here, at 10 points),
    not the test runner's smaller default: what the person reads is that wide."""
    from dkdesk.gui.app import use_office_font

    before = qapp.font()
    use_office_font(qapp)
    yield
    qapp.setFont(before)


def text_room(combo) -> int:  # noqa: ANN001
    """The width a combo box has for its text (without its frame and arrow)."""
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    return combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                        QStyle.SubControl.SC_ComboBoxEditField, combo).width()


@pytest.mark.parametrize("width", [1024, 1366])
def test_the_export_row_reads_whole_on_a_small_screen(qtbot, office_font, window, width: int) -> None:
    """Trao đổi Excel: "Tất cả đơn vị (mỗi đơn vị một tệp, vào một thư mục)" and the longest unit
    name are not cut in the unit box; the check box and the button stay in the window."""
    show_at(qtbot, window, width)
    tab = click_tab(qtbot, window, "Trao đổi Excel")
    combo = tab.unit_combo
    metrics = combo.fontMetrics()
    assert combo.currentText().startswith("Tất cả đơn vị (")
    for i in range(combo.count()):
        combo.setFocus()
        qtbot.keyClick(combo, Qt.Key.Key_Down if i else Qt.Key.Key_Home)  # each text in turn, as the person reads it
        text = combo.currentText()
        assert metrics.horizontalAdvance(text) <= text_room(combo), f"{text!r} is cut at {width}"
    for widget in (tab.filled_check, tab.findChild(QWidget, "exportButton")):
        right = widget.mapTo(window, QPoint(widget.width(), 0)).x()
        assert widget.isVisible() and right <= window.width(), f"{widget.objectName()} ends at {right}"
        assert widget.fontMetrics().horizontalAdvance(widget.text()) < widget.width()
    assert window.minimumSizeHint().width() <= 1024


@pytest.fixture
def small_screen(monkeypatch):
    """Every screen is a 1024x768 one with a 40-pixel taskbar."""
    room = QRect(0, 0, 1024, 728)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: room)
    return room


def fits(dialog: QDialog, room: QRect) -> None:
    dialog.show()
    hint = dialog.minimumSizeHint()
    name = type(dialog).__name__
    assert dialog.width() + 16 <= room.width() and dialog.height() + 40 <= room.height(), \
        f"{name} is {dialog.width()}x{dialog.height()}"
    assert hint.width() + 16 <= room.width() and hint.height() + 40 <= room.height(), f"{name} needs {hint.toTuple()}"
    dialog.close()


def test_no_dialog_is_larger_than_a_1024x768_screen(qtbot, window, small_screen, tmp_path) -> None:
    from dkdesk.exchange import importer
    from dkdesk.exchange.template import write_template
    from dkdesk.gui.backup_dialog import BackupDialog
    from dkdesk.gui.contribution_dialog import ContributionDialog
    from dkdesk.gui.first_run import FirstRunDialog
    from dkdesk.gui.help_dialog import HelpDialog
    from dkdesk.gui.history_dialog import HistoryDialog
    from dkdesk.gui.import_preview import PreviewDialog
    from dkdesk.gui.report_dialog import ReportDialog
    from dkdesk.gui.year_end_dialog import YearEndDialog
    from dkdesk.indicators.contributions import unit_contributions
    from dkdesk.indicators.overview import overview_page

    ctx, desk = window.ctx, window.ctx.desk
    plan = desk.plan
    changed = write_template(plan, WARDS[0], P, tmp_path / f"bao-cao_{P}_{WARDS[0]}.xlsx",
                             values=values_for(desk, WARDS[0], {"tt_so_buoi": 99}))
    new = write_template(plan, "HCCB", P, tmp_path / f"bao-cao_{P}_HCCB.xlsx", values=values_for(desk, "HCCB"))
    show_at(qtbot, window, 1024)
    result = overview_page(desk, P).overview.indicators[0]
    dialogs: list[QDialog] = [
        PreviewDialog(ctx, importer.preview(desk, [changed, new]), window),
        YearEndDialog(ctx, window, "2024-Y"),
        HistoryDialog(ctx, WARDS[0], P, "tt_so_buoi", desk.history(unit=WARDS[0], period=P, field="tt_so_buoi"),
                      window),
        ContributionDialog(plan, "6 tháng đầu năm 2024", result, unit_contributions(desk, result.code, P), window),
        BackupDialog(ctx, window),
        ReportDialog(ctx, window, "2024-Y"),
        HelpDialog(window),
        FirstRunDialog(ctx, window),
    ]
    for dialog in dialogs:
        assert wait_ops()
        fits(dialog, small_screen)


def test_the_import_preview_shows_every_column_on_a_1024_screen(qtbot, window, small_screen, tmp_path) -> None:
    from dkdesk.exchange import importer
    from dkdesk.exchange.template import write_template
    from dkdesk.gui.import_preview import PreviewDialog

    desk = window.ctx.desk
    path = write_template(desk.plan, WARDS[1], P, tmp_path / f"bao-cao_{P}_{WARDS[1]}.xlsx",
                          values=values_for(desk, WARDS[1], {"tt_so_buoi": 77}))
    dialog = PreviewDialog(window.ctx, importer.preview(desk, [path]), window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.width() + 16 <= small_screen.width()
    for table in (dialog.files_view, dialog.diff_view):
        assert_columns_fit(qtbot, table, table.objectName())
    field = dialog.diff_view.horizontalHeader()
    assert field.sectionSize(1) >= 26 * dialog.diff_view.fontMetrics().averageCharWidth()  # the field's label
    assert dialog.diff_view.indexAt(QPoint(4, 4)).isValid()


def test_with_last_years_column_the_overview_still_fits_1024(qtbot, tmp_path) -> None:
    """A plan of two years: the overview's column of the same period last year fits beside the names."""
    from dkdesk.core.desk import Desk
    from dkdesk.core.settings import Settings
    from dkdesk.gui.app import create_main_window
    from dkdesk.gui.overview_model import COL_NAME, COL_PREVIOUS
    from tests.conftest import PLAN_PATH
    from tests.test_overview_tab import PERIODS_2023

    text = PLAN_PATH.read_text(encoding="utf-8").replace("[[periods]]", PERIODS_2023 + "[[periods]]", 1)
    plan_file = tmp_path / "ke-hoach-2-nam.toml"
    plan_file.write_text(text, encoding="utf-8")
    with Desk.open(tmp_path / "db.sqlite", plan_path=plan_file, who="Người kiểm thử") as desk:
        fill_unit(desk, "GDDT", "2023-H1", {"hs_tong": 1000, "hs_duoc_tt": 420})
        fill_unit(desk, "GDDT", P, {"hs_tong": 1000, "hs_duoc_tt": 610})
        win = create_main_window(desk, settings=Settings(user_name="Lan", role="consolidator", last_period=P))
        qtbot.addWidget(win)
        show_at(qtbot, win, 1024)
        table = click_tab(qtbot, win, "Tổng quan").table
        assert not table.isColumnHidden(COL_PREVIOUS)
        assert table.columnWidth(COL_NAME) >= 26 * table.fontMetrics().averageCharWidth()
        assert_columns_fit(qtbot, table, "overview with last year's column")
        room = table.viewport().width()
        header = table.horizontalHeader()
        assert header.sectionViewportPosition(COL_PREVIOUS) + header.sectionSize(COL_PREVIOUS) <= room
        win.close()
