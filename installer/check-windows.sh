#!/usr/bin/env bash
# The whole Windows check on Linux: build dist/dkdesk.exe under Wine (installer/build-windows.sh,
# fast when build/wine/ is cached), run tests/test_windows_exe.py against it under Wine + Xvfb
# (a missing exe, Wine or prefix fails here instead of skipping), and take screenshots of its
# window into build/wine/screenshots/ (installer/wine/screenshots.sh). Not part of .ci/run: a
# first run takes about 15 minutes on a 2-core machine. Exit code 0 when all of it passed.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
bash installer/build-windows.sh
built=$(date +%s)
[ -x .venv/bin/python ] || bash scripts/setup.sh
DKDESK_WINE_REQUIRED=1 .venv/bin/python -m pytest -q -p no:cacheprovider -m wine tests/test_windows_exe.py
tested=$(date +%s)
bash installer/wine/screenshots.sh
echo "check-windows: build $((built - started)) s, tests $((tested - built)) s," \
     "screenshots $(( $(date +%s) - tested )) s, in all $(( $(date +%s) - started )) s"
