import type { Expression, ExpressionBuilder, SelectQueryBuilder, SqlBool } from 'kysely'
import { compiledOnce } from '#platform/compiled.ts'
import type { Executor, Tables } from '#platform/database.ts'
import type { ReferralTable } from './referral.repository.ts'
import { FINISHED_STATES, type NeedKind, type NeedState } from './referral.ts'
import { prefixEnd, searchTermsOf } from './search-words.ts'

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

type QueueDb = Tables & { r: ReferralTable }
type Referrals<O = object> = SelectQueryBuilder<QueueDb, 'r', O>
type Ids = SelectQueryBuilder<Tables, 'referral_search_words', { referral_id: string }>

/**
 * A term typed alone that starts this many words or more is "common": a page of its referrals is found
 * sooner by reading the newest referrals in order, asking each for the term, than by sorting every
 * referral it is in (measured at 100,000 referrals: "a" in 16,000 words, a surname in 6,000).
 */
const COMMON = 5_000

/** The count of no matches. */
const NONE = { total: 0, more: false }

/** Every filter of the queue but the search by words, on `r`, with the boroughs of `scope` (null for all). */
function filtersOf(f: QueueFilter, scope: readonly string[] | null) {
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
function pageOf<O>(from: Referrals<O>, page: { limit: number; offset: number }) {
  return pageQuery(from, page).execute()
}

/**
 * How many rows `matches` (each a row's id) has, up to `upTo`, and whether there are more: one past the
 * limit tells "exactly upTo" from "more", and nothing past it is read.
 */
async function countOf<DB, TB extends keyof DB>(
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
function unsearchedReading(db: Executor, f: QueueFilter): Reading {
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
function searchedReading(db: Executor, f: QueueFilter, search: (q: Referrals) => Referrals): Reading {
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
async function newestFirst(f: QueueFilter, reading: Reading, counting = true) {
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

/**
 * The referrals whose words start with every term typed, or with the whole of it (a postcode typed with
 * its space): as ids read from the words' index (`ids`), and as a condition on `r` (`exists`). `common`
 * when only one term was typed and it starts COMMON words or more.
 */
async function matchingReferrals(db: Executor, terms: NonNullable<ReturnType<typeof searchTermsOf>>) {
  const ranges = terms.words.map((w) => [w, prefixEnd(w)] as const)
  const inRange = ([from, to]: readonly [string, string]): Ids =>
    db
      .selectFrom('referral_search_words')
      .select('referral_id')
      .where('word', '>=', from)
      .where('word', '<', to)
  const [first, ...others] = ranges.map(inRange) as [Ids, ...Ids[]]
  const whole = terms.whole ? ([terms.whole, prefixEnd(terms.whole)] as const) : null
  // A referral may have two words starting with the term: its id once.
  let ids: Ids = others.length ? first : first.distinct()
  for (const other of others) ids = ids.intersect(other)
  // After the intersections: UNION and INTERSECT bind alike in SQLite, INTERSECT first in PostgreSQL.
  if (whole) ids = ids.union(inRange(whole))
  const exists = (eb: ExpressionBuilder<QueueDb, 'r'>) => {
    const has = ([from, to]: readonly [string, string]) =>
      eb.exists(
        eb
          .selectFrom('referral_search_words as w')
          .select('w.referral_id')
          .whereRef('w.referral_id', '=', 'r.id')
          .where('w.word', '>=', from)
          .where('w.word', '<', to),
      )
    const all = eb.and(ranges.map(has))
    return whole ? eb.or([all, has(whole)]) : all
  }
  // Several terms: their ranges intersected in the index cost less than asking referral after referral.
  // One term: how many words start with it, counted no further than COMMON.
  const common =
    !others.length &&
    Number(
      (
        await db
          .selectFrom(first.limit(COMMON).as('w'))
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ) >= COMMON
  return { ids, exists, common }
}

/**
 * The ids of `ids` whose referral passes the filters, with when it was made: each referral looked up by
 * its key, in a subquery per id. As a join, PostgreSQL hashed the ids against a scan of every referral,
 * and SQLite could walk a borough's referrals asking each whether it was one of them.
 */
function matchedOf(db: Executor, f: QueueFilter, ids: Ids) {
  const filters = filtersOf(f, f.scope) as unknown as Parameters<Referrals['where']>[0]
  return db
    .selectFrom(
      db
        .selectFrom(ids.as('m'))
        .select((eb) => [
          'm.referral_id as id',
          eb
            .selectFrom('referrals as r')
            .select('r.created_at')
            .whereRef('r.id', '=', 'm.referral_id')
            .where(filters)
            .as('created_at'),
        ])
        .as('x'),
    )
    .where('x.created_at', 'is not', null)
}

/** How many referrals of `ids` pass the filters, up to `countUpTo`. */
function countFromWords(db: Executor, f: QueueFilter, ids: Ids) {
  return countOf(db, matchedOf(db, f, ids).select('x.id'), f.countUpTo)
}

/**
 * A page of the referrals of `ids` that pass the filters, and how many do: the ids of the page with the
 * count in one query (which reads and sorts them all anyway), then the page's referrals.
 */
async function pageFromWords(db: Executor, f: QueueFilter, ids: Ids) {
  const page = await matchedOf(db, f, ids)
    .select((eb) => ['x.id', eb.fn.countAll<number | string>().over().as('matched')])
    .orderBy('x.created_at', 'desc')
    .orderBy('x.id', 'desc')
    .limit(f.limit)
    .offset(f.offset)
    .execute()
  if (!page.length) return { rows: [], ...(f.offset ? await countFromWords(db, f, ids) : NONE) }
  const n = Number(page[0]?.matched)
  const rows = await pageOf(
    db.selectFrom('referrals as r').where(
      'r.id',
      'in',
      page.map((p) => p.id),
    ),
    { limit: page.length, offset: 0 },
  )
  return { rows, total: Math.min(n, f.countUpTo), more: n > f.countUpTo }
}

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
    const typed = f.search?.reference ? null : f.search?.text
    if (typed === undefined || typed === null) return newestFirst(f, unsearchedReading(db, f))
    const terms = searchTermsOf(typed)
    if (!terms) return { rows: [], ...NONE }
    const matching = await matchingReferrals(db, terms)
    // Rare words: their referrals are few, read from the words' index and sorted. One common word: the
    // newest referrals are read in order and each asked for it until the page is full, and the count
    // (which stops at countUpTo) is read from the words' index.
    if (!matching.common) return pageFromWords(db, f, matching.ids)
    const [page, counted] = await Promise.all([
      newestFirst(
        f,
        searchedReading(db, f, (q) => q.where(matching.exists)),
        false,
      ),
      countFromWords(db, f, matching.ids),
    ])
    return { rows: page.rows, ...counted }
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

  /**
   * What waits in the caller's boroughs: requests never looked at, open requests not updated, cases given
   * to them. Each counted up to `upTo`, with `more` beyond, as the queue counts: at 100,000 referrals the
   * exact counts read every open request (50 ms a staff home), for a figure nobody needs past a thousand.
   */
  async waiting(
    db: Executor,
    scope: readonly string[] | null,
    staleBefore: string,
    userId: string,
    upTo: number,
  ) {
    // An empty scope sees nothing. (It was asked as borough '', which PostgreSQL refuses as no uuid.)
    if (scope?.length === 0) return { fresh: NONE, stale: NONE, mine: NONE }
    const boroughs = scope
    // Staff of every borough count requests alone, from the index on their state: joined to each request's
    // referral for its borough, 1,001 requests read 1,001 referrals (5 ms a staff home at 100,000).
    const needs =
      boroughs === null
        ? db.selectFrom('referral_needs as n').select('n.id')
        : db
            .selectFrom('referral_needs as n')
            .innerJoin('referrals as r', 'r.id', 'n.referral_id')
            .select('n.id')
            .where('r.borough_id', 'in', boroughs)
    const capped = <DB, TB extends keyof DB>(matches: SelectQueryBuilder<DB, TB, { id: string }>) =>
      countOf(db, matches, upTo)
    const [fresh, stale, mine] = await Promise.all([
      capped(needs.where('n.status', '=', 'submitted')),
      capped(needs.where('n.status', 'not in', FINISHED_STATES).where('n.updated_at', '<', staleBefore)),
      capped(
        db
          .selectFrom('referrals as r')
          .select('r.id')
          .$if(boroughs !== null, (q) => q.where('r.borough_id', 'in', boroughs ?? []))
          .where('r.assigned_user_id', '=', userId)
          .where('r.status', '!=', 'closed'),
      ),
    ])
    return { fresh, stale, mine }
  },
}
