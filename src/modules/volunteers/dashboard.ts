import { can, type StaffUser, scopeFilter } from '#platform/access.ts'
import type { Db } from '#platform/database.ts'
import { addDays, londonToday } from '#platform/london.ts'
import type { DashboardItem } from '#platform/module.ts'
import { UNDERSTAFFED_DAYS } from './rota.service.ts'

/** A check renewing within this many days is shown as lapsing, in time to ask for a new one. */
export const LAPSING_DAYS = 30

/**
 * What waits for the volunteer coordinator on the staff home: applications not yet answered, checks
 * lapsing (to those who may see checks), hours to approve and shifts short of helpers within the week;
 * and a volunteer's own page for a volunteer. Counts only, one query each.
 */
export async function volunteersDashboard(
  db: Db,
  user: StaffUser,
  now = new Date(),
): Promise<DashboardItem[]> {
  const items: DashboardItem[] = []
  if (can(user, 'volunteers.own'))
    items.push({
      section: 'can',
      text: 'volunteers.dashboard.mine',
      hint: 'volunteers.dashboard.mineHint',
      href: '/staff/volunteering',
    })
  if (!can(user, 'volunteers.view')) return items
  const boroughs = scopeFilter(user)
  const scope = boroughs && (boroughs.length ? boroughs : [''])
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
    .where('c.renews_on', '<=', addDays(londonToday(now), LAPSING_DAYS))
  let hours = db
    .selectFrom('volunteer_hours')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'pending')
  let short = db
    .selectFrom('volunteer_shifts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('ends_at', '>', now.toISOString())
    .where('starts_at', '<=', new Date(now.getTime() + UNDERSTAFFED_DAYS * 86_400_000).toISOString())
    .whereRef('places_taken', '<', 'places')
  if (scope) {
    applied = applied.where('borough_id', 'in', scope)
    lapsing = lapsing.where('v.borough_id', 'in', scope)
    hours = hours.where('borough_id', 'in', scope)
    short = short.where('borough_id', 'in', scope)
  }
  const seesChecks = can(user, 'volunteers.checks')
  const [waiting, lapse, toApprove, understaffed] = await Promise.all([
    applied.executeTakeFirst().then(count),
    seesChecks ? lapsing.executeTakeFirst().then(count) : 0,
    hours.executeTakeFirst().then(count),
    short.executeTakeFirst().then(count),
  ])
  const waitingItem = (text: string, n: number, href: string, params?: Record<string, string>) => ({
    section: 'waiting' as const,
    text: `volunteers.dashboard.${text}`,
    count: n,
    href,
    params,
  })
  items.push(
    waitingItem('applications', waiting, '/staff/volunteers'),
    ...(seesChecks
      ? [waitingItem('checksLapsing', lapse, '/staff/volunteers', { days: String(LAPSING_DAYS) })]
      : []),
    waitingItem('hours', toApprove, '/staff/volunteers/hours'),
    waitingItem('understaffed', understaffed, '/staff/volunteers/rota'),
    {
      section: 'can',
      text: 'volunteers.dashboard.volunteers',
      hint: 'volunteers.dashboard.volunteersHint',
      href: '/staff/volunteers',
    },
  )
  return items
}
