import { type HubMigration, partialIndexes } from '#platform/migrate.ts'

/**
 * Each key a duplicate is matched on, indexed with when the record was made: a case page reads the
 * oldest records sharing each key in order, as far as it shows, however many share it (a hostel's phone).
 */
export const migration: HubMigration = {
  async up(db, t) {
    await partialIndexes([
      {
        name: 'people_phone',
        table: 'people',
        columns: ['phone_key', 'created_at', 'id'],
        present: 'phone_key',
      },
      {
        name: 'people_email',
        table: 'people',
        columns: ['email_key', 'created_at', 'id'],
        present: 'email_key',
      },
    ]).up(db, t)
    await db.schema.dropIndex('people_name_dob').execute()
    await db.schema
      .createIndex('people_name_dob')
      .on('people')
      .columns(['name_key', 'date_of_birth', 'created_at', 'id'])
      .execute()
  },
}
