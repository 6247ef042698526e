import { sql } from 'kysely'
import type { HubMigration } from '#platform/migrate.ts'
import { directoryFacing } from './directory-facing.ts'

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
    }
    // The tables as they were when this shipped (capacity has since a counter of its own, 0040); a shipped
    // migration never follows the list of today.
    await directoryFacing([
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
    ]).up(db, t)
  },
}
