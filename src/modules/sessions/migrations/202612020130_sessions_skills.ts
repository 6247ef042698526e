import type { HubMigration } from '#platform/migrate.ts'

/**
 * Learners' Essential Digital Skills self-assessments: one row per check (the first of a person is their
 * baseline), one row per skill rated. The skills themselves are code (`skills.ts`), not rows.
 */
export const migration: HubMigration = {
  async up(db, t) {
    await t
      .table(db, 'help_skill_assessments')
      .addColumn('borough_id', t.id, (c) => c.notNull().references('boroughs.id'))
      .addColumn('person_id', t.id, (c) => c.notNull().references('people.id'))
      .addColumn('booking_id', t.id, (c) => c.references('help_session_bookings.id'))
      .addColumn('recorded_by_user_id', t.id)
      .addColumn('assessed_at', t.timestamp, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('help_skill_assessments_person')
      .on('help_skill_assessments')
      .columns(['person_id', 'assessed_at'])
      .execute()
    await db.schema
      .createIndex('help_skill_assessments_at')
      .on('help_skill_assessments')
      .columns(['assessed_at'])
      .execute()

    await t
      .table(db, 'help_skill_answers')
      .addColumn('assessment_id', t.id, (c) => c.notNull().references('help_skill_assessments.id'))
      .addColumn('skill', t.text, (c) => c.notNull())
      .addColumn('level', t.text, (c) => c.notNull())
      .execute()
    await db.schema
      .createIndex('help_skill_answers_skill')
      .on('help_skill_answers')
      .columns(['assessment_id', 'skill'])
      .unique()
      .execute()
  },
}
