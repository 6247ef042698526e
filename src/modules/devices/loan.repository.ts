import { sql } from 'kysely'
import type { Executor } from '#platform/database.ts'
import type { AllocationTable, FollowUpTable } from './device.repository.ts'

/**
 * What a reminder or a follow-up needs of an allocation and its device: who handed it out, the resident and
 * the channels they chose, and what to name in the message. One selection for every reminder's query.
 */
const REMINDED = [
  'a.id',
  'a.device_id',
  'a.allocated_by_user_id',
  'a.borough_id',
  'a.person_id',
  'a.can_text',
  'a.can_email',
  'a.due_on',
  'd.asset_tag',
  'd.kind',
  'd.network',
  'd.expires_on',
] as const

/**
 * The SQL of allocations: loans and gifts, their reminders and follow-ups, and the figures read from them.
 * Part of `deviceRepository` (spread into it), kept apart so each file has one subject.
 */
export const loanRepository = {
  async insertAllocation(db: Executor, row: AllocationTable) {
    await db.insertInto('device_allocations').values(row).execute()
  },

  openAllocation(db: Executor, deviceId: string) {
    return db
      .selectFrom('device_allocations')
      .selectAll()
      .where('device_id', '=', deviceId)
      .where('ended_at', 'is', null)
      .executeTakeFirst()
  },

  allocationsOf(db: Executor, deviceId: string) {
    return db
      .selectFrom('device_allocations')
      .selectAll()
      .where('device_id', '=', deviceId)
      .orderBy('allocated_at', 'desc')
      .execute()
  },

  async updateAllocation(db: Executor, id: string, fields: Partial<AllocationTable>) {
    await db.updateTable('device_allocations').set(fields).where('id', '=', id).execute()
  },

  /** Loans out whose due date has passed (or passes by `before`), oldest due first. */
  loansDueBy(db: Executor, boroughs: readonly string[] | null, before: string) {
    let q = db
      .selectFrom('device_allocations as a')
      .innerJoin('devices as d', 'd.id', 'a.device_id')
      .select(['a.id', 'a.device_id', 'a.person_id', 'a.due_on', 'a.handed_over_at', 'd.asset_tag', 'd.kind'])
      .select(['d.make_model'])
      .where('a.ended_at', 'is', null)
      .where('a.kind', '=', 'loan')
      .where('d.status', '=', 'on-loan')
      .where('a.due_on', '<=', before)
      .orderBy('a.due_on')
    if (boroughs) q = q.where('a.borough_id', 'in', boroughs)
    return q.execute()
  },

  /**
   * How many loans out are due back by `before`: the stock page's count of the overdue list. The device's
   * state is looked up for each loan found in the due-date index, not joined: PostgreSQL guessed that most
   * open loans match the date (as most of all loans do) and read every device to hash-join them (14 ms
   * against 1.4 ms at 50,000 devices and 200,000 loans).
   */
  async loansDueCount(db: Executor, boroughs: readonly string[] | null, before: string): Promise<number> {
    let q = db
      .selectFrom('device_allocations as a')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('a.ended_at', 'is', null)
      .where('a.kind', '=', 'loan')
      .where('a.due_on', '<=', before)
      .where(
        (eb) => eb.selectFrom('devices as d').select('d.status').whereRef('d.id', '=', 'a.device_id'),
        '=',
        'on-loan',
      )
    if (boroughs) q = q.where('a.borough_id', 'in', boroughs)
    return Number((await q.executeTakeFirstOrThrow()).n)
  },

  /** SIM cards out with a resident whose data ends by `before`. */
  simsExpiringBy(db: Executor, boroughs: readonly string[] | null, before: string) {
    let q = db
      .selectFrom('devices')
      .select(['id', 'asset_tag', 'network', 'expires_on', 'status'])
      .where('kind', '=', 'sim')
      .where('expires_on', '<=', before)
      .where('status', 'in', ['on-loan', 'gifted'])
      .orderBy('expires_on')
    if (boroughs) q = q.where('borough_id', 'in', boroughs)
    return q.execute()
  },

  /** Month by month: devices received, wipes, loans and gifts handed over, returns; per borough and kind. */
  async monthly(db: Executor, boroughs: readonly string[] | null, since: string) {
    const month = (col: string) => sql<string>`substr(cast(${sql.ref(col)} as text), 1, 7)`
    let received = db
      .selectFrom('devices')
      .select([month('devices.created_at').as('month'), 'borough_id', 'kind'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('created_at', '>=', since)
      .groupBy([month('devices.created_at'), 'borough_id', 'kind'])
    if (boroughs) received = received.where('borough_id', 'in', boroughs)
    let wiped = db
      .selectFrom('device_wipes as w')
      .innerJoin('devices as d', 'd.id', 'w.device_id')
      .select([month('w.recorded_at').as('month'), 'd.borough_id', 'd.kind'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('w.recorded_at', '>=', since)
      .groupBy([month('w.recorded_at'), 'd.borough_id', 'd.kind'])
    if (boroughs) wiped = wiped.where('d.borough_id', 'in', boroughs)
    let handed = db
      .selectFrom('device_allocations as a')
      .innerJoin('devices as d', 'd.id', 'a.device_id')
      .select([month('a.handed_over_at').as('month'), 'a.borough_id', 'd.kind', 'a.kind as allocation'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .select((eb) => eb.fn.count<number>('a.person_id').distinct().as('people'))
      .where('a.handed_over_at', '>=', since)
      .groupBy([month('a.handed_over_at'), 'a.borough_id', 'd.kind', 'a.kind'])
    if (boroughs) handed = handed.where('a.borough_id', 'in', boroughs)
    let returned = db
      .selectFrom('device_allocations as a')
      .innerJoin('devices as d', 'd.id', 'a.device_id')
      .select([month('a.ended_at').as('month'), 'a.borough_id', 'd.kind'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('a.ended_at', '>=', since)
      .where('a.end_reason', '=', 'returned')
      .groupBy([month('a.ended_at'), 'a.borough_id', 'd.kind'])
    if (boroughs) returned = returned.where('a.borough_id', 'in', boroughs)
    const [r, w, h, x] = await Promise.all([
      received.execute(),
      wiped.execute(),
      handed.execute(),
      returned.execute(),
    ])
    return { received: r, wiped: w, handed: h, returned: x }
  },

  /** Handovers since `since` that fulfilled a referral: when it was asked for and when it was handed over. */
  referralHandovers(db: Executor, boroughs: readonly string[] | null, since: string) {
    let q = db
      .selectFrom('device_allocations')
      .select(['requested_at', 'handed_over_at'])
      .where('handed_over_at', '>=', since)
      .where('requested_at', 'is not', null)
    if (boroughs) q = q.where('borough_id', 'in', boroughs)
    return q.execute()
  },

  /** How many different residents were handed a device or SIM since `since`. */
  async peopleHelped(db: Executor, boroughs: readonly string[] | null, since: string): Promise<number> {
    let q = db
      .selectFrom('device_allocations')
      .select((eb) => eb.fn.count<number>('person_id').distinct().as('n'))
      .where('handed_over_at', '>=', since)
    if (boroughs) q = q.where('borough_id', 'in', boroughs)
    return Number((await q.executeTakeFirstOrThrow()).n)
  },

  /** Loans out, due by `dueBy`, whose staff member has not been reminded. */
  loansToRemind(db: Executor, dueBy: string) {
    return db
      .selectFrom('device_allocations as a')
      .innerJoin('devices as d', 'd.id', 'a.device_id')
      .select(REMINDED)
      .where('a.ended_at', 'is', null)
      .where('d.status', '=', 'on-loan')
      .where('a.due_on', '<=', dueBy)
      .where('a.due_reminded_at', 'is', null)
      .execute()
  },

  /** Handovers on or before `by` not yet followed up (a SIM card's too: is the data used). */
  followUpsToAsk(db: Executor, by: string) {
    return db
      .selectFrom('device_allocations as a')
      .innerJoin('devices as d', 'd.id', 'a.device_id')
      .select(REMINDED)
      .where('a.handed_over_at', 'is not', null)
      .where('a.handed_over_at', '<=', by)
      .where('a.follow_up_asked_at', 'is', null)
      .execute()
  },

  async insertFollowUp(db: Executor, row: FollowUpTable) {
    await db.insertInto('device_follow_ups').values(row).execute()
  },

  followUpOf(db: Executor, allocationId: string) {
    return db
      .selectFrom('device_follow_ups')
      .selectAll()
      .where('allocation_id', '=', allocationId)
      .executeTakeFirst()
  },

  /** Follow-up answers since `since`: whether the device is used, and what for (for funders' outcomes). */
  followUps(db: Executor, boroughs: readonly string[] | null, since: string) {
    let q = db
      .selectFrom('device_follow_ups')
      .select(['using_it', 'uses_json'])
      .where('recorded_at', '>=', since)
    if (boroughs) q = q.where('borough_id', 'in', boroughs)
    return q.execute()
  },

  /**
   * SIM cards with a resident (lent or given) whose data ends from `endsFrom` to `endsBy`, not yet
   * reminded. Read by the end date from the SIM cards' index: without a first date, every SIM card whose
   * data ever ended was read each hour (8,500 of 50,000 devices in the benchmark).
   */
  simsToRemind(db: Executor, endsFrom: string, endsBy: string) {
    return db
      .selectFrom('device_allocations as a')
      .innerJoin('devices as d', 'd.id', 'a.device_id')
      .select(REMINDED)
      .where('d.kind', '=', 'sim')
      .where('d.status', 'in', ['on-loan', 'gifted'])
      .where('a.handed_over_at', 'is not', null)
      .where((eb) => eb.or([eb('a.ended_at', 'is', null), eb('a.end_reason', '=', 'gifted')]))
      .where('d.expires_on', '>=', endsFrom)
      .where('d.expires_on', '<=', endsBy)
      .where('a.expiry_reminded_at', 'is', null)
      .execute()
  },
}
