import type { HubMigration } from '#platform/migrate.ts'

/**
 * Digital help sessions: a session (one-off or a weekly series) with its dated occurrences, who runs it,
 * the bookings and waiting lists, and who came. Each occurrence keeps its own count of places taken, so
 * taking the last place is one guarded update: `booked < capacity`.
 */
export const migration: HubMigration = {
  async up(db, t) {
    await t
      .table(db, 'help_sessions')
      .addColumn('borough_id', t.id, (c) => c.notNull().references('boroughs.id'))
      .addColumn('kind', t.text, (c) => c.notNull())
      .addColumn('title', t.text, (c) => c.notNull())
      .addColumn('description', t.text, (c) => c.notNull())
      .addColumn('venue', t.text, (c) => c.notNull())
      .addColumn('location_id', t.id, (c) => c.references('locations.id'))
      .addColumn('service_code', t.text)
      .addColumn('online_link', t.text)
      .addColumn('language', t.text, (c) => c.notNull())
      .addColumn('what_to_bring', t.text)
      .addColumn('capacity', t.integer, (c) => c.notNull())
      .addColumn('recurrence', t.text, (c) => c.notNull())
      .addColumn('is_cancelled', t.bool('is_cancelled'), (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema.createIndex('help_sessions_borough').on('help_sessions').column('borough_id').execute()

    await db.schema
      .createTable('help_session_facilitators')
      .addColumn('session_id', t.id, (c) => c.notNull().references('help_sessions.id'))
      .addColumn('user_id', t.id, (c) => c.notNull().references('users.id'))
      .addPrimaryKeyConstraint('help_session_facilitators_pk', ['session_id', 'user_id'])
      .execute()

    await t
      .table(db, 'help_session_occurrences')
      .addColumn('session_id', t.id, (c) => c.notNull().references('help_sessions.id'))
      .addColumn('borough_id', t.id, (c) => c.notNull().references('boroughs.id'))
      .addColumn('original_date', t.date, (c) => c.notNull())
      .addColumn('starts_at', t.timestamp, (c) => c.notNull())
      .addColumn('ends_at', t.timestamp, (c) => c.notNull())
      .addColumn('capacity', t.integer, (c) => c.notNull())
      .addColumn('booked', t.integer, (c) => c.notNull())
      .addColumn('is_cancelled', t.bool('is_cancelled'), (c) => c.notNull())
      .addColumn('change_note', t.text)
      .execute()
    await db.schema
      .createIndex('help_session_occurrences_date')
      .on('help_session_occurrences')
      .columns(['session_id', 'original_date'])
      .unique()
      .execute()
    await db.schema
      .createIndex('help_session_occurrences_starts')
      .on('help_session_occurrences')
      .columns(['starts_at'])
      .execute()

    await t
      .table(db, 'help_session_bookings')
      .addColumn('reference', t.text, (c) => c.notNull().unique())
      .addColumn('occurrence_id', t.id, (c) => c.notNull().references('help_session_occurrences.id'))
      .addColumn('borough_id', t.id, (c) => c.notNull().references('boroughs.id'))
      .addColumn('person_id', t.id, (c) => c.references('people.id'))
      .addColumn('need_id', t.id)
      .addColumn('status', t.text, (c) => c.notNull())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('email', t.text)
      .addColumn('phone', t.text)
      .addColumn('contact_key', t.text)
      .addColumn('can_email', t.bool('can_email'), (c) => c.notNull())
      .addColumn('can_text', t.bool('can_text'), (c) => c.notNull())
      .addColumn('carer_name', t.text)
      .addColumn('carer_contact', t.text)
      .addColumn('has_carer_consent', t.bool('has_carer_consent'), (c) => c.notNull())
      .addColumn('waiting_since', t.timestamp)
      .addColumn('moved_reason', t.text)
      .addColumn('offer_expires_at', t.timestamp)
      .addColumn('is_reminded', t.bool('is_reminded'), (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('help_session_bookings_occurrence')
      .on('help_session_bookings')
      .columns(['occurrence_id', 'status', 'waiting_since'])
      .execute()
    await db.schema
      .createIndex('help_session_bookings_person')
      .on('help_session_bookings')
      .column('person_id')
      .execute()

    await t
      .table(db, 'help_session_attendance')
      .addColumn('booking_id', t.id, (c) => c.notNull().references('help_session_bookings.id'))
      .addColumn('occurrence_id', t.id, (c) => c.notNull().references('help_session_occurrences.id'))
      .addColumn('status', t.text, (c) => c.notNull())
      .addColumn('marked_by_user_id', t.id)
      .addColumn('marked_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('help_session_attendance_booking')
      .on('help_session_attendance')
      .columns(['booking_id', 'occurrence_id'])
      .unique()
      .execute()
  },
}
