import { randomBytes } from 'node:crypto'
import { addMinutes, nowIso } from './clock.ts'
import type { Database } from './database.ts'
import { sha256 } from './hash.ts'

declare module './database.ts' {
  interface Tables {
    sessions: SessionTable
  }
}

export interface SessionTable {
  /** sha256 of the cookie's token: a stolen copy of the table cannot be replayed as a cookie. */
  id_hash: string
  user_id: string
  created_at: string
  last_seen_at: string
  ip: string | null
}

/** What decides whether a session is still alive. */
export type SessionTimes = Pick<SessionTable, 'created_at' | 'last_seen_at'>

export interface SessionLimits {
  idleMinutes: number
  absoluteHours: number
}

/** last_seen_at is written at most this often, so a busy page does not write on every request. */
const TOUCH_EVERY_SECONDS = 60

export const hashToken = sha256

/** Staff sessions, kept in the database so that several app processes share them. */
export class SessionStore {
  constructor(
    private readonly database: Database,
    private readonly limits: SessionLimits,
  ) {}

  /** A new random id every sign-in: an id known before sign-in is worth nothing after it. */
  async create(userId: string, ip: string | null): Promise<string> {
    const token = randomBytes(32).toString('base64url')
    const now = nowIso()
    await this.database.db
      .insertInto('sessions')
      .values({ id_hash: hashToken(token), user_id: userId, created_at: now, last_seen_at: now, ip })
      .execute()
    return token
  }

  /** The session's user id, or null when there is none or it has passed its idle or absolute limit. */
  async resume(token: string): Promise<{ userId: string; idHash: string } | null> {
    const resumed = await this.resumeWith(token, async (idHash) => {
      const row = await this.database.db
        .selectFrom('sessions')
        .select(['user_id', 'created_at', 'last_seen_at'])
        .where('id_hash', '=', idHash)
        .executeTakeFirst()
      return row && { userId: row.user_id, session: row }
    })
    return resumed && { userId: resumed.userId, idHash: resumed.idHash }
  }

  /**
   * Like resume, with the session's row read by `read`, which may join what the caller needs with it (the
   * accounts module reads the user in the same query): one query on every signed-in request, not several.
   */
  async resumeWith<R extends { session: SessionTimes }>(
    token: string,
    read: (idHash: string) => Promise<R | undefined>,
  ): Promise<(R & { idHash: string }) | null> {
    const idHash = hashToken(token)
    const found = await read(idHash)
    if (!found) return null
    const { created_at, last_seen_at } = found.session
    const now = nowIso()
    const idleEnd = addMinutes(last_seen_at, this.limits.idleMinutes)
    const absoluteEnd = addMinutes(created_at, this.limits.absoluteHours * 60)
    if (idleEnd <= now || absoluteEnd <= now) {
      await this.destroy(idHash)
      return null
    }
    if (Date.parse(now) - Date.parse(last_seen_at) > TOUCH_EVERY_SECONDS * 1000) {
      await this.database.db
        .updateTable('sessions')
        .set({ last_seen_at: now })
        .where('id_hash', '=', idHash)
        .execute()
    }
    return { ...found, idHash }
  }

  async destroy(idHash: string): Promise<void> {
    await this.database.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute()
  }

  /** Ends every session of a user at once: on disabling an account or changing its password. */
  async destroyAllFor(userId: string, except?: string): Promise<void> {
    let q = this.database.db.deleteFrom('sessions').where('user_id', '=', userId)
    if (except) q = q.where('id_hash', '!=', except)
    await q.execute()
  }

  /** Housekeeping: sessions past their absolute limit. */
  async purgeExpired(): Promise<void> {
    const cutoff = addMinutes(nowIso(), -this.limits.absoluteHours * 60)
    await this.database.db.deleteFrom('sessions').where('created_at', '<', cutoff).execute()
  }
}
