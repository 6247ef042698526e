import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { test } from 'node:test'
import { AuditKeys, AuditLog } from '#platform/audit.ts'
import { loadConfig } from '#platform/config.ts'
import { openDatabase } from '#platform/database.ts'
import { freshDatabase } from '#tests/support/databases.ts'
import { APP_ROOT } from '#tests/support/hub.ts'

/** A process ready to make `count` audited writes; `go()` starts them and answers what it printed. */
async function writer(file: string, count: number) {
  const args = ['--import', 'tsx', 'tests/support/audited-writes.ts', file, String(count)]
  const child = spawn(process.execPath, args, { cwd: APP_ROOT, stdio: ['pipe', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.on('data', (d) => {
    out += d
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  while (!out.includes('ready\n') && child.exitCode === null) await new Promise((r) => setTimeout(r, 20))
  return {
    async go(): Promise<{ written: number; errors: string[] }> {
      child.stdin.end('go\n')
      assert.equal(await exited, 0)
      return JSON.parse(out.slice(out.indexOf('ready\n') + 6))
    },
  }
}

test('two processes writing audited changes to one SQLite file at once queue rather than fail', async () => {
  const database = await freshDatabase('sqlite')
  await database.close()
  const writers = await Promise.all([writer(database.url, 300), writer(database.url, 300)])
  const results = await Promise.all(writers.map((w) => w.go()))
  assert.deepEqual(results, [
    { written: 300, errors: [] },
    { written: 300, errors: [] },
  ])
  const check = openDatabase(database.url)
  try {
    const chain = await new AuditLog(check, new AuditKeys(loadConfig({}).auditKey)).verify()
    assert.equal(chain.ok, true)
    assert.equal(chain.count, 600)
    const actors = await check.db.selectFrom('audit_events').select('actor').distinct().execute()
    assert.equal(actors.length, 2, 'both processes wrote')
  } finally {
    await check.close()
  }
})
