import type { Executor } from '#platform/database.ts'

const inScope = (scope: readonly string[] | null) => (scope && !scope.length ? [''] : scope)

/**
 * The service's figures. Visits and items are read from the daily counts kept as each visit is recorded
 * (a few thousand rows a year), folded into months in the service; the SQL is the same on both databases.
 */
export const figuresRepository = {
  /** Members whose latest change on or before `day` left them active, per borough. */
  async activeOn(db: Executor, scope: readonly string[] | null, day: string) {
    const s = inScope(scope)
    let q = db
      .selectFrom('home_library_member_changes as c')
      .select(['c.borough_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('c.status', '=', 'active')
      .where('c.changed_on', '<=', day)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('home_library_member_changes as later')
              .select('later.id')
              .whereRef('later.member_id', '=', 'c.member_id')
              .where('later.changed_on', '<=', day)
              .where((eb) =>
                eb.or([
                  eb('later.changed_on', '>', eb.ref('c.changed_on')),
                  eb.and([
                    eb('later.changed_on', '=', eb.ref('c.changed_on')),
                    eb('later.created_at', '>', eb.ref('c.created_at')),
                  ]),
                ]),
              ),
          ),
        ),
      )
      .groupBy('c.borough_id')
    if (s) q = q.where('c.borough_id', 'in', s)
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

  /** The daily counts (visits made and missed, minutes of digital help, items by format) between two dates. */
  async countsByDay(db: Executor, scope: readonly string[] | null, from: string, until: string) {
    const s = inScope(scope)
    let q = db
      .selectFrom('home_library_daily_counts')
      .select(['borough_id', 'day', 'measure', 'n'])
      .where('day', '>=', from)
      .where('day', '<=', until)
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
