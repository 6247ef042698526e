import { sql } from 'kysely'
import type { Permission } from '#platform/access.ts'
import { nowIso } from '#platform/clock.ts'
import { compiledOnce } from '#platform/compiled.ts'
import type { ShippedRole } from '#platform/compose.ts'
import type { Executor } from '#platform/database.ts'
import { readInBatches } from '#platform/in-batches.ts'
import type { SessionTimes } from '#platform/session.ts'

declare module '#platform/database.ts' {
  interface Tables {
    /** One row, moved by triggers at every write to the four tables below (migration 202612021420). */
    access_version: { id: number; version: number }
    roles: { code: string; name: string; description: string; permissions_json: string[] }
    users: UserTable
    user_roles: { user_id: string; role_code: string }
    user_boroughs: { user_id: string; borough_id: string }
    sign_in_attempts: { id: string; email: string; ip: string; at: string }
    one_time_links: OneTimeLinkTable
    api_keys: ApiKeyTable
  }
}

export interface UserTable {
  id: string
  email: string
  name: string
  password_hash: string | null
  is_all_boroughs: boolean
  disabled_at: string | null
  password_changed_at: string | null
  /** The partner organisation (in the directory) a partner referrer refers for; null for council staff. */
  organisation_id: string | null
  created_at: string
  updated_at: string
}

export interface OneTimeLinkTable {
  id: string
  token_hash: string
  purpose: 'setup' | 'invite'
  user_id: string | null
  created_at: string
  expires_at: string
  used_at: string | null
}

export interface ApiKeyTable {
  id: string
  organisation_id: string
  key_hash: string
  prefix: string
  created_at: string
  revoked_at: string | null
  last_used_at: string | null
}

/** An account as pages and access checks see it: whether it has a password, never the hash. */
export interface UserWithAccess extends Omit<UserTable, 'password_hash'> {
  has_password: boolean
  roles: string[]
  permissions: Permission[]
  boroughIds: string[]
}

/** An account on the administrators' list: role and borough names come with it. */
export type ListedUser = Omit<UserWithAccess, 'permissions'> & { roleNames: string[]; boroughNames: string[] }

const USER_COLUMNS = [
  'users.id',
  'users.email',
  'users.name',
  'users.is_all_boroughs',
  'users.disabled_at',
  'users.password_changed_at',
  'users.organisation_id',
  'users.created_at',
  'users.updated_at',
  sql<boolean>`users.password_hash is not null`.as('has_password'),
] as const

/**
 * Accounts with their roles (and the roles' permissions) and boroughs, joined: one row per role and borough
 * a user has. People hold a role or two and a borough or two (or every borough), so the rows stay few.
 */
function withAccess(db: Executor) {
  return db
    .selectFrom('users')
    .leftJoin('user_roles', 'user_roles.user_id', 'users.id')
    .leftJoin('roles', 'roles.code', 'user_roles.role_code')
    .leftJoin('user_boroughs', 'user_boroughs.user_id', 'users.id')
    .select([
      ...USER_COLUMNS,
      'roles.code as role_code',
      'roles.permissions_json',
      'user_boroughs.borough_id',
    ])
}

// The queries below are compiled once (see compiledOnce): the session's runs on every signed-in request.
const userRows = compiledOnce((db: Executor, id: string) => withAccess(db).where('users.id', '=', id))

/**
 * The session's times, its account's id and the access version (see migration 202612021420), in one
 * primary-key read: the query of every signed-in request. The account itself is kept per version.
 */
const sessionRows = compiledOnce((db: Executor, idHash: string) =>
  db
    .selectFrom('sessions')
    .select((eb) => [
      'sessions.user_id',
      'sessions.created_at',
      'sessions.last_seen_at',
      eb
        .selectFrom('access_version')
        .select('access_version.version')
        .where('access_version.id', '=', 1)
        .as('version'),
    ])
    .where('sessions.id_hash', '=', idHash),
)

type AccessRow = Omit<UserWithAccess, 'roles' | 'permissions' | 'boroughIds'> & {
  role_code: string | null
  permissions_json: string[] | null
  borough_id: string | null
}

/** One account from its joined rows (see withAccess), or undefined for none. */
function foldAccess(rows: AccessRow[]): UserWithAccess | undefined {
  const first = rows[0]
  if (!first) return undefined
  const { role_code, permissions_json, borough_id, ...user } = first
  const found: UserWithAccess = { ...user, roles: [], permissions: [], boroughIds: [] }
  for (const row of rows) {
    if (row.role_code !== null && addOnce(found.roles, row.role_code))
      // A role may hold permissions of modules this Hub does not run; they grant nothing here.
      found.permissions.push(...((row.permissions_json ?? []) as Permission[]))
    if (row.borough_id !== null) addOnce(found.boroughIds, row.borough_id)
  }
  return found
}

