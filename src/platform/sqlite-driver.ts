import type SqliteDatabase from 'better-sqlite3'
import { CompiledQuery, type DatabaseConnection, type Driver, SqliteDialect, SqliteDriver } from 'kysely'

/** How many transactions at most share one commit (and so one wait for the disk), and for how long. */
const MAX_GROUP = 32
const MAX_GROUP_MS = 10

/** One use of the connection, from acquire to release; Kysely hands it to begin, commit and release. */
interface Lease extends DatabaseConnection {
  inTransaction: boolean
  /** Committed into a group and the connection passed on: release and rollback are no longer its own. */
  handedOver: boolean
}

interface Waiting {
  resolve: () => void
  reject: (error: unknown) => void
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
 * Group commit: with `synchronous = FULL` every commit waits for the disk (about 2 to 3 ms here), and
 * better-sqlite3 waits on the event loop, so one commit per transaction caps a process at a few hundred
 * transactions a second whatever else it does. When a transaction ends while others are queued for the
 * connection, it is released into one outer transaction (each is a savepoint of it) and the connection
 * passes on; the last of the group, or the first use that finds nobody waiting, commits them all at once.
 * No transaction resolves before that commit, so nothing is acknowledged before it is on disk; one that
 * fails rolls back to its own savepoint and leaves the others whole; a failed commit fails every member.
 * Reads made meanwhile see what the group wrote a moment before it is on disk, as another connection
 * with `synchronous = NORMAL` would. A write outside a transaction commits the open group first, so it
 * is never acknowledged before an earlier write.
 */
class PatientSqliteDriver implements Driver {
  private readonly kysely: SqliteDriver
  private locked = false
  private connection: DatabaseConnection | undefined
  private held = false
  private readonly queue: (() => void)[] = []
  /** The open outer transaction's members that wait for its commit; null when none is open. */
  private group: Waiting[] | null = null
  private groupSince = 0

  constructor(
    private readonly sqlite: SqliteDatabase.Database,
    private readonly busyTimeoutMs: number,
  ) {
    this.kysely = new SqliteDriver({ database: sqlite })
  }

  init(): Promise<void> {
    return this.kysely.init()
  }

  destroy(): Promise<void> {
    return this.kysely.destroy()
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.held) await new Promise<void>((resolve) => this.queue.push(resolve))
    this.held = true
    this.connection ??= await this.kysely.acquireConnection() // SQLite's one, kept: this driver queues for it
    const raw = this.connection
    const lease: Lease = {
      inTransaction: false,
      handedOver: false,
      executeQuery: async (query) => {
        const writes = !/^\s*select\b/i.test(query.sql)
        if (writes && !lease.inTransaction && this.group) await this.commitGroup()
        return this.patiently(() => raw.executeQuery(query), writes)
      },
      streamQuery: (query, chunkSize) => raw.streamQuery(query, chunkSize),
    }
    return lease
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease
    if (!this.group) {
      await this.run('begin immediate')
      this.group = []
      this.groupSince = performance.now()
    }
    await this.run('savepoint hub_transaction')
    lease.inTransaction = true
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease
    await this.run('release hub_transaction')
    lease.inTransaction = false
    const group = this.group as Waiting[]
    if (this.groupIsDone()) return this.commitGroup()
    const committed = new Promise<void>((resolve, reject) => group.push({ resolve, reject }))
    lease.handedOver = true
    this.passOn()
    return committed
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease
    // Its group's commit failed after the connection had passed on: there is nothing of its own to undo.
    if (lease.handedOver) return
    lease.inTransaction = false
    if (this.sqlite.inTransaction) {
      await this.run('rollback to hub_transaction')
      await this.run('release hub_transaction')
    }
    // An error SQLite answers by rolling back everything (a full disk) takes the others with it.
    if (!this.sqlite.inTransaction) this.failGroup(new Error('The transaction was rolled back by SQLite'))
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    if ((connection as Lease).handedOver) return
    // Its members' failure is theirs to hear, not this reader's.
    if (this.group && this.groupIsDone()) await this.commitGroup().catch(() => {})
    this.passOn()
  }

  /** Nobody queued to join the open group, or it is as large or as old as a group may be. */
  private groupIsDone(): boolean {
    const group = this.group as Waiting[]
    return (
      this.queue.length === 0 ||
      group.length + 1 >= MAX_GROUP ||
      performance.now() - this.groupSince >= MAX_GROUP_MS
    )
  }

  private passOn(): void {
    const next = this.queue.shift()
    if (next) next()
    else this.held = false
  }

  private async commitGroup(): Promise<void> {
    const members = this.group ?? []
    try {
      await this.run('commit')
    } catch (error) {
      if (this.sqlite.inTransaction) this.sqlite.exec('rollback')
      this.failGroup(error)
      throw error
    }
    this.group = null
    for (const member of members) member.resolve()
  }

  private failGroup(error: unknown): void {
    const members = this.group ?? []
    this.group = null
    for (const member of members) member.reject(error)
  }

  private run(sql: string): Promise<unknown> {
    const raw = this.connection as DatabaseConnection
    return this.patiently(() => raw.executeQuery(CompiledQuery.raw(sql)), sql !== 'release hub_transaction')
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
  ) {
    super({ database: sqlite })
  }

  override createDriver(): Driver {
    return new PatientSqliteDriver(this.sqlite, this.busyTimeoutMs)
  }
}
