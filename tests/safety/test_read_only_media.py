"""A database on a read-only medium (a write-protected USB stick in portable mode) is read, never
written: the desk is read-only with a plain Vietnamese reason, CLI reads work, writes exit 1.

What these tests really exercise: a real read-only bind mount of the data folder (the kernel
answers every write with EROFS, root included), so SQLite cannot create its -shm, the lock file
cannot be opened for writing, and no backup folder can be made. They need root and permission
to mount and are skipped (with the reason) elsewhere. A folder or file that is read-only only
by its permission bits is not tested here: root ignores those bits, and the tests run as root.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from dkdesk.cli.main import main
from dkdesk.core.desk import Desk, Refused
from dkdesk.exchange.template import write_template
from dkdesk.storage.database import DatabaseError
from tests.conftest import PLAN_PATH, fill_unit
from tests.exchange.xlhelpers import fill_with_openpyxl, valid_values
from tests.safety.helpers import read_only_notice
from tests.safety.mounts import read_only_view

UNIT, PERIOD = "P-ANHDUNG", "2024-Y"


def _tree(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def usb(tmp_path: Path):
    """A data folder with figures, closed cleanly, then seen through a read-only mount."""
    data = tmp_path / "dkdesk-data"
    data.mkdir()
    with Desk.open(data / "dkdesk.sqlite", plan_path=PLAN_PATH) as desk:
        fill_unit(desk, UNIT, PERIOD, {"tt_so_buoi": 17})
    before = _tree(data)
    with read_only_view(data, tmp_path / "usb") as view:
        yield view / "dkdesk.sqlite"
    assert _tree(data) == before  # not a byte written, not even the lock file


def test_desk_on_a_read_only_medium_reads_and_says_why_it_cannot_write(usb):
    with Desk.open(usb, plan_path=PLAN_PATH) as desk:
        assert desk.read_only
        assert "chỉ cho đọc" in desk.read_only_reason and "USB" in desk.read_only_reason
        assert desk.get_values(UNIT, PERIOD).values["tt_so_buoi"] == 17
        with pytest.raises(Refused, match="Ổ đĩa/thư mục chỉ cho đọc"):
            desk.set_values(UNIT, PERIOD, {"tt_so_buoi": 18})


def test_cli_reads_work_and_writes_are_refused_on_a_read_only_medium(usb, tmp_path, plan, capsys):
    args = ["--db", str(usb), "--plan", str(PLAN_PATH)]
    assert main([*args, "values", "--unit", UNIT, "--period", PERIOD, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["values"]["tt_so_buoi"] == 17
    assert main([*args, "overview", "--period", PERIOD, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["period"] == PERIOD
    assert main([*args, "plan", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["units"]) == 20
    report = tmp_path / "tong-hop.xlsx"
    assert main([*args, "report", "--period", PERIOD, "-o", str(report)]) == 0
    assert report.stat().st_size > 0
    capsys.readouterr()

    assert main([*args, "set", "--unit", UNIT, "--period", PERIOD, "tt_so_buoi=18"]) == 1
    err = capsys.readouterr().err
    assert "chỉ cho đọc" in err and "thử lại sau ít phút" not in err and "readonly" not in err

    filled = fill_with_openpyxl(write_template(plan, "P-DAPHUC", PERIOD, tmp_path / "mau.xlsx"),
                                tmp_path / "dap-phuc.xlsx", valid_values(plan, "P-DAPHUC"))
    assert main([*args, "import", str(filled), "--dry-run"]) == 0  # a dry run only reads
    capsys.readouterr()
    assert main([*args, "import", str(filled), "--json"]) == 1
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    [row] = out["files"]
    assert row["path"] == str(filled) and row["status"] == "rejected"
    assert "chỉ cho đọc" in row["errors"][0]["message"] and "chỉ cho đọc" in out["error"]
    assert "chỉ cho đọc" in captured.err


def _pulled_out(tmp_path: Path, suffixes: tuple[str, ...]) -> Path:
    """A stick pulled out while a writer had the database open: its files copied at that moment
    (the main file and the ``suffixes`` side files); the last committed value is 6."""
    live = tmp_path / "may" / "dkdesk.sqlite"
    live.parent.mkdir()
    stick = tmp_path / "dkdesk-data"
    stick.mkdir()
    with Desk.open(live, plan_path=PLAN_PATH) as desk:
        fill_unit(desk, UNIT, PERIOD, {"tt_so_buoi": 5})
        desk.set_values(UNIT, PERIOD, {"tt_so_buoi": 6})
        for suffix in ("", *suffixes):
            shutil.copy(live.with_name(live.name + suffix), stick / ("dkdesk.sqlite" + suffix))
    assert (stick / "dkdesk.sqlite-wal").stat().st_size > 0
    return stick


def test_a_wal_database_left_open_on_the_stick_is_read_with_its_last_changes(tmp_path):
    """-wal and -shm are there: the -wal's changes count."""
    stick = _pulled_out(tmp_path, ("-wal", "-shm"))
    with read_only_view(stick, tmp_path / "usb") as view:
        with Desk.open(view / "dkdesk.sqlite", plan_path=PLAN_PATH) as ro:
            assert ro.read_only
            assert ro.get_values(UNIT, PERIOD).values["tt_so_buoi"] == 6


def test_a_wal_without_its_shm_on_a_read_only_medium_is_refused_plainly(tmp_path):
    stick = _pulled_out(tmp_path, ("-wal",))
    with read_only_view(stick, tmp_path / "usb") as view:
        with pytest.raises(DatabaseError, match="chưa gộp vào tệp chính.*chỉ cho đọc"):
            Desk.open(view / "dkdesk.sqlite", plan_path=PLAN_PATH)


def test_no_database_yet_on_a_read_only_medium(tmp_path, capsys):
    empty = tmp_path / "trong"
    empty.mkdir()
    with read_only_view(empty, tmp_path / "usb") as view:
        assert main(["--db", str(view / "dkdesk.sqlite"), "--plan", str(PLAN_PATH), "values", "--unit", UNIT,
                     "--period", PERIOD, "--json"]) == 1
        captured = capsys.readouterr()
        assert "không tạo được" in captured.err and "chỉ cho đọc" in captured.err
        assert "chỉ cho đọc" in json.loads(captured.out)["error"]


def test_the_window_over_a_read_only_medium_shows_the_read_only_notice(usb, qtbot):
    from dkdesk.gui.app import create_main_window

    window = create_main_window(usb, PLAN_PATH)
    qtbot.addWidget(window)
    try:
        window.show()
        text, tooltip = read_only_notice(window)
        assert "CHỈ ĐỌC" in text
        assert "chỉ cho đọc" in tooltip
    finally:
        window.ctx.desk.close()
