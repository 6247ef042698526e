import { sql } from 'kysely'
import type { HubMigration } from '#platform/migrate.ts'

/**
 * The round sheet lists the titles still out with each member: the index of items out carries the title
 * too, so the sheet reads them from the index alone. `collected_on` is in it as well: without it SQLite
 * took the index of every item a member has had (about ten times the rows) when joining from the stops.
 */
export const migration: HubMigration = {
  async up(db) {
    await db.schema
      .createIndex('home_library_items_out_titles')
      .on('home_library_items')
      .columns(['member_id', 'collected_on', 'delivered_on', 'title'])
      .where(sql.ref('collected_on'), 'is', null)
      .execute()
    await db.schema.dropIndex('home_library_items_out').execute()
  },
}
