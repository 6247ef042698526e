import type { HubMigration } from '#platform/migrate.ts'

/**
 * The hash of the three words given with a reference made through /refer, so that every such referral can
 * be checked at /track, with no date of birth or postcode. Referrals made before have none.
 */
export const migration: HubMigration = {
  async up(db, t) {
    await db.schema.alterTable('referrals').addColumn('tracking_words_hash', t.text).execute()
  },
}
