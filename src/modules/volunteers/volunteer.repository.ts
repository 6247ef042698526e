import type { Executor } from '#platform/database.ts'
import { readInBatches } from '#platform/in-batches.ts'
import type { VolunteerStatus } from './volunteer.ts'

export interface VolunteerTable {
  id: string
  borough_id: string
  user_id: string | null
  name: string
  email: string
  phone: string
  availability_json: string[]
  languages: string
  skills: string
  libraries_json: string[]
  referees: string
  consents_json: string[]
  status: VolunteerStatus
  left_reason: string | null
  applied_at: string
  waiting_reminded_at: string | null
  created_at: string
  updated_at: string
}

export interface StepTable {
  id: string
  volunteer_id: string
  status: VolunteerStatus
  reason: string | null
  moved_by_user_id: string | null
  moved_by_name: string | null
  moved_at: string
}

export interface CheckTable {
  id: string
  volunteer_id: string
  dbs_level: string
  has_barred_list: boolean
  certificate_number: string
  issued_on: string
  is_on_update_service: boolean
  status_checked_on: string | null
  renews_on: string
  references_received: number
  updated_at: string
}

export interface DraftTable {
  id: string
  token_hash: string
  answers_json: Record<string, Record<string, unknown>>
  expires_at: string
}

declare module '#platform/database.ts' {
  interface Tables {
    volunteers: VolunteerTable
    volunteer_steps: StepTable
    volunteer_checks: CheckTable
    volunteer_drafts: DraftTable
  }
}

/** All of the volunteers module's SQL. */
export const volunteerRepository = {
  async insert(db: Executor, row: VolunteerTable): Promise<void> {
    await db.insertInto('volunteers').values(row).execute()
  },

  find(db: Executor, id: string): Promise<VolunteerTable | undefined> {
    return db.selectFrom('volunteers').selectAll().where('id', '=', id).executeTakeFirst()
  },

  findByUser(db: Executor, userId: string): Promise<VolunteerTable | undefined> {
    return db.selectFrom('volunteers').selectAll().where('user_id', '=', userId).executeTakeFirst()
  },

  /** Which of these accounts are linked to a volunteer's record already. */
  async linkedUsers(db: Executor, userIds: readonly string[]): Promise<Set<string>> {
    const rows = await readInBatches(userIds, (ids) =>
      db.selectFrom('volunteers').select('user_id').where('user_id', 'in', ids).execute(),
    )
    return new Set(rows.flatMap((r) => (r.user_id ? [r.user_id] : [])))
  },

  /** A borough's volunteers (or all in scope), for the board. */
  list(db: Executor, scope: readonly string[] | null): Promise<VolunteerTable[]> {
    let q = db.selectFrom('volunteers').selectAll().orderBy('applied_at')
    if (scope) q = q.where('borough_id', 'in', scope.length ? scope : [''])
    return q.execute()
  },

  /**
   * Moves a volunteer on only from the step the mover saw: of two coordinators moving at once, the
   * second finds the step gone and changes nothing. Answers whether this move won.
   */
  async move(
    db: Executor,
    id: string,
    from: VolunteerStatus,
    changes: Pick<VolunteerTable, 'status' | 'left_reason' | 'updated_at'>,
  ): Promise<boolean> {
    const result = await db
      .updateTable('volunteers')
      .set(changes)
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  },

  async update(db: Executor, id: string, changes: Partial<Omit<VolunteerTable, 'id'>>): Promise<void> {
    await db.updateTable('volunteers').set(changes).where('id', '=', id).execute()
  },

  async insertStep(db: Executor, row: StepTable): Promise<void> {
    await db.insertInto('volunteer_steps').values(row).execute()
  },

  steps(db: Executor, volunteerId: string): Promise<StepTable[]> {
    return db
      .selectFrom('volunteer_steps')
      .selectAll()
      .where('volunteer_id', '=', volunteerId)
      .orderBy('moved_at')
      .orderBy('id')
      .execute()
  },

  /** Applications still at "applied" since before `before`, not yet reminded about. */
  waiting(db: Executor, before: string): Promise<VolunteerTable[]> {
    return db
      .selectFrom('volunteers')
      .selectAll()
      .where('status', '=', 'applied')
      .where('applied_at', '<', before)
      .where('waiting_reminded_at', 'is', null)
      .orderBy('applied_at')
      .execute()
  },

  check(db: Executor, volunteerId: string): Promise<CheckTable | undefined> {
    return db
      .selectFrom('volunteer_checks')
      .selectAll()
      .where('volunteer_id', '=', volunteerId)
      .executeTakeFirst()
  },

  /** The checks of each of these volunteers (one row each at most). */
  checksOf(db: Executor, volunteerIds: readonly string[]): Promise<CheckTable[]> {
    return readInBatches(volunteerIds, (ids) =>
      db.selectFrom('volunteer_checks').selectAll().where('volunteer_id', 'in', ids).execute(),
    )
  },

  /** A volunteer's check, recorded or replaced (one row each). */
  async saveCheck(db: Executor, row: CheckTable): Promise<void> {
    const { id, volunteer_id, ...changes } = row
    await db
      .insertInto('volunteer_checks')
      .values(row)
      .onConflict((oc) => oc.column('volunteer_id').doUpdateSet(changes))
      .execute()
  },

  async insertDraft(db: Executor, row: DraftTable): Promise<void> {
    await db.insertInto('volunteer_drafts').values(row).execute()
  },

  findDraft(db: Executor, tokenHash: string, now: string): Promise<DraftTable | undefined> {
    return db
      .selectFrom('volunteer_drafts')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .where('expires_at', '>', now)
      .executeTakeFirst()
  },

  async saveDraft(db: Executor, id: string, answers: DraftTable['answers_json']): Promise<void> {
    await db.updateTable('volunteer_drafts').set({ answers_json: answers }).where('id', '=', id).execute()
  },

  /** Deletes the draft; answers whether it was still there (a second send of the same form finds none). */
  async takeDraft(db: Executor, id: string): Promise<boolean> {
    const result = await db.deleteFrom('volunteer_drafts').where('id', '=', id).executeTakeFirst()
    return Number(result.numDeletedRows) === 1
  },

  async purgeDrafts(db: Executor, now: string): Promise<void> {
    await db.deleteFrom('volunteer_drafts').where('expires_at', '<=', now).execute()
  },
}
