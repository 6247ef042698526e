import { sql } from 'kysely'
import type { HubMigration } from '#platform/migrate.ts'

/**
 * The public list of sessions is kept rendered per version of what it shows (platform/page-cache.ts).
 * The version is one row bumped by triggers on sessions and their dates, in the same transaction as the
 * change, so no write path can forget it: a booking moves `booked`, an edit moves a date or a title, and
 * the next resident gets the list worked out again. The bookings table is left alone: the list shows
 * only the count on each date.
 *
 * Also an index on sessions' directory service: each booking publishes the service's next free place, and
 * without it finding that date read every date to come (80 ms at 50,000 dates when none was free).
 */
export const migration: HubMigration = {
  async up(db, t) {
    await db.schema
      .createTable('help_session_list_version')
      .addColumn('id', t.integer, (c) => c.primaryKey())
      .addColumn('version', t.bigint, (c) => c.notNull())
      .execute()
    await db.insertInto('help_session_list_version').values({ id: 1, version: 1 }).execute()
    await db.schema.createIndex('help_sessions_service').on('help_sessions').column('service_code').execute()
    const tables = ['help_sessions', 'help_session_occurrences']
    if (t.dialect === 'postgres') {
      await sql`create function bump_help_session_list_version() returns trigger language plpgsql as $$
        begin update help_session_list_version set version = version + 1 where id = 1; return null; end $$`.execute(
        db,
      )
      for (const table of tables)
        await sql`create trigger ${sql.raw(`${table}_list_version`)}
          after insert or update or delete or truncate on ${sql.table(table)}
          for each statement execute function bump_help_session_list_version()`.execute(db)
      return
    }
    for (const table of tables)
      for (const event of ['insert', 'update', 'delete'])
        await sql`create trigger ${sql.raw(`${table}_list_version_${event}`)}
          after ${sql.raw(event)} on ${sql.table(table)}
          begin update help_session_list_version set version = version + 1 where id = 1; end`.execute(db)
  },
}
