import { sql } from 'kysely'
import type { HubMigration } from '#platform/migrate.ts'

/** Every table whose rows the public directory shows or searches. */
const DIRECTORY_TABLES = [
  'boroughs',
  'organisations',
  'locations',
  'location_features',
  'opening_exceptions',
  'taxonomies',
  'taxonomy_terms',
  'services',
  'service_terms',
  'service_languages',
  'service_contacts',
  'service_at_locations',
  'schedules',
  'service_capacities',
]

/**
 * A counter that moves whenever the directory changes. Each app process keeps the published directory
 * in memory and rebuilds it when the counter has moved (directory.snapshot.ts). Triggers bump it, so no
 * write path (an edit, an import, a capacity report from another module, a hand-made SQL fix) can forget.
 */
export const migration: HubMigration = {
  async up(db, t) {
    await db.schema
      .createTable('directory_version')
      .addColumn('id', t.integer, (c) => c.primaryKey())
      .addColumn('version', t.bigint, (c) => c.notNull())
      .execute()
    await db.insertInto('directory_version').values({ id: 1, version: 1 }).execute()
    if (t.dialect === 'postgres') {
      await sql`create function bump_directory_version() returns trigger language plpgsql as $$
        begin update directory_version set version = version + 1 where id = 1; return null; end $$`.execute(
        db,
      )
      for (const table of DIRECTORY_TABLES) {
        await sql`create trigger ${sql.raw(`${table}_directory_version`)}
          after insert or update or delete or truncate on ${sql.table(table)}
          for each statement execute function bump_directory_version()`.execute(db)
      }
      return
    }
    // SQLite triggers are per row; one small update each is cheap next to the row's own write.
    for (const table of DIRECTORY_TABLES) {
      for (const event of ['insert', 'update', 'delete']) {
        await sql`create trigger ${sql.raw(`${table}_directory_version_${event}`)}
          after ${sql.raw(event)} on ${sql.table(table)}
          begin update directory_version set version = version + 1 where id = 1; end`.execute(db)
      }
    }
  },
}
