import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { DIALECTS, freshDatabase } from '#tests/support/databases.ts'
import { generateAudit } from '../../scripts/generate/audit.ts'
import { randomFrom } from '../../scripts/generate/random.ts'
import { AuditKeys, AuditLog } from '../../src/platform/audit.ts'
import type { Database } from '../../src/platform/database.ts'

const KEY = 'generator-audit-key-of-at-least-32-characters'

for (const dialect of DIALECTS) {
  describe(`the data generator's audit trail on ${dialect}`, () => {
    let database: Database
    before(async () => {
      database = await freshDatabase(dialect)
    })
    after(() => database.close())

    test('rows in several statements and transactions form one chain that verify-audit accepts', async () => {
      const audit = new AuditLog(database, new AuditKeys(KEY))
      await audit.record(
        database.db,
        { userId: null, actor: 'cli', ip: null, requestId: null },
        { action: 'before' },
      )
      // 2,000 rows a statement: two full statements and a short one, after a row already there.
      assert.equal(await generateAudit(database.db, dialect, 4500, KEY, randomFrom(7)), 4500)
      assert.deepEqual(await audit.verify().then((v) => v.ok && v.count), 4501)
      const row = await database.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'referral.searched')
        .executeTakeFirstOrThrow()
      assert.deepEqual(row.fields_json, ['search'])
      assert.match(row.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      // The head moved with the rows: the Hub's next row joins the generated chain.
      await audit.record(
        database.db,
        { userId: null, actor: 'cli', ip: null, requestId: null },
        { action: 'after' },
      )
      assert.deepEqual(await audit.verify().then((v) => v.ok && v.count), 4502)
    })
  })
}
