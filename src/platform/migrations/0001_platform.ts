import { GENESIS_HASH } from '../audit.ts'
import type { HubMigration } from '../migrate.ts'

/** Boroughs (the tenants), sessions, audit, outbox, periodic jobs and rate limits: plumbing that knows no domain. */
export const migration: HubMigration = {
  async up(db, t) {
    await t
      .table(db, 'boroughs')
      .addColumn('code', t.text, (c) => c.notNull().unique())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('short_name', t.text, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .execute()

    await db.schema
      .createTable('sessions')
      .addColumn('id_hash', t.text, (c) => c.primaryKey())
      .addColumn('user_id', t.id, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('last_seen_at', t.timestamp, (c) => c.notNull())
      .addColumn('ip', t.text)
      .execute()
    await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute()

    await t
      .table(db, 'audit_events')
      .addColumn('seq', t.bigint, (c) => c.notNull().unique())
      .addColumn('at', t.timestamp, (c) => c.notNull())
      .addColumn('actor_user_id', t.id)
      .addColumn('actor', t.text, (c) => c.notNull())
      .addColumn('action', t.text, (c) => c.notNull())
      .addColumn('record_type', t.text)
      .addColumn('record_id', t.text)
      .addColumn('fields_json', t.json('fields_json'))
      .addColumn('ip', t.text)
      .addColumn('request_id', t.text)
      .addColumn('prev_hash', t.text, (c) => c.notNull())
      .addColumn('hash', t.text, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('audit_events_record')
      .on('audit_events')
      .columns(['record_type', 'record_id'])
      .execute()
    await db.schema
      .createIndex('audit_events_actor_at')
      .on('audit_events')
      .columns(['actor_user_id', 'at'])
      .execute()
    await db.schema.createIndex('audit_events_at').on('audit_events').column('at').execute()

    // One row that every audit writer locks, so the hash chain has a single order.
    await db.schema
      .createTable('audit_head')
      .addColumn('id', t.integer, (c) => c.primaryKey())
      .addColumn('seq', t.bigint, (c) => c.notNull())
      .addColumn('hash', t.text, (c) => c.notNull())
      .execute()
    await db.insertInto('audit_head').values({ id: 1, seq: 0, hash: GENESIS_HASH }).execute()

    await t
      .table(db, 'outbox')
      .addColumn('channel', t.text, (c) => c.notNull())
      .addColumn('template', t.text, (c) => c.notNull())
      .addColumn('recipient', t.text, (c) => c.notNull())
      .addColumn('personalisation_json', t.json('personalisation_json'), (c) => c.notNull())
      .addColumn('status', t.text, (c) => c.notNull())
      .addColumn('attempts', t.integer, (c) => c.notNull())
      .addColumn('next_attempt_at', t.timestamp, (c) => c.notNull())
      .addColumn('claimed_until', t.timestamp)
      .addColumn('last_error', t.text)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('sent_at', t.timestamp)
      .execute()
    await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute()

    // When each periodic job last ran: the row is claimed by one process, so jobs never run twice.
    await db.schema
      .createTable('job_runs')
      .addColumn('name', t.text, (c) => c.primaryKey())
      .addColumn('last_run_at', t.timestamp, (c) => c.notNull())
      .execute()

    await db.schema
      .createTable('rate_limits')
      .addColumn('key', t.text, (c) => c.primaryKey())
      .addColumn('window_start', t.timestamp, (c) => c.notNull())
      .addColumn('hits', t.integer, (c) => c.notNull())
      .execute()
  },
}
