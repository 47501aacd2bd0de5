"""The Windows ``dkdesk.exe``, built by ``installer/build-windows.sh``, run under Wine + Xvfb.

The checks of ``.github/workflows/windows.yml`` and more: the CLI, Excel/Word, every tab, the
windows platform plugin, portable mode, a Vietnamese path, the one-writer lock (``msvcrt``) and
console attach (``dkdesk.frozen``). Slow (each start of the exe under Wine takes seconds): marker
``wine``; run by ``bash installer/check-windows.sh``. Skipped (failed with ``DKDESK_WINE_REQUIRED=1``)
unless there is a built exe (``dist/dkdesk.exe`` or ``DKDESK_WINE_EXE``), ``wine``, ``Xvfb`` and the
build's Wine prefix (``build/wine/prefix`` or ``DKDESK_WINE_PREFIX``: Windows 10, icuuc.dll stand-in).

Output is always read through pipes: under Wine 8 a Windows program whose stdout or stderr is a
plain Unix file gets unusable handles.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path, PureWindowsPath

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXE = Path(os.environ.get("DKDESK_WINE_EXE") or ROOT / "dist" / "dkdesk.exe")
PREFIX = Path(os.environ.get("DKDESK_WINE_PREFIX") or ROOT / "build" / "wine" / "prefix")
MINGW = "x86_64-w64-mingw32-gcc"


def _missing() -> str | None:
    if not EXE.is_file():
        return f"no built exe at {EXE} (bash installer/build-windows.sh makes it)"
    for tool in ("wine", "Xvfb"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (bash installer/build-windows.sh installs it)"
    if not (PREFIX / "drive_c" / "windows" / "system32" / "icuuc.dll").is_file():
        return f"no Wine prefix with the icuuc.dll stand-in at {PREFIX} (made by installer/build-windows.sh)"
    return None


if _missing() is not None and os.environ.get("DKDESK_WINE_REQUIRED"):  # installer/check-windows.sh
    raise RuntimeError(f"DKDESK_WINE_REQUIRED is set, but {_missing()}")
pytestmark = [pytest.mark.wine, pytest.mark.slow,
              pytest.mark.skipif(_missing() is not None, reason=str(_missing()))]


def win(path: Path) -> str:
    """The Windows name of a Unix path under Wine (drive Z: is /)."""
    return str(PureWindowsPath("Z:/") / PureWindowsPath(*path.resolve().parts[1:]))


@pytest.fixture(scope="module")
def display() -> str:
    """A private Xvfb screen: Wine's X11 driver, the windows platform plugin and conhost use it."""
    read, write = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                            pass_fds=(write,), stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    yield f":{number}"
    xvfb.terminate()
    xvfb.wait(timeout=30)