/** Adds a value unless the list has it; answers whether it did. Joined rows repeat each role per borough. */
function addOnce(list: string[], value: string): boolean {
  if (list.includes(value)) return false
  list.push(value)
  return true
}

/** Users with their roles' and boroughs' names: a row per role and borough of each user. */
const listedUserRows = compiledOnce((db: Executor, scope: readonly string[] | null) => {
  let q = db
    .selectFrom('users')
    .leftJoin('user_roles', 'user_roles.user_id', 'users.id')
    .leftJoin('roles', 'roles.code', 'user_roles.role_code')
    .leftJoin('user_boroughs', 'user_boroughs.user_id', 'users.id')
    .leftJoin('boroughs', 'boroughs.id', 'user_boroughs.borough_id')
    .select([
      ...USER_COLUMNS,
      'roles.code as role_code',
      'roles.name as role_name',
      'boroughs.id as borough_id',
      'boroughs.name as borough_name',
    ])
  if (scope) {
    q = q.where((eb) =>
      eb.or([
        eb('users.is_all_boroughs', '=', true),
        eb.exists(
          eb
            .selectFrom('user_boroughs as scoped')
            .select('scoped.user_id')
            .whereRef('scoped.user_id', '=', 'users.id')
            .where('scoped.borough_id', 'in', scope),
        ),
      ]),
    )
  }
  return q.orderBy('users.name').orderBy('roles.name').orderBy('boroughs.name')
})

// The triage queue asks for its officers on every page: these are compiled once (see compiledOnce).
const roleRows = compiledOnce((db: Executor) => db.selectFrom('roles').selectAll().orderBy('name'))

const activeWithRoleRows = compiledOnce(
  (db: Executor, roleCodes: readonly string[], boroughIds: readonly string[] | null) => {
    let q = db
      .selectFrom('users')
      .select(['users.id', 'users.name', 'users.email'])
      .where('users.disabled_at', 'is', null)
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('user_roles')
            .select('user_roles.user_id')
            .whereRef('user_roles.user_id', '=', 'users.id')
            .where('user_roles.role_code', 'in', roleCodes),
        ),
      )
    if (boroughIds)
      q = q.where((eb) =>
        eb.or([
          eb('users.is_all_boroughs', '=', true),
          eb.exists(
            eb
              .selectFrom('user_boroughs')
              .select('user_boroughs.user_id')
              .whereRef('user_boroughs.user_id', '=', 'users.id')
              .where('user_boroughs.borough_id', 'in', boroughIds),
          ),
        ]),
      )
    return q.orderBy('users.name').orderBy('users.id')
  },
)

