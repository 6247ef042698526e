import { compiledOnce } from '#platform/compiled.ts'
import type { Executor } from '#platform/database.ts'
import { likePattern } from '#platform/database.ts'
import { FINISHED_STATES, type NeedKind, type NeedState } from './referral.ts'

export interface QueueFilter {
  /** The caller's boroughs; null for all. */
  scope: readonly string[] | null
  borough?: string
  status?: NeedState
  need?: NeedKind
  /** Submitted at or before this instant ("waiting at least N days"). */
  createdBefore?: string
  officer?: string | 'none'
  staleOnly?: boolean
  search?: { reference?: string; text?: string }
  staleBefore: string
  limit: number
  offset: number
  /** Matches are counted up to this many, no further: an exact count reads every match. */
  countUpTo: number
}

// The queue's requests, on every page of it: compiled once (see compiledOnce).
const needSummaryRows = compiledOnce((db: Executor, referralIds: readonly string[]) =>
  db
    .selectFrom('referral_needs')
    .select(['referral_id', 'kind', 'status', 'outcome', 'updated_at'])
    .where('referral_id', 'in', referralIds)
    .orderBy('created_at')
    .orderBy('id'),
)

/** The SQL of the triage queue and of what waits for staff (the pages staff live in), and of stale requests. */
export const queueRepository = {
  /** What the queue shows of each need (no details): its state, and when it last changed for the stale flag. */
  needSummaries(db: Executor, referralIds: readonly string[]) {
    if (!referralIds.length) return Promise.resolve([])
    return needSummaryRows(db, referralIds)
  },

  /**
   * One page of the triage queue, newest first, and how many match: exactly up to `countUpTo`, and
   * `more` when there are others beyond. The caller flags stale referrals from their needs.
   */
  async queue(db: Executor, f: QueueFilter) {
    let q = db.selectFrom('referrals as r')
    if (f.borough) q = q.where('r.borough_id', '=', f.borough)
    if (f.createdBefore) q = q.where('r.created_at', '<=', f.createdBefore)
    if (f.officer === 'none') q = q.where('r.assigned_user_id', 'is', null)
    else if (f.officer) q = q.where('r.assigned_user_id', '=', f.officer)
    if (f.search?.reference) q = q.where('r.reference', '=', f.search.reference)
    else if (f.search?.text) {
      const pattern = likePattern(f.search.text)
      const compact = likePattern(f.search.text.replace(/\s+/g, ''))
      q = q.where((eb) =>
        eb.or([
          eb('r.name_key', 'like', pattern),
          eb(eb.fn('replace', ['r.postcode', eb.val(' '), eb.val('')]), 'like', compact.toUpperCase()),
        ]),
      )
    }
    if (f.status || f.need)
      q = q.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('referral_needs as n')
            .select('n.id')
            .whereRef('n.referral_id', '=', 'r.id')
            .$if(Boolean(f.status), (s) => s.where('n.status', '=', f.status as NeedState))
            .$if(Boolean(f.need), (s) => s.where('n.kind', '=', f.need as NeedKind)),
        ),
      )
    if (f.staleOnly)
      q = q.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('referral_needs as s')
            .select('s.id')
            .whereRef('s.referral_id', '=', 'r.id')
            .where('s.status', 'not in', FINISHED_STATES)
            .where('s.updated_at', '<', f.staleBefore),
        ),
      )
    const unscoped = q
    if (f.scope)
      q = f.scope.length ? q.where('r.borough_id', 'in', f.scope) : q.where(({ val }) => val(false))
    const page = (from: typeof q, limit: number, offset: number) =>
      from
        .select([
          'r.id',
          'r.reference',
          'r.borough_id',
          'r.resident_name',
          'r.postcode',
          'r.status',
          'r.source',
          'r.assigned_name',
          'r.created_at',
          'r.updated_at',
        ])
        .orderBy('r.created_at', 'desc')
        .orderBy('r.id', 'desc')
        .limit(limit)
        .offset(offset)
        .execute()
    // Staff of several boroughs: newest first of each borough (its index, in order), merged here. One query
    // with `borough_id in (...)` sorts every referral of those boroughs on a database without statistics.
    const scope = f.scope ?? []
    const newestFirst = async () => {
      if (scope.length < 2 || f.borough) return page(q, f.limit, f.offset)
      const each = await Promise.all(
        scope.map((b) => page(unscoped.where('r.borough_id', '=', b), f.offset + f.limit, 0)),
      )
      return each
        .flat()
        .sort((a, b) =>
          a.created_at === b.created_at ? (a.id < b.id ? 1 : -1) : a.created_at < b.created_at ? 1 : -1,
        )
        .slice(f.offset, f.offset + f.limit)
    }
    // One past the limit tells "exactly countUpTo" from "more".
    const matches = q.select('r.id').limit(f.countUpTo + 1)
    const [rows, counted] = await Promise.all([
      newestFirst(),
      db
        .selectFrom(matches.as('m'))
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ])
    const n = Number(counted.n)
    return { rows, total: Math.min(n, f.countUpTo), more: n > f.countUpTo }
  },

  /** Open needs not updated since `before`, for the daily digest, oldest first. */
  staleNeeds(db: Executor, before: string) {
    return db
      .selectFrom('referral_needs as n')
      .innerJoin('referrals as r', 'r.id', 'n.referral_id')
      .select(['n.id', 'n.kind', 'n.status', 'n.team_code', 'n.updated_at', 'r.reference', 'r.borough_id'])
      .where('n.status', 'not in', FINISHED_STATES)
      .where('n.updated_at', '<', before)
      .orderBy('n.updated_at')
      .execute()
  },

  /** What waits in the caller's boroughs: requests never looked at, open requests not updated, cases given to them. */
  async waiting(db: Executor, scope: readonly string[] | null, staleBefore: string, userId: string) {
    // An empty scope sees nothing: no borough id is ''.
    const boroughs = scope === null ? null : scope.length ? scope : ['']
    const needs = db
      .selectFrom('referral_needs as n')
      .innerJoin('referrals as r', 'r.id', 'n.referral_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .$if(boroughs !== null, (q) => q.where('r.borough_id', 'in', boroughs ?? []))
    const [fresh, stale, mine] = await Promise.all([
      needs.where('n.status', '=', 'submitted').executeTakeFirstOrThrow(),
      needs
        .where('n.status', 'not in', FINISHED_STATES)
        .where('n.updated_at', '<', staleBefore)
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('referrals as r')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .$if(boroughs !== null, (q) => q.where('r.borough_id', 'in', boroughs ?? []))
        .where('r.assigned_user_id', '=', userId)
        .where('r.status', '!=', 'closed')
        .executeTakeFirstOrThrow(),
    ])
    return { fresh: Number(fresh.n), stale: Number(stale.n), mine: Number(mine.n) }
  },
}
