import type { HubMigration } from '#platform/migrate.ts'

/** Training courses as data and who has done them; shifts and who is on them. */
export const migration: HubMigration = {
  async up(db, t) {
    await t
      .table(db, 'volunteer_courses')
      .addColumn('name', t.text, (c) => c.notNull().unique())
      // Months a completion counts for; null: it never runs out.
      .addColumn('valid_months', t.integer)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .execute()

    await t
      .table(db, 'volunteer_training')
      .addColumn('volunteer_id', t.id, (c) => c.notNull().references('volunteers.id'))
      .addColumn('course_id', t.id, (c) => c.notNull().references('volunteer_courses.id'))
      .addColumn('completed_on', t.date, (c) => c.notNull())
      .addColumn('expires_on', t.date)
      .addColumn('evidence', t.text, (c) => c.notNull())
      .addColumn('expiry_reminded_at', t.timestamp)
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('volunteer_training_one')
      .on('volunteer_training')
      .columns(['volunteer_id', 'course_id'])
      .unique()
      .execute()

    await t
      .table(db, 'volunteer_shifts')
      .addColumn('borough_id', t.id, (c) => c.notNull().references('boroughs.id'))
      .addColumn('title', t.text, (c) => c.notNull())
      .addColumn('place', t.text, (c) => c.notNull())
      .addColumn('starts_at', t.timestamp, (c) => c.notNull())
      .addColumn('ends_at', t.timestamp, (c) => c.notNull())
      .addColumn('places', t.integer, (c) => c.notNull())
      // Moved only by a conditional update, so two claims of the last place cannot both take it.
      .addColumn('places_taken', t.integer, (c) => c.notNull())
      .addColumn('check_needed', t.text, (c) => c.notNull())
      .addColumn('courses_json', t.json('courses_json'), (c) => c.notNull())
      // Where it came from: by hand, or a session's date (one shift each).
      .addColumn('source', t.text, (c) => c.notNull())
      .addColumn('source_id', t.text, (c) => c.unique())
      .addColumn('understaffed_told_at', t.timestamp)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('volunteer_shifts_borough')
      .on('volunteer_shifts')
      .columns(['borough_id', 'starts_at'])
      .execute()

    await t
      .table(db, 'volunteer_assignments')
      .addColumn('shift_id', t.id, (c) => c.notNull().references('volunteer_shifts.id'))
      .addColumn('volunteer_id', t.id, (c) => c.notNull().references('volunteers.id'))
      .addColumn('starts_at', t.timestamp, (c) => c.notNull())
      .addColumn('ends_at', t.timestamp, (c) => c.notNull())
      .addColumn('assigned_by_user_id', t.id, (c) => c.notNull())
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('volunteer_assignments_one')
      .on('volunteer_assignments')
      .columns(['shift_id', 'volunteer_id'])
      .unique()
      .execute()
    await db.schema
      .createIndex('volunteer_assignments_volunteer')
      .on('volunteer_assignments')
      .columns(['volunteer_id', 'starts_at'])
      .execute()
  },
}
