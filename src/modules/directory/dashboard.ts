import { can, type StaffUser } from '#platform/access.ts'
import type { DashboardItem } from '#platform/module.ts'
import type { directoryAdminService } from './directory-admin.service.ts'
import type { keepingTrueService } from './keeping-true.service.ts'
import { REVIEW_AFTER_DAYS } from './keeping-true.service.ts'

/** The directory's part of the staff home: listings due a check, problems the public reported, the pages. */
export async function directoryDashboard(
  user: StaffUser,
  admin: ReturnType<typeof directoryAdminService>,
  keeping: ReturnType<typeof keepingTrueService>,
): Promise<DashboardItem[]> {
  if (!can(user, 'directory.edit')) return []
  const due = new Date(Date.now() - REVIEW_AFTER_DAYS * 86_400_000).toISOString().slice(0, 10)
  const [{ services, places }, problems] = await Promise.all([
    admin.listForStaff(user),
    keeping.listProblems(user),
  ])
  const unchecked = [...services, ...places].filter((l) => !l.assured_date || l.assured_date < due).length
  return [
    {
      section: 'waiting',
      text: 'directory.dashboard.problems',
      count: problems.length,
      href: '/staff/directory/problems',
    },
    { section: 'waiting', text: 'directory.dashboard.unchecked', count: unchecked, href: '/staff/directory' },
    {
      section: 'can',
      text: 'directory.dashboard.directory',
      hint: 'directory.dashboard.directoryHint',
      href: '/staff/directory',
    },
  ]
}
