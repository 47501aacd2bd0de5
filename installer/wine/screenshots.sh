#!/usr/bin/env bash
# Screenshots of dist/dkdesk.exe's window under Wine (windows platform plugin, Wine's X11 driver)
# on a 1366x768 Xvfb screen: each tab and the guide, clicked as a person would (xdotool), into
# build/wine/screenshots/wine-*.png. Not in docs/: docs/ is bundled into the exe.
# Needs the prefix of installer/build-windows.sh; installs xdotool and imagemagick if missing.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${DKDESK_WINE_CACHE:-$ROOT/build/wine}
EXE=${DKDESK_WINE_EXE:-$ROOT/dist/dkdesk.exe}
OUT=$CACHE/screenshots
export WINEPREFIX=$CACHE/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" LC_ALL=C.UTF-8
need=()
command -v xdotool >/dev/null || need+=(xdotool)
command -v import >/dev/null || need+=(imagemagick)
if [ ${#need[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
rm -rf "$OUT"; mkdir -p "$OUT/data"
winpath() { printf 'Z:%s' "${1//\//\\}"; }
Xvfb -displayfd 9 -screen 0 1366x768x24 -nolisten tcp 9>"$OUT/display" 2>/dev/null & XVFB=$!
trap 'kill $XVFB 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$OUT/display" ] && break; sleep 0.2; done
export DISPLAY=:$(head -1 "$OUT/display")
# Wine's background processes first, on /dev/null (else they hold "| cat" pipes open)
wineserver -p60 || true; wine wineboot </dev/null >/dev/null 2>&1
DB=$(winpath "$OUT/data/Số liệu Dương Kinh.sqlite")
for unit in CA P-HUNGDAO P-ANHDUNG; do
  wine "$EXE" --db "$DB" set --unit "$unit" --period 2024-H1 tt_so_buoi=12 tt_so_luot_nguoi=340 2>&1 | cat
done
printf '{"user_name": "Chị Lan", "role": "consolidator"}' > "$OUT/data/settings.json"
# in a Wine virtual desktop of the screen's size: Wine draws the frames and maximizes windows as
# Windows does (a bare Xvfb has no window manager to do it)
DKDESK_SETTINGS=$(winpath "$OUT/data/settings.json") DKDESK_SMOKE_MS=60000 DKDESK_SMOKE_REPORT=1 \
  wine explorer /desktop=dkdesk,1366x768 "$(winpath "$EXE")" --db "$DB" gui --smoke 2>&1 | cat > "$OUT/gui.log" &
GUI=$!
for _ in $(seq 120); do grep -q "dkdesk: ready" "$OUT/gui.log" && break; sleep 0.5; done
sleep 2
WIN=$(xdotool search --onlyvisible --name "dkdesk" | head -1)
xdotool getwindowgeometry "$WIN"
shot() { sleep "${2:-5}"; import -window root "$OUT/wine-$1.png"; echo "screenshot: $OUT/wine-$1.png"; }
shot 1-nhap-lieu 0
# the maximized window: its tabs' row at y=100 (title bar, menu bar, plan banner); x: each tab's middle
xdotool mousemove 137 100 click 1; shot 2-tong-quan
xdotool mousemove 233 100 click 1; shot 3-trao-doi-excel
xdotool mousemove 321 100 click 1; shot 4-nhat-ky
xdotool mousemove 52 100 click 1; sleep 1
xdotool key F1; shot 5-huong-dan 6
wait "$GUI" || true
cat "$OUT/gui.log"
