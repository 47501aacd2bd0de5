#!/usr/bin/env bash
# Build dist/dkdesk.exe (the Windows one-file executable) on Debian, under Wine, with the
# project's own installer/build.py and installer/dkdesk.spec.
#
# Uses Debian's packages (wine, mingw-w64) and PyPI only:
#  - a Windows CPython 3.11: python311.dll and the standard library's .pyd files from the
#    deploy_libs/ folder of PyPI's panda3d win_amd64 wheel (the python.org build of 3.11.7), the
#    pure-Python standard library of the Linux CPython running this script (it must be the same
#    3.11.x), a python.exe and a forwarding python3.dll compiled with mingw-w64;
#  - dkdesk's dependencies as Windows wheels (pip download --platform win_amd64).
# Wine 8 has no icuuc.dll, which Qt6Core imports: installer/wine/icuuc.c, a stand-in without
# converters, goes into the Wine prefix only (never into the executable).
#
# Idempotent: everything lives in build/wine/ (git-ignored; DKDESK_WINE_CACHE to move it) and each
# step is skipped when its inputs have not changed, so a second run only rebuilds the executable
# (PyInstaller's cache in build/wine/pyinstaller). Run as root on a fresh machine (apt-get), or
# as any user once the Debian packages are there.
#   bash installer/build-windows.sh            # then: bash installer/check-windows.sh
# Options (environment): DKDESK_WINE_CACHE, PYTHON (the Linux CPython whose Lib/ is copied).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${DKDESK_WINE_CACHE:-$ROOT/build/wine}
PYTHON=${PYTHON:-python3}
PANDA3D=panda3d==1.10.14                     # its deploy_libs/ hold CPython 3.11.7 for Windows
export WINEPREFIX=$CACHE/prefix WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
mkdir -p "$CACHE"/{downloads,wheels,src,stamps}
CACHE=$(cd "$CACHE" && pwd)
WINPY=$WINEPREFIX/drive_c/Python311
step() { printf '\n== %s (%s)\n' "$1" "$(date +%T)"; }
stamp_ok() { [ -f "$CACHE/stamps/$1" ] && [ "$(cat "$CACHE/stamps/$1")" = "$2" ]; }
stamp_set() { printf '%s' "$2" > "$CACHE/stamps/$1"; }
# Windows programs get pipes, never a Unix file: Wine 8 hands out unusable handles for those
wpy() { wine 'C:\Python311\python.exe' "$@" 2>&1 | cat; return "${PIPESTATUS[0]}"; }
# Wine's own background processes (explorer.exe /desktop, services) would inherit the pipes of the
# program that happens to start them, and keep "| cat" waiting: start them first, on /dev/null,
# and keep the wineserver up for a minute between steps (-p60)
wine_up() { wineserver -p60 || true; wine wineboot </dev/null >/dev/null 2>&1; }
winpath() { printf 'Z:%s' "${1//\//\\}"; }

step "1. Debian packages: wine, mingw-w64"
need=()
command -v wine >/dev/null || need+=(wine wine64)
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64-win32)
command -v gendef >/dev/null || need+=(mingw-w64-tools)
command -v Xvfb >/dev/null || need+=(xvfb xauth)
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "build-windows: thiếu gói Debian (cần root): ${need[*]}" >&2; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
wine --version

step "2. Wine prefix (Windows 10): $WINEPREFIX"
if ! stamp_ok prefix "$(wine --version)"; then
  wine wineboot --init 2>&1 | cat
  wine winecfg -v win10 2>&1 | cat
  wineserver -w
  stamp_set prefix "$(wine --version)"
fi

wine_up
step "3. Windows CPython 3.11 in C:\\Python311"
"$PYTHON" -c 'import sys; assert sys.version_info[:3] == (3, 11, 7), sys.version' 2>/dev/null || {
  echo "build-windows: $PYTHON must be CPython 3.11.7 (its Lib/ goes beside python311.dll 3.11.7);" \
       "set PYTHON=..." >&2; exit 1; }
STDLIB=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
key="$PANDA3D $STDLIB $(sha256sum "$ROOT/installer/wine/icuuc.c" | cut -c1-16)"
if ! stamp_ok python "$key"; then
  ls "$CACHE"/downloads/panda3d-*win_amd64.whl >/dev/null 2>&1 ||
    "$PYTHON" -m pip download -q --no-deps --platform win_amd64 --python-version 3.11 --only-binary=:all: \
      "$PANDA3D" -d "$CACHE/downloads"
  rm -rf "$WINPY" "$CACHE/src/deploy_libs"
  "$PYTHON" - "$CACHE" <<'PY'
import pathlib, sys, zipfile
cache = pathlib.Path(sys.argv[1])
wheel = zipfile.ZipFile(next((cache / "downloads").glob("panda3d-*win_amd64.whl")))
for name in wheel.namelist():
    if name.startswith("deploy_libs/"):
        wheel.extract(name, cache / "src")
