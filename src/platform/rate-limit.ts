import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import type { Database } from './database.ts'

declare module './database.ts' {
  interface Tables {
    rate_limits: { key: string; window_start: string; hits: number }
  }
}

/**
 * Fixed-window counters in the database, so every app process counts the same hits.
 * Keys are hashed: the table holds no addresses or emails.
 */
export class RateLimiter {
  constructor(
    private readonly database: Database,
    /** Milliseconds since the epoch; tests pass their own clock to cross a window without waiting. */
    private readonly clock: () => number = Date.now,
  ) {}

  /** Counts one hit and answers whether it is within `max` for the window. */
  async hit(key: string, max: number, windowSeconds: number): Promise<boolean> {
    const windowMs = windowSeconds * 1000
    const windowStart = new Date(Math.floor(this.clock() / windowMs) * windowMs).toISOString()
    const row = await this.database.db
      .insertInto('rate_limits')
      .values({ key: hashKey(key), window_start: windowStart, hits: 1 })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          hits: sql<number>`case when rate_limits.window_start = excluded.window_start then rate_limits.hits + 1 else 1 end`,
          window_start: sql<string>`excluded.window_start`,
        }),
      )
      .returning('hits')
      .executeTakeFirstOrThrow()
    return Number(row.hits) <= max
  }

  /** Housekeeping: counters whose window ended more than a day ago. */
  async purge(): Promise<void> {
    const cutoff = new Date(this.clock() - 86_400_000).toISOString()
    await this.database.db.deleteFrom('rate_limits').where('window_start', '<', cutoff).execute()
  }
}

function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('base64url')
}
