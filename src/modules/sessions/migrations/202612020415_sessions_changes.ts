import type { HubMigration } from '#platform/migrate.ts'

/**
 * Changes to a series or to one of its dates: a date may move to another library or have its own
 * facilitator (null: the session's), and every change keeps the reason staff gave for it.
 */
export const migration: HubMigration = {
  async up(db, t) {
    await db.schema
      .alterTable('help_session_occurrences')
      .addColumn('place_id', t.id, (c) => c.references('locations.id'))
      .execute()
    await db.schema.alterTable('help_session_occurrences').addColumn('facilitator_user_id', t.id).execute()
    await t
      .table(db, 'help_session_changes')
      .addColumn('session_id', t.id, (c) => c.notNull().references('help_sessions.id'))
      .addColumn('occurrence_id', t.id, (c) => c.references('help_session_occurrences.id'))
      .addColumn('borough_id', t.id, (c) => c.notNull().references('boroughs.id'))
      .addColumn('changed_by_user_id', t.id)
      .addColumn('fields_json', t.json('fields_json'), (c) => c.notNull())
      .addColumn('reason', t.text, (c) => c.notNull())
      .addColumn('changed_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('help_session_changes_session')
      .on('help_session_changes')
      .columns(['session_id', 'changed_at'])
      .execute()
  },
}
