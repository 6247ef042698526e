import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, test } from 'node:test'
import { DIALECTS, freshDatabase } from '#tests/support/databases.ts'
import { type AuditContext, AuditLog, GENESIS_HASH } from './audit.ts'
import { type Database, openDatabase } from './database.ts'
import { newId } from './ids.ts'

const ALICE = newId()
const BOB = newId()
const staff = (userId: string): AuditContext => ({
  userId,
  actor: 'staff',
  ip: '192.0.2.10',
  requestId: newId(),
})

for (const dialect of DIALECTS) {
  describe(`audit chain on ${dialect}`, () => {
    let database: Database & { url: string }
    let audit: AuditLog

    const rows = () => database.db.selectFrom('audit_events').selectAll().orderBy('seq').execute()

    /** A new, empty chain for each test; the migration leaves the head at the genesis hash. */
    beforeEach(async () => {
      await database.db.deleteFrom('audit_events').execute()
      await database.db.updateTable('audit_head').set({ seq: 0, hash: GENESIS_HASH }).execute()
    })
    before(async () => {
      database = await freshDatabase(dialect)
      audit = new AuditLog(database)
    })
    after(() => database.close())

    async function recordFive() {
      for (let n = 1; n <= 5; n++)
        await audit.record(database.db, staff(n % 2 ? ALICE : BOB), {
          action: 'person.view',
          recordType: 'person',
          recordId: `p${n}`,
          fields: ['name', 'address'],
        })
    }

    test('each row carries the hash of the one before, and verify() accepts the whole chain', async () => {
      assert.deepEqual(await audit.verify(), { ok: true, count: 0 })
      await recordFive()
      const chain = await rows()
      assert.deepEqual(
        chain.map((r) => r.seq),
        [1, 2, 3, 4, 5],
      )
      assert.equal(chain[0]?.prev_hash, GENESIS_HASH)
      for (let i = 1; i < chain.length; i++) assert.equal(chain[i]?.prev_hash, chain[i - 1]?.hash)
      assert.equal(new Set(chain.map((r) => r.hash)).size, 5)
      assert.ok(chain.every((r) => /^[0-9a-f]{64}$/.test(r.hash)))
      assert.deepEqual(chain[0]?.fields_json, ['name', 'address'])
      assert.deepEqual(await audit.verify(), { ok: true, count: 5 })
    })

    test("changing a row's action breaks the chain at that row", async () => {
      await recordFive()
      await database.db
        .updateTable('audit_events')
        .set({ action: 'person.nothing-to-see' })
        .where('seq', '=', 3)
        .execute()
      assert.deepEqual(await audit.verify(), { ok: false, count: 2, brokenAt: 3 })
    })

    test("changing the first row's user is caught at row 1", async () => {
      await recordFive()
      await database.db.updateTable('audit_events').set({ actor_user_id: BOB }).where('seq', '=', 1).execute()
      assert.deepEqual(await audit.verify(), { ok: false, count: 0, brokenAt: 1 })
    })

    test('deleting a middle row breaks the chain where it was', async () => {
      await recordFive()
      await database.db.deleteFrom('audit_events').where('seq', '=', 4).execute()
      assert.deepEqual(await audit.verify(), { ok: false, count: 3, brokenAt: 4 })
    })

    test('deleting the last row shows as the head pointing past the end', async () => {
      await recordFive()
      await database.db.deleteFrom('audit_events').where('seq', '=', 5).execute()
      assert.deepEqual(await audit.verify(), { ok: false, count: 4, brokenAt: 5 })
    })

    test('a row written inside a transaction that rolls back leaves the chain whole', async () => {
      await recordFive()
      await assert.rejects(
        database.db.transaction().execute(async (tx) => {
          await audit.record(tx, staff(ALICE), { action: 'person.update', recordId: 'p9' })
          throw new Error('the change failed')
        }),
      )
      await audit.record(database.db, staff(ALICE), { action: 'person.update', recordId: 'p9' })
      assert.deepEqual(await audit.verify(), { ok: true, count: 6 })
    })

    test('50 writers at once still make one unbroken chain', async () => {
      // On PostgreSQL a second pool stands in for a second app process. SQLite has one writer per
      // file and the Hub runs one process on it, so there both halves share the one connection.
      const other = dialect === 'postgres' ? openDatabase(database.url) : database
      const otherAudit = new AuditLog(other)
      try {
        await Promise.all(
          Array.from({ length: 50 }, (_, n) =>
            (n % 2 ? audit : otherAudit).record(n % 2 ? database.db : other.db, staff(ALICE), {
              action: 'person.view',
              recordId: `p${n}`,
            }),
          ),
        )
      } finally {
        if (other !== database) await other.close()
      }
      const chain = await rows()
      assert.deepEqual(
        chain.map((r) => r.seq),
        Array.from({ length: 50 }, (_, i) => i + 1),
      )
      assert.equal(new Set(chain.map((r) => r.record_id)).size, 50)
      assert.deepEqual(await audit.verify(), { ok: true, count: 50 })
    })

    test('search by user, by record and by date range (both ends inclusive)', async () => {
      const at = [
        '2026-01-01T23:59:59.999Z',
        '2026-01-02T00:00:00.000Z',
        '2026-01-02T12:00:00.000Z',
        '2026-01-02T23:59:59.999Z',
        '2026-01-03T00:00:00.000Z',
      ]
      for (const [n, time] of at.entries()) {
        await audit.record(database.db, staff(n < 2 ? ALICE : BOB), {
          action: 'person.view',
          recordId: `r${n}`,
        })
        // Times set by hand to test the day boundaries; this breaks the chain, which search does not read.
        await database.db
          .updateTable('audit_events')
          .set({ at: time })
          .where('seq', '=', n + 1)
          .execute()
      }
      const page = { limit: 50, offset: 0 }
      const ids = async (filter: Parameters<AuditLog['search']>[0]) => {
        const { rows, total } = await audit.search(filter)
        assert.equal(total, rows.length)
        return rows.map((r) => r.record_id)
      }

      assert.deepEqual(await ids({ ...page, userId: ALICE }), ['r1', 'r0'])
      assert.deepEqual(await ids({ ...page, userId: BOB }), ['r4', 'r3', 'r2'])
      assert.deepEqual(await ids({ ...page, recordId: 'r3' }), ['r3'])
      assert.deepEqual(await ids({ ...page, from: '2026-01-02', to: '2026-01-02' }), ['r3', 'r2', 'r1'])
      assert.deepEqual(await ids({ ...page, from: '2026-01-02' }), ['r4', 'r3', 'r2', 'r1'])
      assert.deepEqual(await ids({ ...page, to: '2026-01-01' }), ['r0'])
      assert.deepEqual(await ids({ ...page, userId: ALICE, from: '2026-01-02', to: '2026-01-02' }), ['r1'])
      assert.deepEqual(await ids({ ...page, userId: newId() }), [])

      const paged = await audit.search({ limit: 2, offset: 2 })
      assert.equal(paged.total, 5)
      assert.deepEqual(
        paged.rows.map((r) => r.record_id),
        ['r2', 'r1'],
      )
    })
  })
}
