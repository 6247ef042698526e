import { type Permission, requirePermission, type StaffUser, scopeFilter } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { listBoroughs } from '#platform/boroughs.ts'
import { nowIso } from '#platform/clock.ts'
import type { ShippedRole } from '#platform/compose.ts'
import { Invalid, NotFound } from '#platform/errors.ts'
import { isUuid, newId } from '#platform/ids.ts'
import type { Platform } from '#platform/platform.ts'
import { VersionedCache } from '#platform/versioned-cache.ts'
import { accountRepository as repo, type UserWithAccess } from './account.repository.ts'
import { apiKeyService } from './api-key.service.ts'
import { messageBorough, normaliseEmail } from './credentials.ts'
import { newLink, oneTimeLinkService } from './one-time-link.service.ts'
import { hashPassword, passwordProblem } from './password.ts'
import { signInService } from './sign-in.service.ts'

const INVITE_DAYS = 7

export interface AccessChoice {
  roles: string[]
  allBoroughs: boolean
  boroughIds: string[]
  /** The partner organisation a partner referrer refers for (a directory organisation's id). */
  organisationId?: string | null
}

/** What accounts needs of the directory: its partner organisations (the directory service has these). */
export interface OrganisationDirectory {
  findOrganisation(idOrName: string): Promise<{ id: string; name: string; kind: string } | undefined>
  listOrganisations(): Promise<{ id: string; name: string; kind: string }[]>
}

/** Use cases of staff accounts. Each checks access on its first line and audits what it changes. */
export function accountService(
  platform: Platform,
  deps: { directory: OrganisationDirectory; roles: ShippedRole[] },
) {
  return {
    ...userService(platform, deps),
    ...signInService(platform),
    ...apiKeyService(platform),
    ...oneTimeLinkService(platform),
  }
}

