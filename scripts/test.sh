#!/usr/bin/env bash
# Sets up everything (system packages, .venv) and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
# PostgreSQL variant: a throwaway server on a unix socket (DKDESK_TEST_PG_URL), stopped at the end
if [ -z "${DKDESK_TEST_PG_URL:-}" ]; then
  eval "$(bash scripts/pg-test-server.sh start || true)"
  if [ -n "${DKDESK_PG_DIR:-}" ]; then
    trap 'bash scripts/pg-test-server.sh stop "$DKDESK_PG_DIR"' EXIT
  fi
fi
.venv/bin/python -m pytest "$@"