@pytest.fixture(scope="module")
def wine_env(display: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("wine-home")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DKDESK_", "QT_")) and k != "PYTHONPATH"}
    env.update({"WINEPREFIX": str(PREFIX), "WINEDEBUG": "-all", "WINEDLLOVERRIDES": "mscoree,mshtml=",
                "DISPLAY": display, "LC_ALL": "C.UTF-8", "HOME": str(home),
                "QT_QPA_PLATFORM": "offscreen", "DKDESK_SMOKE_MS": "200", "DKDESK_USER": "Người kiểm thử"})
    # Wine's background processes (explorer.exe /desktop...) would inherit the pipes of the run that
    # starts them and hold them open: start them first, on /dev/null; keep the server up meanwhile
    subprocess.run(["wineserver", "-p60"], env=env, check=False)  # 2: a server is already up
    subprocess.run(["wine", "wineboot"], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=300)
    # the user data folder inside the prefix (%LOCALAPPDATA%\dkdesk) is the prefix's: start clean
    users = PREFIX / "drive_c" / "users"
    for data in users.glob("*/AppData/Local/dkdesk"):
        shutil.rmtree(data)
    return env


def run(env: dict[str, str], exe: Path, *args: str, extra_env: dict[str, str] | None = None,
        cwd: Path | None = None, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """Run a Windows program under Wine; stdout and stderr through pipes (see the docstring)."""
    return subprocess.run(["wine", str(exe), *args], capture_output=True, text=True, encoding="utf-8",
                          errors="replace", env={**env, **(extra_env or {})}, cwd=str(cwd or ROOT),
                          stdin=subprocess.DEVNULL, timeout=timeout)


def dkdesk(env: dict[str, str], *args: str, **kw) -> subprocess.CompletedProcess[str]:  # noqa: ANN003
    return run(env, EXE, *args, **kw)


def test_plan_json_set_values_and_a_refusal(wine_env: dict[str, str], tmp_path: Path) -> None:
    plan = dkdesk(wine_env, "plan", "--json")
    assert plan.returncode == 0, plan.stderr
    data = json.loads(plan.stdout)
    assert data["plan"]["code"] == "duong-kinh-2024" and len(data["units"]) == 20
    db = win(tmp_path / "smoke.sqlite")
    saved = dkdesk(wine_env, "--db", db, "set", "--unit", "P-HUNGDAO", "--period", "2024-H1", "tt_so_buoi=1.234")
    assert saved.returncode == 0, saved.stderr
    assert "Đã lưu: 1 mới" in saved.stdout
    values = dkdesk(wine_env, "--db", db, "values", "--unit", "P-HUNGDAO", "--period", "2024-H1", "--json")
    assert values.returncode == 0, values.stderr
    assert json.loads(values.stdout)["values"] == {"tt_so_buoi": 1234}
    refused = dkdesk(wine_env, "--db", db, "set", "--unit", "P-HUNGDAO", "--period", "2024-H1", "tt_so_buoi=nhiều")
    assert refused.returncode == 1
    assert "không có gì được lưu" in refused.stderr and "Traceback" not in refused.stderr


def test_template_import_and_reports_in_excel_and_word(wine_env: dict[str, str], tmp_path: Path) -> None:
    db, other = win(tmp_path / "a.sqlite"), win(tmp_path / "b.sqlite")
    assert dkdesk(wine_env, "--db", db, "set", "--unit", "CA", "--period", "2024-H1", "tt_so_buoi=3").returncode == 0
    made = dkdesk(wine_env, "--db", db, "template", "--unit", "CA", "--period", "2024-H1", "--filled",
                  "-o", win(tmp_path / "CA.xlsx"))
    assert made.returncode == 0 and (tmp_path / "CA.xlsx").is_file(), made.stderr
    imported = dkdesk(wine_env, "--db", other, "import", win(tmp_path / "CA.xlsx"), "--json")
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["files"][0]["status"] != "rejected"
    values = dkdesk(wine_env, "--db", other, "values", "--unit", "CA", "--period", "2024-H1", "--json")
    assert json.loads(values.stdout)["values"]["tt_so_buoi"] == 3
    report = dkdesk(wine_env, "--db", db, "report", "--period", "2024-H1", "-o", win(tmp_path / "th.xlsx"),
                    "--docx", win(tmp_path / "bc.docx"))
    assert report.returncode == 0, report.stderr
    assert (tmp_path / "th.xlsx").stat().st_size > 0 and (tmp_path / "bc.docx").stat().st_size > 0
    from docx import Document  # the Word report as written by the Windows exe
    text = "\n".join(p.text for p in Document(str(tmp_path / "bc.docx")).paragraphs)
    assert "mại dâm" in text


def test_gui_quick_start_every_tab_and_the_guide(wine_env: dict[str, str], tmp_path: Path) -> None:
    db = win(tmp_path / "gui.sqlite")
    assert dkdesk(wine_env, "--db", db, "gui", "--smoke").returncode == 0  # first start: full open
    settings = tmp_path / "settings.json"
    settings.write_text('{"user_name": "Chị Lan", "role": "consolidator"}', encoding="utf-8")
    extra = {"DKDESK_SETTINGS": win(settings), "DKDESK_SMOKE_REPORT": "1", "DKDESK_SMOKE_TABS": "1"}
    result = dkdesk(wine_env, "--db", db, "gui", "--smoke", extra_env=extra)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("dkdesk: ")]
    assert lines[:3] == ["dkdesk: shown", "dkdesk: ready", "dkdesk: 4 tabs and the guide shown"], result.stderr


def test_gui_with_the_windows_platform_plugin(wine_env: dict[str, str], tmp_path: Path) -> None:
    """Not offscreen: qwindows.dll through Wine's X11 driver on the Xvfb screen."""
    env = {k: v for k, v in wine_env.items() if k != "QT_QPA_PLATFORM"}
    result = run(env, EXE, "--db", win(tmp_path / "native.sqlite"), "gui", "--smoke",
                 extra_env={"DKDESK_SMOKE_TABS": "1"})
    assert result.returncode == 0, result.stderr
    assert "dkdesk: 4 tabs and the guide shown" in result.stderr


def test_portable_folder_and_a_vietnamese_path(wine_env: dict[str, str], tmp_path: Path) -> None:
    stick = tmp_path / "USB của Phường Hưng Đạo"
    (stick / "dkdesk-data").mkdir(parents=True)
    shutil.copy2(EXE, stick / "dkdesk.exe")
    elsewhere = tmp_path / "nơi khác"
    elsewhere.mkdir()
    saved = run(wine_env, stick / "dkdesk.exe", "set", "--unit", "CA", "--period", "2024-H1", "tt_so_buoi=2",
                cwd=elsewhere)
    assert saved.returncode == 0, saved.stderr
    assert (stick / "dkdesk-data" / "dkdesk.sqlite").is_file()
    values = run(wine_env, stick / "dkdesk.exe", "values", "--unit", "CA", "--period", "2024-H1", "--json",
                 cwd=elsewhere)
    assert json.loads(values.stdout)["values"] == {"tt_so_buoi": 2}
    # an explicit database in a Vietnamese folder, and a template written there
    folder = tmp_path / "Số liệu Dương Kinh"
    folder.mkdir()
    db = win(folder / "dữ liệu.sqlite")
    assert dkdesk(wine_env, "--db", db, "set", "--unit", "CA", "--period", "2024-H1", "tt_so_buoi=5").returncode == 0
    made = dkdesk(wine_env, "--db", db, "template", "--unit", "CA", "--period", "2024-H1", "--filled",
                  "-o", win(folder / "Biểu mẫu Công an.xlsx"))
    assert made.returncode == 0, made.stderr
    assert sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock")) == [
        "Biểu mẫu Công an.xlsx", "dữ liệu.sqlite"]


