import type { HubMigration } from '#platform/migrate.ts'
import { createVersionCounter } from '#platform/version-counter.ts'

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
    await db.schema.createIndex('help_sessions_service').on('help_sessions').column('service_code').execute()
    await createVersionCounter(db, t, 'help_session_list_version', [
      'help_sessions',
      'help_session_occurrences',
    ])
  },
}
