import type { HubMigration } from '#platform/migrate.ts'

/**
 * The open actions of one partner contact or one organisation: without these the list read every open
 * action and its owners (over 100 ms at 10,000 actions); with them, only that owner's rows.
 */
export const migration: HubMigration = {
  async up(db) {
    await db.schema
      .createIndex('action_owners_contact')
      .on('action_owners')
      .columns(['contact_id', 'action_id'])
      .execute()
    await db.schema
      .createIndex('action_owners_organisation')
      .on('action_owners')
      .columns(['organisation_id', 'action_id'])
      .execute()
  },
}
