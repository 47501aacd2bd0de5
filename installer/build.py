"""Build the one-file dkdesk executable for the current OS: ``python installer/build.py``.

Result: ``dist/dkdesk.exe`` on Windows (windowed, icon, Vietnamese version information),
``dist/dkdesk`` on Linux. Options: ``--dist DIR``, ``--work DIR`` (PyInstaller's work folder; it
is kept between builds, so a rebuild reuses its cached analysis), ``--clean`` (discard that
cache first). Prints the size of the result. Exit code 0 when the executable was produced.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "installer" / "dkdesk.spec"
COMPANY = "UBND quận Dương Kinh"
PRODUCT = "dkdesk"
DESCRIPTION = "dkdesk - Theo dõi Kế hoạch phòng, chống mại dâm quận Dương Kinh"
COPYRIGHT = "© UBND quận Dương Kinh"
LANG_VI, CODEPAGE_UNICODE = 0x042A, 1200  # Vietnamese, UTF-16


def package_version() -> str:
    """``dkdesk.__version__`` read from the source, without importing the package."""
    text = (ROOT / "src" / "dkdesk" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*"([^"]+)"', text, re.M)
    if not match:
        raise SystemExit("build: __version__ không tìm thấy trong src/dkdesk/__init__.py")
    return match.group(1)


def version_tuple(version: str) -> tuple[int, int, int, int]:
    numbers = [int(n) for n in re.findall(r"\d+", version)[:4]]
    return tuple((numbers + [0, 0, 0, 0])[:4])  # type: ignore[return-value]


def version_info_text(version: str) -> str:
    """PyInstaller's Windows version resource (a ``VSVersionInfo`` expression), in Vietnamese."""
    vt = version_tuple(version)
    lang_cp = f"{LANG_VI:04X}{CODEPAGE_UNICODE:04X}"
    strings = {
        "CompanyName": COMPANY,
        "FileDescription": DESCRIPTION,
        "FileVersion": version,
        "InternalName": PRODUCT,
        "LegalCopyright": COPYRIGHT,
        "OriginalFilename": f"{PRODUCT}.exe",
        "ProductName": PRODUCT,
        "ProductVersion": version,
        "Comments": "Thu thập, kiểm tra và tổng hợp số liệu của các đơn vị; chạy không cần mạng.",
    }
    items = ",\n          ".join(f"StringStruct({k!r}, {v!r})" for k, v in strings.items())
    return f"""# -*- coding: utf-8 -*-
VSVersionInfo(
  ffi=FixedFileInfo(filevers={vt}, prodvers={vt}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([
      StringTable('{lang_cp}', [
          {items}])
    ]),
    VarFileInfo([VarStruct('Translation', [{LANG_VI}, {CODEPAGE_UNICODE}])])
  ]
)
"""


def executable_name() -> str:
    return "dkdesk.exe" if sys.platform == "win32" else "dkdesk"


def build(dist: Path, work: Path, clean: bool = False) -> Path:
    """Run PyInstaller on the spec; return the path of the executable."""
    work.mkdir(parents=True, exist_ok=True)
    version_file = work / "version_info.txt"
    version_file.write_text(version_info_text(package_version()), encoding="utf-8")
    env = dict(os.environ)
    env["DKDESK_VERSION_FILE"] = str(version_file)
    env["DKDESK_PREPARED_DIR"] = str(work / "prepared")  # the parsed plans (dkdesk.catalogue.prepared)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH", "")]))
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", str(dist), "--workpath", str(work)]
    if clean:
        cmd.append("--clean")
    cmd.append(str(SPEC))
    started = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, cwd=str(ROOT))
    target = dist / executable_name()
    if not target.is_file():
        raise SystemExit(f"build: PyInstaller không tạo ra {target}")
    size = target.stat().st_size
    print(f"build: {target} ({size / 1e6:.1f} MB) trong {time.perf_counter() - started:.0f} s")
    return target


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # Vietnamese messages on a Windows console
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    parser = argparse.ArgumentParser(description="Đóng gói dkdesk thành một tệp chạy được (PyInstaller).")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="thư mục kết quả (mặc định dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller",
                        help="thư mục làm việc của PyInstaller (giữ lại để lần sau nhanh hơn)")
    parser.add_argument("--clean", action="store_true", help="xóa bộ nhớ đệm của PyInstaller trước khi đóng gói")
    args = parser.parse_args(argv)
    try:
        build(args.dist.resolve(), args.work.resolve(), clean=args.clean)
    except subprocess.CalledProcessError as exc:
        print(f"build: PyInstaller thất bại (mã {exc.returncode})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
