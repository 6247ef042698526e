import { sql } from 'kysely'
import type { HubMigration } from '#platform/migrate.ts'

/**
 * Tables whose rows the public directory shows or searches. A write to any of them moves the directory's
 * version (0020), and every process rebuilds its copy of the directory on its next request. Live capacity
 * is not here: it has a version of its own (0040), so a booking does not flush the directory.
 */
export const DIRECTORY_TABLES = [
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
]

/**
 * A migration for another module whose table the directory shows (its manifest lists the table in
 * `directoryTables`): a write to it moves the directory's version, in the same transaction.
 */
export function directoryFacing(tables: string[]): HubMigration {
  return {
    async up(db, t) {
      for (const table of tables) {
        if (t.dialect === 'postgres') {
          await sql`create trigger ${sql.raw(`${table}_directory_version`)}
            after insert or update or delete or truncate on ${sql.table(table)}
            for each statement execute function bump_directory_version()`.execute(db)
          continue
        }
        for (const event of ['insert', 'update', 'delete']) {
          await sql`create trigger ${sql.raw(`${table}_directory_version_${event}`)}
            after ${sql.raw(event)} on ${sql.table(table)}
            begin update directory_version set version = version + 1 where id = 1; end`.execute(db)
        }
      }
    },
  }
}
