#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server on a free local port, then removes it.
# The command finds it in TEST_POSTGRES_URL. The server listens on 127.0.0.1 only.
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
dir=$(mktemp -d /tmp/hub-pg.XXXXXX)
port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")

# initdb refuses to run as root, so as root the cluster belongs to the postgres user.
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$dir"

as_owner "$bin/initdb" -D "$dir/data" -U hub --auth=trust -E UTF8 --no-locale >/dev/null
# fsync off: a throwaway test server need not survive a power cut, and the suite runs faster. The
# benchmark (HUB_PG_DURABLE=1) keeps PostgreSQL's own settings: a commit measured is a commit on disk.
fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
[ "${HUB_PG_DURABLE:-}" = 1 ] && fast=""
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $fast -c max_connections=300" \
  start >/dev/null

cleanup() {
  as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

export TEST_POSTGRES_URL="postgres://hub@127.0.0.1:$port/postgres"
"$@"
