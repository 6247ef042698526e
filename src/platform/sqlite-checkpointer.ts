import { Worker } from 'node:worker_threads'
import type SqliteDatabase from 'better-sqlite3'

/**
 * SQLite in WAL mode appends each commit to a write-ahead log, and a checkpoint copies the log back into
 * the database file. By default the connection that commits checkpoints once the log reaches 1,000 pages,
 * inside that commit: on the Hub's event loop, 10 to 20 ms of copying and syncing every hundred or so
 * referrals sent, which took about half of a busy commit's cost and every request waited behind it.
 *
 * Here a thread of its own checkpoints every 50 ms with a connection of its own, without blocking
 * the Hub's writes (a PASSIVE checkpoint). The Hub's connection still checkpoints, as a fallback, once the
 * log reaches 10,000 pages (the thread stopped, or writes never pause long enough for the log to start
 * again from the top); it then copies only what the thread has not.
 */
export interface Checkpointer {
  stop(): Promise<void>
}

const CHECKPOINT_EVERY_MS = 50
const CATCH_UP_PAGES = 10_000
/** SQLite's own default, restored if the thread stops on an error. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000

export function startCheckpointer(sqlite: SqliteDatabase.Database, file: string): Checkpointer {
  sqlite.pragma(`wal_autocheckpoint = ${CATCH_UP_PAGES}`)
  const worker = new Worker(new URL('./sqlite-checkpoint.thread.mjs', import.meta.url), {
    workerData: { file, everyMs: CHECKPOINT_EVERY_MS },
  })
  // Never what keeps the process alive: a process that ends without closing the database loses nothing.
  worker.unref()
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
  worker.once('error', (error) => {
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`)
    process.emitWarning(`SQLite checkpoints are back on the main thread: ${error.message}`)
  })
  return {
    async stop() {
      worker.ref() // held until the thread has closed its connection
      worker.postMessage('stop')
      await exited
    },
  }
}
