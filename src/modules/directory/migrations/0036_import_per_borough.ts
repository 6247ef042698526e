import type { HubMigration } from '#platform/migrate.ts'

/**
 * An imported record is one borough's: two boroughs importing the same feed each keep their own copies,
 * so the feed's ids are unique within a borough rather than across the Hub.
 */
export const migration: HubMigration = {
  async up(db) {
    for (const table of ['organisations', 'locations', 'services'] as const) {
      await db.schema.dropIndex(`${table}_source`).execute()
      await db.schema
        .createIndex(`${table}_source`)
        .on(table)
        .columns(['source', 'source_id', 'borough_id'])
        .unique()
        .execute()
    }
  },
}
