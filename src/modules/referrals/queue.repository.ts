import { type Expression, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool, sql } from 'kysely'
import { listBoroughs } from '#platform/boroughs.ts'
import { compiledOnce } from '#platform/compiled.ts'
import type { Executor, Tables } from '#platform/database.ts'
import type { ReferralTable } from './referral.repository.ts'
import { FINISHED_STATES, type NeedKind, type NeedState } from './referral.ts'
import { bytewise, pairKey, prefixEnd, searchTermsOf } from './search-words.ts'

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

type Range = readonly [string, string]

/**
 * One way to match what was typed: the referrals whose words start with every one of `terms`. Read
 * from the words' index in `ranges` (of the term starting the fewest different words, or of two terms
 * together as pairs: search-words.ts, pairKey); each of `others` is asked of them by key.
 */
interface Match {
  terms: Range[]
  ranges: Range[]
  /** The different keys in `ranges`, or null when too many to read one by one (see ARMS). */
  keys: string[] | null
  others: Range[]
}

/**
 * At most this many reads of one key in one borough, each newest first from the index, make a page of
 * matches. A term starting more words than that is read from its range and sorted, or, when its range
 * holds COMMON rows or more (as "a" does), the queue's way: the newest referrals in order, each asked.
 */
const ARMS = 64

/** Rows of a range past which its matches are found sooner among the newest referrals than sorted. */
const COMMON = 5_000

/** The different words of the index in `range`, in order, up to `upTo`: one seek each. */
async function wordsIn(db: Executor, [from, to]: Range, upTo: number): Promise<string[]> {
  // The next word after each, as a subquery of one row: the same seek on both databases (a recursive
  // query may not have a limit of its own in PostgreSQL, hence the count `n`).
  const { rows } = await sql<{ word: string }>`
    with recursive found(word, n) as (
      select (select word from referral_search_words where word >= ${from} and word < ${to}
              order by word limit 1), 1
      union all
      select (select w.word from referral_search_words w where w.word > found.word and w.word < ${to}
              order by w.word limit 1), n + 1
      from found where found.word is not null and n < ${upTo}
    )
    select word from found where word is not null`.execute(db)
  return rows.map((r) => r.word)
}

/**
 * How what was typed is matched: every term, or (a postcode typed with its space) the whole of it. A way
 * with a term that starts no word matches nothing and is left out.
 */
async function matchesOf(
  db: Executor,
  terms: NonNullable<ReturnType<typeof searchTermsOf>>,
  boroughs: number,
): Promise<Match[]> {
  const upTo = Math.max(1, Math.floor(ARMS / boroughs)) + 1
  const ways = [terms.words, ...(terms.whole ? [[terms.whole]] : [])].map((typed) =>
    typed.map((w): Range => [w, prefixEnd(w)]),
  )
  const matches = await Promise.all(
    ways.map(async (ranges): Promise<Match | null> => {
      const words = await Promise.all(ranges.map((r) => wordsIn(db, r, upTo)))
      if (words.some((w) => !w.length)) return null
      // The narrowest first: fewest different words, then the longest term.
      const order = ranges
        .map((_, i) => i)
        .sort(
          (i, j) =>
            (words[i] as string[]).length - (words[j] as string[]).length ||
            (ranges[j] as Range)[0].length - (ranges[i] as Range)[0].length,
        )
      const d = order[0] as number
      // A second term whose words can never be the driver's (neither starts the other): read as pairs.
      const p = order.find((i) => i !== d && apart(ranges[i] as Range, ranges[d] as Range))
      const one = { terms: ranges, others: ranges.filter((_, i) => i !== d) }
      if (p === undefined || (words[d] as string[]).length >= upTo)
        return {
          ...one,
          ranges: [ranges[d] as Range],
          keys: (words[d] as string[]).length < upTo ? (words[d] as string[]) : null,
        }
      const [first, second] = bytewise((ranges[d] as Range)[0], (ranges[p] as Range)[0]) < 0 ? [d, p] : [p, d]
      const [from, to] = ranges[second] as Range
      const pairs = (words[first] as string[]).map((w): Range => [pairKey(w, from), pairKey(w, to)])
      const keys = (await Promise.all(pairs.map((r) => wordsIn(db, r, upTo)))).flat()
      if (!keys.length) return null
      return {
        terms: ranges,
        ranges: pairs,
        keys: keys.length < upTo ? keys : null,
        others: ranges.filter((_, i) => i !== first && i !== second),
      }
    }),
  )
  return matches.filter((m): m is Match => m !== null)
}

