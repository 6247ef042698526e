import type { HubMigration } from '#platform/migrate.ts'

/** Hours given: from shifts they were at, or added by the volunteer and approved by the coordinator. */
export const migration: HubMigration = {
  async up(db, t) {
    await t
      .table(db, 'volunteer_hours')
      .addColumn('volunteer_id', t.id, (c) => c.notNull().references('volunteers.id'))
      .addColumn('borough_id', t.id, (c) => c.notNull().references('boroughs.id'))
      .addColumn('place', t.text, (c) => c.notNull())
      .addColumn('worked_on', t.date, (c) => c.notNull())
      .addColumn('minutes', t.integer, (c) => c.notNull())
      .addColumn('what', t.text, (c) => c.notNull())
      // The shift they were at (one row each), or null for hours they added.
      .addColumn('assignment_id', t.id, (c) => c.unique().references('volunteer_assignments.id'))
      .addColumn('status', t.text, (c) => c.notNull())
      .addColumn('decided_by_user_id', t.id)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('volunteer_hours_volunteer')
      .on('volunteer_hours')
      .columns(['volunteer_id', 'worked_on'])
      .execute()
    await db.schema
      .createIndex('volunteer_hours_borough')
      .on('volunteer_hours')
      .columns(['borough_id', 'status', 'worked_on'])
      .execute()
  },
}
