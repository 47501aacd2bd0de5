"""With --json, a command refused as a whole still prints one JSON object on stdout (exit 1):
``import`` keeps SPEC §5's shape (every file "rejected" with the reason) plus ``"error"``;
``values``, ``overview`` and ``plan`` print ``{"error": ...}``."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from dkdesk.cli.main import main
from dkdesk.exchange.template import write_template
from dkdesk.safety import backup
from tests.conftest import PLAN_PATH, fill_unit
from tests.exchange.xlhelpers import fill_with_openpyxl, valid_values
from tests.safety.helpers import other_program_holds, snapshot

PERIOD = "2024-Y"


@pytest.fixture
def two_files(tmp_path: Path, plan) -> list[Path]:
    out = []
    for unit in ("P-DAPHUC", "P-HAITHANH"):
        template = write_template(plan, unit, PERIOD, tmp_path / f"mau-{unit}.xlsx")
        out.append(fill_with_openpyxl(template, tmp_path / f"{unit}.xlsx", valid_values(plan, unit)))
    return out


def _run_json(capsys, *argv: str) -> tuple[int, dict, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


def _assert_every_file_rejected(out: dict, files: list[Path], words: str) -> None:
    assert [f["path"] for f in out["files"]] == [str(f) for f in files]
    for f in out["files"]:
        assert f["status"] == "rejected" and f["new"] == f["changed"] == f["unchanged"] == 0
        assert set(f) >= {"path", "sha256", "unit", "period", "status", "new", "changed", "unchanged", "errors"}
        assert words in f["errors"][0]["message"] and f["errors"][0]["cell"] == ""
    assert words in out["error"]


def test_import_json_while_another_program_writes(desk, db_path, two_files, capsys):
    fill_unit(desk, "P-ANHDUNG", PERIOD)
    desk.close()
    before = snapshot(db_path)
    other = other_program_holds(db_path, user="Anh Minh")
    try:
        code, out, err = _run_json(capsys, "--db", str(db_path), "--plan", str(PLAN_PATH),
                                   "import", *map(str, two_files), "--json")
    finally:
        other.release()
    assert code == 1
    _assert_every_file_rejected(out, two_files, "Anh Minh")
    assert "Anh Minh" in err
    assert snapshot(db_path) == before
    assert backup.list_backups(db_path.parent / "backups") == []  # no backup left behind either


def test_import_json_into_a_file_that_is_not_a_dkdesk_database(tmp_path, two_files, capsys):
    folder = tmp_path / "nop"
    folder.mkdir()
    files = [f.rename(folder / f.name) for f in two_files]
    foreign = tmp_path / "khac.sqlite"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE khach_hang (id INTEGER)")
    con.commit()
    con.close()
    code, out, _err = _run_json(capsys, "--db", str(foreign), "--plan", str(PLAN_PATH),
                                "import", str(folder), "--json")
    assert code == 1
    _assert_every_file_rejected(out, sorted(files), "không phải cơ sở dữ liệu dkdesk")


def test_import_json_of_a_folder_without_excel_files(db_path, tmp_path, capsys):
    empty = tmp_path / "trong"
    empty.mkdir()
    code, out, err = _run_json(capsys, "--db", str(db_path), "--plan", str(PLAN_PATH), "import", str(empty), "--json")
    assert code == 1 and out["files"] == [] and "không có tệp .xlsx" in out["error"] and "không có tệp" in err


@pytest.mark.parametrize("argv", [["values", "--unit", "P-ANHDUNG", "--period", PERIOD, "--json"],
                                  ["overview", "--period", PERIOD, "--json"]], ids=lambda a: a[0])
def test_other_json_commands_print_an_error_object(tmp_path, capsys, argv):
    junk = tmp_path / "rac.sqlite"
    junk.write_bytes(b"khong phai co so du lieu" * 200)
    code, out, err = _run_json(capsys, "--db", str(junk), "--plan", str(PLAN_PATH), *argv)
    assert code == 1 and list(out) == ["error"] and "bị hỏng" in out["error"] and "bị hỏng" in err


def test_plan_json_with_a_broken_plan_file_prints_an_error_object(tmp_path, capsys):
    broken = tmp_path / "ke-hoach.toml"
    broken.write_text("[plan\ncode = ", encoding="utf-8")
    code, out, err = _run_json(capsys, "--db", str(tmp_path / "dk.sqlite"), "--plan", str(broken), "plan", "--json")
    assert code == 1 and list(out) == ["error"] and out["error"] in err
