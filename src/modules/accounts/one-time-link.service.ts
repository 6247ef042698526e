import { randomBytes } from 'node:crypto'
import type { AuditContext } from '#platform/audit.ts'
import { addMinutes, nowIso } from '#platform/clock.ts'
import type { Executor } from '#platform/database.ts'
import { Invalid, NotFound } from '#platform/errors.ts'
import { newId } from '#platform/ids.ts'
import type { Platform } from '#platform/platform.ts'
import { accountRepository as repo } from './account.repository.ts'
import { normaliseEmail, sha256 } from './credentials.ts'
import { hashPassword, passwordProblem } from './password.ts'

const SETUP_HOURS = 24

/** A one-time link's token, stored hashed: shown once, in the message or on the console. */
export async function newLink(
  tx: Executor,
  purpose: 'setup' | 'invite',
  userId: string | null,
  minutes: number,
) {
  const token = randomBytes(32).toString('base64url')
  const now = nowIso()
  await repo.insertLink(tx, {
    id: newId(),
    token_hash: sha256(token),
    purpose,
    user_id: userId,
    created_at: now,
    expires_at: addMinutes(now, minutes),
    used_at: null,
  })
  return token
}

/** One-time links: the first administrator's set-up link, and the invitations that set a password. */
export function oneTimeLinkService(platform: Platform) {
  const { database, audit, config } = platform
  const { db } = database

  /** The link behind a token, if it can still be used. */
  async function openLink(token: string, purpose: 'setup' | 'invite') {
    const link = await repo.findLink(db, sha256(token))
    if (!link || link.purpose !== purpose || link.used_at || link.expires_at <= nowIso()) return null
    if (purpose === 'setup' && (await repo.countUsers(db)) > 0) return null
    const user = link.user_id ? await repo.findUser(db, link.user_id) : undefined
    if (purpose === 'invite' && (!user || user.disabled_at)) return null
    return { link, user }
  }

  return {
    /** At first start, with no accounts yet: a link to create the first administrator. */
    async firstAdministratorLink(): Promise<string | null> {
      if ((await repo.countUsers(db)) > 0) return null
      const token = await newLink(db, 'setup', null, SETUP_HOURS * 60)
      return `${config.publicUrl}/staff/setup/${token}`
    },

    openLink,

    /** Uses a setup or invite link once: sets the password (and for setup, creates the administrator). */
    async completeLink(
      token: string,
      purpose: 'setup' | 'invite',
      input: { name?: string; email?: string; password: string },
      ctx: AuditContext,
    ): Promise<string> {
      const opened = await openLink(token, purpose)
      if (!opened) throw new NotFound()
      const name = opened.user?.name ?? input.name ?? ''
      const email = normaliseEmail(opened.user?.email ?? input.email ?? '')
      const problem = passwordProblem(input.password, config.APP_ROOT, [name, ...email.split('@')])
      if (problem) throw new Invalid(problem, 'password')
      const hash = await hashPassword(input.password)
      const now = nowIso()
      return db.transaction().execute(async (tx) => {
        if (!(await repo.useLink(tx, opened.link.id))) throw new NotFound()
        if (opened.user) {
          await repo.updateUser(tx, opened.user.id, { password_hash: hash, password_changed_at: now })
          await audit.record(
            tx,
            { ...ctx, userId: opened.user.id },
            { action: 'user.password-set', recordType: 'user', recordId: opened.user.id },
          )
          return opened.user.id
        }
        const id = newId()
        await repo.insertUser(tx, {
          id,
          email,
          name,
          password_hash: hash,
          is_all_boroughs: true,
          disabled_at: null,
          password_changed_at: now,
          organisation_id: null,
          created_at: now,
          updated_at: now,
        })
        await repo.setAccess(tx, id, ['administrator'], [])
        await audit.record(
          tx,
          { ...ctx, userId: id },
          {
            action: 'user.created',
            recordType: 'user',
            recordId: id,
            fields: ['name', 'email', 'roles', 'boroughs'],
          },
        )
        return id
      })
    },
  }
}