/** All SQL of the accounts module. Each function takes the database or a transaction. */
export const accountRepository = {
  async upsertRoles(db: Executor, roles: ShippedRole[]): Promise<void> {
    for (const r of roles) {
      await db
        .insertInto('roles')
        .values({ code: r.code, name: r.name, description: r.description, permissions_json: r.permissions })
        .onConflict((oc) =>
          oc
            .column('code')
            .doUpdateSet({ name: r.name, description: r.description, permissions_json: r.permissions }),
        )
        .execute()
    }
  },

  listRoles(db: Executor) {
    return roleRows(db)
  },

  countUsers(db: Executor): Promise<number> {
    return db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n))
  },

  /** People's names by id: the audit shows who did what. */
  namesOf(db: Executor, ids: readonly string[]) {
    if (!ids.length) return Promise.resolve([])
    return db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute()
  },

  /** The addresses of those of these accounts that are not disabled. */
  activeEmailsOf(db: Executor, ids: readonly string[]) {
    return readInBatches(ids, (batch) =>
      db
        .selectFrom('users')
        .select(['id', 'email'])
        .where('id', 'in', batch)
        .where('disabled_at', 'is', null)
        .execute(),
    )
  },

  findUserByEmail(db: Executor, email: string) {
    return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst()
  },

  async findUser(db: Executor, id: string): Promise<UserWithAccess | undefined> {
    return foldAccess(await userRows(db, id))
  },

  /**
   * A session's times, its account's id and the access version read in the same statement: it runs on
   * every signed-in request. The sessions table is the platform's; the session store decides what the
   * times allow.
   */
  async findSession(
    db: Executor,
    idHash: string,
  ): Promise<{ userId: string; accessVersion: number; session: SessionTimes } | undefined> {
    const [row] = await sessionRows(db, idHash)
    if (!row) return undefined
    const { user_id, version, ...session } = row
    if (version === null) throw new Error('access_version has no row')
    return { userId: user_id, accessVersion: Number(version), session }
  },

  /** Users an administrator may see: those working in a borough of the scope given, or every user for null. */
  async listUsers(db: Executor, scope: readonly string[] | null): Promise<ListedUser[]> {
    const rows = await listedUserRows(db, scope)
    const users = new Map<string, ListedUser>()
    for (const { role_code, role_name, borough_id, borough_name, ...u } of rows) {
      let user = users.get(u.id)
      if (!user) {
        user = { ...u, roles: [], roleNames: [], boroughIds: [], boroughNames: [] }
        users.set(u.id, user)
      }
      if (role_code !== null && addOnce(user.roles, role_code)) user.roleNames.push(role_name as string)
      if (borough_id !== null && addOnce(user.boroughIds, borough_id))
        user.boroughNames.push(borough_name as string)
    }
    return [...users.values()]
  },

  /**
   * Accounts not disabled that hold one of these roles and work in a borough given (or in every
   * borough); for null, in any borough. Id and name only, by name.
   */
  async activeWithRoles(db: Executor, roleCodes: readonly string[], boroughIds: readonly string[] | null) {
    if (!roleCodes.length || (boroughIds && !boroughIds.length)) return []
    return activeWithRoleRows(db, roleCodes, boroughIds)
  },

  async insertUser(db: Executor, user: UserTable): Promise<void> {
    await db.insertInto('users').values(user).execute()
  },

  async updateUser(db: Executor, id: string, changes: Partial<Omit<UserTable, 'id'>>): Promise<void> {
    await db
      .updateTable('users')
      .set({ ...changes, updated_at: nowIso() })
      .where('id', '=', id)
      .execute()
  },

  /** Replaces a user's roles and boroughs with the lists given. */
  async setAccess(db: Executor, userId: string, roles: string[], boroughIds: string[]): Promise<void> {
    await db.deleteFrom('user_roles').where('user_id', '=', userId).execute()
    await db.deleteFrom('user_boroughs').where('user_id', '=', userId).execute()
    if (roles.length) {
      await db
        .insertInto('user_roles')
        .values(roles.map((role_code) => ({ user_id: userId, role_code })))
        .execute()
    }
    if (boroughIds.length) {
      await db
        .insertInto('user_boroughs')
        .values(boroughIds.map((borough_id) => ({ user_id: userId, borough_id })))
        .execute()
    }
  },

  async recordFailedSignIn(db: Executor, row: { id: string; email: string; ip: string }): Promise<void> {
    await db
      .insertInto('sign_in_attempts')
      .values({ ...row, at: nowIso() })
      .execute()
  },

  async countFailuresSince(
    db: Executor,
    since: string,
    by: { email?: string; ip?: string },
  ): Promise<number> {
    let q = db
      .selectFrom('sign_in_attempts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('at', '>=', since)
    if (by.email !== undefined) q = q.where('email', '=', by.email)
    if (by.ip !== undefined) q = q.where('ip', '=', by.ip)
    const row = await q.executeTakeFirstOrThrow()
    return Number(row.n)
  },

  async clearFailures(db: Executor, email: string): Promise<void> {
    await db.deleteFrom('sign_in_attempts').where('email', '=', email).execute()
  },

  async purgeFailuresBefore(db: Executor, before: string): Promise<void> {
    await db.deleteFrom('sign_in_attempts').where('at', '<', before).execute()
  },

  async insertLink(db: Executor, link: OneTimeLinkTable): Promise<void> {
    await db.insertInto('one_time_links').values(link).execute()
  },

  findLink(db: Executor, tokenHash: string) {
    return db.selectFrom('one_time_links').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst()
  },

  /** Marks a link used; answers false if someone else used it first. */
  async useLink(db: Executor, id: string): Promise<boolean> {
    const result = await db
      .updateTable('one_time_links')
      .set({ used_at: nowIso() })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  },

  async insertApiKey(db: Executor, key: ApiKeyTable): Promise<void> {
    await db.insertInto('api_keys').values(key).execute()
  },

  findApiKey(db: Executor, keyHash: string) {
    return db
      .selectFrom('api_keys')
      .selectAll()
      .where('key_hash', '=', keyHash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
  },
}
