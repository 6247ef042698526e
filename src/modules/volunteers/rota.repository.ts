import { type Dialect, type Executor, forUpdate } from '#platform/database.ts'
import { readInBatches } from '#platform/in-batches.ts'
import type { CheckNeed } from './rota.ts'

export interface CourseTable {
  id: string
  name: string
  valid_months: number | null
  created_at: string
}

export interface TrainingTable {
  id: string
  volunteer_id: string
  course_id: string
  completed_on: string
  expires_on: string | null
  evidence: string
  expiry_reminded_at: string | null
  updated_at: string
}

export interface ShiftTable {
  id: string
  borough_id: string
  title: string
  place: string
  starts_at: string
  ends_at: string
  places: number
  places_taken: number
  check_needed: CheckNeed
  courses_json: string[]
  source: 'hand' | 'session' | 'home-library-round'
  source_id: string | null
  understaffed_told_at: string | null
  created_at: string
}

export interface AssignmentTable {
  id: string
  shift_id: string
  volunteer_id: string
  starts_at: string
  ends_at: string
  assigned_by_user_id: string
  created_at: string
}

declare module '#platform/database.ts' {
  interface Tables {
    volunteer_courses: CourseTable
    volunteer_training: TrainingTable
    volunteer_shifts: ShiftTable
    volunteer_assignments: AssignmentTable
  }
}

/**
 * Shifts under way or starting by `soon` with places still empty: one rule for the staff home's count
 * and the hourly message to coordinators.
 */
export function shortOfHelpers(db: Executor, now: string, soon: string) {
  return db
    .selectFrom('volunteer_shifts')
    .where('ends_at', '>', now)
    .where('starts_at', '<=', soon)
    .whereRef('places_taken', '<', 'places')
}

