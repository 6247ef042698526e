import { listBoroughs } from '#platform/boroughs.ts'
import { compiledOnce } from '#platform/compiled.ts'
import type { Executor } from '#platform/database.ts'
import type { DeviceKind, DeviceState } from './device.ts'
import { loanRepository } from './loan.repository.ts'

declare module '#platform/database.ts' {
  interface Tables {
    device_donations: DonationTable
    devices: DeviceTable
    device_wipes: WipeTable
    device_disposals: DisposalTable
    device_allocations: AllocationTable
    device_events: DeviceEventTable
    device_follow_ups: FollowUpTable
    device_stock_version: { id: number; version: number }
  }
}

export interface DonationTable {
  id: string
  borough_id: string
  /** `organisation` or `person` */
  donor_kind: string
  donor_name: string
  donor_email: string | null
  received_on: string
  /** What came in, in the words of whoever took it. */
  description: string
  created_by_user_id: string | null
  created_at: string
}

export interface DeviceTable {
  id: string
  kind: DeviceKind
  make_model: string
  serial: string | null
  imei: string | null
  iccid: string | null
  asset_tag: string
  source: string
  donation_id: string | null
  condition: string
  library_id: string
  /** The library's borough, kept here so every list filters by scope without a join. */
  borough_id: string
  status: DeviceState
  network: string | null
  allowance: string | null
  activated_on: string | null
  expires_on: string | null
  voucher_code: string | null
  /** When it last came back: a wipe recorded before then does not count. */
  last_returned_at: string | null
  created_at: string
  updated_at: string
}

export interface WipeTable {
  id: string
  device_id: string
  method: string
  standard: string
  tool: string
  wiped_by: string
  wiped_on: string
  certificate_ref: string
  recorded_by_user_id: string | null
  recorded_at: string
}

export interface DisposalTable {
  id: string
  device_id: string
  /** `recycled` or `destroyed` */
  outcome: string
  recycler: string
  certificate_ref: string
  disposed_on: string
  recorded_by_user_id: string | null
  recorded_at: string
}

export interface AllocationTable {
  id: string
  device_id: string
  person_id: string
  borough_id: string
  /** `loan` or `gift` */
  kind: string
  /** `desk`, `referral` or `home-library` */
  via: string
  referral_need_id: string | null
  /** When the referral asked: for days from request to device. */
  requested_at: string | null
  due_on: string | null
  allocated_by_user_id: string | null
  allocated_at: string
  agreement_version: string | null
  /** The resident's name as they typed it to accept the agreement. */
  agreed_name: string | null
  witness_user_id: string | null
  handed_over_at: string | null
  handover_items_json: string[] | null
  ended_at: string | null
  /** `returned`, `lost` or `cancelled` */
  end_reason: string | null
  return_items_json: string[] | null
  return_condition: string | null
  /** When staff were reminded that the loan is nearly due, or that the SIM's data is nearly ended. */
  due_reminded_at: string | null
  expiry_reminded_at: string | null
  /** Reminders may go to the resident by text or email: what they said at handover is safe. */
  can_text: boolean
  can_email: boolean
  /** When staff were asked to follow the handover up (is it used, and what for). */
  follow_up_asked_at: string | null
}

export interface FollowUpTable {
  id: string
  allocation_id: string
  borough_id: string
  using_it: 'yes' | 'sometimes' | 'no'
  uses_json: string[]
  recorded_by_user_id: string
  recorded_at: string
}

export interface DeviceEventTable {
  id: string
  device_id: string
  from_status: DeviceState | null
  to_status: DeviceState
  user_id: string | null
  at: string
}

export interface StockFilter {
  boroughs: readonly string[] | null
  kind?: DeviceKind
  status?: DeviceState
  library?: string
  /** Asset tag, serial or make and model, any case. */
  text?: string
  limit: number
  offset: number
}

