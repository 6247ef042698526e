import fs from 'node:fs'
import type SqliteDatabase from 'better-sqlite3'
import { CompiledQuery, type DatabaseConnection, type Driver, SqliteDialect, SqliteDriver } from 'kysely'

/** Makes what was written to a file so far survive a power cut (fdatasync on the thread pool). */
export type SyncFile = (fd: number) => Promise<void>

const fdatasync: SyncFile = (fd) =>
  new Promise((resolve, reject) => fs.fdatasync(fd, (error) => (error ? reject(error) : resolve())))

/** One use of the connection, from acquire to release; Kysely hands it to begin, commit and release. */
interface Lease extends DatabaseConnection {
  inTransaction: boolean
  /** Committed, and the connection passed on while it waits for the disk: release is not its own. */
  handedOver: boolean
}

/**
 * SQLite's one connection, shared by every request of the process, with two things Kysely's own driver
 * does not do.
 *
 * Waiting without holding the event loop: write transactions take SQLite's write lock when they begin
 * (BEGIN IMMEDIATE), not at their first write, so one that reads and then writes (the audit head) waits
 * its turn rather than failing with SQLITE_BUSY when another process wrote in between. Any statement that
 * finds the database busy waits with pauses, up to the busy timeout, rather than in SQLite's busy handler,
 * which would hold the event loop for the whole wait. Once a wait has run out, later statements try once,
 * without waiting, until one succeeds again: while another process holds the lock for long, writes are
 * refused at once and reads, queued behind them on the one connection, go on.
 *
 * Durable writes without holding the event loop: with `synchronous = FULL`, SQLite waits for the disk at
 * every commit (2 to 3 ms here, longer on a busy disk), and better-sqlite3 waits on the event loop, so
 * nothing else in the process moved meanwhile and a process managed a few hundred commits a second. The
 * database runs with `synchronous = NORMAL` instead (SQLite still syncs at checkpoints, and stays
 * consistent), and this driver makes each commit durable itself before acknowledging it: it syncs the
 * write-ahead log on the thread pool, which is what FULL does at each commit. The connection passes on
 * while the commit waits, and every commit made while a sync runs shares the next one (group commit).
 * Reads made meanwhile see a commit a moment before it is on disk, as another connection would with
 * NORMAL; no write is acknowledged before it is on disk.
 */
class PatientSqliteDriver implements Driver {
  private readonly kysely: SqliteDriver
  private locked = false
  private connection: DatabaseConnection | undefined
  private held = false
  private readonly queue: (() => void)[] = []
  private wal: number | undefined
  /** The sync under way, and the one that will start after it for commits made meanwhile. */
  private syncing: Promise<void> | null = null
  private nextSync: Promise<void> | null = null

  constructor(
    private readonly sqlite: SqliteDatabase.Database,
    private readonly busyTimeoutMs: number,
    private readonly syncFile: SyncFile,
  ) {
    this.kysely = new SqliteDriver({ database: sqlite })
  }

  init(): Promise<void> {
    return this.kysely.init()
  }

  async destroy(): Promise<void> {
    await Promise.allSettled([this.syncing, this.nextSync])
    if (this.wal !== undefined) fs.closeSync(this.wal)
    await this.kysely.destroy()
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.take()
    this.connection ??= await this.kysely.acquireConnection() // SQLite's one, kept: this driver queues for it
    const raw = this.connection
    const lease: Lease = {
      inTransaction: false,
      handedOver: false,
      executeQuery: async <R>(query: CompiledQuery) => {
        // Used again after a write passed the connection on: wait for it again.
        if (lease.handedOver) {
          await this.take()
          lease.handedOver = false
        }
        const writes = !/^\s*select\b/i.test(query.sql)
        const result = await this.patiently(() => raw.executeQuery<R>(query), writes)
        // A write on its own has committed: the connection passes on while it waits for the disk.
        if (writes && !lease.inTransaction) {
          lease.handedOver = true
          this.passOn()
          await this.durable()
        }
        return result
      },
      streamQuery: (query, chunkSize) => raw.streamQuery(query, chunkSize),
    }
    return lease
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await this.run('begin immediate')
    ;(connection as Lease).inTransaction = true
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease
    await this.run('commit')
    lease.inTransaction = false
    lease.handedOver = true
    this.passOn()
    await this.durable()
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease
    // Committed, but the disk failed it: there is nothing left to roll back, and the connection is not its.
    if (lease.handedOver) return
    lease.inTransaction = false
    if (this.sqlite.inTransaction) await this.run('rollback')
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    if (!(connection as Lease).handedOver) this.passOn()
  }

  /** Waits until the connection is this caller's. */
  private async take(): Promise<void> {
    if (this.held) await new Promise<void>((resolve) => this.queue.push(resolve))
    this.held = true
  }

  private passOn(): void {
    const next = this.queue.shift()
    if (next) next()
    else this.held = false
  }

  /** Resolves once everything committed so far is on disk: a sync that started after it was written. */
  private durable(): Promise<void> {
    if (!this.sqlite.name || this.sqlite.memory) return Promise.resolve()
    if (!this.syncing) return this.startSync()
    // The sync under way may have begun before this commit: wait for it, then share the next.
    this.nextSync ??= this.syncing
      .catch(() => {})
      .then(() => {
        this.nextSync = null
        return this.startSync()
      })
    return this.nextSync
  }

  private startSync(): Promise<void> {
    this.wal ??= fs.openSync(`${this.sqlite.name}-wal`, 'r')
    const sync = this.syncFile(this.wal).finally(() => {
      if (this.syncing === sync) this.syncing = null
    })
    this.syncing = sync
    return sync
  }

  private run(sql: string): Promise<unknown> {
    const raw = this.connection as DatabaseConnection
    return this.patiently(() => raw.executeQuery(CompiledQuery.raw(sql)), true)
  }

  /** Runs a statement, waiting while the database is busy; only a write that succeeds ends "locked". */
  private async patiently<T>(run: () => Promise<T>, writes: boolean): Promise<T> {
    const deadline = Date.now() + (this.locked ? 0 : this.busyTimeoutMs)
    for (let pause = 1; ; pause = Math.min(pause * 2, 50)) {
      try {
        const result = await run()
        if (writes) this.locked = false
        return result
      } catch (error) {
        if (!String((error as { code?: string }).code).startsWith('SQLITE_BUSY')) throw error
        if (Date.now() + pause > deadline) {
          this.locked = true
          throw error
        }
        await new Promise((r) => setTimeout(r, pause))
      }
    }
  }
}

export class PatientSqliteDialect extends SqliteDialect {
  constructor(
    private readonly sqlite: SqliteDatabase.Database,
    private readonly busyTimeoutMs: number,
    private readonly syncFile: SyncFile = fdatasync,
  ) {
    super({ database: sqlite })
  }

  override createDriver(): Driver {
    return new PatientSqliteDriver(this.sqlite, this.busyTimeoutMs, this.syncFile)
  }
}
