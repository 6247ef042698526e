import { can, type StaffUser } from '#platform/access.ts'
import type { DashboardItem } from '#platform/module.ts'
import type { TriageService } from './triage.service.ts'

/** A line's words and count: "More than 1,000 …" past what was counted. */
const counted = (text: string, { total, more }: { total: number; more: boolean }) => ({
  text: more ? `${text}More` : text,
  count: total,
})

/** The referrals module's part of the staff home: requests waiting, cases given to the person, and the pages. */
export async function referralsDashboard(user: StaffUser, triage: TriageService): Promise<DashboardItem[]> {
  const items: DashboardItem[] = []
  if (can(user, 'referrals.view')) {
    const waiting = await triage.waiting(user)
    items.push(
      {
        section: 'waiting',
        ...counted('triage.dashboard.new', waiting.fresh),
        href: '/staff/referrals?status=submitted',
      },
      {
        section: 'waiting',
        ...counted('triage.dashboard.stale', waiting.stale),
        href: '/staff/referrals?stale=1',
      },
      {
        section: 'waiting',
        ...counted('triage.dashboard.mine', waiting.mine),
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
