import type { HubMigration } from '#platform/migrate.ts'

/**
 * Indexes the triage queue needs at scale (measured with 100,000 referrals by `npm run bench`):
 * newest first for staff of every borough without sorting the whole table, and the officers of a
 * borough read from the index alone rather than from every row of the borough.
 */
export const migration: HubMigration = {
  async up(db) {
    await db.schema.createIndex('referrals_created').on('referrals').columns(['created_at', 'id']).execute()
    await db.schema
      .createIndex('referrals_borough_officer')
      .on('referrals')
      .columns(['borough_id', 'assigned_user_id', 'assigned_name'])
      .execute()
  },
}