/** The rows of `w` in any of `ranges`. */
function inRanges(ranges: readonly Range[]) {
  return (eb: ExpressionBuilder<Tables & { w: Tables['referral_search_words'] }, 'w'>) =>
    eb.or(ranges.map(([from, to]) => eb.and([eb('w.word', '>=', from), eb('w.word', '<', to)])))
}

/** The rows of `w` in any of `ranges` that are their referral's first there: each referral once. */
function firstInRanges(ranges: readonly Range[]) {
  return (eb: ExpressionBuilder<Tables & { w: Tables['referral_search_words'] }, 'w'>) =>
    eb.and([
      inRanges(ranges)(eb),
      eb(
        'w.word',
        '=',
        eb
          .selectFrom('referral_search_words as k')
          .select((e) => e.fn.min('k.word').as('word'))
          .whereRef('k.referral_id', '=', 'w.referral_id')
          .where((k) =>
            k.or(ranges.map(([from, to]) => k.and([k('k.word', '>=', from), k('k.word', '<', to)]))),
          ),
      ),
    ])
}

/** Whether no word is in both ranges: one ends where the other starts, or before. */
function apart(a: Range, b: Range): boolean {
  return bytewise(a[1], b[0]) <= 0 || bytewise(b[1], a[0]) <= 0
}

/** Whether the referral whose id is in `referralId` (a column) has a word in the range, by key. */
function hasWordIn(referralId: 'r.id' | 'w.referral_id', [from, to]: Range) {
  return sql<SqlBool>`exists (select 1 from referral_search_words as o
    where o.referral_id = ${sql.ref(referralId)} and o.word >= ${from} and o.word < ${to})`
}

/** The referrals whose words start with every term of `ranges`, as a condition on `r`. */
function hasAll(eb: ExpressionBuilder<QueueDb, 'r'>, ranges: readonly Range[]) {
  return eb.and(ranges.map((range) => hasWordIn('r.id', range)))
}

/**
 * The rows of the words' index that match `m`, in the boroughs of `f`, passing its filters: the other
 * terms and the referral (only when a filter asks about it) each looked up by key.
 */
function rowsOf(db: Executor, f: QueueFilter, m: Match) {
  const filters = filtersOf(f, f.scope) as unknown as Parameters<Referrals['where']>[0]
  const asksReferral = Boolean(f.status || f.need || f.officer || f.staleOnly)
  return db
    .selectFrom('referral_search_words as w')
    .$if(Boolean(f.createdBefore), (q) => q.where('w.created_at', '<=', f.createdBefore as string))
    .where((eb) =>
      eb.and([
        ...m.others.map((range) => hasWordIn('w.referral_id', range)),
        ...(asksReferral
          ? [
              eb.exists(
                eb
                  .selectFrom('referrals as r')
                  .select('r.id')
                  .whereRef('r.id', '=', 'w.referral_id')
                  .where(filters),
              ),
            ]
          : []),
      ]),
    )
}

