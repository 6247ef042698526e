import type { HubMigration } from '#platform/migrate.ts'

/** The resident record every module shares, and the pairs staff said are different people. */
export const migration: HubMigration = {
  async up(db, t) {
    await t
      .table(db, 'people')
      .addColumn('borough_id', t.id, (c) => c.notNull().references('boroughs.id'))
      .addColumn('full_name', t.text, (c) => c.notNull())
      .addColumn('name_key', t.text, (c) => c.notNull())
      .addColumn('date_of_birth', t.date)
      .addColumn('age_range', t.text)
      .addColumn('phone', t.text)
      .addColumn('phone_key', t.text)
      .addColumn('email', t.text)
      .addColumn('email_key', t.text)
      .addColumn('postcode', t.text)
      .addColumn('preferred_language', t.text)
      .addColumn('merged_into_id', t.id, (c) => c.references('people.id'))
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('people_name_dob')
      .on('people')
      .columns(['name_key', 'date_of_birth'])
      .execute()
    await db.schema.createIndex('people_phone').on('people').column('phone_key').execute()
    await db.schema.createIndex('people_email').on('people').column('email_key').execute()
    await db.schema.createIndex('people_merged_into').on('people').column('merged_into_id').execute()

    await db.schema
      .createTable('person_distinct_pairs')
      .addColumn('person_a_id', t.id, (c) => c.notNull().references('people.id'))
      .addColumn('person_b_id', t.id, (c) => c.notNull().references('people.id'))
      .addColumn('decided_by_user_id', t.id)
      .addColumn('decided_at', t.timestamp, (c) => c.notNull())
      .addPrimaryKeyConstraint('person_distinct_pairs_pk', ['person_a_id', 'person_b_id'])
      .execute()
  },
}
