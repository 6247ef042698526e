import type { HubMigration } from '#platform/migrate.ts'

/**
 * Shifts whose coordinators have not been told of empty places, soonest first: the hourly check reads
 * the coming week's, not every shift there has been in every borough.
 */
export const migration: HubMigration = {
  async up(db) {
    await db.schema
      .createIndex('volunteer_shifts_understaffed')
      .on('volunteer_shifts')
      .columns(['understaffed_told_at', 'starts_at'])
      .execute()
  },
}
