import type { Expression, ExpressionBuilder, SelectQueryBuilder, SqlBool } from 'kysely'
import { compiledOnce } from '#platform/compiled.ts'
import type { Executor, Tables } from '#platform/database.ts'
import type { ReferralTable } from './referral.repository.ts'
import { FINISHED_STATES, type NeedKind, type NeedState } from './referral.ts'

// How the triage queue reads its referrals, whether or not words were typed: its filters, a page newest
// first and a count up to a limit. The search by words is queue-words.repository.ts.

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

export type QueueDb = Tables & { r: ReferralTable }
export type Referrals<O = object> = SelectQueryBuilder<QueueDb, 'r', O>

/** The count of no matches. */
export const NONE = { total: 0, more: false }

/** Every filter of the queue but the search by words, on `r`, with the boroughs of `scope` (null for all). */
export function filtersOf(f: QueueFilter, scope: readonly string[] | null) {
  return (eb: ExpressionBuilder<QueueDb, 'r'>): Expression<SqlBool> => {
    const all: Expression<SqlBool>[] = []
    if (f.borough) all.push(eb('r.borough_id', '=', f.borough))
    if (f.createdBefore) all.push(eb('r.created_at', '<=', f.createdBefore))
    if (f.officer === 'none') all.push(eb('r.assigned_user_id', 'is', null))
    else if (f.officer) all.push(eb('r.assigned_user_id', '=', f.officer))
    if (f.search?.reference) all.push(eb('r.reference', '=', f.search.reference))
    if (f.status || f.need)
      all.push(
        eb.exists(
          eb
            .selectFrom('referral_needs as n')
            .select('n.id')
            .whereRef('n.referral_id', '=', 'r.id')
            .$if(Boolean(f.status), (s) => s.where('n.status', '=', f.status as NeedState))
            .$if(Boolean(f.need), (s) => s.where('n.kind', '=', f.need as NeedKind)),
        ),
      )
    if (f.staleOnly)
      all.push(
        eb.exists(
          eb
            .selectFrom('referral_needs as s')
            .select('s.id')
            .whereRef('s.referral_id', '=', 'r.id')
            .where('s.status', 'not in', FINISHED_STATES)
            .where('s.updated_at', '<', f.staleBefore),
        ),
      )
    if (scope)
      all.push(
        scope.length === 1
          ? eb('r.borough_id', '=', scope[0] as string)
          : scope.length
            ? eb('r.borough_id', 'in', scope)
            : eb.val(false),
      )
    return eb.and(all)
  }
}

/** One page of `from`, newest first: the query. */
function pageQuery<O>(from: Referrals<O>, page: { limit: number; offset: number }) {
  return from
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
    .limit(page.limit)
    .offset(page.offset)
}

/** One page of `from`, newest first. */
export function pageOf<O>(from: Referrals<O>, page: { limit: number; offset: number }) {
  return pageQuery(from, page).execute()
}

/**
 * How many rows `matches` (each a row's id) has, up to `upTo`, and whether there are more: one past the
 * limit tells "exactly upTo" from "more", and nothing past it is read.
 */
export async function countOf<DB, TB extends keyof DB>(
  db: Executor,
  matches: SelectQueryBuilder<DB, TB, { id: string }>,
  upTo: number,
) {
  const { n } = await countQuery(db, matches, upTo + 1).executeTakeFirstOrThrow()
  return countUpTo(n, upTo)
}

/** The query of countOf: the first `readAtMost` matches, counted. */
function countQuery<DB, TB extends keyof DB>(
  db: Executor,
  matches: SelectQueryBuilder<DB, TB, { id: string }>,
  readAtMost: number,
) {
  return db.selectFrom(matches.limit(readAtMost).as('m')).select((eb) => eb.fn.countAll<number>().as('n'))
}

/** A count read one past `upTo`: the total shown, and whether there are more. */
function countUpTo(n: number | string, upTo: number) {
  return { total: Math.min(Number(n), upTo), more: Number(n) > upTo }
}

/**
 * The queue without a search by words (every other filter), as compiledOnce's parameters: each filter
 * null when not asked, which leaves it out of the SQL. An officer of 'none' is a query of its own.
 */
type Unsearched = [
  scope: readonly string[] | null,
  borough: string | null,
  createdBefore: string | null,
  officer: string | null,
  reference: string | null,
  status: string | null,
  need: string | null,
  staleBefore: string | null,
]

