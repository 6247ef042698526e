import { compiledInsert } from '#platform/compiled.ts'
import type { Dialect, Executor, Tx } from '#platform/database.ts'
import { forUpdate } from '#platform/database.ts'
import type { NeedKind, NeedState, Outcome } from './referral.ts'

declare module '#platform/database.ts' {
  interface Tables {
    referrals: ReferralTable
    referral_needs: NeedTable
    referral_events: EventTable
    referral_digests: { team_code: string; day: string; sent_at: string }
    /**
     * The words of each referral's name and postcode, for staff search (search-words.ts), with the
     * referral's borough and when it was made, so that a search reads its matches in the queue's order.
     */
    referral_search_words: { referral_id: string; word: string; borough_id: string; created_at: string }
  }
}

export interface ReferralTable {
  id: string
  reference: string
  borough_id: string
  person_id: string
  source: 'self' | 'partner-web' | 'partner-api'
  referrer_organisation_id: string | null
  status: 'submitted' | 'in-progress' | 'closed'
  /** As given on the referral, for the queue and its search; the person record may later differ. */
  resident_name: string
  name_key: string
  postcode: string | null
  answers_json: Record<string, unknown>
  referrer_json: Record<string, string> | null
  privacy_notice_version: string
  consent_at: string
  journey_token_hash: string | null
  /** The three words given with the reference, hashed with it (tracking-words.ts); null from the API. */
  tracking_words_hash: string | null
  idempotency_key: string | null
  idempotency_hash: string | null
  assigned_user_id: string | null
  assigned_name: string | null
  created_at: string
  updated_at: string
}

export interface NeedTable {
  id: string
  referral_id: string
  kind: NeedKind
  details_json: Record<string, unknown>
  status: NeedState
  outcome: Outcome | null
  team_code: string
  declined_reason: string | null
  signposting: string | null
  created_at: string
  updated_at: string
}

export interface EventTable {
  id: string
  referral_id: string
  need_id: string | null
  kind: 'submitted' | 'status' | 'note' | 'contact-attempt' | 'assigned' | 'transferred' | 'person-merged'
  from_status: string | null
  to_status: string | null
  outcome: string | null
  detail_json: Record<string, string> | null
  /** Internal: staff only, never shown to a referrer or a resident. */
  note: string | null
  user_id: string | null
  user_name: string | null
  at: string
}

// The inserts of every referral made: compiled once (see compiledInsert).
const insertReferrals = compiledInsert('referrals', (qb) =>
  qb.onConflict((oc) => oc.column('reference').doNothing()),
)
const insertNeedRows = compiledInsert('referral_needs')
const insertEvents = compiledInsert('referral_events')
const insertSearchWords = compiledInsert('referral_search_words')

/** A referral's words carry its borough and date (queue-words.repository.ts): they move when it does. */
async function moveSearchWords(
  db: Executor,
  referralId: string,
  { borough_id, created_at }: Partial<Pick<ReferralTable, 'borough_id' | 'created_at'>>,
) {
  if (borough_id === undefined && created_at === undefined) return
  await db
    .updateTable('referral_search_words')
    .set({ borough_id, created_at })
    .where('referral_id', '=', referralId)
    .execute()
}

/**
 * The SQL of referrals, their requests and events. Each function takes the database or a transaction.
 * The /refer journeys in progress (journey.repository.ts) and the triage queue (queue.repository.ts) have their own.
 */
