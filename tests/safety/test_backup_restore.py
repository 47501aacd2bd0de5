"""Backups (consistent, rotated, daily) and restore (checked first, previous data kept, audited)."""
from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from dkdesk.cli.main import main
from dkdesk.core.desk import Desk, Refused
from dkdesk.core.settings import load_settings, save_settings
from dkdesk.safety import backup, restore
from tests.conftest import PLAN_PATH, fill_unit
from tests.safety.helpers import damage, other_program_holds, snapshot

UNIT, PERIOD = "P-ANHDUNG", "2024-H1"


def test_backup_is_a_consistent_dkdesk_copy_listed_with_time_size_and_reason(desk):
    fill_unit(desk, UNIT, PERIOD)
    path = backup.make_backup(desk, "thu-cong")
    info = restore.check_restore_file(path)
    assert info.n_values == len(desk.plan.form_fields(UNIT))
    [listed] = backup.backup_infos(path.parent)
    assert listed.path == path and listed.size == path.stat().st_size
    assert listed.reason_label == "Sao lưu thủ công"
    assert abs(listed.made_at - datetime.now()) < timedelta(minutes=5)


def test_rotation_keeps_the_newest_n_from_the_settings(desk):
    settings = load_settings()
    settings.backups_keep = 3
    save_settings(settings)
    made = [backup.make_backup(desk, f"lan-{i}") for i in range(5)]
    kept = backup.list_backups(made[0].parent)
    assert kept == list(reversed(made[2:]))


def test_daily_backup_on_exit_is_made_once_a_day(desk):
    first = backup.backup_if_due(desk)
    assert first is not None and first.exists()
    assert backup.backup_if_due(desk) is None  # already done today
    tomorrow = datetime.now() + timedelta(days=1)
    assert backup.backup_if_due(desk, now=tomorrow) is not None


def test_restore_brings_back_the_backup_keeps_the_current_data_and_is_audited(desk):
    fill_unit(desk, UNIT, PERIOD, {"tt_so_buoi": 5})
    saved = backup.make_backup(desk, "thu-cong")
    desk.set_values(UNIT, PERIOD, {"tt_so_buoi": 99})
    result = restore.restore(desk, saved)
    assert desk.get_values(UNIT, PERIOD).values["tt_so_buoi"] == 5
    assert result.previous_copy is not None
    kept = Desk.open(_copy(result.previous_copy), plan_path=PLAN_PATH)
    try:
        assert kept.get_values(UNIT, PERIOD).values["tt_so_buoi"] == 99  # nothing lost
    finally:
        kept.close()
    last = desk.history(limit=1)[0]
    assert last.action == "restore" and saved.name in last.note
    desk.set_values(UNIT, PERIOD, {"tt_so_buoi": 6})  # the reopened desk still writes
    assert desk.get_values(UNIT, PERIOD).values["tt_so_buoi"] == 6


def _copy(path: Path) -> Path:
    target = path.parent.parent / ("kiem-tra-" + path.name)
    shutil.copy(path, target)
    return target


def _junk(tmp: Path) -> Path:
    p = tmp / "rac.sqlite"
    p.write_bytes(b"day khong phai co so du lieu" * 100)
    return p


def _foreign(tmp: Path) -> Path:
    p = tmp / "khac.sqlite"
    con = sqlite3.connect(p)
    con.execute("CREATE TABLE meta (key TEXT, value TEXT)")
    con.execute("INSERT INTO meta VALUES ('application', 'khac')")
    con.commit()
    con.close()
    return p


def _damaged(tmp: Path, desk: Desk) -> Path:
    p = backup.make_backup(desk, "se-hong", target=tmp / "hong.sqlite")
    damage(p)
    return p


def _newer(tmp: Path, desk: Desk) -> Path:
    p = backup.make_backup(desk, "moi", target=tmp / "moi-hon.sqlite")
    con = sqlite3.connect(p)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    return p


