import type { HubMigration } from '#platform/migrate.ts'

/**
 * The partner organisation a staff account refers for (partner referrers see that organisation's
 * referrals). Nullable: most accounts belong to a council. No foreign key: organisations belong to the
 * directory module, which the accounts service asks through its service.
 */
export const migration: HubMigration = {
  async up(db, t) {
    await db.schema.alterTable('users').addColumn('organisation_id', t.id).execute()
    await db.schema.createIndex('users_organisation').on('users').column('organisation_id').execute()
  },
}
