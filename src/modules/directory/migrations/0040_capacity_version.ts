import { sql } from 'kysely'
import type { HubMigration } from '#platform/migrate.ts'

/**
 * Live capacity (places left at a session, devices free to lend) changes at every booking and loan, far
 * more often than the directory. Counted with the directory (0020), each report made every process
 * rebuild its whole snapshot and threw away every page kept rendered. Capacity now moves a counter of
 * its own, bumped by triggers in the same transaction as the change, and processes reload only capacity.
 * The counter is one row, locked until the reporting transaction commits: reports queue, so a module keeps
 * the transaction that reports short.
 */
export const migration: HubMigration = {
  async up(db, t) {
    await db.schema
      .createTable('capacity_version')
      .addColumn('id', t.integer, (c) => c.primaryKey())
      .addColumn('version', t.bigint, (c) => c.notNull())
      .execute()
    await db.insertInto('capacity_version').values({ id: 1, version: 1 }).execute()
    if (t.dialect === 'postgres') {
      await sql`drop trigger service_capacities_directory_version on service_capacities`.execute(db)
      await sql`create function bump_capacity_version() returns trigger language plpgsql as $$
        begin update capacity_version set version = version + 1 where id = 1; return null; end $$`.execute(db)
      await sql`create trigger service_capacities_capacity_version
        after insert or update or delete or truncate on service_capacities
        for each statement execute function bump_capacity_version()`.execute(db)
      return
    }
    for (const event of ['insert', 'update', 'delete']) {
      await sql`drop trigger ${sql.raw(`service_capacities_directory_version_${event}`)}`.execute(db)
      await sql`create trigger ${sql.raw(`service_capacities_capacity_version_${event}`)}
        after ${sql.raw(event)} on service_capacities
        begin update capacity_version set version = version + 1 where id = 1; end`.execute(db)
    }
  },
}
