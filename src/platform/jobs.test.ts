import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { DIALECTS, freshDatabase } from '#tests/support/databases.ts'
import type { Database } from './database.ts'
import { JobRunner } from './jobs.ts'

const quiet = { error() {}, warn() {} }

for (const dialect of DIALECTS) {
  describe(`periodic jobs on ${dialect}`, () => {
    let database: Database
    before(async () => {
      database = await freshDatabase(dialect)
    })
    after(() => database.close())

    test('a job runs once per period, however many workers look', async () => {
      let runs = 0
      const job = { name: `count-${dialect}`, everyMinutes: 60, run: async () => void runs++ }
      const workers = [1, 2, 3].map(() => new JobRunner(database, [job], quiet))
      const now = new Date('2026-11-29T09:00:00Z')
      await Promise.all(workers.map((w) => w.runDue(now)))
      assert.equal(runs, 1)
      await Promise.all(workers.map((w) => w.runDue(new Date('2026-11-29T09:59:00Z'))))
      assert.equal(runs, 1, 'not yet due')
      await Promise.all(workers.map((w) => w.runDue(new Date('2026-11-29T10:00:00Z'))))
      assert.equal(runs, 2)
    })

    test('a failing job is logged and does not stop the others', async () => {
      const errors: string[] = []
      const log = { error: (_o: object, msg: string) => void errors.push(msg), warn() {} }
      const runner = new JobRunner(
        database,
        [
          { name: `fails-${dialect}`, everyMinutes: 1, run: async () => Promise.reject(new Error('boom')) },
          { name: `works-${dialect}`, everyMinutes: 1, run: async () => {} },
        ],
        log,
      )
      assert.deepEqual(await runner.runDue(), [`works-${dialect}`])
      assert.equal(errors.length, 1)
    })

    test('with the database gone the loop logs, waits longer each time, and keeps the process up', async () => {
      const gone = await freshDatabase(dialect)
      await gone.close()
      const failures: number[] = []
      const log = {
        error() {},
        warn: (o: object) => void failures.push((o as { failures: number }).failures),
      }
      const job = { name: `gone-${dialect}`, everyMinutes: 1, run: async () => {} }
      const runner = new JobRunner(gone, [job], log, 10)
      runner.start()
      // Waits of 10, 20, 40 and 80 ms: four failures within a quarter of a second, not a fifth.
      await new Promise((r) => setTimeout(r, 250))
      await runner.stop()
      assert.ok(failures.length >= 3 && failures.length <= 4, `failures logged: ${failures}`)
      assert.deepEqual(failures.slice(0, 3), [1, 2, 3])
    })
  })
}
