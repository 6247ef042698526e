import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, test } from 'node:test'
import zlib from 'node:zlib'
import pg from 'pg'
import { MODULES } from '#modules/index.ts'
import { searchKeysOf, searchWordsOf } from '#modules/referrals/search-words.ts'
import { AuditKeys, AuditLog } from '#platform/audit.ts'
import { composeHub } from '#platform/compose.ts'
import { type Database, openDatabase } from '#platform/database.ts'
import { migrateToLatest } from '#platform/migrate.ts'
import { APP_ROOT, testConfig } from '#tests/support/hub.ts'

/**
 * Databases made by the Hub before the module manifests (main of 1 December 2026: migrations, reference
 * data and `seed-demo`), kept in tests/fixtures/upgrade. Each upgrades to today's schema: the migrations
 * that moved keep their names, those that were split add their parts, and no row is lost.
 */
const FIXTURES = path.join(APP_ROOT, 'tests/fixtures/upgrade')
const RAN_BEFORE = [
  '0001_platform',
  '0002_accounts',
  '0003_directory',
  '0004_directory_services',
  '0010_people',
  '0011_referrals',
  '0012_referral_queue_indexes',
  '0013_user_organisation',
  '0014_referral_queue_needs',
  '0015_partial_indexes',
  '0020_directory_version',
]

async function sqliteFixture(): Promise<Database> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hub-upgrade-')), 'hub.sqlite')
  fs.writeFileSync(file, zlib.gunzipSync(fs.readFileSync(path.join(FIXTURES, 'main-2026-12-01.sqlite.gz'))))
  return openDatabase(file)
}

async function postgresFixture(): Promise<Database> {
  const admin = process.env.TEST_POSTGRES_URL
  if (!admin) throw new Error('TEST_POSTGRES_URL is not set: run the tests with `npm test`')
  const name = `hub_upgrade_${process.pid}`
  const client = new pg.Client({ connectionString: admin })
  await client.connect()
  await client.query(`create database ${name}`)
  await client.end()
  const url = new URL(admin)
  url.pathname = `/${name}`
  // A plain pg_dump with INSERTs: one script of SQL statements.
  const restore = new pg.Client({ connectionString: url.toString() })
  await restore.connect()
  await restore.query(
    zlib.gunzipSync(fs.readFileSync(path.join(FIXTURES, 'main-2026-12-01.postgres.sql.gz'))).toString('utf8'),
  )
  await restore.end()
  return openDatabase(url.toString())
}

for (const [kind, open] of [
  ['sqlite', sqliteFixture],
  ['postgres', postgresFixture],
] as const) {
  describe(`a database made before the module manifests, on ${kind}`, () => {
    let database: Database
    after(() => database?.close())

    test('migrates cleanly, keeps every row, and its audit chain still verifies', async () => {
      database = await open()
      const { db } = database
      const ran = (await db
        .selectFrom('schema_migrations' as never)
        .select('name' as never)
        .execute()) as {
        name: string
      }[]
      assert.deepEqual(ran.map((r) => r.name).sort(), RAN_BEFORE)
      const count = async (table: 'referrals' | 'people' | 'services' | 'audit_events' | 'users') =>
        Number(
          (
            await db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        )
      const before = {
        referrals: await count('referrals'),
        people: await count('people'),
        services: await count('services'),
        audit: await count('audit_events'),
      }
      assert.ok(before.referrals > 0 && before.people > 0 && before.services > 0)

      const composition = composeHub(MODULES)
      const applied = await migrateToLatest(database, composition.migrations)
      const expected = Object.keys(composition.migrations).filter((n) => !RAN_BEFORE.includes(n))
      assert.deepEqual(applied.sort(), expected.sort())
      assert.deepEqual(
        await migrateToLatest(database, composition.migrations),
        [],
        'a second run does nothing',
      )

      assert.deepEqual(
        {
          referrals: await count('referrals'),
          people: await count('people'),
          services: await count('services'),
          audit: await count('audit_events'),
        },
        before,
      )
      // Every referral made before is found by the words of its name and postcode, and each two of them,
      // each carrying the referral's borough and date.
      const referrals = await db
        .selectFrom('referrals')
        .select(['id', 'resident_name', 'postcode', 'borough_id', 'created_at'])
        .execute()
      const words = await db
        .selectFrom('referral_search_words')
        .select(['referral_id', 'word', 'borough_id', 'created_at'])
        .execute()
      const keysOf = (r: (typeof referrals)[number]) =>
        searchKeysOf(searchWordsOf(r.resident_name, r.postcode))
      for (const r of referrals) {
        const own = words.filter((w) => w.referral_id === r.id)
        assert.deepEqual(own.map((w) => w.word).sort(), keysOf(r).sort(), r.id)
        for (const w of own)
          assert.deepEqual([w.borough_id, w.created_at], [r.borough_id, r.created_at], r.id)
      }
      assert.equal(words.length, referrals.flatMap(keysOf).length)
      // Rows written before the chain was keyed keep their plain hashes; they verify with any key.
      const keys = new AuditKeys(testConfig().auditKey, [])
      assert.equal((await new AuditLog(database, keys).verify()).ok, true)
    })
  })
}
