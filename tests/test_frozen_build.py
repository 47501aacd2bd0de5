"""The one-file executable, built by ``installer/build.py``, behaves as the installed program.

Slow (one PyInstaller build, about a minute when ``build/pyinstaller`` is cached, two or three
from clean); run by ``.ci/run``. Skipped when PyInstaller is not installed.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PyInstaller")

ROOT = Path(__file__).resolve().parents[1]
EXE_NAME = "dkdesk.exe" if sys.platform == "win32" else "dkdesk"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def exe(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, str(ROOT / "installer" / "build.py"), "--dist", str(dist)],
                   check=True, cwd=str(ROOT), timeout=1200)
    path = dist / EXE_NAME
    assert path.is_file()
    return path


def run(exe: Path, *args: str, home: Path, cwd: Path | None = None,
        extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the executable with a private home (settings, user data) and Qt offscreen."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DKDESK_") and k != "PYTHONPATH"}
    env.update({"HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "QT_QPA_PLATFORM": "offscreen",
                "DKDESK_SMOKE_MS": "200", "DKDESK_USER": "Người kiểm thử", **(extra_env or {})})
    return subprocess.run([str(exe), *args], capture_output=True, text=True, encoding="utf-8",
                          env=env, cwd=str(cwd or home), timeout=120)


def test_plan_json_from_the_bundled_plan(exe: Path, tmp_path: Path) -> None:
    result = run(exe, "plan", "--json", home=tmp_path)
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["plan"]["code"] == "duong-kinh-2024"
    assert len(plan["units"]) == 20 and len(plan["indicators"]) == 9
    assert [p["code"] for p in plan["periods"]] == ["2024-H1", "2024-Y"]


def test_set_values_and_refusal_through_migrated_database(exe: Path, tmp_path: Path) -> None:
    db = tmp_path / "so-lieu.sqlite"
    result = run(exe, "--db", str(db), "set", "--unit", "P-HUNGDAO", "--period", "2024-H1",
                 "tt_so_buoi=1.234", "tt_so_luot_nguoi=120", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Đã lưu: 2 mới" in result.stdout
    result = run(exe, "--db", str(db), "values", "--unit", "P-HUNGDAO", "--period", "2024-H1", "--json",
                 home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["values"] == {"tt_so_buoi": 1234, "tt_so_luot_nguoi": 120}
    refused = run(exe, "--db", str(db), "set", "--unit", "P-HUNGDAO", "--period", "2024-H1",
                  "tt_so_buoi=nhiều", home=tmp_path)
    assert refused.returncode == 1
    assert "không có gì được lưu" in refused.stderr and "Traceback" not in refused.stderr


def test_gui_smoke_opens_the_main_window(exe: Path, tmp_path: Path) -> None:
    db = tmp_path / "gui.sqlite"
    result = run(exe, "--db", str(db), "gui", "--smoke", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert db.is_file()


def test_excel_and_word_work_in_the_bundle(exe: Path, tmp_path: Path) -> None:
    """openpyxl, python-docx and lxml are loaded only when used: the bundle must still carry
    every part they load (the size rules leave out lxml's unused modules)."""
    db = tmp_path / "so-lieu.sqlite"
    filled = run(exe, "--db", str(db), "set", "--unit", "CA", "--period", "2024-H1", "tt_so_buoi=3",
                 home=tmp_path)
    assert filled.returncode == 0, filled.stderr
    out = tmp_path / "CA.xlsx"
    made = run(exe, "--db", str(db), "template", "--unit", "CA", "--period", "2024-H1", "--filled",
               "-o", str(out), home=tmp_path)
    assert made.returncode == 0 and out.is_file(), made.stderr
    other = tmp_path / "other.sqlite"
    imported = run(exe, "--db", str(other), "import", str(out), "--json", home=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["files"][0]["status"] != "rejected"
    values = run(exe, "--db", str(other), "values", "--unit", "CA", "--period", "2024-H1", "--json",
                 home=tmp_path)
    assert json.loads(values.stdout)["values"]["tt_so_buoi"] == 3
    report = run(exe, "--db", str(db), "report", "--period", "2024-H1", "-o", str(tmp_path / "th.xlsx"),
                 "--docx", str(tmp_path / "bc.docx"), home=tmp_path)
    assert report.returncode == 0, report.stderr
    assert (tmp_path / "th.xlsx").stat().st_size > 0 and (tmp_path / "bc.docx").stat().st_size > 0
    assert "Traceback" not in report.stderr + imported.stderr + made.stderr


def test_gui_quick_start_over_an_existing_database(exe: Path, tmp_path: Path) -> None:
    """A returning user over an existing database: shown first, then the database opened, then
    (``DKDESK_SMOKE_TABS``) every tab and the guide."""
    db = tmp_path / "gui.sqlite"
    assert run(exe, "--db", str(db), "set", "--unit", "CA", "--period", "2024-H1", "tt_so_buoi=3",
               home=tmp_path).returncode == 0
    settings = tmp_path / "settings.json"
    settings.write_text('{"user_name": "Chị Lan", "role": "consolidator"}', encoding="utf-8")
    env_extra = {"DKDESK_SETTINGS": str(settings), "DKDESK_SMOKE_REPORT": "1", "DKDESK_SMOKE_TABS": "1"}
    result = run(exe, "--db", str(db), "gui", "--smoke", home=tmp_path, extra_env=env_extra)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("dkdesk: ")]
    # every tab built (QtCharts, print support, the models) and the guide shown, from the bundle
    assert lines[:3] == ["dkdesk: shown", "dkdesk: ready", "dkdesk: 4 tabs and the guide shown"], result.stderr


def test_portable_folder_beside_the_executable_holds_the_data(exe: Path, tmp_path: Path) -> None:
    stick = tmp_path / "usb"
    (stick / "dkdesk-data").mkdir(parents=True)
    portable_exe = stick / EXE_NAME
    shutil.copy2(exe, portable_exe)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run(portable_exe, "set", "--unit", "CA", "--period", "2024-H1", "tt_so_buoi=2",
                 home=tmp_path, cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert (stick / "dkdesk-data" / "dkdesk.sqlite").is_file()
    assert not (tmp_path / "data" / "dkdesk").exists()  # nothing in the user data folder
    values = run(portable_exe, "values", "--unit", "CA", "--period", "2024-H1", "--json", home=tmp_path,
                 cwd=elsewhere)
    assert json.loads(values.stdout)["values"] == {"tt_so_buoi": 2}


def test_bundle_carries_the_files_and_not_the_unused_qt(exe: Path) -> None:
    from PyInstaller.archive.readers import CArchiveReader

    names = set(CArchiveReader(str(exe)).toc)
    for needed in ("docs/huong-dan-su-dung.md", "docs/screenshots/main-window.png", "ui/main_window.ui",
                   "resources/plans/duong-kinh-2024.toml", "resources/plans/duong-kinh-2024.toml.prepared",
                   "resources/icons/dkdesk.png",
                   "dkdesk/storage/migrations/env.py", "dkdesk/storage/migrations/versions/0001_initial.py"):
        assert needed in names, needed
    unwanted = [n for n in names if any(part in n for part in (
        "Qt6Quick", "Qt6Qml", "Qt6WebEngine", "Qt6Multimedia", "Qt6Network", "Qt6Pdf", "Qt63D",
        "plugins/platforms/libqwayland", "plugins/platformthemes", "virtualkeyboard", "opengl32sw"))]
    assert unwanted == []