def test_a_second_instance_is_read_only_while_the_first_writes(wine_env: dict[str, str], tmp_path: Path) -> None:
    """The writer lock is ``msvcrt.locking`` in the Windows exe: a second dkdesk.exe refuses to write."""
    db = win(tmp_path / "chung.sqlite")
    assert dkdesk(wine_env, "--db", db, "set", "--unit", "CA", "--period", "2024-H1", "tt_so_buoi=1").returncode == 0
    # the first instance holds the lock from its window shown until it quits by itself (killing
    # the `wine` process would stop only the one-file launcher, not the program it started)
    first = subprocess.Popen(["wine", str(EXE), "--db", db, "gui", "--smoke"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, encoding="utf-8",
                             env={**wine_env, "DKDESK_SMOKE_MS": "45000", "DKDESK_SMOKE_REPORT": "1"})
    assert first.stderr is not None
    for line in first.stderr:  # the window is up once the Desk holds the lock (a full open)
        if "dkdesk: shown" in line:
            break
    second = dkdesk(wine_env, "--db", db, "set", "--unit", "CA", "--period", "2024-H1", "tt_so_buoi=9")
    first_out, first_err = first.communicate(timeout=300)
    assert first.returncode == 0, first_err
    assert second.returncode == 1
    assert "đang được mở bởi" in second.stderr and "không được ghi" in second.stderr, second.stderr
    assert "Traceback" not in second.stderr
    values = dkdesk(wine_env, "--db", db, "values", "--unit", "CA", "--period", "2024-H1", "--json")
    assert json.loads(values.stdout)["values"] == {"tt_so_buoi": 1}  # the refused write changed nothing
    again = dkdesk(wine_env, "--db", db, "set", "--unit", "CA", "--period", "2024-H1", "tt_so_buoi=9")
    assert again.returncode == 0, again.stderr  # the lock went with the first process


@pytest.fixture(scope="module")
def conrun(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which(MINGW) is None:
        pytest.skip(f"{MINGW} is not installed (bash installer/build-windows.sh installs it)")
    exe = tmp_path_factory.mktemp("conrun") / "conrun.exe"
    subprocess.run([MINGW, "-O2", "-municode", str(ROOT / "installer" / "wine" / "conrun.c"), "-o", str(exe)],
                   check=True)
    return exe


def test_typed_in_a_console_the_windowed_exe_writes_there(wine_env: dict[str, str], conrun: Path,
                                                          tmp_path: Path) -> None:
    """As from cmd.exe: no standard handles given; dkdesk.exe attaches to the calling console and
    writes Vietnamese text there, and its exit code still says refused (1) or done (0)."""
    db = win(tmp_path / "console.sqlite")
    saved = run(wine_env, conrun, f'"{win(EXE)}" --db "{db}" set --unit CA --period 2024-H1 tt_so_buoi=4')
    assert saved.returncode == 0, saved.stdout + saved.stderr
    assert "Đã lưu: 1 mới" in saved.stdout
    refused = run(wine_env, conrun, f'"{win(EXE)}" --db "{db}" set --unit CA --period 2024-H1 tt_so_buoi=abc')
    assert refused.returncode == 1
    assert "không có gì được lưu" in refused.stdout, refused.stdout
