import type { Executor } from '#platform/database.ts'
import { shortOfHelpers } from './rota.repository.ts'

/** What the staff home counts for the volunteer coordinator, in the boroughs given (null: all). */
export const dashboardRepository = {
  async waiting(
    db: Executor,
    f: {
      boroughs: readonly string[] | null
      lapsingBy: string
      now: string
      shortUntil: string
      checks: boolean
    },
  ) {
    const count = (n: { n: number | string | bigint } | undefined) => Number(n?.n ?? 0)
    let applied = db
      .selectFrom('volunteers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'applied')
    let lapsing = db
      .selectFrom('volunteer_checks as c')
      .innerJoin('volunteers as v', 'v.id', 'c.volunteer_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('v.status', '=', 'active')
      .where('c.renews_on', '<=', f.lapsingBy)
    let hours = db
      .selectFrom('volunteer_hours')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'pending')
    let short = shortOfHelpers(db, f.now, f.shortUntil).select((eb) => eb.fn.countAll<number>().as('n'))
    if (f.boroughs) {
      const scope = f.boroughs.length ? f.boroughs : ['']
      applied = applied.where('borough_id', 'in', scope)
      lapsing = lapsing.where('v.borough_id', 'in', scope)
      hours = hours.where('borough_id', 'in', scope)
      short = short.where('borough_id', 'in', scope)
    }
    const [applications, checksLapsing, hoursToApprove, understaffed] = await Promise.all([
      applied.executeTakeFirst().then(count),
      f.checks ? lapsing.executeTakeFirst().then(count) : 0,
      hours.executeTakeFirst().then(count),
      short.executeTakeFirst().then(count),
    ])
    return { applications, checksLapsing, hoursToApprove, understaffed }
  },
}
