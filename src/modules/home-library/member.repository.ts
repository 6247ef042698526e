import { type Dialect, type Executor, forUpdate, type Tx } from '#platform/database.ts'
import { changeCounts } from './figures.ts'
import type { Basis, DayPart, Format, Frequency, MemberStatus } from './member.ts'
import { visitRepository } from './visit.repository.ts'

declare module '#platform/database.ts' {
  interface Tables {
    home_library_members: MemberTable
    home_library_member_changes: MemberChangeTable
    home_library_requests: RequestTable
    home_library_rounds: RoundTable
    home_library_stops: StopTable
    home_library_visits: VisitTable
    home_library_items: ItemTable
    home_library_device_help: DeviceHelpTable
    home_library_monthly_counts: { id: string; borough_id: string; month: string; measure: string; n: number }
    home_library_visited_years: {
      id: string
      member_id: string
      person_id: string
      borough_id: string
      year: number
    }
  }
}

export interface MemberTable {
  id: string
  borough_id: string
  person_id: string
  need_id: string | null
  name: string
  basis: Basis
  evidence: string
  review_on: string | null
  /** The review date a reminder went out for (see review-reminders.ts). */
  review_reminded_for: string | null
  status: MemberStatus
  paused_until: string | null
  left_reason: string | null
  joined_on: string
  left_on: string | null
  delivery_day: number
  day_part: DayPart
  frequency: Frequency
  starts_on: string
  max_items: number
  formats_json: Format[]
  likes: string
  dislikes: string
  /** Key safe, call first, pets, best door: Home Library roles only, each view audited. */
  access_notes: string
  /** Home Library roles only, each view audited. */
  emergency_contact: string
  communication_json: string[]
  is_digital_support_wanted: boolean
  created_at: string
  updated_at: string
}

export interface MemberChangeTable {
  id: string
  member_id: string
  borough_id: string
  status: MemberStatus
  reason: string | null
  is_joining: boolean
  changed_on: string
  created_at: string
  /** How this change moved the borough's count of active members: +1, 0 or -1. */
  active_delta: number
}

export interface RequestTable {
  /** The referral need's id. */
  id: string
  referral_id: string
  person_id: string
  borough_id: string
  name: string
  basis: string
  interests: string
  routed_at: string
  member_id: string | null
}

export interface RoundTable {
  id: string
  borough_id: string
  name: string
  library: string
  weekday: number
  deliverer_user_id: string
  deliverer_name: string
  created_at: string
  updated_at: string
}

export interface StopTable {
  id: string
  round_id: string
  member_id: string
  weekday: number
  position: number
}

export interface VisitTable {
  id: string
  member_id: string
  borough_id: string
  due_on: string
  status: 'planned' | 'done' | 'missed'
  missed_reason: string | null
  digital_minutes: number
  digital_help: string
  recorded_by_user_id: string | null
  recorded_at: string | null
  created_at: string
}

export interface ItemTable {
  id: string
  member_id: string
  borough_id: string
  visit_id: string
  title: string
  author: string
  format: Format
  identifier: string
  match_key: string
  delivered_on: string
  collected_on: string | null
  created_at: string
}

export interface DeviceHelpTable {
  id: string
  member_id: string
  borough_id: string
  kind: 'lent-tablet' | 'own-device'
  device: string
  help: string
  given_on: string
  recorded_by_user_id: string
  created_at: string
}

/** The columns of a member every Home Library page may show: never the access notes or emergency contact. */
const SUMMARY = [
  'id',
  'borough_id',
  'person_id',
  'name',
  'basis',
  'status',
  'review_on',
  'paused_until',
  'delivery_day',
  'day_part',
  'frequency',
] as const

export type MemberSummary = Pick<MemberTable, (typeof SUMMARY)[number]>

