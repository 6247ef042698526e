import type { HubMigration } from '#platform/migrate.ts'

/**
 * Reminders to the resident on the channels they said at handover are safe, the follow-up a few weeks
 * after handover, and its answers for funders' figures.
 */
export const migration: HubMigration = {
  async up(db, t) {
    await db.schema
      .alterTable('device_allocations')
      .addColumn('can_text', t.bool('can_text'), (c) => c.notNull().defaultTo(false))
      .execute()
    await db.schema
      .alterTable('device_allocations')
      .addColumn('can_email', t.bool('can_email'), (c) => c.notNull().defaultTo(false))
      .execute()
    await db.schema.alterTable('device_allocations').addColumn('follow_up_asked_at', t.timestamp).execute()
    await t
      .table(db, 'device_follow_ups')
      .addColumn('allocation_id', t.id, (c) => c.notNull().unique().references('device_allocations.id'))
      .addColumn('borough_id', t.id, (c) => c.notNull())
      .addColumn('using_it', t.text, (c) => c.notNull())
      .addColumn('uses_json', t.json('uses_json'), (c) => c.notNull())
      .addColumn('recorded_by_user_id', t.id, (c) => c.notNull())
      .addColumn('recorded_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('device_follow_ups_borough')
      .on('device_follow_ups')
      .columns(['borough_id', 'recorded_at'])
      .execute()
  },
}
