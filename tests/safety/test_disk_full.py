"""A full disk is named as such (never "disk I/O error" nor "try again in a few minutes"), nothing
is half-written, and an import that fails for space removes the backup it made for itself.

Exercised on a real tmpfs of a few MB, filled to the last byte (needs root and permission to
mount; skipped with the reason elsewhere). SQLite then answers SQLITE_FULL for a write and the
backup copy, and "disk I/O error" when it cannot even create its -shm on opening.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dkdesk.cli.main import main
from dkdesk.core.desk import Desk, Refused
from dkdesk.exchange.template import write_template
from dkdesk.safety import backup
from tests.conftest import PLAN_PATH, fill_unit
from tests.exchange.xlhelpers import fill_with_openpyxl, valid_values
from tests.safety.helpers import snapshot
from tests.safety.mounts import fill_up, small_disk

UNIT, PERIOD = "P-ANHDUNG", "2024-Y"


def _no_io_wording(text: str) -> None:
    assert "I/O" not in text and "i/o" not in text and "thử lại sau ít phút" not in text


@pytest.fixture
def disk(tmp_path: Path):
    with small_disk(tmp_path / "o-nho", "3m") as folder:
        yield folder


def test_opening_a_database_on_a_full_disk_says_the_disk_is_full(disk, capsys):
    db = disk / "dkdesk.sqlite"
    with Desk.open(db, plan_path=PLAN_PATH) as desk:
        fill_unit(desk, UNIT, PERIOD, {"tt_so_buoi": 9})
    fill_up(disk)
    args = ["--db", str(db), "--plan", str(PLAN_PATH)]
    assert main([*args, "values", "--unit", UNIT, "--period", PERIOD, "--json"]) == 1
    captured = capsys.readouterr()
    assert "đã đầy" in captured.err and "giải phóng dung lượng" in captured.err
    _no_io_wording(captured.err)
    assert "đã đầy" in json.loads(captured.out)["error"]


def test_a_save_on_a_full_disk_says_so_and_keeps_the_old_figures(disk):
    db = disk / "dkdesk.sqlite"
    with Desk.open(db, plan_path=PLAN_PATH) as desk:
        fill_unit(desk, UNIT, PERIOD, {"tt_so_buoi": 9, "kho_khan": "ngắn"})
        before = snapshot(db)
        filler = fill_up(disk)
        with pytest.raises(Refused) as caught:
            desk.set_values(UNIT, PERIOD, {"kho_khan": "dài " * 990, "kien_nghi": "x" * 3990})
        assert "đã đầy" in str(caught.value) and "Không có gì được lưu" in str(caught.value)
        _no_io_wording(str(caught.value))
        filler.unlink()
        assert snapshot(db) == before
        assert desk.get_values(UNIT, PERIOD).values["kho_khan"] == "ngắn"


def test_a_backup_onto_a_full_disk_says_so_and_leaves_no_partial_file(desk, db_path, disk, capsys):
    fill_unit(desk, UNIT, PERIOD)
    desk.close()
    fill_up(disk)
    target = disk / "ban-sao.sqlite"
    assert main(["--db", str(db_path), "--plan", str(PLAN_PATH), "backup", "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert "Không tạo được bản sao lưu" in err and "đã đầy" in err
    _no_io_wording(err)
    assert sorted(p.name for p in disk.iterdir()) == ["day-o.bin"]


def _filled_file(plan, tmp: Path) -> Path:
    template = write_template(plan, "P-DAPHUC", PERIOD, tmp / "mau.xlsx")
    return fill_with_openpyxl(template, tmp / "dap-phuc.xlsx", valid_values(plan, "P-DAPHUC"))


def test_an_import_that_runs_out_of_space_removes_its_own_backup(disk, tmp_path, plan, monkeypatch, capsys):
    db = disk / "dkdesk.sqlite"
    with Desk.open(db, plan_path=PLAN_PATH) as desk:
        fill_unit(desk, UNIT, PERIOD, {"tt_so_buoi": 9})
        kept = backup.make_backup(desk, "thu-cong")  # an older backup stays
        before = snapshot(db)
    filled = _filled_file(plan, tmp_path)
    real_make_backup = backup.make_backup
    made = []

    def backup_then_disk_full(*a, **kw):  # noqa: ANN002, ANN003 - the disk fills while importing
        made.append(real_make_backup(*a, **kw))
        fill_up(disk)
        return made[-1]

    monkeypatch.setattr(backup, "make_backup", backup_then_disk_full)
    assert main(["--db", str(db), "--plan", str(PLAN_PATH), "import", str(filled)]) == 1
    err = capsys.readouterr().err
    assert "đã đầy" in err and "Không có gì được lưu" in err
    _no_io_wording(err)
    assert made and made[0] is not None and not made[0].exists()  # the import's own backup is gone
    assert backup.list_backups(disk / "backups") == [kept]
    (disk / "day-o.bin").unlink()
    assert snapshot(db) == before


def test_an_import_whose_backup_does_not_fit_is_refused_with_json(disk, tmp_path, plan, capsys):
    db = disk / "dkdesk.sqlite"
    filled = _filled_file(plan, tmp_path)
    with Desk.open(db, plan_path=PLAN_PATH) as desk:  # kept open: its -shm exists, reading works
        fill_unit(desk, UNIT, PERIOD, {"tt_so_buoi": 9})
        (disk / "backups").mkdir()
        before = snapshot(db)
        fill_up(disk)
        assert main(["--db", str(db), "--plan", str(PLAN_PATH), "import", str(filled), "--json"]) == 1
        captured = capsys.readouterr()
        out = json.loads(captured.out)
        [row] = out["files"]
        assert row["path"] == str(filled) and row["status"] == "rejected"
        assert "đã đầy" in row["errors"][0]["message"]
        assert "Không tạo được bản sao lưu" in out["error"] and "đã đầy" in out["error"]
        _no_io_wording(captured.err)
        assert list((disk / "backups").iterdir()) == []  # no partial backup left
        (disk / "day-o.bin").unlink()
        assert snapshot(db) == before
