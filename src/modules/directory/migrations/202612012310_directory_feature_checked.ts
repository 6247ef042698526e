import type { HubMigration } from '#platform/migrate.ts'

/**
 * When each access feature of a place was last checked, so residents know how far to trust "hearing loop"
 * or "step-free access" and editors know what to look at next. Features recorded before have no date.
 */
export const migration: HubMigration = {
  async up(db, t) {
    await db.schema.alterTable('location_features').addColumn('checked_on', t.date).execute()
  },
}
