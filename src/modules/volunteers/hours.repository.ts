import type { Executor } from '#platform/database.ts'

export interface HoursTable {
  id: string
  volunteer_id: string
  borough_id: string
  place: string
  worked_on: string
  minutes: number
  what: string
  assignment_id: string | null
  status: 'pending' | 'approved' | 'refused'
  decided_by_user_id: string | null
  created_at: string
}

declare module '#platform/database.ts' {
  interface Tables {
    volunteer_hours: HoursTable
  }
}

/** Hours given, and what the figures count. */
export const hoursRepository = {
  async insert(db: Executor, row: HoursTable): Promise<void> {
    await db.insertInto('volunteer_hours').values(row).execute()
  },

  find(db: Executor, id: string): Promise<HoursTable | undefined> {
    return db.selectFrom('volunteer_hours').selectAll().where('id', '=', id).executeTakeFirst()
  },

  /** Approves or refuses hours still waiting; answers whether this decision was the one made. */
  async decide(db: Executor, id: string, status: 'approved' | 'refused', userId: string): Promise<boolean> {
    const result = await db
      .updateTable('volunteer_hours')
      .set({ status, decided_by_user_id: userId })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  },

  ofVolunteer(db: Executor, volunteerId: string): Promise<HoursTable[]> {
    return db
      .selectFrom('volunteer_hours')
      .selectAll()
      .where('volunteer_id', '=', volunteerId)
      .orderBy('worked_on', 'desc')
      .execute()
  },

  /** Minutes already counted (or waiting) on one day of a volunteer's. */
  async minutesOn(db: Executor, volunteerId: string, day: string): Promise<number> {
    const rows = await db
      .selectFrom('volunteer_hours')
      .select('minutes')
      .where('volunteer_id', '=', volunteerId)
      .where('worked_on', '=', day)
      .where('status', '!=', 'refused')
      .execute()
    return rows.reduce((sum, r) => sum + r.minutes, 0)
  },

  /** Approved hours between two dates (inclusive), in the boroughs given, with the volunteer's name. */
  approved(db: Executor, scope: readonly string[] | null, from: string, to: string) {
    let q = db
      .selectFrom('volunteer_hours as h')
      .innerJoin('volunteers as v', 'v.id', 'h.volunteer_id')
      .select(['h.volunteer_id', 'v.name', 'h.borough_id', 'h.place', 'h.worked_on', 'h.minutes'])
      .where('h.status', '=', 'approved')
      .where('h.worked_on', '>=', from)
      .where('h.worked_on', '<=', to)
    if (scope) q = q.where('h.borough_id', 'in', scope.length ? scope : [''])
    return q.execute()
  },

  /** Hours waiting for a coordinator, in the boroughs given. */
  pending(db: Executor, scope: readonly string[] | null) {
    let q = db
      .selectFrom('volunteer_hours as h')
      .innerJoin('volunteers as v', 'v.id', 'h.volunteer_id')
      .select(['h.id', 'h.volunteer_id', 'v.name', 'h.worked_on', 'h.minutes', 'h.what', 'h.place'])
      .where('h.status', '=', 'pending')
      .orderBy('h.worked_on')
    if (scope) q = q.where('h.borough_id', 'in', scope.length ? scope : [''])
    return q.execute()
  },

  /** For the figures: every volunteer in scope with when they applied and where they are now. */
  volunteers(db: Executor, scope: readonly string[] | null) {
    let q = db.selectFrom('volunteers').select(['id', 'borough_id', 'status', 'applied_at'])
    if (scope) q = q.where('borough_id', 'in', scope.length ? scope : [''])
    return q.execute()
  },

  /** Volunteers who have ever been active. */
  async everActive(db: Executor): Promise<Set<string>> {
    const rows = await db
      .selectFrom('volunteer_steps')
      .select('volunteer_id')
      .where('status', '=', 'active')
      .distinct()
      .execute()
    return new Set(rows.map((r) => r.volunteer_id))
  },

  trainingCompleted(db: Executor, from: string, to: string) {
    return db
      .selectFrom('volunteer_training as t')
      .innerJoin('volunteers as v', 'v.id', 't.volunteer_id')
      .select(['v.borough_id'])
      .where('t.completed_on', '>=', from)
      .where('t.completed_on', '<=', to)
      .execute()
  },
}
