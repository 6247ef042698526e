import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { DIALECTS, freshDatabase } from '#tests/support/databases.ts'
import { loadBoroughs } from './boroughs.ts'
import { compiledInsert, compiledOnce } from './compiled.ts'
import type { Database } from './database.ts'
import { newId } from './ids.ts'
import type { OutboxTable } from './outbox.ts'

const codesNamed = compiledOnce((db, name: string, codes: readonly string[] | null) => {
  let q = db.selectFrom('boroughs').select('code').where('name', '!=', name)
  if (codes) q = q.where('code', 'in', codes)
  return q.orderBy('code')
})

const insertMessages = compiledInsert('outbox', (qb) => qb.onConflict((oc) => oc.column('id').doNothing()))
const attemptsAbove = compiledOnce((db, attempts: number) =>
  db.selectFrom('outbox').select('id').where('attempts', '>', attempts).orderBy('id'),
)

function message(n: number, fields: Partial<OutboxTable> = {}): OutboxTable {
  return {
    id: newId(),
    channel: 'email',
    template: 'test',
    recipient: `person${n}@example.com`,
    personalisation_json: { name: `Person ${n}`, 'quote"s': "it's" },
    status: 'pending',
    attempts: n,
    next_attempt_at: '2026-12-02T10:00:00.000Z',
    claimed_until: null,
    last_error: null,
    created_at: '2026-12-02T10:00:00.000Z',
    sent_at: null,
    borough_id: null,
    purged_at: null,
    ...fields,
  }
}

for (const dialect of DIALECTS) {
  describe(`queries compiled once on ${dialect}`, () => {
    let database: Database

    before(async () => {
      database = await freshDatabase(dialect)
      await loadBoroughs(database.db)
    })
    after(() => database.close())

    const codes = async (...params: Parameters<typeof codesNamed>) =>
      (await codesNamed(...params)).map((r) => r.code)

    test('each call runs with its own parameters, whatever the shape of the lists and nulls', async () => {
      const { db } = database
      assert.deepEqual(await codes(db, 'nowhere', null), ['rbkc', 'wcc'])
      assert.deepEqual(await codes(db, 'Westminster City Council', null), ['rbkc'])
      assert.deepEqual(await codes(db, 'nowhere', ['wcc']), ['wcc'])
      assert.deepEqual(await codes(db, 'nowhere', ['rbkc']), ['rbkc'])
      assert.deepEqual(await codes(db, 'nowhere', ['rbkc', 'wcc']), ['rbkc', 'wcc'])
    })

    test('runs inside a transaction too', async () => {
      const found = await database.db.transaction().execute((tx) => codes(tx, 'nowhere', ['wcc']))
      assert.deepEqual(found, ['wcc'])
    })

    test('an insert compiled once writes the rows the builder writes, whatever the number of rows', async () => {
      const { db } = database
      const built = [message(1, { last_error: 'x' })]
      await db.insertInto('outbox').values(built).execute()
      const compiled = [message(2, { last_error: 'x' }), message(3), message(4, { borough_id: null })]
      assert.equal(await insertMessages(db, compiled.slice(0, 1)), 1)
      assert.equal(await insertMessages(db, compiled.slice(1)), 2)
      // Read back, each row is the row given: the builder's and the compiled insert's alike.
      const given = [...built, ...compiled]
      const ids = given.map((m) => m.id)
      const rows = await db.selectFrom('outbox').selectAll().where('id', 'in', ids).execute()
      assert.equal(rows.length, given.length)
      for (const row of rows)
        assert.deepEqual(
          row,
          given.find((m) => m.id === row.id),
        )
      const above = await attemptsAbove(db, 2)
      assert.deepEqual(above.map((r) => r.id).sort(), ids.slice(2).sort())
    })

    test('an insert compiled once answers how many rows it inserted, and refuses rows of different columns', async () => {
      const { db } = database
      const row = message(5)
      assert.equal(await insertMessages(db, [row]), 1)
      assert.equal(await insertMessages(db, [row]), 0)
      assert.equal(await insertMessages(db, []), 0)
      const { purged_at: _, ...fewer } = message(6)
      await assert.rejects(insertMessages(db, [message(7), fewer]), /same columns/)
    })

    test('a parameter the query does not use is refused', async () => {
      const unused = compiledOnce((db, _code: string) => db.selectFrom('boroughs').select('code'))
      await assert.rejects(unused(database.db, 'rbkc'), /did not reach/)
    })
  })
}
