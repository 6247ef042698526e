import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { sql } from 'kysely'
import { composeHub } from '#platform/compose.ts'
import type { Database } from '#platform/database.ts'
import { DIALECTS, freshDatabase } from '#tests/support/databases.ts'
import { MODULES } from '../index.ts'

/** Every table a manifest says the directory shows has the triggers that move the directory's version. */
for (const kind of DIALECTS) {
  describe(`directory-facing tables, on ${kind}`, () => {
    let database: Database
    after(() => database?.close())

    test('each has its trigger, and live capacity has none', async () => {
      database = await freshDatabase(kind)
      const triggers = async (table: string): Promise<string[]> => {
        const rows =
          kind === 'postgres'
            ? await sql<{ name: string }>`select tgname as name from pg_trigger
                where tgrelid = ${table}::regclass and not tgisinternal`.execute(database.db)
            : await sql<{ name: string }>`select name from sqlite_master
                where type = 'trigger' and tbl_name = ${table}`.execute(database.db)
        return rows.rows.map((r) => r.name)
      }
      const tables = composeHub(MODULES).directoryTables
      assert.ok(tables.includes('services'))
      for (const table of tables) {
        assert.ok(
          (await triggers(table)).some((n) => n.startsWith(`${table}_directory_version`)),
          table,
        )
      }
      assert.ok(!(await triggers('service_capacities')).some((n) => n.includes('directory_version')))
    })
  })
}
