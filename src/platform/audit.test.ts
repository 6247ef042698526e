import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, beforeEach, describe, test } from 'node:test'
import { DIALECTS, freshDatabase } from '#tests/support/databases.ts'
import {
  type AuditContext,
  type AuditEventTable,
  AuditKeys,
  AuditLog,
  GENESIS_HASH,
  hashRow,
} from './audit.ts'
import { readLastAnchor, verifyAndAnchor } from './audit-anchor.ts'
import { type Database, openDatabase } from './database.ts'
import { newId } from './ids.ts'

const KEY = 'first-audit-key-of-at-least-32-characters'
const KEYS = new AuditKeys(KEY)
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
    /** The row count of an intact chain, whose head is its last row's hash. */
    const intact = async (log = audit) => {
      const verdict = await log.verify()
      assert.ok(verdict.ok, JSON.stringify(verdict))
      assert.equal(verdict.head, (await rows()).at(-1)?.hash ?? GENESIS_HASH)
      return verdict.count
    }

    /** What someone who can write to the database, but has no key, does: re-sign rows from `from` on. */
    async function rechain(from: number, sign: (row: AuditEventTable) => AuditEventTable) {
      let prev = (await rows()).find((r) => r.seq === from - 1)?.hash ?? GENESIS_HASH
      for (const row of (await rows()).filter((r) => r.seq >= from)) {
        const signed = sign({ ...row, prev_hash: prev })
        await database.db.updateTable('audit_events').set(signed).where('id', '=', row.id).execute()
        prev = signed.hash
      }
      const last = (await rows()).at(-1)
      await database.db
        .updateTable('audit_head')
        .set({ seq: last?.seq ?? 0, hash: prev })
        .execute()
    }

    /** A new, empty chain for each test; the migration leaves the head at the genesis hash. */
    beforeEach(async () => {
      await database.db.deleteFrom('audit_events').execute()
      await database.db.updateTable('audit_head').set({ seq: 0, hash: GENESIS_HASH }).execute()
    })
    before(async () => {
      database = await freshDatabase(dialect)
      audit = new AuditLog(database, KEYS)
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
      assert.deepEqual(await audit.verify(), { ok: true, count: 0, head: GENESIS_HASH })
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
      assert.deepEqual(await intact(), 5)
    })

    test('recordAll chains its entries in order after what the transaction wrote, and rolls back with it', async () => {
      const viewed = (recordId: string) => ({ action: 'person.view', recordType: 'person', recordId })
      await database.db.transaction().execute(async (tx) => {
        await audit.record(tx, staff(ALICE), viewed('p1'))
        await audit.recordAll(tx, staff(ALICE), [viewed('p2'), viewed('p3'), viewed('p4')])
        await audit.record(tx, staff(ALICE), viewed('p5'))
      })
      await audit.recordAll(database.db, staff(BOB), [])
      const chain = await rows()
      assert.deepEqual(
        chain.map((r) => [r.seq, r.record_id]),
        [1, 2, 3, 4, 5].map((n) => [n, `p${n}`]),
      )
      assert.equal(await intact(), 5)
      await assert.rejects(
        database.db.transaction().execute(async (tx) => {
          await audit.recordAll(tx, staff(BOB), [viewed('p6'), viewed('p7')])
          throw new Error('the change failed')
        }),
      )
      await audit.recordAll(database.db, staff(BOB), [viewed('p6')])
      assert.equal(await intact(), 6)
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

    test('a tail re-chained without the key, as plain SHA-256 or with a guessed key, is caught where it starts', async () => {
      await recordFive()
      await database.db.updateTable('audit_events').set({ action: 'forged' }).where('seq', '=', 3).execute()
      await rechain(3, (r) => ({ ...r, key_id: null, hash: hashRow(r, null) }))
      assert.deepEqual(await audit.verify(), { ok: false, count: 2, brokenAt: 3 })
      await rechain(3, (r) => ({ ...r, key_id: r.key_id ?? KEYS.current.id, hash: hashRow(r, 'guess') }))
      assert.deepEqual(await audit.verify(), { ok: false, count: 2, brokenAt: 3 })
    })

    test('a tail cut off with the head moved back is caught against the last anchor outside the database', async () => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'anchor-')), 'audit-anchors.log')
      const log = { info() {}, error() {} }
      await recordFive()
      const first = await verifyAndAnchor(audit, file, log)
      assert.ok(first.verdict.ok)
      assert.deepEqual(
        [readLastAnchor(file)?.count, readLastAnchor(file)?.head],
        [5, (await rows()).at(-1)?.hash],
      )
      await audit.record(database.db, staff(ALICE), { action: 'person.view', recordId: 'p6' })
      assert.ok((await verifyAndAnchor(audit, file, log)).verdict.ok, 'a longer chain still holds')
      assert.equal(readLastAnchor(file)?.count, 6)

      const kept = (await rows()).find((r) => r.seq === 4)
      await database.db.deleteFrom('audit_events').where('seq', '>', 4).execute()
      await database.db
        .updateTable('audit_head')
        .set({ seq: 4, hash: kept?.hash ?? '' })
        .execute()
      assert.ok((await audit.verify()).ok, 'without the anchor the shorter chain agrees with itself')
      const { verdict } = await verifyAndAnchor(audit, file, log)
      assert.deepEqual(verdict, { ok: false, count: 4, brokenAt: 5 })
      assert.equal(readLastAnchor(file)?.count, 6, 'a broken chain writes no anchor')
    })

    test('rotating the key: old rows verify with the previous key kept, and not without it', async () => {
      await recordFive()
      const next = 'second-audit-key-of-at-least-32-characters'
      const rotated = new AuditLog(database, new AuditKeys(next, [KEY]))
      await rotated.record(database.db, staff(BOB), { action: 'person.view', recordId: 'p6' })
      const chain = await rows()
      assert.equal(new Set(chain.map((r) => r.key_id)).size, 2, 'each row names the key that signed it')
      assert.equal(await intact(rotated), 6)
      assert.deepEqual(await new AuditLog(database, new AuditKeys(next)).verify(), {
        ok: false,
        count: 0,
        brokenAt: 1,
      })
      assert.deepEqual(
        await audit.verify(),
        { ok: false, count: 5, brokenAt: 6 },
        'the old key alone stops at the new rows',
      )
    })

    test('rows from before keys verify as plain SHA-256, but only ahead of the first keyed row', async () => {
      await recordFive()
      await rechain(1, (r) => ({ ...r, key_id: null, hash: hashRow(r, null) }))
      assert.equal(await intact(), 5)
      await audit.record(database.db, staff(ALICE), { action: 'person.view', recordId: 'p6' })
      assert.equal(await intact(), 6)
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
      assert.deepEqual(await intact(), 6)
    })

    test('50 writers at once still make one unbroken chain', async () => {
      // On PostgreSQL a second pool stands in for a second app process. SQLite has one writer per
      // file and the Hub runs one process on it, so there both halves share the one connection.
      const other = dialect === 'postgres' ? openDatabase(database.url) : database
      const otherAudit = new AuditLog(other, KEYS)
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
      assert.deepEqual(await intact(), 50)
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
      const page = { limit: 50, offset: 0, countUpTo: 50 }
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

      const paged = await audit.search({ limit: 2, offset: 2, countUpTo: 50 })
      assert.equal(paged.total, 5)
      assert.equal(paged.more, false)
      assert.deepEqual(
        paged.rows.map((r) => r.record_id),
        ['r2', 'r1'],
      )
    })

    test('search counts up to countUpTo, says when there are more, and pages on past the count', async () => {
      for (let n = 1; n <= 7; n++)
        await audit.record(database.db, staff(n === 4 ? BOB : ALICE), {
          action: 'person.view',
          recordId: `p${n}`,
        })
      const search = (filter: Omit<Parameters<AuditLog['search']>[0], 'limit'>) =>
        audit.search({ limit: 2, ...filter })
      const page = async (filter: Parameters<typeof search>[0]) => {
        const { rows, total, more } = await search(filter)
        return { ids: rows.map((r) => r.record_id), total, more }
      }
      assert.deepEqual(await page({ userId: ALICE, offset: 0, countUpTo: 6 }), {
        ids: ['p7', 'p6'],
        total: 6,
        more: false,
      })
      assert.deepEqual(await page({ userId: ALICE, offset: 0, countUpTo: 5 }), {
        ids: ['p7', 'p6'],
        total: 5,
        more: true,
      })
      assert.deepEqual(await page({ offset: 6, countUpTo: 3 }), { ids: ['p1'], total: 3, more: true })
      assert.deepEqual(await page({ recordId: 'p4', offset: 0, countUpTo: 1 }), {
        ids: ['p4'],
        total: 1,
        more: false,
      })
    })
  })
}
