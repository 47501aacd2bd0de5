"""One writer per database: the second dkdesk is read-only (visible notice), CLI reads work,
CLI writes are refused with exit 1 naming who holds the database; network drives are flagged."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dkdesk.cli.main import main
from dkdesk.core.desk import Desk, Refused
from dkdesk.safety.location import network_location, network_warning
from tests.conftest import PLAN_PATH, fill_unit
from tests.safety.helpers import other_program_holds, read_only_notice

UNIT, PERIOD = "P-DAPHUC", "2024-H1"
ROOT = Path(__file__).resolve().parents[2]


def test_a_desk_opened_while_another_program_writes_is_read_only_and_refuses_writes(desk, db_path):
    fill_unit(desk, UNIT, PERIOD)
    desk.close()
    other = other_program_holds(db_path)
    try:
        second = Desk.open(db_path, plan_path=PLAN_PATH, who="Chị Lan")
        try:
            assert second.read_only
            assert "Chị Hoa trên máy MAY-KHAC" in second.read_only_reason
            assert "08:05 ngày 29/11/2026" in second.read_only_reason
            assert second.get_values(UNIT, PERIOD).values  # reading works
            with pytest.raises(Refused, match="đang được mở bởi .* trên máy"):
                second.set_values(UNIT, PERIOD, {"tt_so_buoi": 1})
            with pytest.raises(Refused):
                second.set_status(UNIT, PERIOD, "submitted")
        finally:
            second.close()
    finally:
        other.release()
    third = Desk.open(db_path, plan_path=PLAN_PATH)  # the writer is gone: writable again
    try:
        assert not third.read_only
        third.set_values(UNIT, PERIOD, {"tt_so_buoi": 1})
    finally:
        third.close()


def test_desks_of_one_program_share_the_writer_role(desk, db_path):
    """Two Desks in one process (a window and a command, a test and the CLI) both write;
    the lock stays held until the last one closes."""
    second = Desk.open(db_path, plan_path=PLAN_PATH)
    assert not second.read_only
    second.set_values(UNIT, PERIOD, {"tt_so_buoi": 2})
    second.close()
    desk.set_values(UNIT, PERIOD, {"tt_so_buoi": 3})
    from dkdesk.safety.lock import DbLock

    assert not DbLock(db_path).acquire()  # still held for the first desk
    desk.close()
    probe = DbLock(db_path)
    assert probe.acquire()
    probe.release()


@pytest.fixture
def other_process(db_path):
    """A real second dkdesk process holding the database open."""
    with Desk.open(db_path, plan_path=PLAN_PATH) as desk:
        fill_unit(desk, UNIT, PERIOD, {"tt_so_buoi": 11})
    code = ("import sys; from dkdesk.core.desk import Desk; "
            "d = Desk.open(sys.argv[1], plan_path=sys.argv[2], who='Anh Minh'); print('ready', flush=True); "
            "sys.stdin.read()")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.Popen([sys.executable, "-c", code, str(db_path), str(PLAN_PATH)], env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    yield proc
    proc.stdin.close()
    proc.wait(timeout=30)


def test_cli_reads_work_and_writes_are_refused_while_another_process_writes(other_process, db_path, capsys):
    args = ["--db", str(db_path), "--plan", str(PLAN_PATH)]
    assert main([*args, "values", "--unit", UNIT, "--period", PERIOD, "--json"]) == 0
    assert '"tt_so_buoi": 11' in capsys.readouterr().out
    assert main([*args, "set", "--unit", UNIT, "--period", PERIOD, "tt_so_buoi=12"]) == 1
    err = capsys.readouterr().err
    assert "Anh Minh" in err and f"tiến trình {other_process.pid}" in err
    with Desk.open(db_path, plan_path=PLAN_PATH) as reader:
        assert reader.get_values(UNIT, PERIOD).values["tt_so_buoi"] == 11  # nothing changed


def test_a_killed_writer_leaves_no_stale_lock(other_process, db_path):
    other_process.kill()
    other_process.wait(timeout=30)
    with Desk.open(db_path, plan_path=PLAN_PATH) as desk:
        assert not desk.read_only


def test_second_gui_shows_a_red_read_only_notice(other_process, db_path, qtbot):
    from dkdesk.gui.app import create_main_window

    window = create_main_window(db_path, PLAN_PATH)
    qtbot.addWidget(window)
    try:
        window.show()
        text, tooltip = read_only_notice(window)
        assert "CHỈ ĐỌC" in text
        assert "Anh Minh" in tooltip
    finally:
        window.ctx.desk.close()


def test_network_locations_are_recognised(tmp_path):
    mounts = tmp_path / "mounts"
    mounts.write_text("/dev/sda1 / ext4 rw 0 0\n"
                      "//server/chung /mnt/chung cifs rw 0 0\n"
                      "nas:/data /srv/data nfs4 rw 0 0\n")
    assert network_location("/mnt/chung/dkdesk.sqlite", str(mounts)) == "ổ mạng //server/chung (cifs)"
    assert "nfs4" in network_location("/srv/data/x/dkdesk.sqlite", str(mounts))
    assert network_location("/home/lan/dkdesk.sqlite", str(mounts)) is None
    assert network_location(r"\\MAYCHU\dulieu\dkdesk.sqlite") == r"thư mục dùng chung \\MAYCHU\dulieu"
    assert "Cảnh báo" in network_warning(r"\\MAYCHU\dulieu\dkdesk.sqlite")
    assert network_warning(tmp_path / "dkdesk.sqlite") is None  # a local disk


def test_cli_restore_is_refused_while_another_process_writes(other_process, db_path, tmp_path, capsys):
    args = ["--db", str(db_path), "--plan", str(PLAN_PATH)]
    target = tmp_path / "ban-sao.sqlite"
    assert main([*args, "backup", "-o", str(target)]) == 0  # reading (a backup) is allowed
    assert main([*args, "restore", str(target)]) == 1
    assert "Anh Minh" in capsys.readouterr().err


def test_a_folder_where_no_lock_file_can_be_made_does_not_mean_read_only(desk, db_path, monkeypatch):
    from dkdesk.safety import lock as lock_module

    desk.close()
    real_open = lock_module.os.open

    def refuse_lock_file(path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        if str(path).endswith(".lock"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(lock_module.os, "open", refuse_lock_file)
    with Desk.open(db_path, plan_path=PLAN_PATH) as again:
        assert not again.read_only
        again.set_values(UNIT, PERIOD, {"tt_so_buoi": 3})
