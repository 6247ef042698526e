import type { HubMigration } from '#platform/migrate.ts'

/** Deposit collections: stock left at partner sites (hospital waiting areas, transport teams, care homes). */
export const migration: HubMigration = {
  async up(db, t) {
    await t
      .table(db, 'home_library_deposits')
      .addColumn('borough_id', t.id, (c) => c.notNull().references('boroughs.id'))
      .addColumn('site', t.text, (c) => c.notNull())
      .addColumn('kind', t.text, (c) => c.notNull())
      .addColumn('items_placed', t.integer, (c) => c.notNull())
      .addColumn('placed_on', t.date, (c) => c.notNull())
      .addColumn('refresh_weeks', t.integer, (c) => c.notNull())
      .addColumn('refresh_on', t.date, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('home_library_deposits_borough')
      .on('home_library_deposits')
      .columns(['borough_id', 'refresh_on'])
      .execute()
  },
}