PY
  D=$CACHE/src/deploy_libs
  mkdir -p "$WINPY/DLLs" "$WINPY/Lib/site-packages"
  cp "$D/python311.dll" "$D/VCRUNTIME140.dll" "$WINPY/"
  for f in "$D"/*.pyd "$D"/libffi-8.dll "$D"/libcrypto-3.dll "$D"/libssl-3.dll "$D"/sqlite3.dll; do
    [ "$(basename "$f")" = _tkinter.pyd ] || cp "$f" "$WINPY/DLLs/"
  done
  tar -C "$STDLIB" --exclude=site-packages --exclude=lib-dynload --exclude='config-3.11-*' --exclude=test \
    --exclude=__pycache__ --exclude=idlelib --exclude=tkinter --exclude=turtledemo \
    --exclude='_sysconfigdata_*' -cf - . | tar -C "$WINPY/Lib" -xf -
  # python.exe (as CPython's PC/python.c) and python3.dll (the stable ABI: forwarders to python311)
  cd "$CACHE/src"
  printf '#include <wchar.h>\n__declspec(dllimport) int Py_Main(int, wchar_t **);\nint wmain(int c, wchar_t **v) { return Py_Main(c, v); }\n' > python.c
  x86_64-w64-mingw32-gcc -O2 -municode python.c -o "$WINPY/python.exe" "$WINPY/python311.dll"
  gendef - "$WINPY/python311.dll" 2>/dev/null > python311.def
  { echo "LIBRARY python3.dll"; echo EXPORTS
    sed -n '/^EXPORTS/,$p' python311.def | tail -n +2 | awk 'NF{print $1" = python311."$1}'; } > python3.def
  echo 'int dummy;' > empty.c
  x86_64-w64-mingw32-gcc -shared -nostdlib -o "$WINPY/python3.dll" empty.c python3.def
  # Windows 10 has icuuc.dll in system32; Wine 8 has none (Qt6Core imports ucnv_* from it)
  x86_64-w64-mingw32-gcc -O2 -shared -s "$ROOT/installer/wine/icuuc.c" \
    -o "$WINEPREFIX/drive_c/windows/system32/icuuc.dll"
  cd "$ROOT"
  wpy -m ensurepip --default-pip
  rm -f "$CACHE/stamps/wheels"
  stamp_set python "$key"
fi
wpy -c "import sys, sqlite3, ctypes; print('Windows', sys.version.split()[0], sys.platform, 'sqlite', sqlite3.sqlite_version)"

step "4. Windows wheels (pip download --platform win_amd64) installed under Wine"
mapfile -t REQS < <("$PYTHON" - "$ROOT/pyproject.toml" <<'PY'
import sys, tomllib
project = tomllib.load(open(sys.argv[1], "rb"))["project"]
print("\n".join(project["dependencies"] + project["optional-dependencies"]["build"]))
PY
)
# what pip's markers on Linux leave out: PyInstaller's Windows-only dependencies
REQS+=(pefile pywin32-ctypes "setuptools>=68")
key="$(printf '%s;' "${REQS[@]}")"
if ! stamp_ok wheels "$key"; then
  "$PYTHON" -m pip download -q --platform win_amd64 --python-version 3.11 --implementation cp \
    --abi cp311 --abi abi3 --abi none --only-binary=:all: -d "$CACHE/wheels" "${REQS[@]}" pip
  wpy -m pip install -q --no-index --find-links "$(winpath "$CACHE/wheels")" --upgrade pip
  wpy -m pip install -q --no-index --find-links "$(winpath "$CACHE/wheels")" --no-warn-script-location \
    "${REQS[@]}"
  stamp_set wheels "$key"
fi
wpy -m pip list 2>/dev/null | grep -i -E '^(pyside6|pyinstaller|sqlalchemy|alembic|openpyxl|python-docx) '

step "5. dist/dkdesk.exe (installer/build.py under Wine)"
mkdir -p "$ROOT/dist"
# what goes into the exe; unchanged since the last build (and the exe still there): nothing to do
key=$(cd "$ROOT" && find src ui resources docs installer/build.py installer/dkdesk.spec installer/bundle_rules.py \
        installer/entry.py pyproject.toml -type f ! -name '*.pyc' ! -path '*/__pycache__/*' -print0 |
      sort -z | xargs -0 sha256sum | sha256sum | cut -c1-32)
key="$key $(cat "$CACHE/stamps/wheels" | sha256sum | cut -c1-16)"
if stamp_ok exe "$key" && [ -f "$ROOT/dist/dkdesk.exe" ] &&
   [ "$(sha256sum < "$ROOT/dist/dkdesk.exe" | cut -c1-32)" = "$(cat "$CACHE/stamps/exe.sha256" 2>/dev/null)" ]; then
  echo "dist/dkdesk.exe is up to date (sources unchanged since it was built)"
  ls -l "$ROOT/dist/dkdesk.exe"
  exit 0
fi
# PyInstaller's "Library not found" lines name Windows system DLLs that Wine keeps elsewhere
set +e
wine 'C:\Python311\python.exe' "$(winpath "$ROOT/installer/build.py")" --dist "$(winpath "$ROOT/dist")" \
  --work "$(winpath "$CACHE/pyinstaller")" 2>&1 | grep -v 'Library not found' | cat
rc=${PIPESTATUS[0]}
set -e
[ "$rc" = 0 ] && [ -f "$ROOT/dist/dkdesk.exe" ] || { echo "build-windows: build failed ($rc)" >&2; exit 1; }
ls -l "$ROOT/dist/dkdesk.exe"
stamp_set exe "$key"
sha256sum < "$ROOT/dist/dkdesk.exe" | cut -c1-32 > "$CACHE/stamps/exe.sha256"
