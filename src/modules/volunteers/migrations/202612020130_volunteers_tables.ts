import type { HubMigration } from '#platform/migrate.ts'

/** Volunteers and their pipeline, their checks (status and dates only), and half-finished applications. */
export const migration: HubMigration = {
  async up(db, t) {
    await t
      .table(db, 'volunteers')
      .addColumn('borough_id', t.id, (c) => c.notNull().references('boroughs.id'))
      // The volunteer's own account, once the coordinator links one: one record per account.
      .addColumn('user_id', t.id, (c) => c.unique())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('email', t.text, (c) => c.notNull())
      .addColumn('phone', t.text, (c) => c.notNull())
      .addColumn('availability_json', t.json('availability_json'), (c) => c.notNull())
      .addColumn('languages', t.text, (c) => c.notNull())
      .addColumn('skills', t.text, (c) => c.notNull())
      .addColumn('libraries_json', t.json('libraries_json'), (c) => c.notNull())
      .addColumn('referees', t.text, (c) => c.notNull())
      .addColumn('consents_json', t.json('consents_json'), (c) => c.notNull())
      .addColumn('status', t.text, (c) => c.notNull())
      .addColumn('left_reason', t.text)
      .addColumn('applied_at', t.timestamp, (c) => c.notNull())
      .addColumn('waiting_reminded_at', t.timestamp)
      .addColumn('created_at', t.timestamp, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('volunteers_borough')
      .on('volunteers')
      .columns(['borough_id', 'status'])
      .execute()

    // Each move along the pipeline: when, to where, and who moved it (nobody for the application itself).
    await t
      .table(db, 'volunteer_steps')
      .addColumn('volunteer_id', t.id, (c) => c.notNull().references('volunteers.id'))
      .addColumn('status', t.text, (c) => c.notNull())
      .addColumn('reason', t.text)
      .addColumn('moved_by_user_id', t.id)
      .addColumn('moved_by_name', t.text)
      .addColumn('moved_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('volunteer_steps_volunteer')
      .on('volunteer_steps')
      .column('volunteer_id')
      .execute()

    // Criminal-offence data: the check's kind, reference number and dates, never the certificate's content.
    await t
      .table(db, 'volunteer_checks')
      .addColumn('volunteer_id', t.id, (c) => c.notNull().unique().references('volunteers.id'))
      .addColumn('dbs_level', t.text, (c) => c.notNull())
      .addColumn('has_barred_list', t.bool('has_barred_list'), (c) => c.notNull())
      .addColumn('certificate_number', t.text, (c) => c.notNull())
      .addColumn('issued_on', t.date, (c) => c.notNull())
      .addColumn('is_on_update_service', t.bool('is_on_update_service'), (c) => c.notNull())
      .addColumn('status_checked_on', t.date)
      .addColumn('renews_on', t.date, (c) => c.notNull())
      .addColumn('references_received', t.integer, (c) => c.notNull())
      .addColumn('updated_at', t.timestamp, (c) => c.notNull())
      .execute()

    // An application being filled in, one question a page: answers kept under a hashed cookie token.
    await t
      .table(db, 'volunteer_drafts')
      .addColumn('token_hash', t.text, (c) => c.notNull().unique())
      .addColumn('answers_json', t.json('answers_json'), (c) => c.notNull())
      .addColumn('expires_at', t.timestamp, (c) => c.notNull())
      .execute()
  },
}
