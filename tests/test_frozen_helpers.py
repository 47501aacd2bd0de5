"""The frozen executable's helpers, tested without building: console decision, streams, cheap head."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dkdesk import frozen
from dkdesk.storage import database

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("argv", "command"), [
    ([], None),
    (["--db", "x.sqlite"], None),
    (["--db=x.sqlite", "plan", "--json"], "plan"),
    (["--db", "plan", "gui"], "gui"),  # a database file named "plan" is not the command
    (["--version"], "--version"),
    (["-h"], "-h"),
    (["set", "--unit", "CA"], "set"),
])
def test_command_of_skips_global_options(argv: list[str], command: str | None) -> None:
    assert frozen.command_of(argv) == command


@pytest.mark.parametrize(("argv", "console"), [
    ([], False),                       # double-click: the GUI, never a console
    (["--db", "x.sqlite"], False),
    (["gui"], False),
    (["gui", "--smoke"], True),        # a check run from a console reports there
    (["plan", "--json"], True),
    (["--version"], True),
    (["--db", "x", "values", "--unit", "CA", "--period", "2024-H1"], True),
])
def test_console_only_for_command_line_use(argv: list[str], console: bool) -> None:
    assert frozen.wants_console(argv) is console


def test_missing_streams_become_writable(monkeypatch: pytest.MonkeyPatch) -> None:
    """A windowed program without a console has no stdout/stderr: writing must not crash."""
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    frozen.prepare_streams(["plan", "--json"])
    sys.stdout.write("không lỗi\n")
    sys.stderr.write("không lỗi\n")
    assert sys.stdout is not None and sys.stderr is not None


def test_head_revision_matches_alembic() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(database.MIGRATIONS_DIR))
    assert database.head_revision() == ScriptDirectory.from_config(cfg).get_current_head()


def test_head_revision_follows_the_chain(tmp_path: Path) -> None:
    (tmp_path / "0001_a.py").write_text('revision = "0001"\ndown_revision = None\n', encoding="utf-8")
    (tmp_path / "0002_b.py").write_text("revision: str = '0002'\ndown_revision = '0001'\n", encoding="utf-8")
    assert database.head_revision(tmp_path) == "0002"
    (tmp_path / "0002_c.py").write_text('revision = "0002c"\ndown_revision = ("0001",)\n', encoding="utf-8")
    with pytest.raises(database.DatabaseError):  # two heads: refused, never guessed
        database.head_revision(tmp_path)


def test_opening_an_up_to_date_database_does_not_import_alembic(db_path: Path) -> None:
    from dkdesk.core.desk import Desk

    Desk.open(db_path).close()  # creates the schema (imports Alembic in this process)
    code = ("import sys\nfrom dkdesk.core.desk import Desk\n"
            f"Desk.open({str(db_path)!r}).close()\n"
            "sys.exit(1 if any(m == 'alembic' or m.startswith('alembic.') for m in sys.modules) else 0)\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    assert subprocess.run([sys.executable, "-c", code], env=env).returncode == 0


@pytest.mark.parametrize(("dest", "kept"), [
    ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
    ("PySide6/plugins/platforms/qwindows.dll", True),          # Windows wheel layout
    ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
    ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", False),  # needs Qt Quick
    ("PySide6/Qt/plugins/imageformats/libqico.so", True),
    ("PySide6/Qt/plugins/imageformats/libqpdf.so", False),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
    ("PySide6/Qt/translations/qtbase_vi.qm", True),
    ("PySide6/translations/qtbase_de.qm", False),
    ("PySide6\\opengl32sw.dll", False),
    ("PySide6/Qt/lib/libQt6Widgets.so.6", True),
    ("docs/huong-dan-su-dung.md", True),
])
def test_bundle_rules_keep_only_what_dkdesk_uses(dest: str, kept: bool) -> None:
    sys.path.insert(0, str(ROOT / "installer"))
    try:
        import bundle_rules
    finally:
        sys.path.remove(str(ROOT / "installer"))
    assert bundle_rules.kept((dest, "src", "BINARY")) is kept


def test_sqlalchemy_extensions_give_way_to_their_python_twins() -> None:
    """Linux and Windows names of SQLAlchemy's compiled extensions are swapped for the .py twin
    (which must exist and be importable as the same module); everything else stays."""
    sys.path.insert(0, str(ROOT / "installer"))
    try:
        import bundle_rules
    finally:
        sys.path.remove(str(ROOT / "installer"))
    binaries = [("sqlalchemy/util/_collections_cy.cpython-311-x86_64-linux-gnu.so", "x", "EXTENSION"),
                ("sqlalchemy\\engine\\_row_cy.cp311-win_amd64.pyd", "x", "EXTENSION"),
                ("lxml/etree.cpython-311-x86_64-linux-gnu.so", "x", "EXTENSION"),
                ("PySide6/Qt/lib/libQt6Widgets.so.6", "x", "BINARY")]
    pure = [("sqlalchemy.util._collections_cy", "stale", "PYMODULE"), ("dkdesk.cli.main", "m", "PYMODULE")]
    kept, modules = bundle_rules.without_sqlalchemy_extensions(binaries, pure)
    assert [b[0] for b in kept] == ["lxml/etree.cpython-311-x86_64-linux-gnu.so", "PySide6/Qt/lib/libQt6Widgets.so.6"]
    twins = {m[0]: Path(m[1]) for m in modules if m[0].startswith("sqlalchemy")}
    assert set(twins) == {"sqlalchemy.util._collections_cy", "sqlalchemy.engine._row_cy"}
    assert all(path.suffix == ".py" and path.is_file() for path in twins.values())
    assert ("dkdesk.cli.main", "m", "PYMODULE") in modules


def test_windows_version_resource_is_vietnamese() -> None:
    sys.path.insert(0, str(ROOT / "installer"))
    try:
        import build
    finally:
        sys.path.remove(str(ROOT / "installer"))
    text = build.version_info_text("0.1.0")
    assert "StringStruct('CompanyName', 'UBND quận Dương Kinh')" in text
    assert "StringStruct('ProductName', 'dkdesk')" in text
    assert "filevers=(0, 1, 0, 0)" in text and "'042A04B0'" in text
    import ast

    ast.parse(text, mode="eval")  # one expression, as PyInstaller evaluates it
    pytest.importorskip("pefile")  # PyInstaller's version-resource module needs it (Windows builds have it)
    import PyInstaller.utils.win32.versioninfo as vi

    info = eval(text, vars(vi))  # noqa: S307 - our own generated text, as PyInstaller reads it
    assert isinstance(info, vi.VSVersionInfo)


def test_console_of_the_launchers_parent_when_the_parent_has_none() -> None:
    """The one-file launcher (our parent) is windowed: attach to the console of its parent."""
    tried: list[int] = []

    def attach(pid: int) -> bool:
        tried.append(pid)
        return pid == 4242  # only cmd.exe, the grandparent, has a console

    assert frozen.attach_calling_console(attach, lambda: 4242) is True
    assert tried == [frozen.ATTACH_PARENT_PROCESS, 4242]
    assert frozen.attach_calling_console(lambda pid: False, lambda: None) is False
    tried.clear()
    assert frozen.attach_calling_console(lambda pid: tried.append(pid) or True, lambda: 1) is True
    assert tried == [frozen.ATTACH_PARENT_PROCESS]  # a parent's console is enough


def test_a_console_we_already_have_counts_as_attached() -> None:
    """AttachConsole fails with ERROR_ACCESS_DENIED when the process already has a console (under
    Wine a windowed child has its parent's): output then goes there instead of being dropped."""
    assert frozen.attached(True, 0) is True
    assert frozen.attached(False, frozen.ERROR_ACCESS_DENIED) is True
    assert frozen.attached(False, 6) is False  # ERROR_INVALID_HANDLE: the parent has no console
    assert frozen.attached(False, 87) is False  # ERROR_INVALID_PARAMETER: no such process
