import { setTimeout } from 'node:timers/promises'
import type { StaffUser } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { addMinutes, nowIso } from '#platform/clock.ts'
import { Invalid } from '#platform/errors.ts'
import { newId } from '#platform/ids.ts'
import type { Platform } from '#platform/platform.ts'
import { accountRepository as repo } from './account.repository.ts'
import { messageBorough, normaliseEmail, sha256 } from './credentials.ts'
import { hashPassword, passwordProblem, verifyPassword } from './password.ts'

/**
 * Failures in 5 minutes before a pause: 10 for one account from one address, 20 from one address (an office
 * may share one). Failures for an account from everywhere never refuse it, or anyone could lock a member of
 * staff out by typing wrong passwords: past 10, every try for that account is slowed down instead, which
 * stops a guesser's pace but lets the right password in from a new address.
 */
export const THROTTLE = { windowMinutes: 5, perAccount: 10, perAddress: 20, slowDownMs: 1000 }

export type SignInResult =
  | { ok: true; token: string; userId: string }
  | { ok: false; reason: 'invalid' | 'throttled' }

/** Signing in and out, with throttling, and changing one's own password. */
export function signInService(platform: Platform) {
  const { database, audit, sessions, outbox, config } = platform
  const { db } = database

  return {
    async signIn(input: { email: string; password: string }, ctx: AuditContext): Promise<SignInResult> {
      const email = normaliseEmail(input.email)
      const ip = ctx.ip ?? 'unknown'
      const since = addMinutes(nowIso(), -THROTTLE.windowMinutes)
      const [byAccount, byAccountHere, byAddress] = await Promise.all([
        repo.countFailuresSince(db, since, { email: sha256(email) }),
        repo.countFailuresSince(db, since, { email: sha256(email), ip: sha256(ip) }),
        repo.countFailuresSince(db, since, { ip: sha256(ip) }),
      ])
      if (byAccountHere >= THROTTLE.perAccount || byAddress >= THROTTLE.perAddress) {
        await audit.record(db, ctx, { action: 'sign-in.throttled' })
        return { ok: false, reason: 'throttled' }
      }
      if (byAccount >= THROTTLE.perAccount) await setTimeout(THROTTLE.slowDownMs)
      const user = await repo.findUserByEmail(db, email)
      const passwordOk = await verifyPassword(user?.password_hash ?? null, input.password)
      if (!user || !passwordOk || user.disabled_at) {
        await db.transaction().execute(async (tx) => {
          // Hashed, so the table of attempts holds no emails or addresses.
          await repo.recordFailedSignIn(tx, { id: newId(), email: sha256(email), ip: sha256(ip) })
          await audit.record(tx, ctx, {
            action: 'sign-in.failed',
            recordType: user ? 'user' : undefined,
            recordId: user?.id,
          })
        })
        return { ok: false, reason: 'invalid' }
      }
      await repo.clearFailures(db, sha256(email))
      const token = await sessions.create(user.id, ctx.ip)
      await audit.record(
        db,
        { ...ctx, userId: user.id, actor: 'staff' },
        { action: 'sign-in', recordType: 'user', recordId: user.id },
      )
      return { ok: true, token, userId: user.id }
    },

    async signOut(user: StaffUser, sessionIdHash: string, ctx: AuditContext): Promise<void> {
      await sessions.destroy(sessionIdHash)
      await audit.record(db, ctx, { action: 'sign-out', recordType: 'user', recordId: user.id })
    },

    async changePassword(
      user: StaffUser,
      sessionIdHash: string,
      input: { current: string; next: string },
      ctx: AuditContext,
    ): Promise<void> {
      const row = await repo.findUserByEmail(db, user.email)
      if (!row || !(await verifyPassword(row.password_hash, input.current))) {
        throw new Invalid('Your current password is not right', 'current')
      }
      const problem = passwordProblem(input.next, config.APP_ROOT, [user.name, ...user.email.split('@')])
      if (problem) throw new Invalid(problem, 'next')
      const hash = await hashPassword(input.next)
      await db.transaction().execute(async (tx) => {
        await repo.updateUser(tx, user.id, { password_hash: hash, password_changed_at: nowIso() })
        await audit.record(tx, ctx, {
          action: 'user.password-changed',
          recordType: 'user',
          recordId: user.id,
        })
        await outbox.enqueue(tx, {
          channel: 'email',
          template: 'password-changed',
          recipient: user.email,
          boroughId: messageBorough(user.boroughs),
          personalisation: { name: user.name, serviceName: config.SERVICE_NAME },
        })
      })
      // Anyone else holding this account's sessions (a stolen cookie) is signed out.
      await sessions.destroyAllFor(user.id, sessionIdHash)
    },

    async purgeOldAttempts(): Promise<void> {
      await repo.purgeFailuresBefore(db, addMinutes(nowIso(), -24 * 60))
    },
  }
}
