import { Forbidden, NotFound } from './errors.ts'

/**
 * The one place that decides what a signed-in person may do to which record.
 *
 * Permissions are named in code because routes and services check them; roles are data (the `roles`
 * table maps each role to its permissions), so a council can add a role without a release.
 * Borough scope is separate from permission: a triage officer of one borough may triage, but only
 * that borough's cases; a record outside the scope is "not found", never "forbidden".
 */
export const PERMISSIONS = [
  'users.manage',
  'audit.view',
  'outbox.view',
  'referrals.triage',
  'referrals.view',
  /** Give a case to an officer (or take it back); triage officers and managers. */
  'referrals.assign',
  'directory.edit',
  'home-library.manage',
  'devices.manage',
  'volunteers.manage',
  'partnership.manage',
  'reports.view',
  'privacy.manage',
  'referrals.submit',
] as const

export type Permission = (typeof PERMISSIONS)[number]

export interface StaffUser {
  id: string
  name: string
  email: string
  roles: string[]
  permissions: ReadonlySet<Permission>
  /** The boroughs this person works in; `all` includes boroughs added later. */
  boroughs: 'all' | readonly string[]
  /** For a partner referrer: the organisation they refer for (its referrals are theirs to follow). */
  organisationId?: string | null
}

export function can(user: StaffUser, permission: Permission): boolean {
  return user.permissions.has(permission)
}

export function inScope(user: StaffUser, boroughId: string | null): boolean {
  // Records shared by every borough (a service run by both) have no borough.
  if (boroughId === null) return true
  return user.boroughs === 'all' || user.boroughs.includes(boroughId)
}

/** First line of every use case. */
export function requirePermission(user: StaffUser, permission: Permission): void {
  if (!can(user, permission)) throw new Forbidden()
}

/** For a record that belongs to a borough: outside the caller's scope it does not exist. */
export function requireInScope(user: StaffUser, boroughId: string | null): void {
  if (!inScope(user, boroughId)) throw new NotFound()
}

/** The borough ids a repository must filter by, or null for no filter. */
export function scopeFilter(user: StaffUser): readonly string[] | null {
  return user.boroughs === 'all' ? null : user.boroughs
}
