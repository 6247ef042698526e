import type { Executor } from '#platform/database.ts'

const inScope = (scope: readonly string[] | null) => (scope && !scope.length ? [''] : scope)

/**
 * The service's figures, read from counts kept in the transactions that change them: visits and items per
 * month (a few hundred rows a year), each status change's move of the active count, the people visited per
 * year. The page costs the same with 500 visits or 500,000; the SQL is the same on both databases.
 */
export const figuresRepository = {
  /** Active members on `day`, per borough: the sum of how each change on or before it moved the count. */
  async activeOn(db: Executor, scope: readonly string[] | null, day: string) {
    const s = inScope(scope)
    let q = db
      .selectFrom('home_library_member_changes')
      .select(['borough_id', (eb) => eb.fn.sum<number>('active_delta').as('n')])
      .where('changed_on', '<=', day)
      .groupBy('borough_id')
    if (s) q = q.where('borough_id', 'in', s)
    const rows = await q.execute()
    return rows.map((r) => ({ boroughId: r.borough_id, count: Number(r.n) }))
  },

  /** Joiners, pauses and leavers (with their reasons) between two dates. */
  async changes(db: Executor, scope: readonly string[] | null, from: string, until: string) {
    const s = inScope(scope)
    let q = db
      .selectFrom('home_library_member_changes')
      .select(['borough_id', 'status', 'reason', 'is_joining', (eb) => eb.fn.countAll<number>().as('n')])
      .where('changed_on', '>=', from)
      .where('changed_on', '<=', until)
      .groupBy(['borough_id', 'status', 'reason', 'is_joining'])
    if (s) q = q.where('borough_id', 'in', s)
    const rows = await q.execute()
    return rows.map((r) => ({ ...r, n: Number(r.n) }))
  },

  /** The monthly counts (visits made and missed, minutes of digital help, items by format) of a year. */
  async countsByMonth(db: Executor, scope: readonly string[] | null, year: number) {
    const s = inScope(scope)
    let q = db
      .selectFrom('home_library_monthly_counts')
      .select(['borough_id', 'month', 'measure', 'n'])
      .where('month', '>=', `${year}-01`)
      .where('month', '<=', `${year}-12`)
    if (s) q = q.where('borough_id', 'in', s)
    const rows = await q.execute()
    return rows.map((r) => ({ ...r, n: Number(r.n) }))
  },

  /** Different people visited in a year, per borough. */
  async peopleVisited(db: Executor, scope: readonly string[] | null, year: number) {
    const s = inScope(scope)
    let q = db
      .selectFrom('home_library_visited_years')
      .select(['borough_id', (eb) => eb.fn.count<number>('person_id').distinct().as('n')])
      .where('year', '=', year)
      .groupBy('borough_id')
    if (s) q = q.where('borough_id', 'in', s)
    const rows = await q.execute()
    return rows.map((r) => ({ boroughId: r.borough_id, count: Number(r.n) }))
  },
}
