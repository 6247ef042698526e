import { can, type StaffUser, scopeFilter } from '#platform/access.ts'
import type { Executor } from '#platform/database.ts'
import { addDays, londonToday } from '#platform/london.ts'
import type { DashboardItem } from '#platform/module.ts'
import { dashboardRepository as repo } from './dashboard.repository.ts'
import { UNDERSTAFFED_DAYS } from './rota.service.ts'

/** A check renewing within this many days is shown as lapsing, in time to ask for a new one. */
export const LAPSING_DAYS = 30

/**
 * What waits for the volunteer coordinator on the staff home: applications not yet answered, checks
 * lapsing (to those who may see checks), hours to approve and shifts short of helpers within the week;
 * and a volunteer's own page for a volunteer. Counts only (dashboard.repository.ts).
 */
export async function volunteersDashboard(
  db: Executor,
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
  const seesChecks = can(user, 'volunteers.checks')
  const counts = await repo.waiting(db, {
    boroughs: scopeFilter(user),
    lapsingBy: addDays(londonToday(now), LAPSING_DAYS),
    now: now.toISOString(),
    shortUntil: new Date(now.getTime() + UNDERSTAFFED_DAYS * 86_400_000).toISOString(),
    checks: seesChecks,
  })
  const waitingItem = (text: string, n: number, href: string, params?: Record<string, string>) => ({
    section: 'waiting' as const,
    text: `volunteers.dashboard.${text}`,
    count: n,
    href,
    params,
  })
  items.push(
    waitingItem('applications', counts.applications, '/staff/volunteers'),
    ...(seesChecks
      ? [
          waitingItem('checksLapsing', counts.checksLapsing, '/staff/volunteers', {
            days: String(LAPSING_DAYS),
          }),
        ]
      : []),
    waitingItem('hours', counts.hoursToApprove, '/staff/volunteers/hours'),
    waitingItem('understaffed', counts.understaffed, '/staff/volunteers/rota'),
    {
      section: 'can',
      text: 'volunteers.dashboard.volunteers',
      hint: 'volunteers.dashboard.volunteersHint',
      href: '/staff/volunteers',
    },
  )
  return items
}
