"""Trao đổi Excel → "Xuất biểu mẫu..." with "Kèm số liệu đã lưu": the unit's own report, written
by the one core function that ``dkdesk template --filled`` and "Gửi báo cáo" use
(``exchange.template.write_unit_report``). Driven as the consolidator: the unit box with the
keyboard, the check box and the button with the mouse; the save dialog is answered by the test.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog, QPushButton

from dkdesk.core.settings import Settings
from dkdesk.exchange import reader, template
from dkdesk.gui.app import create_main_window
from dkdesk.gui.ops import wait_ops
from tests.conftest import values_for
from tests.gui.desk_guard import desk_guard  # noqa: F401 - the fixture

P, UNIT = "2024-H1", "CA"


def test_the_filled_export_writes_the_units_report_with_the_core_function(qtbot, desk, desk_guard,  # noqa: F811
                                                                          monkeypatch, tmp_path: Path) -> None:
    stored = values_for(desk, UNIT)
    with desk_guard.allowed():
        desk.set_values(UNIT, P, stored)
    window = create_main_window(desk, settings=Settings(user_name="Lan", role="consolidator", last_period=P))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    assert wait_ops()
    bar = window.tab_widget.tabBar()
    index = next(i for i in range(bar.count()) if bar.tabText(i) == "Trao đổi Excel")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert wait_ops()
    tab = window.tab_widget.currentWidget()

    combo = tab.unit_combo
    combo.setFocus()
    while combo.currentData() != UNIT:
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    check = tab.filled_check
    assert check.isEnabled() and not check.isChecked()
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(8, check.height() // 2))
    assert check.isChecked()

    calls: list[tuple[str, str, Path]] = []
    real = template.write_unit_report

    def recorded(d, unit, period, path):  # noqa: ANN001, ANN202 - the real function, its call noted
        calls.append((unit, period, Path(path)))
        return real(d, unit, period, path)

    monkeypatch.setattr(template, "write_unit_report", recorded)
    target = tmp_path / "gui-di" / "bao-cao_2024-H1_CA.xlsx"
    target.parent.mkdir()
    asked: list[tuple[str, str]] = []

    def save_as(_parent, title, default, _filter):  # noqa: ANN001, ANN202
        asked.append((title, default))
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_as))
    qtbot.mouseClick(tab.findChild(QPushButton, "exportButton"), Qt.MouseButton.LeftButton)
    assert wait_ops()
    assert asked and asked[0][1] == "bao-cao_2024-H1_CA.xlsx" and "kèm số liệu" in asked[0][0]
    assert calls == [(UNIT, P, target)]  # the function of "template --filled", not a second way of writing it
    assert tab.last_message is not None and str(target) in tab.last_message.text()
    read = reader.read_file(target, desk.plan)
    assert (read.unit, read.period, read.errors) == (UNIT, P, [])
    assert read.values == stored  # the stored figures, as the consolidator's import reads them

    # without the check box: the empty template, not the unit's report
    tab.last_message.close()
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(8, check.height() // 2))
    target = tmp_path / "gui-di" / "mau.xlsx"
    qtbot.mouseClick(tab.findChild(QPushButton, "exportButton"), Qt.MouseButton.LeftButton)
    assert wait_ops()
    assert len(calls) == 1 and target.is_file() and reader.read_file(target, desk.plan).values == {}
    window.close()
