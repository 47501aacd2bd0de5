#!/usr/bin/env bash
# Size and start-up of the Windows dist/dkdesk.exe against a bare PySide6 one-file exe, both built
# by PyInstaller under Wine with the same rules: benchmarks/bench_startup.py run by the Windows
# CPython of installer/build-windows.sh (its prefix in build/wine/), timing launches from inside
# Wine. Reuses dist/dkdesk.exe (build it first); builds the bare exe once into benchmarks/.cache/.
#   bash benchmarks/bench_wine.sh [--runs 5] [--smoke-ms 100]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export WINEPREFIX=${DKDESK_WINE_CACHE:-$ROOT/build/wine}/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
[ -f "$ROOT/dist/dkdesk.exe" ] || { echo "bench_wine: no dist/dkdesk.exe (bash installer/build-windows.sh)" >&2; exit 1; }
mkdir -p "$ROOT/benchmarks/.cache/app-dist"
cp "$ROOT/dist/dkdesk.exe" "$ROOT/benchmarks/.cache/app-dist/dkdesk.exe"
cd "$ROOT"
# Wine's background processes first, on /dev/null (else they hold the pipe below open)
wineserver -p60 || true; wine wineboot </dev/null >/dev/null 2>&1
# stdout and stderr through a pipe: Wine 8 gives a Windows program unusable handles for Unix files
wine 'C:\Python311\python.exe' benchmarks/bench_startup.py --reuse "$@" 2>&1 | grep -v 'Library not found' | cat
exit "${PIPESTATUS[0]}"
