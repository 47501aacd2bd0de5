#!/usr/bin/env bash
# Sets up everything and opens dkdesk on the embedded default database.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
bash scripts/setup.sh
exec .venv/bin/dkdesk gui "$@"
