#!/usr/bin/env bash
# The whole suite: unit, both databases, and the browser journeys. `npm test` runs this.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/test-deps.sh
[ -d node_modules ] || npm ci
npm run --silent build:assets

files=$(find src tests -name '*.test.ts' | sort)
# Each file runs in its own process with its own databases; two at a time on a two-core machine.
exec bash scripts/with-postgres.sh node --import tsx --test --test-concurrency=2 --test-reporter=spec $files
