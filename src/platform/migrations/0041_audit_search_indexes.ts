import { type HubMigration, partialIndexes } from '../migrate.ts'

/**
 * The audit search by user or by record, newest first: each filter's rows in seq order, so a page reads
 * its 25 rows and stops. Without them, a user's page sorted every row of theirs and a record's page
 * walked the whole trail back (half a second and two seconds at a million rows).
 */
export const migration: HubMigration = partialIndexes([
  {
    name: 'audit_events_actor_seq',
    table: 'audit_events',
    columns: ['actor_user_id', 'seq'],
    present: 'actor_user_id',
  },
  {
    name: 'audit_events_record_seq',
    table: 'audit_events',
    columns: ['record_id', 'seq'],
    present: 'record_id',
  },
])
