import type { HubMigration } from '#platform/migrate.ts'

/**
 * The partnership's mailing lists and bulletins. A sign-up is the proof of consent: when, from where, the
 * exact wording shown (kept once per version in `mailing_wordings`) and when it was confirmed. A
 * subscriber's bounce score and a complaint stop sending to them; each bulletin keeps a row per recipient
 * with its own status and the outbox message that carries it.
 */
export const migration: HubMigration = {
  async up(db, t) {
    await t
      .table(db, 'mailing_lists')
      .addColumn('code', t.text, (c) => c.notNull().unique())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .execute()

    await t
      .table(db, 'mailing_wordings')
      .addColumn('sha256', t.text, (c) => c.notNull().unique())
      .addColumn('wording', t.text, (c) => c.notNull())
      .addColumn('first_shown_at', t.timestamp, (c) => c.notNull())
      .execute()

    await t
      .table(db, 'mailing_subscribers')
      .addColumn('email', t.text, (c) => c.notNull().unique())
      .addColumn('bounce_score', t.integer, (c) => c.notNull())
      .addColumn('stopped_reason', t.text)
      .addColumn('stopped_at', t.timestamp)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .execute()

    await t
      .table(db, 'mailing_signups')
      .addColumn('subscriber_id', t.id, (c) => c.notNull().references('mailing_subscribers.id'))
      .addColumn('list_codes_json', t.json('list_codes_json'), (c) => c.notNull())
      .addColumn('wording_id', t.id, (c) => c.notNull().references('mailing_wordings.id'))
      .addColumn('signed_up_at', t.timestamp, (c) => c.notNull())
      .addColumn('signed_up_ip', t.text)
      .addColumn('token_hash', t.text, (c) => c.notNull().unique())
      .addColumn('expires_at', t.timestamp, (c) => c.notNull())
      .addColumn('confirmed_at', t.timestamp)
      .addColumn('confirmed_ip', t.text)
      .execute()

    await t
      .table(db, 'mailing_subscriptions')
      .addColumn('subscriber_id', t.id, (c) => c.notNull().references('mailing_subscribers.id'))
      .addColumn('list_id', t.id, (c) => c.notNull().references('mailing_lists.id'))
      .addColumn('signup_id', t.id, (c) => c.references('mailing_signups.id'))
      .addColumn('status', t.text, (c) => c.notNull())
      .addColumn('subscribed_at', t.timestamp, (c) => c.notNull())
      .addColumn('unsubscribed_at', t.timestamp)
      .addColumn('unsubscribed_how', t.text)
      .execute()
    await db.schema
      .createIndex('mailing_subscriptions_one')
      .on('mailing_subscriptions')
      .columns(['subscriber_id', 'list_id'])
      .unique()
      .execute()
    await db.schema
      .createIndex('mailing_subscriptions_list')
      .on('mailing_subscriptions')
      .columns(['list_id', 'status'])
      .execute()

    await t
      .table(db, 'bulletins')
      .addColumn('title', t.text, (c) => c.notNull())
      .addColumn('body', t.text, (c) => c.notNull())
      .addColumn('status', t.text, (c) => c.notNull())
      .addColumn('list_id', t.id, (c) => c.references('mailing_lists.id'))
      .addColumn('meeting_id', t.id)
      .addColumn('created_by', t.id)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .addColumn('sent_by', t.id)
      .addColumn('sent_at', t.timestamp)
      .execute()

    await t
      .table(db, 'bulletin_recipients')
      .addColumn('bulletin_id', t.id, (c) => c.notNull().references('bulletins.id'))
      .addColumn('subscriber_id', t.id, (c) => c.notNull().references('mailing_subscribers.id'))
      .addColumn('outbox_id', t.id, (c) => c.notNull())
      .addColumn('status', t.text, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('bulletin_recipients_bulletin')
      .on('bulletin_recipients')
      .columns(['bulletin_id', 'status'])
      .execute()
    await db.schema
      .createIndex('bulletin_recipients_status')
      .on('bulletin_recipients')
      .column('status')
      .execute()
  },
}
