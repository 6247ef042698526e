declare module 'better-sqlite3-session-store' {
  import type { Database } from 'better-sqlite3'
  import type session from 'express-session'
  export default function sqliteStore(
    s: typeof session,
  ): new (options: {
    client: Database
    expired?: { clear: boolean; intervalMs: number }
  }) => session.Store
}
