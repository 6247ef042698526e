import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { APP_ROOT } from '#tests/support/hub.ts'

/** `npm run hub -- mail-reports ...` as a person runs it, on a SQLite database of its own. */
function hub(databaseUrl: string, args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: APP_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', NODE_ENV: 'development' },
    encoding: 'utf8',
    timeout: 60_000,
  })
  return { code: result.status, out: result.stdout, err: result.stderr }
}

test('hub mail-reports reads an mbox of reports, and a second reading counts none twice', () => {
  const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hub-mail-reports-')), 'hub.sqlite')
  const mbox = path.join(import.meta.dirname, 'fixtures', 'dsn-soft-and-delayed.mbox')
  const first = hub(db, ['mail-reports', mbox])
  assert.equal(first.code, 0, first.err)
  assert.match(
    first.out,
    /3 messages, 2 reports; 2 applied \(2 about addresses the Hub never sent a bulletin to\), 0 seen before/,
  )
  const second = hub(db, ['mail-reports', mbox])
  assert.match(second.out, /2 reports; 0 applied .*, 2 seen before/)
  const missing = hub(db, ['mail-reports'])
  assert.equal(missing.code, 1)
  assert.match(missing.err, /mail-reports needs the file/)
})