/** Courses, training, shifts and who is on them. */
export const rotaRepository = {
  courses(db: Executor): Promise<CourseTable[]> {
    return db.selectFrom('volunteer_courses').selectAll().orderBy('name').execute()
  },

  /** Adds a course unless one of that name exists; answers whether it was added. */
  async addCourse(db: Executor, row: CourseTable): Promise<boolean> {
    const result = await db
      .insertInto('volunteer_courses')
      .values(row)
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst()
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1
  },

  training(db: Executor, volunteerId: string): Promise<TrainingTable[]> {
    return db.selectFrom('volunteer_training').selectAll().where('volunteer_id', '=', volunteerId).execute()
  },

  /** The completions of each of these volunteers, in one query a few hundred of them. */
  trainingOfEach(db: Executor, volunteerIds: readonly string[]): Promise<TrainingTable[]> {
    return readInBatches(volunteerIds, (ids) =>
      db.selectFrom('volunteer_training').selectAll().where('volunteer_id', 'in', ids).execute(),
    )
  },

  /** A completion recorded, or a renewal replacing the one before (one row per volunteer and course). */
  async saveTraining(db: Executor, row: TrainingTable): Promise<void> {
    const { id, volunteer_id, course_id, ...changes } = row
    await db
      .insertInto('volunteer_training')
      .values(row)
      .onConflict((oc) => oc.columns(['volunteer_id', 'course_id']).doUpdateSet(changes))
      .execute()
  },

  /** Completions running out on or before `by`, not yet reminded, of volunteers still with us. */
  expiring(db: Executor, by: string) {
    return db
      .selectFrom('volunteer_training as t')
      .innerJoin('volunteers as v', 'v.id', 't.volunteer_id')
      .innerJoin('volunteer_courses as c', 'c.id', 't.course_id')
      .select([
        't.id',
        't.expires_on',
        'v.id as volunteer_id',
        'v.name',
        'v.email',
        'v.borough_id',
        'c.name as course',
      ])
      .where('t.expires_on', 'is not', null)
      .where('t.expires_on', '<=', by)
      .where('t.expiry_reminded_at', 'is', null)
      .where('v.status', '!=', 'left')
      .execute()
  },

  async markReminded(db: Executor, trainingId: string, at: string): Promise<void> {
    await db
      .updateTable('volunteer_training')
      .set({ expiry_reminded_at: at })
      .where('id', '=', trainingId)
      .execute()
  },

  /** Shifts, two hundred to an insert (15 values a row, inside both databases' limits). */
  async insertShifts(db: Executor, rows: readonly ShiftTable[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 200)
      await db
        .insertInto('volunteer_shifts')
        .values(rows.slice(i, i + 200))
        .execute()
  },

  findShift(db: Executor, id: string): Promise<ShiftTable | undefined> {
    return db.selectFrom('volunteer_shifts').selectAll().where('id', '=', id).executeTakeFirst()
  },

  sourced(db: Executor, sourceIds: readonly string[]): Promise<string[]> {
    if (!sourceIds.length) return Promise.resolve([])
    return db
      .selectFrom('volunteer_shifts')
      .select('source_id')
      .where('source_id', 'in', sourceIds)
      .execute()
      .then((rows) => rows.flatMap((r) => (r.source_id ? [r.source_id] : [])))
  },

  /** Shifts from `from` on, in the boroughs given (all when null), soonest first. */
  shifts(db: Executor, scope: readonly string[] | null, from: string): Promise<ShiftTable[]> {
    let q = db.selectFrom('volunteer_shifts').selectAll().where('ends_at', '>', from).orderBy('starts_at')
    if (scope) q = q.where('borough_id', 'in', scope.length ? scope : [''])
    return q.execute()
  },

  /**
   * Shifts under way or starting by `soon` with places still empty, coordinators not yet told: the
   * hourly job's, read from the (told, starts) index, not every shift there has been.
   */
  understaffedBy(db: Executor, now: string, soon: string): Promise<ShiftTable[]> {
    return shortOfHelpers(db, now, soon)
      .selectAll()
      .where('understaffed_told_at', 'is', null)
      .orderBy('starts_at')
      .execute()
  },

  /** Takes one place if one is left: of two claims of the last place, one update finds none. */
  async takePlace(db: Executor, shiftId: string): Promise<boolean> {
    const result = await db
      .updateTable('volunteer_shifts')
      .set((eb) => ({ places_taken: eb('places_taken', '+', 1) }))
      .where('id', '=', shiftId)
      .whereRef('places_taken', '<', 'places')
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  },

  async markUnderstaffedTold(db: Executor, shiftId: string, at: string): Promise<void> {
    await db
      .updateTable('volunteer_shifts')
      .set({ understaffed_told_at: at })
      .where('id', '=', shiftId)
      .execute()
  },

  /** Takes a volunteer off their shifts starting after `from`, giving each place back. */
  async freeShifts(db: Executor, volunteerId: string, from: string): Promise<void> {
    const coming = await db
      .selectFrom('volunteer_assignments')
      .select(['id', 'shift_id'])
      .where('volunteer_id', '=', volunteerId)
      .where('starts_at', '>', from)
      .execute()
    if (!coming.length) return
    // One place each: a volunteer is on a shift at most once. Two statements, however many shifts.
    const ids = coming.map((a) => a.id)
    const shiftIds = coming.map((a) => a.shift_id)
    await db.deleteFrom('volunteer_assignments').where('id', 'in', ids).execute()
    await db
      .updateTable('volunteer_shifts')
      .set((eb) => ({ places_taken: eb('places_taken', '-', 1) }))
      .where('id', 'in', shiftIds)
      .execute()
  },

  async insertAssignment(db: Executor, row: AssignmentTable): Promise<void> {
    await db.insertInto('volunteer_assignments').values(row).execute()
  },

  /** Holds the volunteer's row for the transaction, so their own two claims at once are checked one by one. */
  async lockVolunteer(db: Executor, dialect: Dialect, volunteerId: string): Promise<void> {
    await forUpdate(dialect, db.selectFrom('volunteers').select('id').where('id', '=', volunteerId)).execute()
  },

  /** The volunteer's shifts that overlap these times. */
  clashes(db: Executor, volunteerId: string, startsAt: string, endsAt: string) {
    return db
      .selectFrom('volunteer_assignments')
      .select('shift_id')
      .where('volunteer_id', '=', volunteerId)
      .where('starts_at', '<', endsAt)
      .where('ends_at', '>', startsAt)
      .execute()
  },

  /** Who is on a shift, by name. */
  onShift(db: Executor, shiftId: string) {
    return rotaRepository.onShifts(db, [shiftId])
  },

  /** Who is on each of these shifts, by name: one query for a whole rota, not one a shift. */
  onShifts(db: Executor, shiftIds: readonly string[]) {
    return readInBatches(shiftIds, (ids) =>
      db
        .selectFrom('volunteer_assignments as a')
        .innerJoin('volunteers as v', 'v.id', 'a.volunteer_id')
        .select(['a.id', 'a.shift_id', 'v.id as volunteer_id', 'v.name'])
        .where('a.shift_id', 'in', ids)
        .orderBy('v.name')
        .execute(),
    )
  },

  /** A volunteer's shifts from `from` on. */
  shiftsOf(db: Executor, volunteerId: string, from: string): Promise<ShiftTable[]> {
    return db
      .selectFrom('volunteer_assignments as a')
      .innerJoin('volunteer_shifts as s', 's.id', 'a.shift_id')
      .selectAll('s')
      .where('a.volunteer_id', '=', volunteerId)
      .where('s.ends_at', '>', from)
      .orderBy('s.starts_at')
      .execute()
  },

  /** Active volunteers of a borough, for assigning. */
  active(db: Executor, boroughId: string) {
    return db
      .selectFrom('volunteers')
      .select(['id', 'name', 'status'])
      .where('borough_id', '=', boroughId)
      .where('status', '=', 'active')
      .orderBy('name')
      .execute()
  },
}
