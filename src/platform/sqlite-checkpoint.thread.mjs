// Copies SQLite's write-ahead log into the database file, on a thread of its own (see
// sqlite-checkpointer.ts). Plain JavaScript: the thread needs only better-sqlite3, not the TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads'
import SqliteDatabase from 'better-sqlite3'

const { file, everyMs } = workerData
const sqlite = new SqliteDatabase(file, { fileMustExist: true })
// A checkpoint that finds the log in use copies what it can and tries the rest next time: never waits.
sqlite.pragma('busy_timeout = 0')
// The copy is made durable (the database file synced after it), as the Hub's own connection would make it.
sqlite.pragma('synchronous = NORMAL')
// PASSIVE: copies without taking the write lock, so the Hub's writes go on meanwhile.
const checkpoint = sqlite.prepare('pragma wal_checkpoint(PASSIVE)')

const timer = setInterval(() => {
  try {
    checkpoint.get()
  } catch (error) {
    // Another connection checkpointing at this moment is the only expected failure; anything else stops
    // the thread, and the Hub's connection checkpoints for itself again.
    if (error?.code !== 'SQLITE_BUSY' && error?.code !== 'SQLITE_LOCKED') throw error
  }
}, everyMs)

parentPort.once('message', () => {
  clearInterval(timer)
  sqlite.close()
  parentPort.close()
})
