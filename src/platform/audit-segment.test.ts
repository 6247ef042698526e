import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, test } from 'node:test'
import { DIALECTS, freshDatabase } from '#tests/support/databases.ts'
import { type AuditEventTable, AuditKeys, AuditLog, GENESIS_HASH, hashRow } from './audit.ts'
import type { Database } from './database.ts'
import { newId } from './ids.ts'

const KEYS = new AuditKeys('segment-audit-key-of-at-least-32-characters')
const ROWS = 7
// Seven rows on three threads: segments 1-3, 4-6 and 7 on, so a break lands on every kind of place.
const THREADS = { threads: 3, rowsAThread: 1 }

for (const dialect of DIALECTS) {
  describe(`the audit chain checked in segments on threads, on ${dialect}`, () => {
    let database: Database
    let audit: AuditLog
    const rows = () => database.db.selectFrom('audit_events').selectAll().orderBy('seq').execute()
    /** Both ways of checking must agree, row for row. */
    async function bothWays() {
      const alone = await audit.verify()
      assert.deepEqual(await audit.verify(undefined, THREADS), alone)
      return alone
    }

    before(async () => {
      database = await freshDatabase(dialect)
      audit = new AuditLog(database, KEYS)
    })
    after(() => database.close())
    beforeEach(async () => {
      await database.db.deleteFrom('audit_events').execute()
      await database.db.updateTable('audit_head').set({ seq: 0, hash: GENESIS_HASH }).execute()
      for (let n = 1; n <= ROWS; n++)
        await audit.record(
          database.db,
          { userId: newId(), actor: 'staff', ip: '192.0.2.1', requestId: null },
          { action: 'person.view', recordType: 'person', recordId: `p${n}`, fields: ['name'] },
        )
    })

    test('an intact chain holds, with the same count and head as one walk', async () => {
      assert.deepEqual(await bothWays(), { ok: true, count: ROWS, head: (await rows()).at(-1)?.hash })
    })

    test('a changed row is found at that row, first, last or alone in its segment', async () => {
      for (const seq of [1, 3, 4, 7]) {
        const changed = database.db.updateTable('audit_events').where('seq', '=', seq)
        await changed.set({ fields_json: ['name', 'address'] }).execute()
        assert.deepEqual(await bothWays(), { ok: false, count: seq - 1, brokenAt: seq }, `row ${seq}`)
        await changed.set({ fields_json: ['name'] }).execute()
      }
    })

    test('a row missing at the end or the start of a segment breaks the chain there', async () => {
      await database.db.deleteFrom('audit_events').where('seq', '=', 3).execute()
      assert.deepEqual(await bothWays(), { ok: false, count: 2, brokenAt: 3 })
      await database.db.deleteFrom('audit_events').where('seq', '>=', 2).execute()
      assert.deepEqual(await bothWays(), { ok: false, count: 1, brokenAt: 2 })
    })

    test('keyless rows after keyed ones in an earlier segment are forgeries', async () => {
      const chain = await rows()
      let prev = chain[3]?.prev_hash as string
      for (const row of chain.slice(3)) {
        const forged: AuditEventTable = { ...row, prev_hash: prev, key_id: null, hash: '' }
        forged.hash = hashRow(forged, null)
        await database.db.updateTable('audit_events').set(forged).where('id', '=', row.id).execute()
        prev = forged.hash
      }
      await database.db.updateTable('audit_head').set({ seq: ROWS, hash: prev }).execute()
      assert.deepEqual(await bothWays(), { ok: false, count: 3, brokenAt: 4 })
    })

    test('the anchor is checked against its row in whichever segment holds it', async () => {
      const fifth = (await rows())[4]?.hash as string
      const anchor = { count: 5, head: fifth, at: new Date().toISOString() }
      assert.deepEqual(await audit.verify(anchor, THREADS), {
        ok: true,
        count: ROWS,
        head: (await rows()).at(-1)?.hash,
      })
      const moved = { ...anchor, head: GENESIS_HASH }
      assert.deepEqual(await audit.verify(moved, THREADS), { ok: false, count: ROWS, brokenAt: 5 })
    })
  })
}
