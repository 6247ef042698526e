import assert from 'node:assert/strict'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { sql } from 'kysely'
import { DIALECTS, freshDatabase } from '#tests/support/databases.ts'
import { withIndexesAfter } from '../../scripts/generate/bulk.ts'
import { generateData, prepareDatabase } from '../../scripts/generate-data.ts'
import type { Database } from '../../src/platform/database.ts'

const appRoot = path.resolve(import.meta.dirname, '../..')

/** Every index's definition, as the database's catalogue gives it. */
async function indexes(database: Database): Promise<string[]> {
  const { rows } =
    database.dialect === 'sqlite'
      ? await sql<{
          d: string
        }>`select sql as d from sqlite_master where type = 'index' and sql is not null`.execute(database.db)
      : await sql<{
          d: string
        }>`select indexdef as d from pg_indexes where schemaname = current_schema()`.execute(database.db)
  return rows.map((r) => r.d).sort()
}

for (const dialect of DIALECTS) {
  describe(`the data generator's referrals on ${dialect}`, () => {
    let database: Database
    before(async () => {
      const fresh = await freshDatabase(dialect)
      await fresh.close()
      database = await prepareDatabase({ ...process.env, DATABASE_URL: fresh.url })
    })
    after(() => database.close())

    test('referrals go in with their people, requests and history, as the app reads them', async () => {
      const made = await indexes(database)
      const duringLoad = () => indexes(database)
      // Empty tables load without their plain indexes...
      const emptyLoad = await withIndexesAfter(database.db, dialect, ['referrals'], duringLoad)
      assert.ok(emptyLoad.length < made.length)
      // Over one statement's worth of rows on each database, so full and short batches both go in.
      const g = await generateData(database, { referrals: 2600, services: 0, appRoot, seed: 3 })
      // Indexes dropped for the load are made again as the migrations made them.
      assert.deepEqual(await indexes(database), made)
      assert.ok(made.some((i) => i.includes('referral_search_words')))
      // ...tables with rows keep them, as a Hub may be serving the database.
      assert.deepEqual(await withIndexesAfter(database.db, dialect, ['referrals'], duringLoad), made)
      const count = async (table: 'referrals' | 'referral_needs' | 'people' | 'referral_events') =>
        Number(
          (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(database.db))
            .rows[0]?.n,
        )
      assert.equal(await count('referrals'), 2600)
      assert.equal(await count('referral_needs'), g.needs)
      assert.equal(await count('people'), g.people)
      assert.ok((await count('referral_events')) > 2600)
      const one = await database.db
        .selectFrom('referrals')
        .selectAll()
        .orderBy('reference')
        .limit(1)
        .executeTakeFirstOrThrow()
      assert.match(one.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      const resident = one.answers_json.resident as { name: string }
      assert.equal(resident.name, one.resident_name)
      assert.equal(typeof one.answers_json.onBehalf, 'boolean')
      const needs = await database.db
        .selectFrom('referral_needs')
        .select(['details_json', 'referral_id'])
        .where('referral_id', '=', one.id)
        .execute()
      assert.ok(needs.length >= 1 && needs.every((n) => typeof n.details_json === 'object'))
    })
  })
}