function unsearchedOf(f: QueueFilter, scope: readonly string[] | null): Unsearched {
  return [
    scope,
    f.borough ?? null,
    f.createdBefore ?? null,
    f.officer && f.officer !== 'none' ? f.officer : null,
    f.search?.reference ?? null,
    f.status ?? null,
    f.need ?? null,
    f.staleOnly ? f.staleBefore : null,
  ]
}

/** The referrals passing the filters given as parameters (placeholders while compiling). */
function unsearched(db: Executor, unassigned: boolean, p: Unsearched) {
  const [scope, borough, createdBefore, officer, reference, status, need, staleBefore] = p
  const f = {
    borough: borough ?? undefined,
    createdBefore: createdBefore ?? undefined,
    officer: unassigned ? 'none' : (officer ?? undefined),
    search: reference ? { reference } : undefined,
    status: (status ?? undefined) as NeedState | undefined,
    need: (need ?? undefined) as NeedKind | undefined,
    staleOnly: staleBefore !== null,
    staleBefore: staleBefore ?? '',
  }
  return db.selectFrom('referrals as r').where(filtersOf(f as QueueFilter, scope))
}

/**
 * The page and the count of the queue without a search, compiled once for each set of filters: they
 * run on every view of the queue, and building them cost Kysely more than SQLite took to run them.
 */
const unsearchedQueries = ([false, true] as const).map((unassigned) => ({
  page: compiledOnce((db: Executor, limit: number, offset: number, ...p: Unsearched) =>
    pageQuery(unsearched(db, unassigned, p), { limit, offset }),
  ),
  count: compiledOnce((db: Executor, upToAndOne: number, ...p: Unsearched) =>
    countQuery(db, unsearched(db, unassigned, p).select('r.id'), upToAndOne),
  ),
}))

/** How the queue's referrals are read for newestFirst: a page of them in some boroughs, and their count. */
interface Reading {
  page(scope: readonly string[] | null, page: { limit: number; offset: number }): Promise<QueueRow[]>
  count(scope: readonly string[] | null): Promise<{ total: number; more: boolean }>
}

type QueueRow = Awaited<ReturnType<typeof pageOf>>[number]

/** The queue with no search by words: its queries compiled once (see unsearchedQueries). */
export function unsearchedReading(db: Executor, f: QueueFilter): Reading {
  const queries = unsearchedQueries[f.officer === 'none' ? 1 : 0] as (typeof unsearchedQueries)[0]
  return {
    page: (scope, page) => queries.page(db, page.limit, page.offset, ...unsearchedOf(f, scope)),
    count: async (scope) => {
      const [row] = await queries.count(db, f.countUpTo + 1, ...unsearchedOf(f, scope))
      return countUpTo(row?.n ?? 0, f.countUpTo)
    },
  }
}

/** The queue with `search` asked of each referral, built for the words typed. */
export function searchedReading(db: Executor, f: QueueFilter, search: (q: Referrals) => Referrals): Reading {
  const referrals = (scope: readonly string[] | null) =>
    search(db.selectFrom('referrals as r')).where(filtersOf(f, scope))
  return {
    page: (scope, page) => pageOf(referrals(scope), page),
    count: (scope) => countOf(db, referrals(scope).select('r.id'), f.countUpTo),
  }
}

/**
 * The queue read newest first through the referrals' own indexes. Staff of several boroughs: newest
 * first of each borough (its index, in order), merged here. One query with `borough_id in (...)` sorts
 * every referral of those boroughs on a database without statistics.
 */
export async function newestFirst(f: QueueFilter, reading: Reading, counting = true) {
  const scope = f.scope ?? []
  const page = async () => {
    if (scope.length < 2 || f.borough) return reading.page(f.scope, f)
    const each = await Promise.all(
      scope.map((b) => reading.page([b], { limit: f.offset + f.limit, offset: 0 })),
    )
    return each
      .flat()
      .sort((a, b) =>
        a.created_at === b.created_at ? (a.id < b.id ? 1 : -1) : a.created_at < b.created_at ? 1 : -1,
      )
      .slice(f.offset, f.offset + f.limit)
  }
  const [rows, counted] = await Promise.all([page(), counting ? reading.count(f.scope) : NONE])
  return { rows, ...counted }
}