/** Members and the requests they come from. */
export const memberRepository = {
  async insert(db: Executor, row: MemberTable): Promise<void> {
    await db.insertInto('home_library_members').values(row).execute()
  },

  find(db: Executor, id: string): Promise<MemberTable | undefined> {
    return db.selectFrom('home_library_members').selectAll().where('id', '=', id).executeTakeFirst()
  },

  lock(tx: Tx, dialect: Dialect, id: string): Promise<MemberTable | undefined> {
    return forUpdate(
      dialect,
      tx.selectFrom('home_library_members').selectAll().where('id', '=', id),
    ).executeTakeFirst()
  },

  async update(db: Executor, id: string, fields: Partial<Omit<MemberTable, 'id'>>): Promise<void> {
    await db.updateTable('home_library_members').set(fields).where('id', '=', id).execute()
  },

  list(
    db: Executor,
    scope: readonly string[] | null,
    filter: { status?: MemberStatus } = {},
  ): Promise<MemberSummary[]> {
    let q = db.selectFrom('home_library_members').select(SUMMARY).orderBy('name').orderBy('id')
    if (scope) q = q.where('borough_id', 'in', scope.length ? scope : [''])
    if (filter.status) q = q.where('status', '=', filter.status)
    return q.limit(500).execute()
  },

  /** Members not left, in one borough, for planning and for rounds. */
  current(db: Executor, boroughId: string): Promise<MemberTable[]> {
    return db
      .selectFrom('home_library_members')
      .selectAll()
      .where('borough_id', '=', boroughId)
      .where('status', '!=', 'left')
      .orderBy('name')
      .execute()
  },

  /** Temporary members whose review is on or before `by`. */
  reviewsBy(db: Executor, scope: readonly string[] | null, by: string): Promise<MemberSummary[]> {
    let q = db
      .selectFrom('home_library_members')
      .select(SUMMARY)
      .where('status', '!=', 'left')
      .where('review_on', '<=', by)
      .orderBy('review_on')
    if (scope) q = q.where('borough_id', 'in', scope.length ? scope : [''])
    return q.execute()
  },

  /**
   * A change of status, after the member's others (changes are recorded as they happen, in order), with how
   * it moved the active count: from the member's latest change before it.
   */
  /** Members whose review is on or before `by` and not yet reminded for that date (left members never). */
  async reviewsToRemind(db: Executor, by: string) {
    const rows = await db
      .selectFrom('home_library_members')
      .select(['id', 'borough_id', 'review_on'])
      .where('status', '!=', 'left')
      .where('review_on', 'is not', null)
      .where('review_on', '<=', by)
      .where((eb) =>
        eb.or([eb('review_reminded_for', 'is', null), eb('review_reminded_for', '!=', eb.ref('review_on'))]),
      )
      .orderBy('review_on')
      .execute()
    return rows.map((r) => ({ ...r, review_on: r.review_on as string }))
  },

  async markReviewReminded(tx: Tx, id: string, reviewOn: string): Promise<void> {
    await tx
      .updateTable('home_library_members')
      .set({ review_reminded_for: reviewOn })
      .where('id', '=', id)
      .execute()
  },

  /** A change of status, and what it adds to its month's figures, in the caller's transaction. */
  async insertChange(tx: Tx, row: Omit<MemberChangeTable, 'active_delta'>): Promise<void> {
    const latest = await tx
      .selectFrom('home_library_member_changes')
      .select('status')
      .where('member_id', '=', row.member_id)
      .orderBy('changed_on', 'desc')
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst()
    const activeDelta = Number(row.status === 'active') - Number(latest?.status === 'active')
    await tx
      .insertInto('home_library_member_changes')
      .values({ ...row, active_delta: activeDelta })
      .execute()
    await visitRepository.addCounts(
      tx,
      row.borough_id,
      row.changed_on,
      changeCounts({ ...row, active_delta: activeDelta }),
    )
  },

  changesOf(db: Executor, memberId: string): Promise<MemberChangeTable[]> {
    return db
      .selectFrom('home_library_member_changes')
      .selectAll()
      .where('member_id', '=', memberId)
      .orderBy('changed_on')
      .orderBy('created_at')
      .execute()
  },

  /** A routed request is kept once, however often the event comes. */
  async insertRequest(db: Executor, row: RequestTable): Promise<void> {
    await db
      .insertInto('home_library_requests')
      .values(row)
      .onConflict((oc) => oc.column('id').doNothing())
      .execute()
  },

  waitingRequests(db: Executor, scope: readonly string[] | null): Promise<RequestTable[]> {
    let q = db
      .selectFrom('home_library_requests')
      .selectAll()
      .where('member_id', 'is', null)
      .orderBy('routed_at')
    if (scope) q = q.where('borough_id', 'in', scope.length ? scope : [''])
    return q.limit(200).execute()
  },

  findRequest(db: Executor, id: string): Promise<RequestTable | undefined> {
    return db.selectFrom('home_library_requests').selectAll().where('id', '=', id).executeTakeFirst()
  },

  /** False when someone else turned the request into a member first. */
  async claimRequest(tx: Tx, id: string, memberId: string): Promise<boolean> {
    const result = await tx
      .updateTable('home_library_requests')
      .set({ member_id: memberId })
      .where('id', '=', id)
      .where('member_id', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  },

  /** Inside a person merge: members and requests follow the record kept. */
  async repointPerson(tx: Tx, fromId: string, toId: string): Promise<void> {
    await tx
      .updateTable('home_library_members')
      .set({ person_id: toId })
      .where('person_id', '=', fromId)
      .execute()
    await tx
      .updateTable('home_library_requests')
      .set({ person_id: toId })
      .where('person_id', '=', fromId)
      .execute()
  },

  async insertDeviceHelp(db: Executor, row: DeviceHelpTable): Promise<void> {
    await db.insertInto('home_library_device_help').values(row).execute()
  },

  deviceHelpOf(db: Executor, memberId: string): Promise<DeviceHelpTable[]> {
    return db
      .selectFrom('home_library_device_help')
      .selectAll()
      .where('member_id', '=', memberId)
      .orderBy('given_on', 'desc')
      .execute()
  },
}
