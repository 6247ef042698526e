import type { Executor } from '#platform/database.ts'

const inScope = (scope: readonly string[] | null) => (scope && !scope.length ? [''] : scope)

/**
 * The service's figures. Counts are grouped by day in SQL (a few hundred rows a year at most) and folded
 * into months in the service, so the SQL stays the same on both databases.
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

  /** Visits by day and outcome, with the minutes of digital help given. */
  async visitsByDay(db: Executor, scope: readonly string[] | null, from: string, until: string) {
    const s = inScope(scope)
    let q = db
      .selectFrom('home_library_visits')
      .select([
        'borough_id',
        'due_on',
        'status',
        (eb) => eb.fn.countAll<number>().as('n'),
        (eb) => eb.fn.sum<number>('digital_minutes').as('minutes'),
      ])
      .where('due_on', '>=', from)
      .where('due_on', '<=', until)
      .where('status', '!=', 'planned')
      .groupBy(['borough_id', 'due_on', 'status'])
    if (s) q = q.where('borough_id', 'in', s)
    const rows = await q.execute()
    return rows.map((r) => ({ ...r, n: Number(r.n), minutes: Number(r.minutes ?? 0) }))
  },

  /** Items delivered by day and format. */
  async itemsByDay(db: Executor, scope: readonly string[] | null, from: string, until: string) {
    const s = inScope(scope)
    let q = db
      .selectFrom('home_library_items')
      .select(['borough_id', 'delivered_on', 'format', (eb) => eb.fn.countAll<number>().as('n')])
      .where('delivered_on', '>=', from)
      .where('delivered_on', '<=', until)
      .groupBy(['borough_id', 'delivered_on', 'format'])
    if (s) q = q.where('borough_id', 'in', s)
    const rows = await q.execute()
    return rows.map((r) => ({ ...r, n: Number(r.n) }))
  },

  /** Different people visited between two dates, per borough. */
  async peopleVisited(db: Executor, scope: readonly string[] | null, from: string, until: string) {
    const s = inScope(scope)
    let q = db
      .selectFrom('home_library_visits as v')
      .innerJoin('home_library_members as m', 'm.id', 'v.member_id')
      .select(['v.borough_id', (eb) => eb.fn.count<number>('m.person_id').distinct().as('n')])
      .where('v.status', '=', 'done')
      .where('v.due_on', '>=', from)
      .where('v.due_on', '<=', until)
      .groupBy('v.borough_id')
    if (s) q = q.where('v.borough_id', 'in', s)
    const rows = await q.execute()
    return rows.map((r) => ({ boroughId: r.borough_id, count: Number(r.n) }))
  },
}
