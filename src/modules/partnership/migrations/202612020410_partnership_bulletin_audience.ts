import type { HubMigration } from '#platform/migrate.ts'

/**
 * A bulletin may go to a meeting's attendees (with or without those who sent apologies) rather than a
 * list: whom it went to, and a row per person not on a list with their own status. Reports from mail
 * providers (bounces and complaints that arrive after the SMTP exchange) are kept by a key of each, so a
 * report seen twice counts once.
 */
export const migration: HubMigration = {
  async up(db, t) {
    await db.schema.alterTable('bulletins').addColumn('audience', t.text).execute()
    await db.schema.alterTable('bulletins').addColumn('audience_meeting_id', t.id).execute()

    await t
      .table(db, 'bulletin_direct_recipients')
      .addColumn('bulletin_id', t.id, (c) => c.notNull().references('bulletins.id'))
      .addColumn('email', t.text, (c) => c.notNull())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('user_id', t.id)
      .addColumn('contact_id', t.id)
      .addColumn('attendance', t.text, (c) => c.notNull())
      .addColumn('outbox_id', t.id, (c) => c.notNull())
      .addColumn('status', t.text, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('bulletin_direct_recipients_bulletin')
      .on('bulletin_direct_recipients')
      .columns(['bulletin_id', 'status'])
      .execute()
    await db.schema
      .createIndex('bulletin_direct_recipients_status')
      .on('bulletin_direct_recipients')
      .column('status')
      .execute()
    await db.schema
      .createIndex('bulletin_direct_recipients_email')
      .on('bulletin_direct_recipients')
      .column('email')
      .execute()

    await t
      .table(db, 'mailing_reports')
      .addColumn('key_sha256', t.text, (c) => c.notNull().unique())
      .addColumn('subscriber_id', t.id)
      .addColumn('type', t.text, (c) => c.notNull())
      .addColumn('bounce_kind', t.text)
      .addColumn('source', t.text, (c) => c.notNull())
      .addColumn('reported_at', t.timestamp, (c) => c.notNull())
      .addColumn('received_at', t.timestamp, (c) => c.notNull())
      .execute()
  },
}
