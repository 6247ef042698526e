#!/usr/bin/env bash
# The whole suite: unit, both databases, and the browser journeys. `npm test` runs this.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/test-deps.sh
[ -d node_modules ] || npm ci
npm run --silent build:assets

files=$(find src tests -name '*.test.ts' | sort)
# Each file runs in its own process with its own databases; two at a time on a two-core machine.
# No test, and no file (Node times a file as one test), may take over 10 minutes: a hang fails the run
# instead of holding CI. The staff reflow file loads every staff page four times in a browser: over five
# minutes on a busy two-core machine.
exec bash scripts/with-postgres.sh node --import tsx --test --test-concurrency=2 --test-timeout=600000 --test-reporter=spec $files
