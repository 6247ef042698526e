import type { Executor } from '#platform/database.ts'
import type { SkillLevel } from './skills.ts'

export interface SkillAssessmentTable {
  id: string
  borough_id: string
  person_id: string
  /** The booking at which it was taken, if at a session. */
  booking_id: string | null
  recorded_by_user_id: string | null
  assessed_at: string
}

export interface SkillAnswerTable {
  id: string
  assessment_id: string
  skill: string
  level: SkillLevel
}

declare module '#platform/database.ts' {
  interface Tables {
    help_skill_assessments: SkillAssessmentTable
    help_skill_answers: SkillAnswerTable
  }
}

const within = (boroughs: readonly string[] | null) => (boroughs?.length ? boroughs : [''])

/** The SQL of learners' skills checks. */
export const skillsRepository = {
  async insertAssessment(db: Executor, row: SkillAssessmentTable, answers: SkillAnswerTable[]) {
    await db.insertInto('help_skill_assessments').values(row).execute()
    await db.insertInto('help_skill_answers').values(answers).execute()
  },

  async hasAssessment(db: Executor, personId: string): Promise<boolean> {
    const row = await db
      .selectFrom('help_skill_assessments')
      .select('id')
      .where('person_id', '=', personId)
      .limit(1)
      .executeTakeFirst()
    return !!row
  },

  /** Assessments with their answers, oldest first: of one person, or of everyone assessed in a period. */
  async assessments(
    db: Executor,
    which: { personId: string } | { assessedFrom: string; before: string },
    boroughs: readonly string[] | null,
  ) {
    let q = db
      .selectFrom('help_skill_assessments as a')
      .innerJoin('help_skill_answers as x', 'x.assessment_id', 'a.id')
      .select(['a.id', 'a.person_id', 'a.borough_id', 'a.assessed_at', 'x.skill', 'x.level'])
    if ('personId' in which) q = q.where('a.person_id', '=', which.personId)
    else
      q = q
        .where('a.assessed_at', '<', which.before)
        .where('a.person_id', 'in', (eb) =>
          eb
            .selectFrom('help_skill_assessments as p')
            .select('p.person_id')
            .where('p.assessed_at', '>=', which.assessedFrom)
            .where('p.assessed_at', '<', which.before),
        )
    if (boroughs) q = q.where('a.borough_id', 'in', within(boroughs))
    return q.orderBy('a.assessed_at').orderBy('a.id').execute()
  },

  /** One person's bookings in the caller's boroughs, with how many dates of each they attended. */
  learnerBookings(db: Executor, personId: string, boroughs: readonly string[] | null) {
    let q = db
      .selectFrom('help_session_bookings as b')
      .innerJoin('help_session_occurrences as o', 'o.id', 'b.occurrence_id')
      .innerJoin('help_sessions as s', 's.id', 'o.session_id')
      .select((eb) => [
        'b.id',
        'b.name',
        'b.status',
        'b.borough_id',
        's.title',
        'o.starts_at',
        'o.ends_at',
        eb
          .selectFrom('help_session_attendance as m')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('m.booking_id', '=', 'b.id')
          .where('m.status', '=', 'attended')
          .as('attended'),
      ])
      .where('b.person_id', '=', personId)
    if (boroughs) q = q.where('b.borough_id', 'in', within(boroughs))
    return q.orderBy('o.starts_at').execute()
  },

  /** Dates attended in a period by people who have had a skills check by its end, per borough. */
  learnerAttendance(db: Executor, boroughs: readonly string[] | null, from: string, to: string) {
    let q = db
      .selectFrom('help_session_attendance as m')
      .innerJoin('help_session_bookings as b', 'b.id', 'm.booking_id')
      .innerJoin('help_session_occurrences as o', 'o.id', 'm.occurrence_id')
      .select((eb) => ['o.borough_id', eb.fn.countAll<number>().as('n')])
      .where('m.status', '=', 'attended')
      .where('o.starts_at', '>=', from)
      .where('o.starts_at', '<', to)
      .where('b.person_id', 'in', (eb) =>
        eb.selectFrom('help_skill_assessments as a').select('a.person_id').where('a.assessed_at', '<', to),
      )
      .groupBy('o.borough_id')
    if (boroughs) q = q.where('o.borough_id', 'in', within(boroughs))
    return q.execute()
  },

  async movePerson(db: Executor, fromId: string, toId: string) {
    await db
      .updateTable('help_skill_assessments')
      .set({ person_id: toId })
      .where('person_id', '=', fromId)
      .execute()
  },
}