export const referralRepository = {
  /** False, and nothing written, if the reference is taken: the caller draws another. */
  /** False when the reference is taken already. */
  async insertReferral(db: Executor, row: ReferralTable): Promise<boolean> {
    return (await insertReferrals(db, [row])) === 1
  },

  /** A referral's needs, in one statement. */
  async insertNeeds(db: Executor, rows: readonly NeedTable[]): Promise<void> {
    await insertNeedRows(db, rows)
  },

  async insertEvent(db: Executor, row: EventTable): Promise<void> {
    await insertEvents(db, [row])
  },

  /** The words a new referral is found by (search-words.ts), written with its name and postcode. */
  async insertSearchWords(
    db: Executor,
    referral: Pick<ReferralTable, 'id' | 'borough_id' | 'created_at'>,
    words: readonly string[],
  ): Promise<void> {
    const { id, borough_id, created_at } = referral
    if (words.length)
      await insertSearchWords(
        db,
        words.map((word) => ({ referral_id: id, word, borough_id, created_at })),
      )
  },

  findById(db: Executor, id: string) {
    return db.selectFrom('referrals').selectAll().where('id', '=', id).executeTakeFirst()
  },

  findByReference(db: Executor, reference: string) {
    return db.selectFrom('referrals').selectAll().where('reference', '=', reference).executeTakeFirst()
  },

  findByIdempotencyKey(db: Executor, organisationId: string, key: string) {
    return db
      .selectFrom('referrals')
      .selectAll()
      .where('referrer_organisation_id', '=', organisationId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst()
  },

  findByJourney(db: Executor, tokenHash: string) {
    return db
      .selectFrom('referrals')
      .selectAll()
      .where('journey_token_hash', '=', tokenHash)
      .executeTakeFirst()
  },

  async updateReferral(db: Executor, id: string, fields: Partial<Omit<ReferralTable, 'id'>>): Promise<void> {
    await db.updateTable('referrals').set(fields).where('id', '=', id).execute()
    await moveSearchWords(db, id, fields)
  },

  needsOf(db: Executor, referralIds: readonly string[]) {
    if (!referralIds.length) return Promise.resolve([])
    return db
      .selectFrom('referral_needs')
      .selectAll()
      .where('referral_id', 'in', referralIds)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
  },

  findNeed(db: Executor, referralId: string, needId: string) {
    return db
      .selectFrom('referral_needs')
      .selectAll()
      .where('referral_id', '=', referralId)
      .where('id', '=', needId)
      .executeTakeFirst()
  },

  /** A need by its id alone, locked: for a booking made elsewhere that names it. */
  lockNeedById(tx: Tx, dialect: Dialect, needId: string) {
    return forUpdate(
      dialect,
      tx.selectFrom('referral_needs').selectAll().where('id', '=', needId),
    ).executeTakeFirst()
  },

  /** The need, locked until the transaction ends, so two officers' changes to it queue. */
  lockNeed(tx: Tx, dialect: Dialect, referralId: string, needId: string) {
    return forUpdate(
      dialect,
      tx
        .selectFrom('referral_needs')
        .selectAll()
        .where('id', '=', needId)
        .where('referral_id', '=', referralId),
    ).executeTakeFirst()
  },

  async updateNeed(db: Executor, id: string, fields: Partial<Omit<NeedTable, 'id'>>): Promise<void> {
    await db.updateTable('referral_needs').set(fields).where('id', '=', id).execute()
  },

  eventsOf(db: Executor, referralId: string) {
    return db
      .selectFrom('referral_events')
      .selectAll()
      .where('referral_id', '=', referralId)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .execute()
  },

  async countContactAttempts(db: Executor, referralId: string): Promise<number> {
    const row = await db
      .selectFrom('referral_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('referral_id', '=', referralId)
      .where('kind', '=', 'contact-attempt')
      .executeTakeFirstOrThrow()
    return Number(row.n)
  },

  async repointPerson(db: Executor, fromId: string, toId: string): Promise<string[]> {
    const rows = await db
      .updateTable('referrals')
      .set({ person_id: toId })
      .where('person_id', '=', fromId)
      .returning('id')
      .execute()
    return rows.map((r) => r.id)
  },

  /** Moves a demo case's whole history back in time: the referral, its requests and its events together. */
  async moveBack(db: Executor, referralId: string, ms: number): Promise<void> {
    const back = (iso: string) => new Date(Date.parse(iso) - ms).toISOString()
    const r = await db
      .selectFrom('referrals')
      .select(['created_at', 'updated_at', 'consent_at'])
      .where('id', '=', referralId)
      .executeTakeFirstOrThrow()
    await db
      .updateTable('referrals')
      .set({ created_at: back(r.created_at), updated_at: back(r.updated_at), consent_at: back(r.consent_at) })
      .where('id', '=', referralId)
      .execute()
    await moveSearchWords(db, referralId, { created_at: back(r.created_at) })
    const needs = await db
      .selectFrom('referral_needs')
      .select(['id', 'created_at', 'updated_at'])
      .where('referral_id', '=', referralId)
      .execute()
    for (const n of needs)
      await db
        .updateTable('referral_needs')
        .set({ created_at: back(n.created_at), updated_at: back(n.updated_at) })
        .where('id', '=', n.id)
        .execute()
    const events = await db
      .selectFrom('referral_events')
      .select(['id', 'at'])
      .where('referral_id', '=', referralId)
      .execute()
    for (const e of events)
      await db
        .updateTable('referral_events')
        .set({ at: back(e.at) })
        .where('id', '=', e.id)
        .execute()
  },

  /** How many demo requests are in each state (demo referrals carry the privacy notice version `demo`). */
  async demoCounts(db: Executor) {
    const rows = await db
      .selectFrom('referral_needs as n')
      .innerJoin('referrals as r', 'r.id', 'n.referral_id')
      .select((eb) => ['n.status', eb.fn.countAll<number>().as('n')])
      .where('r.privacy_notice_version', '=', 'demo')
      .groupBy('n.status')
      .execute()
    return rows.map((r) => ({ status: r.status, n: Number(r.n) }))
  },

  /** The teams whose digest for `day` has gone. */
  async digestsSent(db: Executor, day: string): Promise<Set<string>> {
    const rows = await db.selectFrom('referral_digests').select('team_code').where('day', '=', day).execute()
    return new Set(rows.map((r) => r.team_code))
  },

  /** Claims the digest of a team for a day; false if it was already sent. */
  async claimDigest(db: Executor, teamCode: string, day: string, at: string): Promise<boolean> {
    const result = await db
      .insertInto('referral_digests')
      .values({ team_code: teamCode, day, sent_at: at })
      .onConflict((oc) => oc.columns(['team_code', 'day']).doNothing())
      .executeTakeFirst()
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1
  },

  /** One page of a partner organisation's referrals, newest first, with the total: no names, no notes. */
  async byOrganisation(db: Executor, organisationId: string, limit: number, offset: number) {
    const q = db.selectFrom('referrals').where('referrer_organisation_id', '=', organisationId)
    const [rows, total] = await Promise.all([
      q
        .select(['id', 'reference', 'status', 'created_at'])
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .offset(offset)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ])
    return { rows, total: Number(total.n) }
  },

  /** A need by its own id, for a module that fulfils it (devices) and knows no referral. */
  needById(db: Executor, id: string) {
    return db.selectFrom('referral_needs').selectAll().where('id', '=', id).executeTakeFirst()
  },
}
