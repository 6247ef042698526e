import { can, type StaffUser, scopeFilter } from './access.ts'
import type { NavItem } from './http.ts'
import type { Translate } from './i18n.ts'
import type { DashboardItem } from './module.ts'
import type { Platform } from './platform.ts'

/** The platform's own lines of the staff home: parked messages, the outbox and the audit. */
export async function platformDashboard(platform: Platform, user: StaffUser): Promise<DashboardItem[]> {
  const items: DashboardItem[] = []
  if (can(user, 'outbox.view')) {
    const parked = await platform.outbox.list({
      status: 'parked',
      scope: scopeFilter(user),
      limit: 1,
      offset: 0,
    })
    items.push(
      {
        section: 'waiting',
        text: 'staffHome.outboxParked',
        count: parked.total,
        href: '/staff/outbox?status=parked',
      },
      { section: 'can', text: 'staffHome.outbox', hint: 'staffHome.outboxHint', href: '/staff/outbox' },
    )
  }
  if (can(user, 'audit.view'))
    items.push({ section: 'can', text: 'staffHome.audit', hint: 'staffHome.auditHint', href: '/staff/audit' })
  return items
}

/**
 * The staff home in words: what waits for the person (only what has something waiting), what they can
 * do (with every page of the navigation they may open, so a module without a dashboard is still there),
 * and how to get or give other roles.
 */
export function staffHome(t: Translate, items: DashboardItem[], nav: NavItem[], user: StaffUser) {
  const line = (i: DashboardItem) => ({
    href: i.href,
    text: t(i.text, { ...i.params, ...(i.count === undefined ? {} : { count: i.count }) }),
    hint: i.hint ? t(i.hint, i.params) : '',
  })
  const can_ = items.filter((i) => i.section === 'can').map(line)
  const covered = new Set(can_.map((i) => i.href))
  const more = nav
    .filter((n) => !covered.has(n.href) && (n.access === 'signed-in' || can(user, n.access as never)))
    .map((n) => ({ href: n.href, text: n.text, hint: '' }))
  return {
    waiting: items.filter((i) => i.section === 'waiting' && (i.count ?? 0) > 0).map(line),
    can: [...can_, ...more],
    access: items.filter((i) => i.section === 'access').map(line),
  }
}
