import type { SelectQueryBuilder } from 'kysely'
import { compiledOnce } from '#platform/compiled.ts'
import type { Executor } from '#platform/database.ts'
import {
  countOf,
  NONE,
  newestFirst,
  type QueueFilter,
  unsearchedReading,
} from './queue-reading.repository.ts'
import { queueByWords } from './queue-words.repository.ts'
import { FINISHED_STATES } from './referral.ts'

export type { QueueFilter }

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
    const typed = f.search?.reference ? null : f.search?.text
    if (typed === undefined || typed === null) return newestFirst(f, unsearchedReading(db, f))
    return queueByWords(db, f, typed)
  },

  /**
   * A team's open needs not updated since `before`, for its daily digest: the oldest `listUpTo`, and how
   * many there are, exactly up to `countUpTo` and `more` beyond, as the queue counts. Read in date order
   * from the team's index, so a digest reads a page of needs, not every stale need there is.
   */
  async staleForTeam(db: Executor, teamCode: string, before: string, listUpTo: number, countUpTo: number) {
    const stale = db
      .selectFrom('referral_needs as n')
      .where('n.team_code', '=', teamCode)
      .where('n.updated_at', '<', before)
      .where('n.status', 'not in', FINISHED_STATES)
    const [rows, counted] = await Promise.all([
      stale
        .innerJoin('referrals as r', 'r.id', 'n.referral_id')
        .select(['n.kind', 'n.status', 'n.updated_at', 'r.reference'])
        .orderBy('n.updated_at')
        .orderBy('n.id')
        .limit(listUpTo)
        .execute(),
      countOf(db, stale.select('n.id'), countUpTo),
    ])
    return { rows, ...counted }
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
