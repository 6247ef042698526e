import type { HubMigration } from '#platform/migrate.ts'

/** The directory's organisations and locations: enough for the libraries to be on the home page. */
export const migration: HubMigration = {
  async up(db, t) {
    await t
      .table(db, 'organisations')
      .addColumn('code', t.text, (c) => c.notNull().unique())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('description', t.text, (c) => c.notNull())
      .addColumn('website', t.text)
      .addColumn('email', t.text)
      .addColumn('borough_id', t.id, (c) => c.references('boroughs.id'))
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute()

    await t
      .table(db, 'locations')
      .addColumn('code', t.text, (c) => c.notNull().unique())
      .addColumn('organisation_id', t.id, (c) => c.notNull().references('organisations.id'))
      .addColumn('borough_id', t.id, (c) => c.notNull().references('boroughs.id'))
      .addColumn('kind', t.text, (c) => c.notNull())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('address_1', t.text, (c) => c.notNull())
      .addColumn('address_2', t.text)
      .addColumn('city', t.text, (c) => c.notNull())
      .addColumn('postcode', t.text, (c) => c.notNull())
      .addColumn('latitude', t.real)
      .addColumn('longitude', t.real)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema.createIndex('locations_borough').on('locations').column('borough_id').execute()
  },
}
