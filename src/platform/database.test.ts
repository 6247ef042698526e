import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { DIALECTS, freshDatabase } from '#tests/support/databases.ts'
import type { Database } from './database.ts'
import { newId } from './ids.ts'
import { columnTypes } from './migrate.ts'

for (const dialect of DIALECTS) {
  describe(`database values on ${dialect}`, () => {
    let database: Database
    // biome-ignore lint/suspicious/noExplicitAny: a scratch table outside the Hub's schema
    let db: any

    before(async () => {
      database = await freshDatabase(dialect)
      db = database.db
      const t = columnTypes(database.dialect)
      await t
        .table(db, 'value_check')
        .addColumn('is_on', t.bool('is_on'))
        .addColumn('at', t.timestamp)
        .addColumn('day', t.date)
        .addColumn('data_json', t.json('data_json'))
        .addColumn('ref', t.id)
        .addColumn('n', t.bigint)
        .addColumn('x', t.real)
        .execute()
    })
    after(() => database.close())

    test('booleans, timestamps, dates, JSON, UUIDs and numbers read back as written', async () => {
      const row = {
        id: newId(),
        is_on: true,
        at: '2026-11-29T10:15:30.123Z',
        day: '2026-02-28',
        data_json: { list: [1, 'two', { three: null }], text: 'مرحبا 👋' },
        ref: newId(),
        n: 9_007_199_254_740,
        x: 51.5074,
      }
      await db.insertInto('value_check').values(row).execute()
      await db
        .insertInto('value_check')
        .values({ ...row, id: newId(), is_on: false, data_json: [] })
        .execute()
      const [first, second] = await db
        .selectFrom('value_check')
        .selectAll()
        .orderBy('is_on', 'desc')
        .execute()
      assert.deepEqual(first, row)
      assert.equal(second.is_on, false)
      assert.deepEqual(second.data_json, [])
    })

    test('booleans and dates filter the same on both', async () => {
      const on = await db.selectFrom('value_check').select('id').where('is_on', '=', true).execute()
      assert.equal(on.length, 1)
      const byDate = await db
        .selectFrom('value_check')
        .select('id')
        .where('day', '>=', '2026-02-01')
        .execute()
      assert.equal(byDate.length, 2)
      const byTime = await db
        .selectFrom('value_check')
        .select('id')
        .where('at', '<', '2026-11-29T10:15:31.000Z')
        .execute()
      assert.equal(byTime.length, 2)
    })

    test('counts are numbers, not strings', async () => {
      const { n } = await db
        .selectFrom('value_check')
        .select((eb: { fn: { countAll: () => { as: (a: string) => unknown } } }) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
      assert.equal(n, 2)
      const raw = await sql<{ c: number }>`select count(*) as c from value_check`.execute(db)
      assert.equal(raw.rows[0]?.c, 2)
    })

    test('the migration helper refuses badly named boolean and JSON columns', () => {
      const t = columnTypes(database.dialect)
      assert.throws(() => t.bool('active'), /is_\*/)
      assert.throws(() => t.json('data'), /_json/)
    })

    test('ping answers true while the database is up', async () => {
      assert.equal(await database.ping(), true)
    })
  })
}
