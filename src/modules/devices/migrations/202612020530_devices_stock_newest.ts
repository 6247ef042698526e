import type { HubMigration } from '#platform/migrate.ts'

/**
 * The stock list with no filter, newest change first: one borough's page read in order from this index
 * (several boroughs' pages are merged by the repository), not a sort of every device in the borough.
 */
export const migration: HubMigration = {
  async up(db) {
    await db.schema
      .createIndex('devices_stock_newest')
      .on('devices')
      .columns(['borough_id', 'updated_at', 'id'])
      .execute()
  },
}
