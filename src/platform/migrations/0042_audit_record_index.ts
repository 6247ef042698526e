import type { HubMigration } from '../migrate.ts'

/**
 * The index by record type and id goes: every search by record uses the one by record id and seq (0041),
 * and each audit row written updated both, at a random place in each, on every view of a case.
 */
export const migration: HubMigration = {
  async up(db) {
    await db.schema.dropIndex('audit_events_record').ifExists().execute()
  },
}
