import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import type { Database } from './database.ts'

declare module './database.ts' {
  interface Tables {
    rate_limits: { key: string; window_start: string; hits: number }
  }
}

/** How long hits wait in memory before they are written, together, to the shared counters. */
const FLUSH_MS = 1000

type Counts = Map<string, { windowStart: string; hits: number }>

/**
 * Fixed-window counters in the database, so every app process counts the same hits. Keys are hashed:
 * the table holds no addresses or emails.
 *
 * A hit is counted in memory at once and written with the others in one transaction a second later.
 * Writing each one as it came meant a disk flush on every public post, which holds the whole process
 * while it waits. A check adds this process's unwritten hits to the shared count, so one process counts
 * exactly; another process's hits count once they are written, within about a second.
 */
export class RateLimiter {
  private pending: Counts = new Map()
  /** Hits being written now: still counted until their transaction has committed. */
  private writing: Counts = new Map()
  /** Moves when a write commits, so a check knows its read may have missed it. */
  private written = 0
  private timer: NodeJS.Timeout | null = null
  private flushing: Promise<void> | null = null

  constructor(
    private readonly database: Database,
    /** Milliseconds since the epoch; tests pass their own clock to cross a window without waiting. */
    private readonly clock: () => number = Date.now,
  ) {}

  /** Counts one hit and answers whether it is within `max` for the window. */
  async hit(key: string, max: number, windowSeconds: number): Promise<boolean> {
    const windowMs = windowSeconds * 1000
    const windowStart = new Date(Math.floor(this.clock() / windowMs) * windowMs).toISOString()
    const hashed = hashKey(key)
    let shared: number
    let seen: number
    do {
      seen = this.written
      shared = await this.sharedHits(hashed, windowStart)
    } while (seen !== this.written)
    // From here to the answer nothing waits, so the counts read and held here are of one moment.
    let mine = this.pending.get(hashed)
    if (!mine || mine.windowStart !== windowStart) {
      mine = { windowStart, hits: 0 }
      this.pending.set(hashed, mine)
    }
    mine.hits++
    this.schedule()
    const writing = this.writing.get(hashed)
    const inFlight = writing?.windowStart === windowStart ? writing.hits : 0
    return shared + inFlight + mine.hits <= max
  }

  /** Writes the hits counted so far. Runs a second after a hit, and when the app closes. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    while (this.flushing) await this.flushing
    if (!this.pending.size) return
    this.writing = this.pending
    this.pending = new Map()
    this.flushing = this.write(this.writing).finally(() => {
      this.writing = new Map()
      this.written++
      this.flushing = null
    })
    await this.flushing
  }

  /** Housekeeping: counters whose window ended more than a day ago. */
  async purge(): Promise<void> {
    const cutoff = new Date(this.clock() - 86_400_000).toISOString()
    await this.database.db.deleteFrom('rate_limits').where('window_start', '<', cutoff).execute()
  }

  private schedule(): void {
    if (this.timer) return
    this.timer = setTimeout(() => {
      this.flush().catch(() => {
        // The database was away: these hits are lost, which only makes the limit a little kinder.
      })
    }, FLUSH_MS)
    this.timer.unref()
  }

  private async sharedHits(hashed: string, windowStart: string): Promise<number> {
    const row = await this.database.db
      .selectFrom('rate_limits')
      .select(['window_start', 'hits'])
      .where('key', '=', hashed)
      .executeTakeFirst()
    return row?.window_start === windowStart ? Number(row.hits) : 0
  }

  private async write(counts: Counts): Promise<void> {
    const rows = [...counts].map(([key, c]) => ({ key, window_start: c.windowStart, hits: c.hits }))
    await this.database.db.transaction().execute(async (tx) => {
      // A few hundred rows at a time keeps each statement inside every database's parameter limit.
      for (let i = 0; i < rows.length; i += 300) {
        await tx
          .insertInto('rate_limits')
          .values(rows.slice(i, i + 300))
          .onConflict((oc) =>
            oc
              .column('key')
              .doUpdateSet({
                hits: sql<number>`case when rate_limits.window_start = excluded.window_start then rate_limits.hits + excluded.hits else excluded.hits end`,
                window_start: sql<string>`excluded.window_start`,
              })
              // Another process may already count a later window: an earlier one's hits do not undo that.
              .where(sql<boolean>`excluded.window_start >= rate_limits.window_start`),
          )
          .execute()
      }
    })
  }
}

function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('base64url')
}
