#!/usr/bin/env bash
# Debian packages dkdesk's tests and GUI need: Qt's X11/EGL libraries, fonts with Vietnamese
# diacritics, Xvfb for screenshots, LibreOffice Calc/Writer with Python-UNO (real spreadsheet
# round trips and PDF rendering), poppler (pdftoppm) and PostgreSQL (the server variant tests).
set -euo pipefail
PACKAGES=(
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
  libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xkb1
  libdbus-1-3 libfontconfig1 libglib2.0-0
  fonts-noto-core fonts-dejavu-core fonts-liberation
  xvfb xauth poppler-utils
  libreoffice-calc libreoffice-writer python3-uno
  postgresql
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "Thiếu gói hệ thống (cần quyền root để cài): ${missing[*]}" >&2
  echo "Chạy: sudo apt-get install ${missing[*]}" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
