import type { HubMigration } from '#platform/migrate.ts'

/**
 * The queue reads a page's requests, and filters referrals by their requests (status, help needed,
 * stale), through one index holding every column it reads: no lookup of the request row for each.
 * It starts with the referral, as the index it replaces did, so that one goes. So does the index 0012
 * made to list a borough's officers from its referrals: they come from the accounts now, and every
 * referral written paid for it.
 */
export const migration: HubMigration = {
  async up(db) {
    await db.schema
      .createIndex('referral_needs_queue')
      .on('referral_needs')
      .columns(['referral_id', 'status', 'kind', 'updated_at', 'outcome', 'created_at', 'id'])
      .execute()
    await db.schema.dropIndex('referral_needs_referral').execute()
    await db.schema.dropIndex('referrals_borough_officer').execute()
  },
}
