import { type ExpressionBuilder, type SqlBool, sql } from 'kysely'
import { listBoroughs } from '#platform/boroughs.ts'
import type { Executor, Tables } from '#platform/database.ts'
import {
  countOf,
  filtersOf,
  NONE,
  newestFirst,
  pageOf,
  type QueueDb,
  type QueueFilter,
  type Referrals,
  searchedReading,
} from './queue-reading.repository.ts'
import { bytewise, pairKey, prefixEnd, searchTermsOf } from './search-words.ts'

// The triage queue searched by name or postcode: its matches read in order from the words' index
// (search-words.ts says how a referral's words are kept).

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

/**
 * One page of the queue's referrals whose words start with what was typed, newest first, and how many
 * match (as queueRepository.queue counts).
 */
export async function queueByWords(db: Executor, f: QueueFilter, typed: string) {
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
}
