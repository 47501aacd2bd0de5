"""A save or import batch that cannot be written (disk full, read-only file) is reported in
Vietnamese and leaves the stored figures exactly as they were (never half-written)."""
from __future__ import annotations

import pytest
from sqlalchemy import event

from dkdesk.cli.main import main
from dkdesk.core.desk import Desk, Refused
from tests.conftest import PLAN_PATH, fill_unit
from tests.safety.helpers import snapshot

PERIOD = "2024-Y"


def _full_values(desk, unit: str, n: int) -> dict:
    out: dict[str, object] = {}
    for f in desk.plan.form_fields(unit):
        out[f.code] = (n if f.part_of is None else 0) if f.type == "int" else (
            True if f.type == "bool" else f"Nội dung dài {n} " + "x" * 3900)
    return out


def _disk_full(desk: Desk) -> None:
    """SQLite reports SQLITE_FULL as soon as the file would grow (max_page_count = current)."""
    desk.engine.dispose()

    @event.listens_for(desk.engine, "connect")
    def _limit(dbapi_conn, _record) -> None:  # noqa: ANN001
        cur = dbapi_conn.cursor()
        pages = cur.execute("PRAGMA page_count").fetchone()[0]
        cur.execute(f"PRAGMA max_page_count={pages}")
        cur.close()


def test_disk_full_during_a_batch_is_reported_and_nothing_is_written(desk, db_path):
    fill_unit(desk, "P-ANHDUNG", "2024-H1")
    before = snapshot(db_path)
    _disk_full(desk)
    with pytest.raises(Refused, match="Ổ đĩa .* đã đầy.*Không có gì được lưu"):
        with desk.write() as s:  # one import batch: every unit in one transaction
            for unit in desk.plan.units:
                desk.set_values(unit.code, PERIOD, _full_values(desk, unit.code, 5), session=s, source="import")
    assert snapshot(db_path) == before


def test_disk_full_on_a_single_save_keeps_the_old_figures(desk, db_path):
    fill_unit(desk, "P-ANHDUNG", PERIOD, {"ket_qua_noi_bat": "ngắn"})
    before = snapshot(db_path)
    _disk_full(desk)
    with pytest.raises(Refused, match="đã đầy"):
        desk.set_values("P-ANHDUNG", PERIOD, {"ket_qua_noi_bat": "y" * 3999, "kho_khan": "z" * 3999,
                                              "kien_nghi": "w" * 3999, "tt_so_buoi": 1})
    assert snapshot(db_path) == before
    assert desk.get_values("P-ANHDUNG", PERIOD).values["ket_qua_noi_bat"] == "ngắn"


def test_read_only_database_file_refuses_saves_in_vietnamese(desk, db_path):
    fill_unit(desk, "P-ANHDUNG", PERIOD)
    desk.close()
    before = snapshot(db_path)
    ro = Desk.open(f"sqlite:///file:{db_path}?mode=ro&uri=true", plan_path=PLAN_PATH)
    try:
        assert ro.get_values("P-ANHDUNG", PERIOD).values["tt_so_buoi"] == 40  # reading works
        with pytest.raises(Refused, match="chỉ cho đọc.*Không có gì được lưu"):
            ro.set_values("P-ANHDUNG", PERIOD, {"tt_so_buoi": 1})
        with pytest.raises(Refused, match="chỉ cho đọc"):
            ro.set_status("P-ANHDUNG", PERIOD, "submitted")
    finally:
        ro.close()
    assert snapshot(db_path) == before


def test_cli_set_on_a_read_only_file_exits_1(desk, db_path, capsys):
    fill_unit(desk, "P-ANHDUNG", PERIOD)
    desk.close()
    url = f"sqlite:///file:{db_path}?mode=ro&uri=true"
    assert main(["--db", url, "--plan", str(PLAN_PATH), "set", "--unit", "P-ANHDUNG", "--period", PERIOD,
                 "tt_so_buoi=2"]) == 1
    err = capsys.readouterr().err
    assert "chỉ cho đọc" in err and "Traceback" not in err


def test_storage_errors_are_recognised_only_from_the_database():
    import errno
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from dkdesk.safety.errors import storage_error_message

    wrapped = OperationalError("INSERT ...", {}, sqlite3.OperationalError("database or disk is full"))
    assert "đã đầy" in storage_error_message(wrapped)

    class DiskFull(Exception):  # what psycopg raises: an error with a SQLSTATE
        sqlstate = "53100"

    assert "đã đầy" in storage_error_message(OperationalError("INSERT ...", {}, DiskFull()))
    assert "đã đầy" in storage_error_message(OSError(errno.ENOSPC, "No space left on device"))
    try:  # a refusal raised by application code while handling a database error stays as it is
        try:
            raise sqlite3.OperationalError("database or disk is full")
        except sqlite3.Error:
            raise Refused("lý do của ứng dụng")
    except Refused as exc:
        assert storage_error_message(exc) is None
    assert storage_error_message(ValueError("khác")) is None
