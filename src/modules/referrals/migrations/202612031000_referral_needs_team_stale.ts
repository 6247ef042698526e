import type { HubMigration } from '#platform/migrate.ts'

/**
 * A team's needs in the order they were last updated, with their state: the daily digest reads a team's
 * oldest open needs and counts them from this index alone. Without it, at a million referrals, the
 * digest read every stale need of every team (some 380,000) into the app to list each team's.
 */
export const migration: HubMigration = {
  async up(db) {
    await db.schema
      .createIndex('referral_needs_team_updated')
      .on('referral_needs')
      .columns(['team_code', 'updated_at', 'status'])
      .execute()
  },
}
