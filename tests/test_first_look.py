"""The first look (standard-library sqlite3) reads what the Desk reads, and only when it may."""
from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

import pytest

from dkdesk.catalogue.loader import load_plan
from dkdesk.storage.first_look import take_first_look
from tests.conftest import PLAN_PATH, ROOT, WARDS, fill_unit


@pytest.fixture
def filled(desk):
    """Both periods, several states: locked, submitted, draft with a bool and a text, empty."""
    fill_unit(desk, "CA", "2024-H1")
    desk.set_status("CA", "2024-H1", "approved")
    fill_unit(desk, "LDTBXH", "2024-H1")
    desk.set_status("LDTBXH", "2024-H1", "submitted")
    fill_unit(desk, WARDS[0], "2024-H1", {"kp_bo_tri": False})
    desk.set_values(WARDS[0], "2024-H1", {f.code: None for f in desk.plan.form_fields(WARDS[0])
                                          if f.type == "text"})  # cleared text stays absent
    fill_unit(desk, WARDS[1], "2024-Y")
    return desk


def test_first_look_reads_exactly_what_the_desk_reads(filled) -> None:
    desk = filled
    look = take_first_look(desk.sqlite_path, desk.plan)
    assert look is not None
    for period in desk.plan.periods:
        assert look.statuses[period.code] == desk.statuses(period.code)
        for unit in desk.plan.units:
            assert look.unit_values(unit.code, period.code) == desk.get_values(unit.code, period.code), unit.code
    ca = look.unit_values("CA", "2024-H1")
    assert ca.status == "approved" and ca.values and all(i.updated_by for i in ca.info.values())
    ward = look.unit_values(WARDS[0], "2024-H1").values
    assert ward["kp_bo_tri"] is False and ward["kh_da_ban_hanh"] is True


def test_first_look_changes_nothing_in_the_file(filled) -> None:
    path = filled.sqlite_path
    filled.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    assert take_first_look(path, filled.plan) is not None
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_no_first_look_when_the_full_open_must_come_first(desk, tmp_path: Path) -> None:
    plan, path = desk.plan, desk.sqlite_path
    desk.close()
    assert take_first_look(tmp_path / "missing.sqlite", plan) is None  # a new database
    (tmp_path / "empty.sqlite").write_bytes(b"")
    assert take_first_look(tmp_path / "empty.sqlite", plan) is None
    foreign = tmp_path / "foreign.sqlite"
    with sqlite3.connect(foreign) as con:
        con.execute("CREATE TABLE t (x)")
    assert take_first_look(foreign, plan) is None  # not a dkdesk database
    (tmp_path / "junk.sqlite").write_bytes(b"not a database at all" * 100)
    assert take_first_look(tmp_path / "junk.sqlite", plan) is None
    con = sqlite3.connect(path)
    con.execute("UPDATE plans SET digest = 'old'")  # the plan file changed since the last open
    con.commit()
    assert take_first_look(path, plan) is None
    con.execute("UPDATE plans SET digest = ?", (plan.digest,))
    con.execute("UPDATE alembic_version SET version_num = '0000'")  # an older schema: upgrade first
    con.commit()
    con.close()
    assert take_first_look(path, plan) is None


def test_first_look_and_sqlite_path_load_no_database_library(filled) -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from dkdesk.catalogue.loader import load_plan\n"
        "from dkdesk.storage.first_look import take_first_look\n"
        "from dkdesk.safety.integrity import check_path\n"
        f"path = Path({str(filled.sqlite_path)!r})\n"
        "check_path(path)\n"
        f"look = take_first_look(path, load_plan({str(PLAN_PATH)!r}))\n"
        "assert look is not None\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'alembic', 'PySide6')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("url", [
    "sqlite:///x.sqlite", "sqlite:////abs/x.sqlite", "sqlite://", "sqlite:///:memory:",
    "sqlite+pysqlite:////a/b c.sqlite", "sqlite:///file:/x.sqlite?mode=ro&uri=true",
    "postgresql://u:p@h/db", "postgresql+psycopg://u@h:5/db?x=1", "sqlite:////t/%C4%91.sqlite",
    "sqlite:////tmp/Dương Kinh/x.sqlite", "sqlite:///C:\\Users\\a\\x.sqlite",
])
def test_sqlite_path_reads_urls_as_sqlalchemy_does(url: str) -> None:
    from sqlalchemy.engine import make_url

    from dkdesk.storage.database import sqlite_path

    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        expected = None
    elif u.database.startswith("file:"):
        expected = Path(u.database[5:].split("?", 1)[0])
    else:
        expected = Path(u.database)
    assert sqlite_path(url) == expected


@pytest.mark.parametrize(("path", "uri"), [
    (PureWindowsPath(r"\\may-chu\du lieu\dkdesk.sqlite"), "file:////may-chu/du%20lieu/dkdesk.sqlite?mode=ro"),
    (PureWindowsPath(r"C:\Users\Lan\Dương Kinh\dkdesk.sqlite"),
     "file:///C:/Users/Lan/D%C6%B0%C6%A1ng%20Kinh/dkdesk.sqlite?mode=ro"),
    (PurePosixPath("/media/usb/số liệu #2?/dkdesk.sqlite"),
     "file:///media/usb/s%E1%BB%91%20li%E1%BB%87u%20%232%3F/dkdesk.sqlite?mode=ro"),
])
def test_sqlite_uris_are_ones_sqlite_accepts(path: PurePath, uri: str) -> None:
    """A Windows network path must not become file://host/... (SQLite refuses a host)."""
    from dkdesk.storage.database import sqlite_uri

    assert sqlite_uri(path, "mode=ro") == uri


def test_awkward_folder_names_are_read(filled, tmp_path: Path) -> None:
    folder = tmp_path / "số liệu #2? 100%"
    folder.mkdir()
    filled.close()
    path = folder / "dkdesk.sqlite"
    shutil.copy(filled.sqlite_path, path)
    from dkdesk.safety.integrity import check_path
    from dkdesk.storage.database import precheck_sqlite

    precheck_sqlite(path)
    check_path(path)
    assert take_first_look(path, filled.plan) is not None


def test_a_database_in_a_folder_with_percent_signs_and_hashes_opens(tmp_path: Path) -> None:
    """Folder names are not URLs: "%20", "%" and "#" stay what they are (Windows allows them)."""
    from dkdesk.core.desk import Desk

    folder = tmp_path / "Báo cáo #2 tăng 100%20"
    folder.mkdir()
    with Desk.open(folder / "dkdesk.sqlite", plan_path=PLAN_PATH) as desk:
        desk.set_values("CA", "2024-H1", {"tt_so_buoi": 4})
        assert desk.sqlite_path == folder / "dkdesk.sqlite"
    assert (folder / "dkdesk.sqlite").is_file() and not (tmp_path / "Báo cáo #2 tăng 100 ").exists()
    look = take_first_look(folder / "dkdesk.sqlite", load_plan(PLAN_PATH))
    assert look is not None and look.unit_values("CA", "2024-H1").values["tt_so_buoi"] == 4
