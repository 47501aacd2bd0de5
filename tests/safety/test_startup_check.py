"""A damaged database is caught on open (quick_check) with a Vietnamese explanation; the latest
good backup can be put back (the damaged file is kept); never a traceback."""
from __future__ import annotations

import pytest

from dkdesk.cli.main import main
from dkdesk.core.desk import Desk
from dkdesk.safety import backup, restore
from dkdesk.safety.integrity import DamagedDatabase
from tests.conftest import PLAN_PATH, fill_unit
from tests.safety.helpers import damage

UNIT, PERIOD = "P-HUNGDAO", "2024-H1"


@pytest.fixture
def damaged_db(db_path):
    """A database with one good backup (tt_so_buoi=3), then changed and damaged."""
    with Desk.open(db_path, plan_path=PLAN_PATH) as desk:
        fill_unit(desk, UNIT, PERIOD, {"tt_so_buoi": 3})
        good = backup.make_backup(desk, "hang-ngay")
        bad = backup.make_backup(desk, "nhap-excel")
        desk.set_values(UNIT, PERIOD, {"tt_so_buoi": 4})
    damage(bad)  # the newest backup is itself damaged: it must be skipped
    damage(db_path)
    return db_path, good


def test_open_raises_a_vietnamese_damaged_database_error(damaged_db):
    db_path, _ = damaged_db
    with pytest.raises(DamagedDatabase) as caught:
        Desk.open(db_path, plan_path=PLAN_PATH)
    assert caught.value.path == db_path
    assert "bị hỏng" in str(caught.value) and "dkdesk restore" in str(caught.value)


def test_cli_exits_1_with_the_message(damaged_db, capsys):
    db_path, _ = damaged_db
    assert main(["--db", str(db_path), "--plan", str(PLAN_PATH), "values", "--unit", UNIT,
                 "--period", PERIOD]) == 1
    err = capsys.readouterr().err
    assert "bị hỏng" in err and "Traceback" not in err


def test_latest_good_backup_skips_damaged_backups_and_recovery_keeps_the_damaged_file(damaged_db):
    db_path, good = damaged_db
    assert restore.latest_good_backup(db_path) == good
    moved = restore.recover_damaged(db_path, good)
    assert moved.exists()
    with Desk.open(db_path, plan_path=PLAN_PATH) as desk:
        assert desk.get_values(UNIT, PERIOD).values["tt_so_buoi"] == 3


def test_cli_restore_repairs_a_damaged_database(damaged_db, capsys):
    db_path, good = damaged_db
    assert main(["--db", str(db_path), "--plan", str(PLAN_PATH), "restore", str(good)]) == 0
    with Desk.open(db_path, plan_path=PLAN_PATH) as desk:
        assert desk.get_values(UNIT, PERIOD).values["tt_so_buoi"] == 3
        assert desk.history(limit=1)[0].action == "restore"


def test_gui_start_offers_the_latest_good_backup_and_restores_it_on_the_worker(damaged_db, qtbot, monkeypatch):
    """The window is up in its opening state; the open fails (damaged); the person is asked on the
    GUI thread, the restore and the reopening run on the worker, and the window gets the Desk."""
    import threading

    from dkdesk.core.settings import load_settings
    from dkdesk.gui import recovery
    from dkdesk.gui.main_window import MainWindow
    from dkdesk.gui.startup import start_opening, start_recovering
    from dkdesk.safety import restore as restore_module

    db_path, good = damaged_db
    settings = load_settings()
    asked, threads, outcome = [], [], []
    monkeypatch.setattr(recovery, "confirm", lambda parent, title, text, **kw: asked.append(text) or True)
    real = restore_module.recover_damaged

    def spy(damaged, backup):
        threads.append(threading.current_thread())
        return real(damaged, backup)

    monkeypatch.setattr(restore_module, "recover_damaged", spy)
    window = MainWindow(settings, str(db_path))
    qtbot.addWidget(window)

    def failed(exc):
        backup = recovery.choose_recovery(exc, window)
        outcome.append(backup)
        start_recovering(window, exc.path, backup, db_path, PLAN_PATH, settings,
                         lambda: outcome.append("opened"), lambda again: outcome.append(again))

    start_opening(window, db_path, PLAN_PATH, settings, lambda: pytest.fail("a damaged file opened"), failed)
    qtbot.waitUntil(lambda: "opened" in outcome, timeout=20000)
    assert asked and "bị hỏng" in asked[0] and good.name in asked[0]
    assert outcome[0] == good
    assert threads and threads[0] is not threading.main_thread()
    try:
        assert window.ctx.desk.get_values(UNIT, PERIOD).values["tt_so_buoi"] == 3
        assert window.ctx.desk.history(limit=1)[0].action == "restore"
    finally:
        window.ctx.desk.close()


def test_gui_start_declined_shows_the_reason_and_stops(damaged_db, monkeypatch):
    from dkdesk.gui import recovery

    db_path, _ = damaged_db
    shown = []
    monkeypatch.setattr(recovery, "confirm", lambda *a, **kw: False)
    monkeypatch.setattr(recovery.QMessageBox, "critical", lambda *a: shown.append(a))
    with pytest.raises(DamagedDatabase) as caught:
        Desk.open(db_path, plan_path=PLAN_PATH)
    assert recovery.choose_recovery(caught.value) is None
    assert db_path.exists()  # untouched