/** Accounts themselves: listing, inviting, access, disabling. */
function userService(platform: Platform, deps: { directory: OrganisationDirectory; roles: ShippedRole[] }) {
  const { database, audit, sessions, outbox, config } = platform
  const { db } = database
  const { directory } = deps

  /** Frozen: one object serves every request of that person until their access changes. */
  function toStaffUser(u: UserWithAccess): StaffUser {
    return Object.freeze({
      id: u.id,
      name: u.name,
      email: u.email,
      roles: Object.freeze(u.roles) as string[],
      permissions: new Set(u.permissions),
      boroughs: u.is_all_boroughs ? 'all' : Object.freeze(u.boroughIds),
      organisationId: u.organisation_id,
    })
  }

  async function staffUserOf(userId: string): Promise<StaffUser | null> {
    const user = await repo.findUser(db, userId)
    if (!user || user.disabled_at) return null
    return toStaffUser(user)
  }

  // Each signed-in person's access (null for an account gone or disabled), kept per process for one value
  // of the access version, which any write to accounts, their roles and boroughs, or the roles moves (see
  // migration 202612021420): a change made in any process is seen on the next request to every other.
  // An entry is one account's ids, names and permissions, under 4 KB; a thousand people signed in at once
  // is more than the London scale's staff, and past that the first kept is read again when next needed.
  const access = new VersionedCache<StaffUser | null>(1_000)
  // Who may take a case in some boroughs, by the boroughs: one entry for each set of boroughs staff work in.
  const officers = new VersionedCache<{ id: string; name: string }[]>(100)

  // Roles are data (a role retired from the code stays in the table with its permissions), but only
  // `loadReferenceData` writes them, at start: each process reads them once, not on every queue page
  // nor on every signed-in request.
  type RoleRow = Awaited<ReturnType<typeof repo.listRoles>>[number]
  let roles: Promise<Map<string, RoleRow>> | null = null

  function rolesByCode(): Promise<Map<string, RoleRow>> {
    roles ??= repo.listRoles(db).then(
      (rows) => new Map(rows.map((r) => [r.code, r])),
      (error: unknown) => {
        roles = null
        throw error
      },
    )
    return roles
  }

  /** Codes of the roles that grant a permission, as the roles table says. */
  async function rolesGranting(permission: Permission): Promise<Set<string>> {
    const known = [...(await rolesByCode()).values()]
    return new Set(known.filter((r) => r.permissions_json.includes(permission)).map((r) => r.code))
  }

  /**
   * The organisation must be a partner organisation of the directory. When `required`, an account whose
   * roles let it submit referrals must have one: its referrals are that organisation's.
   */
  async function checkOrganisation(choice: AccessChoice, required: boolean): Promise<string | null> {
    const id = choice.organisationId || null
    if (id) {
      const found = isUuid(id) ? await directory.findOrganisation(id) : undefined
      if (!found || found.kind !== 'partner')
        throw new Invalid('Select an organisation from the list', 'organisation')
      return found.id
    }
    if (required) {
      const submitters = await rolesGranting('referrals.submit')
      if (choice.roles.some((r) => submitters.has(r)))
        throw new Invalid('Select the partner organisation they refer for', 'organisation')
    }
    return null
  }

  /** A scoped administrator manages only accounts that work entirely inside their own boroughs. */
  function manageable(
    actor: StaffUser,
    target: Pick<UserWithAccess, 'is_all_boroughs' | 'boroughIds'>,
  ): boolean {
    if (actor.boroughs === 'all') return true
    const scope = actor.boroughs
    return (
      !target.is_all_boroughs &&
      target.boroughIds.length > 0 &&
      target.boroughIds.every((b) => scope.includes(b))
    )
  }

  async function requireManageable(actor: StaffUser, id: string): Promise<UserWithAccess> {
    requirePermission(actor, 'users.manage')
    const target = isUuid(id) ? await repo.findUser(db, id) : undefined
    if (!target || !manageable(actor, target)) throw new NotFound()
    return target
  }

  /** Roles must exist; boroughs must exist and lie inside the actor's own scope. */
  async function checkAccessChoice(actor: StaffUser | null, choice: AccessChoice): Promise<void> {
    const roles = new Set((await repo.listRoles(db)).map((r) => r.code))
    if (!choice.roles.length) throw new Invalid('Select at least one role', 'roles')
    if (choice.roles.some((r) => !roles.has(r))) throw new Invalid('Select a role from the list', 'roles')
    if (choice.allBoroughs) {
      if (actor && actor.boroughs !== 'all')
        throw new Invalid('You can only give access to your own boroughs', 'boroughs')
      return
    }
    if (!choice.boroughIds.length) throw new Invalid('Select at least one borough', 'boroughs')
    const known = new Set((await listBoroughs(db)).map((b) => b.id))
    if (choice.boroughIds.some((b) => !known.has(b)))
      throw new Invalid('Select a borough from the list', 'boroughs')
    const scope = actor ? scopeFilter(actor) : null
    if (scope && choice.boroughIds.some((b) => !scope.includes(b))) {
      throw new Invalid('You can only give access to your own boroughs', 'boroughs')
    }
  }

  return {
    async loadReferenceData(): Promise<void> {
      await repo.upsertRoles(db, deps.roles)
      roles = null
    },

    listRoles: () => repo.listRoles(db),
    listBoroughs: () => listBoroughs(db),

    /** The partner organisations an account can refer for, by name. */
    async partnerOrganisations(): Promise<{ id: string; name: string }[]> {
      const all = await directory.listOrganisations()
      return all.filter((o) => o.kind === 'partner').map((o) => ({ id: o.id, name: o.name }))
    },

    /**
     * Officers who can take a case in these boroughs: accounts not disabled, with a role granting
     * 'referrals.triage', whose scope includes one of the boroughs (`all`: any borough). Only boroughs
     * in the caller's own scope count. Id and name only.
     */
    async triageOfficers(actor: StaffUser, boroughIds: readonly string[] | 'all') {
      requirePermission(actor, 'referrals.view')
      const scope = scopeFilter(actor)
      let wanted: readonly string[] | null = boroughIds === 'all' ? scope : boroughIds
      if (scope && wanted) wanted = wanted.filter((b) => scope.includes(b))
      const read = async () => {
        const roles = await rolesGranting('referrals.triage')
        const rows = await repo.activeWithRoles(db, [...roles], wanted)
        return rows.map((r) => ({ id: r.id, name: r.name }))
      }
      // Every view of the queue offers them: kept for the access version the caller was read at.
      if (actor.accessVersion === undefined) return read()
      return officers.get(actor.accessVersion, wanted ? wanted.join() : 'all', read)
    },

    /**
     * Who may do a piece of work in one borough, for another module's page (a Home Library round's
     * deliverer): accounts not disabled whose roles grant `permission` or are one of `alsoRoles`, working
     * in the borough. The caller has checked its own permission; the borough must be in the caller's scope.
     */
    async accountsFor(
      actor: StaffUser,
      input: { permission: Permission; alsoRoles: readonly string[]; boroughId: string },
    ) {
      const scope = scopeFilter(actor)
      if (scope && !scope.includes(input.boroughId)) return []
      const roles = await rolesGranting(input.permission)
      const rows = await repo.activeWithRoles(db, [...roles, ...input.alsoRoles], [input.boroughId])
      return rows.map((r) => ({ id: r.id, name: r.name }))
    },

    /** Active staff who hold `permission` in a borough, with their email: whom a module's reminder job tells. */
    async staffWith(permission: Permission, boroughId: string) {
      const rows = await repo.activeWithRoles(db, [...(await rolesGranting(permission))], [boroughId])
      return rows.map((r) => ({ id: r.id, name: r.name, email: r.email }))
    },

    /**
     * Email addresses of whoever does a piece of work in a borough, for a message the system sends them (an
     * application to volunteer, to the borough's volunteer coordinators): active accounts whose roles grant
     * `permission` and who work in the borough.
     */
    async emailsFor(input: { permission: Permission; boroughId: string }): Promise<string[]> {
      const roles = await rolesGranting(input.permission)
      const rows = await repo.activeWithRoles(db, [...roles], [input.boroughId])
      return rows.map((r) => r.email)
    },

    /**
     * The signed-in person behind a session cookie's token, or null if the session has ended or the account
     * is gone or disabled. One query, for the session and the access version: it runs on every signed-in
     * request; the person's access is read again only when the version has moved.
     */
    async resumeSession(token: string): Promise<{ user: StaffUser; sessionIdHash: string } | null> {
      const found = await sessions.resumeWith(token, (idHash) => repo.findSession(db, idHash))
      if (!found) return null
      const { accessVersion } = found
      const user = await access.get(accessVersion, found.userId, async () => {
        const read = await staffUserOf(found.userId)
        return read && { ...read, accessVersion }
      })
      return user && { user, sessionIdHash: found.idHash }
    },

    /** The person behind an account, or null if the account is gone or disabled. */
    loadStaffUser: staffUserOf,

    /** Names of accounts by id, for pages that show who did something (the audit). */
    async names(ids: readonly string[]): Promise<Map<string, string>> {
      const rows = await repo.namesOf(db, [...new Set(ids)])
      return new Map(rows.map((r) => [r.id, r.name]))
    },

    /** Email addresses of accounts by id, leaving out those disabled or gone (a meeting's attendees). */
    async activeEmails(ids: readonly string[]): Promise<Map<string, string>> {
      const rows = await repo.activeEmailsOf(db, [...new Set(ids)])
      return new Map(rows.map((r) => [r.id, r.email]))
    },

    async listUsers(actor: StaffUser) {
      requirePermission(actor, 'users.manage')
      const users = await repo.listUsers(db, scopeFilter(actor))
      return users.filter((u) => manageable(actor, u))
    },

    async getUser(actor: StaffUser, id: string): Promise<UserWithAccess> {
      return requireManageable(actor, id)
    },

    /** Opening someone's account page is a view of their record, and audited as one. */
    async viewUser(actor: StaffUser, id: string, ctx: AuditContext): Promise<UserWithAccess> {
      const target = await requireManageable(actor, id)
      await audit.record(db, ctx, { action: 'user.viewed', recordType: 'user', recordId: target.id })
      return target
    },

    /** Creates the account without a password and emails a one-time link to choose one. */
    async inviteUser(
      actor: StaffUser,
      input: { name: string; email: string } & AccessChoice,
      ctx: AuditContext,
    ): Promise<string> {
      requirePermission(actor, 'users.manage')
      await checkAccessChoice(actor, input)
      const organisationId = await checkOrganisation(input, true)
      const email = normaliseEmail(input.email)
      if (await repo.findUserByEmail(db, email))
        throw new Invalid('There is already an account with this email address', 'email')
      const id = newId()
      const now = nowIso()
      await db.transaction().execute(async (tx) => {
        await repo.insertUser(tx, {
          id,
          email,
          name: input.name,
          password_hash: null,
          is_all_boroughs: input.allBoroughs,
          disabled_at: null,
          password_changed_at: null,
          organisation_id: organisationId,
          created_at: now,
          updated_at: now,
        })
        await repo.setAccess(tx, id, input.roles, input.allBoroughs ? [] : input.boroughIds)
        const token = await newLink(tx, 'invite', id, INVITE_DAYS * 24 * 60)
        await outbox.enqueue(tx, {
          channel: 'email',
          template: 'account-invite',
          recipient: email,
          boroughId: messageBorough(input.allBoroughs ? 'all' : input.boroughIds),
          personalisation: {
            name: input.name,
            serviceName: config.SERVICE_NAME,
            link: `${config.publicUrl}/staff/invite/${token}`,
          },
        })
        await audit.record(tx, ctx, {
          action: 'user.invited',
          recordType: 'user',
          recordId: id,
          fields: ['name', 'email', 'roles', 'boroughs', ...(organisationId ? ['organisation'] : [])],
        })
      })
      return id
    },

    async updateAccess(actor: StaffUser, id: string, choice: AccessChoice, ctx: AuditContext): Promise<void> {
      const target = await requireManageable(actor, id)
      await checkAccessChoice(actor, choice)
      const organisationId = await checkOrganisation(choice, true)
      if (id === actor.id && !choice.roles.some((r) => r === 'administrator')) {
        throw new Invalid('You cannot take the administrator role from yourself', 'roles')
      }
      await db.transaction().execute(async (tx) => {
        await repo.updateUser(tx, id, {
          is_all_boroughs: choice.allBoroughs,
          organisation_id: organisationId,
        })
        await repo.setAccess(tx, id, choice.roles, choice.allBoroughs ? [] : choice.boroughIds)
        await audit.record(tx, ctx, {
          action: 'user.access-changed',
          recordType: 'user',
          recordId: id,
          fields: [
            'roles',
            'boroughs',
            ...(organisationId !== target.organisation_id ? ['organisation'] : []),
          ],
        })
      })
    },

    /** Disabling ends every session of that account at once. */
    async setDisabled(actor: StaffUser, id: string, disabled: boolean, ctx: AuditContext): Promise<void> {
      await requireManageable(actor, id)
      if (id === actor.id) throw new Invalid('You cannot disable your own account')
      await db.transaction().execute(async (tx) => {
        await repo.updateUser(tx, id, { disabled_at: disabled ? nowIso() : null })
        await audit.record(tx, ctx, {
          action: disabled ? 'user.disabled' : 'user.enabled',
          recordType: 'user',
          recordId: id,
        })
      })
      if (disabled) await sessions.destroyAllFor(id)
    },

    /** For the command line: an account with a password, or with a one-time link when none is given. */
    async createUser(
      input: { name: string; email: string; password?: string } & AccessChoice,
      ctx: AuditContext,
    ): Promise<{ id: string; link?: string }> {
      await checkAccessChoice(null, input)
      // The command line may make a partner referrer before the organisation is chosen on the web.
      const organisationId = await checkOrganisation(input, false)
      const email = normaliseEmail(input.email)
      if (await repo.findUserByEmail(db, email))
        throw new Invalid('There is already an account with this email address', 'email')
      if (input.password !== undefined) {
        const problem = passwordProblem(input.password, config.APP_ROOT, [input.name, ...email.split('@')])
        if (problem) throw new Invalid(problem, 'password')
      }
      const hash = input.password === undefined ? null : await hashPassword(input.password)
      const id = newId()
      const now = nowIso()
      let token: string | undefined
      await db.transaction().execute(async (tx) => {
        await repo.insertUser(tx, {
          id,
          email,
          name: input.name,
          password_hash: hash,
          is_all_boroughs: input.allBoroughs,
          disabled_at: null,
          password_changed_at: hash ? now : null,
          organisation_id: organisationId,
          created_at: now,
          updated_at: now,
        })
        await repo.setAccess(tx, id, input.roles, input.allBoroughs ? [] : input.boroughIds)
        if (!hash) token = await newLink(tx, 'invite', id, INVITE_DAYS * 24 * 60)
        await audit.record(tx, ctx, {
          action: 'user.created',
          recordType: 'user',
          recordId: id,
          fields: ['name', 'email', 'roles', 'boroughs', ...(organisationId ? ['organisation'] : [])],
        })
      })
      return { id, link: token && `${config.publicUrl}/staff/invite/${token}` }
    },
  }
}

export type AccountService = ReturnType<typeof accountService>
