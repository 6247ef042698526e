import type { HubMigration } from '../migrate.ts'

/**
 * Audit rows are signed with an HMAC whose key is outside the database (AUDIT_KEY); each row names the
 * key that signed it, so a rotated key's rows still verify. Rows from before keep their plain SHA-256.
 */
export const migration: HubMigration = {
  async up(db, t) {
    await db.schema.alterTable('audit_events').addColumn('key_id', t.text).execute()
  },
}