/** Columns of a device that lists may show: never the voucher code. */
const LISTED = [
  'id',
  'kind',
  'make_model',
  'serial',
  'asset_tag',
  'source',
  'condition',
  'library_id',
  'borough_id',
  'status',
  'expires_on',
  'updated_at',
] as const

// Asked on every stock page: compiled once (see compiledOnce).
const versionRow = compiledOnce((db: Executor) =>
  db.selectFrom('device_stock_version').select('version').where('id', '=', 1),
)

export const deviceRepository = {
  ...loanRepository,
  /** The stock's version: moved by triggers at every write to devices and allocations (migration 0730). */
  async stockVersion(db: Executor): Promise<number> {
    const [row] = await versionRow(db)
    return Number(row?.version ?? 0)
  },

  async insertDonation(db: Executor, row: DonationTable) {
    await db.insertInto('device_donations').values(row).execute()
  },

  findDonation(db: Executor, id: string) {
    return db.selectFrom('device_donations').selectAll().where('id', '=', id).executeTakeFirst()
  },

  recentDonations(db: Executor, boroughs: readonly string[] | null, limit: number) {
    let q = db.selectFrom('device_donations').selectAll().orderBy('received_on', 'desc').orderBy('id', 'desc')
    if (boroughs) q = q.where('borough_id', 'in', boroughs)
    return q.limit(limit).execute()
  },

  devicesOfDonation(db: Executor, donationId: string) {
    return db
      .selectFrom('devices')
      .leftJoin('device_disposals', 'device_disposals.device_id', 'devices.id')
      .select(['devices.id', 'devices.kind', 'devices.make_model', 'devices.asset_tag', 'devices.status'])
      .select(['device_disposals.outcome as disposal_outcome'])
      .where('devices.donation_id', '=', donationId)
      .orderBy('devices.asset_tag')
      .execute()
  },

  async insertDevice(db: Executor, row: DeviceTable) {
    await db.insertInto('devices').values(row).execute()
  },

  findDevice(db: Executor, id: string) {
    return db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirst()
  },

  findBySerial(db: Executor, serial: string) {
    return db.selectFrom('devices').select('id').where('serial', '=', serial).executeTakeFirst()
  },

  findByAssetTag(db: Executor, tag: string) {
    return db.selectFrom('devices').select('id').where('asset_tag', '=', tag).executeTakeFirst()
  },

  /**
   * Moves a device on only if it is still in one of `from` (and, when asked, has a wipe recorded since it
   * last came back): the check and the write are one statement, so of two people trying at once exactly
   * one moves it. Answers whether it moved.
   */
  async moveIf(
    db: Executor,
    id: string,
    from: readonly DeviceState[],
    to: DeviceState,
    opts: { boroughs: readonly string[] | null; wiped?: boolean; now: string },
  ): Promise<boolean> {
    let q = db
      .updateTable('devices')
      .set({ status: to, updated_at: opts.now })
      .where('id', '=', id)
      .where('status', 'in', from)
    if (opts.boroughs) q = q.where('borough_id', 'in', opts.boroughs)
    if (opts.wiped)
      q = q.where((eb) =>
        eb.or([
          eb('kind', '=', 'sim'),
          eb.exists(
            eb
              .selectFrom('device_wipes as w')
              .select('w.id')
              .whereRef('w.device_id', '=', 'devices.id')
              .where((w) =>
                w.or([
                  w('devices.last_returned_at', 'is', null),
                  w('w.recorded_at', '>=', w.ref('devices.last_returned_at')),
                ]),
              ),
          ),
        ]),
      )
    const result = await q.executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  },

  async updateDevice(db: Executor, id: string, fields: Partial<DeviceTable>) {
    await db.updateTable('devices').set(fields).where('id', '=', id).execute()
  },

  async insertEvent(db: Executor, row: DeviceEventTable) {
    await db.insertInto('device_events').values(row).execute()
  },

  eventsOf(db: Executor, deviceId: string) {
    return db
      .selectFrom('device_events')
      .selectAll()
      .where('device_id', '=', deviceId)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .execute()
  },

  async insertWipe(db: Executor, row: WipeTable) {
    await db.insertInto('device_wipes').values(row).execute()
  },

  wipesOf(db: Executor, deviceId: string) {
    return db
      .selectFrom('device_wipes')
      .selectAll()
      .where('device_id', '=', deviceId)
      .orderBy('recorded_at', 'desc')
      .execute()
  },

  async insertDisposal(db: Executor, row: DisposalTable) {
    await db.insertInto('device_disposals').values(row).execute()
  },

  disposalOf(db: Executor, deviceId: string) {
    return db.selectFrom('device_disposals').selectAll().where('device_id', '=', deviceId).executeTakeFirst()
  },

  /**
   * A page of the stock, newest change first. One borough's devices are read in order from its index; for
   * several (or all), each borough's first rows are read so and merged here, as the triage queue does: one
   * query over all of them sorts every device on every page.
   */
  async stockRows(db: Executor, f: StockFilter) {
    const boroughs = f.boroughs ?? (await listBoroughs(db)).map((b) => b.id)
    if (boroughs.length < 2) return stockOf(db, { ...f, boroughs }).execute()
    const each = await Promise.all(
      boroughs.map((b) =>
        stockOf(db, { ...f, boroughs: [b], limit: f.offset + f.limit, offset: 0 }).execute(),
      ),
    )
    const newestFirst = (a: { updated_at: string; id: string }, b: { updated_at: string; id: string }) =>
      a.updated_at === b.updated_at ? (a.id < b.id ? 1 : -1) : a.updated_at < b.updated_at ? 1 : -1
    return each
      .flat()
      .sort(newestFirst)
      .slice(f.offset, f.offset + f.limit)
  },

  /** How many devices the stock's filter finds, in all its pages. */
  async stockCount(db: Executor, f: Omit<StockFilter, 'limit' | 'offset'>): Promise<number> {
    const row = await filtered(db, f)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  },

  /**
   * Devices ready to hand out at a library, of a kind: the figure the directory publishes. The library's
   * borough (every device keeps its library's) makes it a count of one range of the `devices_stock` index,
   * not a scan of the whole index.
   */
  async readyCount(
    db: Executor,
    at: { borough_id: string; library_id: string; kind: DeviceKind },
  ): Promise<number> {
    const row = await db
      .selectFrom('devices')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('borough_id', '=', at.borough_id)
      .where('library_id', '=', at.library_id)
      .where('kind', '=', at.kind)
      .where('status', '=', 'ready')
      .executeTakeFirstOrThrow()
    return Number(row.n)
  },

  /** Devices ready to hand out per library and kind, in scope: the stock page's summary. */
  readySummary(db: Executor, boroughs: readonly string[] | null) {
    let q = db
      .selectFrom('devices')
      .select(['library_id', 'kind', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', '=', 'ready')
      .groupBy(['library_id', 'kind'])
    if (boroughs) q = q.where('borough_id', 'in', boroughs)
    return q.execute()
  },
}

/** The devices a stock filter finds: in its boroughs, of its type, state and library, by tag or serial. */
function filtered(db: Executor, f: Omit<StockFilter, 'limit' | 'offset'>) {
  let q = db.selectFrom('devices')
  if (f.boroughs) q = q.where('borough_id', 'in', f.boroughs)
  if (f.kind) q = q.where('kind', '=', f.kind)
  if (f.status) q = q.where('status', '=', f.status)
  if (f.library) q = q.where('library_id', '=', f.library)
  if (f.text) {
    const text = f.text.toUpperCase()
    q = q.where((eb) =>
      eb.or([eb('asset_tag', '=', text), eb('serial', '=', f.text as string), eb('serial', '=', text)]),
    )
  }
  return q
}

/** One page of the filtered stock, newest change first, read in the order of one of the stock's indexes. */
function stockOf(db: Executor, f: StockFilter) {
  return filtered(db, f)
    .select(LISTED)
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(f.limit)
    .offset(f.offset)
}