BAD_FILES = {
    "junk": (lambda tmp, desk: _junk(tmp), "không phải tệp SQLite"),
    "foreign": (lambda tmp, desk: _foreign(tmp), "không phải của dkdesk"),
    "damaged": (_damaged, "bị hỏng"),
    "newer": (_newer, "phiên bản dkdesk mới hơn"),
    "missing": (lambda tmp, desk: tmp / "khong-co.sqlite", "Không tìm thấy"),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_restore_refuses_a_bad_file_and_changes_nothing(desk, db_path, tmp_path, kind):
    fill_unit(desk, UNIT, PERIOD)
    make, expected = BAD_FILES[kind]
    bad = make(tmp_path, desk)
    before = snapshot(db_path)
    backups_before = backup.list_backups(db_path.parent / "backups")
    with pytest.raises(Refused, match=expected):
        restore.restore(desk, bad)
    assert snapshot(db_path) == before
    assert backup.list_backups(db_path.parent / "backups") == backups_before  # not even a backup


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_cli_restore_refuses_a_bad_file_with_exit_1(desk, db_path, tmp_path, kind, capsys):
    fill_unit(desk, UNIT, PERIOD)
    bad = BAD_FILES[kind][0](tmp_path, desk)
    desk.close()
    before = snapshot(db_path)
    assert main(["--db", str(db_path), "--plan", str(PLAN_PATH), "restore", str(bad)]) == 1
    err = capsys.readouterr().err
    assert BAD_FILES[kind][1] in err and "Không có gì thay đổi" in err
    assert snapshot(db_path) == before


def test_cli_backup_then_restore_round_trip(desk, db_path, tmp_path, capsys):
    fill_unit(desk, UNIT, PERIOD, {"tt_so_buoi": 7})
    desk.close()
    out = tmp_path / "ban-sao.sqlite"
    args = ["--db", str(db_path), "--plan", str(PLAN_PATH)]
    assert main([*args, "backup", "-o", str(out)]) == 0
    assert main([*args, "backup", "-o", str(out)]) == 1  # never overwrites
    assert main([*args, "set", "--unit", UNIT, "--period", PERIOD, "tt_so_buoi=8"]) == 0
    assert main([*args, "restore", str(out)]) == 0
    capsys.readouterr()
    assert main([*args, "values", "--unit", UNIT, "--period", PERIOD, "--json"]) == 0
    assert '"tt_so_buoi": 7' in capsys.readouterr().out
    assert main([*args, "backup", "--list"]) == 0
    assert "Trước khi khôi phục" in capsys.readouterr().out


def test_restore_is_refused_while_another_dkdesk_is_the_writer(desk, db_path):
    saved = backup.make_backup(desk, "thu-cong")
    desk.close()
    other = other_program_holds(db_path)
    try:
        with Desk.open(db_path, plan_path=PLAN_PATH) as second:
            with pytest.raises(Refused, match="đang được mở bởi người dùng Chị Hoa"):
                restore.restore(second, saved)
    finally:
        other.release()


def test_restore_of_the_oldest_backup_survives_its_own_rotation(desk, db_path):
    """Restoring makes a backup first; rotation must not delete the file being restored."""
    fill_unit(desk, UNIT, PERIOD, {"tt_so_buoi": 1})
    oldest = backup.make_backup(desk, "cu-nhat", keep=2)
    desk.set_values(UNIT, PERIOD, {"tt_so_buoi": 2})
    backup.make_backup(desk, "moi", keep=2)
    settings = load_settings()
    settings.backups_keep = 2
    save_settings(settings)
    restore.restore(desk, oldest)
    assert desk.get_values(UNIT, PERIOD).values["tt_so_buoi"] == 1


def test_a_backup_that_cannot_be_written_is_refused_in_vietnamese(desk, db_path, tmp_path, capsys):
    fill_unit(desk, UNIT, PERIOD)
    before = snapshot(db_path)
    blocker = tmp_path / "tep-thuong.txt"
    blocker.write_text("x")
    with pytest.raises(Refused, match="Không tạo được thư mục sao lưu.*không thay đổi"):
        backup.make_backup(desk, "thu-cong", target=blocker / "con" / "ban-sao.sqlite")
    desk.close()
    assert main(["--db", str(db_path), "--plan", str(PLAN_PATH), "backup", "-o",
                 str(blocker / "ban-sao.sqlite")]) == 1
    assert "Không tạo được" in capsys.readouterr().err
    assert snapshot(db_path) == before


def test_restore_of_a_file_with_another_page_size(desk, db_path, tmp_path):
    """A backup made elsewhere (other page size) still restores into the WAL database."""
    fill_unit(desk, UNIT, PERIOD, {"tt_so_buoi": 3})
    other = backup.make_backup(desk, "khac", target=tmp_path / "trang-8k.sqlite")
    con = sqlite3.connect(other)
    con.execute("PRAGMA journal_mode=DELETE")
    con.execute("PRAGMA page_size=8192")
    con.execute("VACUUM")
    assert con.execute("PRAGMA page_size").fetchone()[0] == 8192
    con.close()
    desk.set_values(UNIT, PERIOD, {"tt_so_buoi": 4})
    restore.restore(desk, other)
    assert desk.get_values(UNIT, PERIOD).values["tt_so_buoi"] == 3


def test_cli_backup_list_json(desk, db_path, capsys):
    import json

    backup.make_backup(desk, "nhap-excel")
    desk.close()
    assert main(["--db", str(db_path), "--plan", str(PLAN_PATH), "backup", "--list", "--json"]) == 0
    [item] = json.loads(capsys.readouterr().out)
    assert item["reason"] == "nhap-excel" and item["size"] > 0 and item["file"].endswith(".sqlite")
