#!/usr/bin/env bash
# Start a throwaway PostgreSQL (Debian's, from scripts/setup-system.sh) for the test suite.
# Usage: eval "$(bash scripts/pg-test-server.sh start)"  -> exports DKDESK_TEST_PG_URL, DKDESK_PG_DIR
#        bash scripts/pg-test-server.sh stop DIR
# Listens only on a unix socket in a temporary folder (no TCP port). As root, runs as `postgres`.
set -euo pipefail
cmd="${1:-start}"
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "$cmd" = stop ]; then
  dir="${2:?folder}"
  [ -n "$bindir" ] && as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  exit 0
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "echo 'PostgreSQL không có: bỏ qua các kiểm thử PostgreSQL' >&2"
  exit 0
fi
dir=$(mktemp -d /tmp/dkdesk-pg.XXXXXX)
chmod 755 "$dir"
[ "$(id -u)" = 0 ] && chown postgres "$dir"
port=54329
as_pg "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || as_pg "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 >"$dir/initdb.log" 2>&1
as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-c listen_addresses='' -k $dir -p $port -c fsync=off -c full_page_writes=off" start >/dev/null
as_pg "$bindir/createdb" -h "$dir" -p "$port" -U postgres dkdesk_test
echo "export DKDESK_PG_DIR='$dir'"
echo "export DKDESK_TEST_PG_URL='postgresql+psycopg://postgres@/dkdesk_test?host=$dir&port=$port'"