/** How many rows the ranges of `m` hold in `boroughs` (null for all), counted no further than COMMON. */
async function rowsInRanges(db: Executor, m: Match, boroughs: readonly string[] | null) {
  const { n } = await db
    .selectFrom(
      db
        .selectFrom('referral_search_words as w')
        .select('w.referral_id')
        .where(inRanges(m.ranges))
        .$if(boroughs !== null, (q) => q.where('w.borough_id', 'in', boroughs ?? []))
        .limit(COMMON)
        .as('c'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(n)
}

/** The boroughs a search reads, each on its own: the caller's, or the one chosen in them. */
async function boroughsOf(db: Executor, f: QueueFilter): Promise<readonly string[]> {
  const scope = f.scope ?? (await listBoroughs(db)).map((b) => b.id)
  return f.borough ? scope.filter((b) => b === f.borough) : scope
}

/**
 * How many referrals match, up to `countUpTo`: the match's keys of the index read in the caller's
 * boroughs, one after the other, until one past that many pass. A referral under two keys is counted
 * under the first: a key's rows are asked whether their referral has one of the keys before it (the
 * first key's, most often all that is read, are not asked), or, when the keys were too many to know,
 * whether this is its first key in the ranges.
 */
function countOfMatches(
  db: Executor,
  f: QueueFilter,
  matches: readonly Match[],
  boroughs: readonly string[],
) {
  const read = (m: Match) =>
    rowsOf(db, f, m)
      .select('w.referral_id as id')
      .$if(f.scope !== null || Boolean(f.borough), (q) => q.where('w.borough_id', 'in', boroughs))
  const each = matches.map((m) => {
    if (!m.keys) return read(m).where(firstInRanges(m.ranges))
    const keys = m.keys
    const [first, ...rest] = keys.map((key, i) =>
      read(m)
        .where('w.word', '=', key)
        .$if(i > 0, (q) =>
          q.where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom('referral_search_words as k')
                  .select('k.referral_id')
                  .whereRef('k.referral_id', '=', 'w.referral_id')
                  .where('k.word', 'in', keys.slice(0, i)),
              ),
            ),
          ),
        ),
    )
    return rest.reduce((all, q) => all.unionAll(q), first as NonNullable<typeof first>)
  })
  const [first, ...rest] = each as [(typeof each)[number], ...typeof each]
  // Two ways (every term, or the whole postcode) may find one referral: union counts it once.
  return countOf(
    db,
    rest.reduce((all, q) => all.union(q), first),
    f.countUpTo,
  )
}

/**
 * A page of the referrals that match, newest first: each key of each match read in each borough from
 * the index in that order, as far as the page goes, and the pieces merged. A referral found twice (under
 * two keys, or both ways) is one row.
 */
async function pageOfMatches(
  db: Executor,
  f: QueueFilter,
  matches: readonly Match[],
  boroughs: readonly string[],
) {
  const newest = <Q extends ReturnType<typeof rowsOf>>(q: Q) =>
    db
      .selectFrom(
        q
          .select(['w.referral_id as id', 'w.created_at'])
          .orderBy('w.created_at', 'desc')
          .orderBy('w.referral_id', 'desc')
          .limit(f.offset + f.limit)
          .as('a'),
      )
      .selectAll()
  const reads = matches.flatMap((m) =>
    m.keys
      ? m.keys.flatMap((key) =>
          boroughs.map((b) =>
            newest(rowsOf(db, f, m).where('w.word', '=', key).where('w.borough_id', '=', b)),
          ),
        )
      : // Too many keys: the range's rows, sorted (fewer than COMMON).
        [
          newest(
            rowsOf(db, f, m)
              .where(firstInRanges(m.ranges))
              .$if(f.scope !== null || Boolean(f.borough), (q) => q.where('w.borough_id', 'in', boroughs)),
          ),
        ],
  )
  const [first, ...rest] = reads
  if (!first) return []
  const page = await db
    .selectFrom(rest.reduce((all, q) => all.union(q), first).as('u'))
    .select('u.id')
    .orderBy('u.created_at', 'desc')
    .orderBy('u.id', 'desc')
    .limit(f.limit)
    .offset(f.offset)
    .execute()
  if (!page.length) return []
  return pageOf(
    db.selectFrom('referrals as r').where(
      'r.id',
      'in',
      page.map((p) => p.id),
    ),
    { limit: page.length, offset: 0 },
  )
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
    const boroughs = await boroughsOf(db, f)
    const matches = boroughs.length ? await matchesOf(db, terms, boroughs.length) : []
    if (!matches.length) return { rows: [], ...NONE }
    // A term starting too many words to read one by one, in COMMON rows or more: the newest referrals in
    // order, each asked.
    const common = (
      await Promise.all(
        matches
          .filter((m) => m.keys === null)
          .map((m) => rowsInRanges(db, m, f.scope !== null || Boolean(f.borough) ? boroughs : null)),
      )
    ).some((n) => n >= COMMON)
    const [rows, counted] = await Promise.all([
      common
        ? newestFirst(
            f,
            searchedReading(db, f, (q) => q.where((eb) => eb.or(matches.map((m) => hasAll(eb, m.terms))))),
            false,
          ).then((p) => p.rows)
        : pageOfMatches(db, f, matches, boroughs),
      countOfMatches(db, f, matches, boroughs),
    ])
    return { rows, ...counted }
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
