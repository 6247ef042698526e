import type { HubMigration } from '#platform/migrate.ts'

/**
 * Partnership meetings (agenda, who came and who sent apologies, minutes, decisions) and the actions
 * agreed at them, each with its owners (staff accounts or partner contacts) and dated updates.
 */
export const migration: HubMigration = {
  async up(db, t) {
    await t
      .table(db, 'partnership_meetings')
      .addColumn('title', t.text, (c) => c.notNull())
      .addColumn('held_on', t.date, (c) => c.notNull())
      .addColumn('venue', t.text, (c) => c.notNull())
      .addColumn('agenda', t.text, (c) => c.notNull())
      .addColumn('minutes', t.text, (c) => c.notNull())
      .addColumn('next_meeting_on', t.date)
      .addColumn('minutes_closed_at', t.timestamp)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('partnership_meetings_held')
      .on('partnership_meetings')
      .column('held_on')
      .execute()

    await t
      .table(db, 'meeting_attendees')
      .addColumn('meeting_id', t.id, (c) => c.notNull().references('partnership_meetings.id'))
      .addColumn('user_id', t.id)
      .addColumn('contact_id', t.id)
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('organisation_name', t.text)
      .addColumn('attendance', t.text, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('meeting_attendees_meeting')
      .on('meeting_attendees')
      .column('meeting_id')
      .execute()

    await t
      .table(db, 'meeting_decisions')
      .addColumn('meeting_id', t.id, (c) => c.notNull().references('partnership_meetings.id'))
      .addColumn('text', t.text, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('meeting_decisions_meeting')
      .on('meeting_decisions')
      .column('meeting_id')
      .execute()

    await t
      .table(db, 'partnership_actions')
      .addColumn('meeting_id', t.id, (c) => c.notNull().references('partnership_meetings.id'))
      .addColumn('text', t.text, (c) => c.notNull())
      .addColumn('due_on', t.date, (c) => c.notNull())
      .addColumn('status', t.text, (c) => c.notNull())
      .addColumn('is_public', t.bool('is_public'), (c) => c.notNull())
      .addColumn('reminded_before_on', t.date)
      .addColumn('reminded_after_on', t.date)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('partnership_actions_status_due')
      .on('partnership_actions')
      .columns(['status', 'due_on'])
      .execute()
    await db.schema
      .createIndex('partnership_actions_meeting')
      .on('partnership_actions')
      .column('meeting_id')
      .execute()

    await t
      .table(db, 'action_owners')
      .addColumn('action_id', t.id, (c) => c.notNull().references('partnership_actions.id'))
      .addColumn('user_id', t.id)
      .addColumn('contact_id', t.id)
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('organisation_id', t.id)
      .addColumn('organisation_name', t.text)
      .execute()
    await db.schema.createIndex('action_owners_action').on('action_owners').column('action_id').execute()
    await db.schema.createIndex('action_owners_user').on('action_owners').column('user_id').execute()

    await t
      .table(db, 'action_updates')
      .addColumn('action_id', t.id, (c) => c.notNull().references('partnership_actions.id'))
      .addColumn('status', t.text, (c) => c.notNull())
      .addColumn('note', t.text, (c) => c.notNull())
      .addColumn('user_id', t.id)
      .addColumn('user_name', t.text, (c) => c.notNull())
      .addColumn('at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema.createIndex('action_updates_action').on('action_updates').column('action_id').execute()
  },
}
