import type { HubMigration } from '#platform/migrate.ts'

/** The review date a temporary member's reminder was sent for: once per date, again when it is moved. */
export const migration: HubMigration = {
  async up(db, t) {
    await db.schema.alterTable('home_library_members').addColumn('review_reminded_for', t.date).execute()
  },
}
