#!/usr/bin/env bash
# Makes sure what the tests need is on this machine: Debian's Chromium and a PostgreSQL server.
# As root on Debian it installs them with apt; anywhere else it says what to install and stops.
set -euo pipefail

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -n "$(pg_bin)" ] || missing+=(postgresql)
# Noto fonts so that pages in Arabic, Farsi and Bengali render (and are checked) properly.
[ -d /usr/share/fonts/truetype/noto ] || missing+=(fonts-noto-core)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing ${missing[*]} with apt-get..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "The tests need: ${missing[*]}." >&2
    echo "On Debian or Ubuntu: sudo apt-get install ${missing[*]}" >&2
    echo "Chromium must be at /usr/bin/chromium; PostgreSQL's initdb under /usr/lib/postgresql/*/bin." >&2
    exit 1
  fi
fi
