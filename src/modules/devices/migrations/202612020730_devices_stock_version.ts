import { sql } from 'kysely'
import type { HubMigration } from '#platform/migrate.ts'

/** The tables whose rows the stock page shows or counts: its devices, their loans, and the libraries' names. */
const COUNTED = ['devices', 'device_allocations', 'locations']

/**
 * A counter that every write to the device stock moves, by triggers in the same transaction as the write:
 * the stock page keeps its figures (ready per library, loans overdue, the totals of each filter), its pages
 * and the libraries it names for one value of it, in each process, and reads them again after any change,
 * however it was made (a form, a job, SQL by hand). Reading it is one primary-key lookup per page.
 */
export const migration: HubMigration = {
  async up(db, t) {
    await db.schema
      .createTable('device_stock_version')
      .addColumn('id', t.integer, (c) => c.primaryKey())
      .addColumn('version', t.bigint, (c) => c.notNull())
      .execute()
    await db.insertInto('device_stock_version').values({ id: 1, version: 1 }).execute()
    if (t.dialect === 'postgres') {
      await sql`create function bump_device_stock_version() returns trigger language plpgsql as $$
        begin update device_stock_version set version = version + 1 where id = 1; return null; end $$`.execute(
        db,
      )
      for (const table of COUNTED)
        await sql`create trigger ${sql.raw(`${table}_stock_version`)}
          after insert or update or delete or truncate on ${sql.table(table)}
          for each statement execute function bump_device_stock_version()`.execute(db)
      return
    }
    for (const table of COUNTED)
      for (const event of ['insert', 'update', 'delete'])
        await sql`create trigger ${sql.raw(`${table}_stock_version_${event}`)}
          after ${sql.raw(event)} on ${sql.table(table)}
          begin update device_stock_version set version = version + 1 where id = 1; end`.execute(db)
  },
}
