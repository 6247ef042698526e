import { can, type StaffUser } from '#platform/access.ts'
import type { DashboardItem } from '#platform/module.ts'
import type { TriageService } from './triage.service.ts'

/** The referrals module's part of the staff home: requests waiting, cases given to the person, and the pages. */
export async function referralsDashboard(user: StaffUser, triage: TriageService): Promise<DashboardItem[]> {
  const items: DashboardItem[] = []
  if (can(user, 'referrals.view')) {
    const waiting = await triage.waiting(user)
    items.push(
      {
        section: 'waiting',
        text: 'triage.dashboard.new',
        count: waiting.fresh,
        href: '/staff/referrals?status=submitted',
      },
      {
        section: 'waiting',
        text: 'triage.dashboard.stale',
        count: waiting.stale,
        href: '/staff/referrals?stale=1',
      },
      {
        section: 'waiting',
        text: 'triage.dashboard.mine',
        count: waiting.mine,
        href: '/staff/referrals?officer=me',
      },
      {
        section: 'can',
        text: 'triage.dashboard.referrals',
        hint: can(user, 'referrals.triage') ? 'triage.dashboard.triageHint' : 'triage.dashboard.viewHint',
        href: '/staff/referrals',
      },
    )
  }
  if (can(user, 'referrals.submit'))
    items.push(
      { section: 'can', text: 'triage.dashboard.refer', hint: 'triage.dashboard.referHint', href: '/refer' },
      {
        section: 'can',
        text: 'triage.dashboard.yours',
        hint: 'triage.dashboard.yoursHint',
        href: '/staff/my-referrals',
      },
    )
  return items
}
