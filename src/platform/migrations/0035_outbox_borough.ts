import type { HubMigration } from '../migrate.ts'

/**
 * Which borough's people a message is about (null: no one borough's, like a message to staff of several),
 * so the outbox is filtered by borough scope like every other record about a person; and when a sent
 * message's personal content was purged, leaving the delivery record.
 */
export const migration: HubMigration = {
  async up(db, t) {
    await db.schema.alterTable('outbox').addColumn('borough_id', t.id).execute()
    await db.schema.alterTable('outbox').addColumn('purged_at', t.timestamp).execute()
    await db.schema.createIndex('outbox_borough').on('outbox').columns(['borough_id', 'created_at']).execute()
    await db.schema.createIndex('outbox_sent').on('outbox').columns(['status', 'sent_at']).execute()
  },
}
