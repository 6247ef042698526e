import { Forbidden, NotFound } from './errors.ts'

/**
 * The one place that decides what a signed-in person may do to which record.
 *
 * Permissions are declared in code, by the module whose routes and services check them (its manifest);
 * roles are data (the `roles` table maps each role to its permissions), so a council can add a role
 * without a release.
 * Borough scope is separate from permission: a triage officer of one borough may triage, but only
 * that borough's cases; a record outside the scope is "not found", never "forbidden".
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by each manifest's augmentation
export interface PermissionNames {}

/**
 * A permission's name, as a module's manifest (or the platform's) declares it, e.g. `referrals.triage`.
 * Each manifest adds its own to `PermissionNames` by augmentation, so a misspelt name fails to compile.
 */
export type Permission = keyof PermissionNames & string

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
  /**
   * The value of the accounts' access version this was read at, for a person signed in: what else is read
   * from accounts may be kept for that value. Absent on a person read otherwise (a job, a test).
   */
  accessVersion?: number
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
