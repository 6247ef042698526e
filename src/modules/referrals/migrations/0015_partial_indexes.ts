import { type HubMigration, partialIndexes } from '#platform/migrate.ts'

/**
 * Indexes on columns that are empty when most rows are written (a self-referral has no idempotency key
 * and no officer yet) now hold only the rows that have a value. Every lookup through them asks for a value,
 * so they serve as before, and writing a referral touches fewer pages: each one written is another 4 KB to
 * flush. (Until the module manifests, this migration also made the people's and the audit's partial
 * indexes; those are now 0015_partial_indexes_people and 0015_partial_indexes_audit.)
 */
export const migration: HubMigration = partialIndexes([
  {
    name: 'referrals_idempotency',
    table: 'referrals',
    columns: ['referrer_organisation_id', 'idempotency_key'],
    present: 'idempotency_key',
    unique: true,
  },
  {
    name: 'referrals_assigned',
    table: 'referrals',
    columns: ['assigned_user_id'],
    present: 'assigned_user_id',
  },
])
