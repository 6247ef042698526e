import { sql } from 'kysely'
import type { HubMigration } from '#platform/migrate.ts'

/** The tables the figures are read from: a write to either changes them. */
const FIGURES_TABLES = ['home_library_monthly_counts', 'home_library_member_changes']

/**
 * A counter of the figures' data, moved by triggers in the same transaction as any write to the tables
 * they are read from, so each process computes a set of figures once per value (figures.cache.ts) and
 * any process's next request after a change sees it. The row is locked until the writing transaction
 * commits; those transactions already queue on the audit trail's head.
 */
export const migration: HubMigration = {
  async up(db, t) {
    await db.schema
      .createTable('home_library_figures_version')
      .addColumn('id', t.integer, (c) => c.primaryKey())
      .addColumn('version', t.bigint, (c) => c.notNull())
      .execute()
    await db.insertInto('home_library_figures_version').values({ id: 1, version: 1 }).execute()
    if (t.dialect === 'postgres') {
      await sql`create function bump_home_library_figures_version() returns trigger language plpgsql as $$
        begin update home_library_figures_version set version = version + 1 where id = 1; return null; end $$`.execute(
        db,
      )
      for (const table of FIGURES_TABLES)
        await sql`create trigger ${sql.raw(`${table}_figures_version`)}
          after insert or update or delete or truncate on ${sql.table(table)}
          for each statement execute function bump_home_library_figures_version()`.execute(db)
      return
    }
    for (const table of FIGURES_TABLES)
      for (const event of ['insert', 'update', 'delete'])
        await sql`create trigger ${sql.raw(`${table}_figures_version_${event}`)}
          after ${sql.raw(event)} on ${sql.table(table)}
          begin update home_library_figures_version set version = version + 1 where id = 1; end`.execute(db)
  },
}
