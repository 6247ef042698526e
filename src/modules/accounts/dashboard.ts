import { can, type StaffUser } from '#platform/access.ts'
import type { DashboardItem } from '#platform/module.ts'

/**
 * The accounts module's part of the staff home: which roles the person has, and how to get or give others.
 * The first administrator has only the administrator's role: this says how to give themselves the rest.
 */
export async function accountsDashboard(
  user: StaffUser,
  listRoles: () => Promise<{ code: string; name: string }[]>,
): Promise<DashboardItem[]> {
  const names = new Map((await listRoles()).map((r) => [r.code, r.name]))
  const mine = user.roles.map((code) => names.get(code) ?? code).join(', ')
  const items: DashboardItem[] = [
    {
      section: 'access',
      text: 'accounts.dashboard.yourRoles',
      params: { roles: mine },
      count: user.roles.length,
    },
  ]
  if (can(user, 'users.manage'))
    items.push(
      {
        section: 'can',
        text: 'accounts.dashboard.users',
        hint: 'accounts.dashboard.usersHint',
        href: '/staff/users',
      },
      { section: 'access', text: 'accounts.dashboard.giveRoles', href: `/staff/users/${user.id}` },
      { section: 'access', text: 'accounts.dashboard.giveOthers', href: '/staff/users' },
    )
  else items.push({ section: 'access', text: 'accounts.dashboard.askAdministrator' })
  return items
}
