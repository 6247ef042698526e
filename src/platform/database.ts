import fs from 'node:fs'
import path from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import {
  Kysely,
  type KyselyPlugin,
  OperationNodeTransformer,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  PostgresDialect,
  type PrimitiveValueListNode,
  type QueryResult,
  type RootOperationNode,
  type SelectQueryBuilder,
  type Transaction,
  type UnknownRow,
  type ValueNode,
} from 'kysely'
import pg from 'pg'
import { isPostgresUrl, pgTypes } from './database-url.ts'
import { type Checkpointer, startCheckpointer } from './sqlite-checkpointer.ts'
import { PatientSqliteDialect } from './sqlite-driver.ts'

/**
 * The one place that knows the two databases apart. Everything else writes one query for both.
 *
 * Modules add their tables to `Tables` by module augmentation, beside their repository:
 *   declare module '#platform/database.ts' { interface Tables { referrals: ReferralTable } }
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by each module's augmentation
export interface Tables {}

export type Dialect = 'sqlite' | 'postgres'
export type Db = Kysely<Tables>
export type Tx = Transaction<Tables>
/** A repository function runs on the database or inside a caller's transaction. */
export type Executor = Db | Tx

export interface Database {
  db: Db
  dialect: Dialect
  /** As opened: a reader of millions of rows (the audit check) opens a connection of its own with it. */
  url: string
  /**
   * Answers true when the database replies to a trivial query within the time allowed. On PostgreSQL
   * it asks over a connection of its own, so a pool busy with slow pages is not taken for a dead server.
   */
  ping(timeoutMs?: number): Promise<boolean>
  /** Where the database is, without secrets, for messages to whoever runs the Hub. */
  describe(): string
  close(): Promise<void>
}

/** Limits that stop a faulty database from holding requests for ever. Milliseconds. */
export interface DatabaseLimits {
  connectTimeoutMs: number
  statementTimeoutMs: number
  idleInTransactionTimeoutMs: number
  busyTimeoutMs: number
}

export const DEFAULT_LIMITS: DatabaseLimits = {
  connectTimeoutMs: 3000,
  statementTimeoutMs: 15_000,
  idleInTransactionTimeoutMs: 60_000,
  busyTimeoutMs: 5000,
}

/** Where the Hub keeps its SQLite database unless told otherwise; only this folder is made at first start. */
export const DEFAULT_SQLITE_FILE = './data/hub.sqlite'

/**
 * Column naming rules that make values read back the same on both databases:
 * booleans are named `is_*`, `has_*` or `can_*`; JSON columns end in `_json`.
 * The migration helper enforces them, so the value plugin below can rely on them.
 */
export const BOOLEAN_COLUMN = /^(is|has|can)_/
export const JSON_COLUMN = /_json$/

export interface OpenOptions {
  /**
   * SQLite: copy the write-ahead log into the file on a thread of its own (sqlite-checkpointer.ts), not
   * inside the commits of the event loop. For the web server; a command that runs and ends has no need.
   */
  checkpointInBackground?: boolean
}

export function openDatabase(
  url: string,
  limits: DatabaseLimits = DEFAULT_LIMITS,
  options: OpenOptions = {},
): Database {
  return isPostgresUrl(url) ? openPostgres(url, limits) : openSqlite(url, limits, options)
}

function openSqlite(file: string, limits: DatabaseLimits, options: OpenOptions): Database {
  if (file !== ':memory:') ensureFolder(file)
  const sqlite = new SqliteDatabase(file)
  sqlite.pragma('journal_mode = WAL')
  // An acknowledged write survives power loss, not only a crash of the process: the driver syncs the
  // write-ahead log after each commit off the event loop, as FULL would on it (sqlite-driver.ts).
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  // No waiting inside SQLite: the driver waits without holding the event loop.
  sqlite.pragma('busy_timeout = 0')
  const checkpointer: Checkpointer | null =
    options.checkpointInBackground && file !== ':memory:' ? startCheckpointer(sqlite, file) : null
  cachePreparedStatements(sqlite)
  const db = new Kysely<Tables>({
    dialect: new PatientSqliteDialect(sqlite, Math.max(0, limits.busyTimeoutMs)),
    plugins: [new ValuesPlugin('sqlite')],
  })
  return {
    db,
    dialect: 'sqlite',
    url: file,
    // Straight to the file, not through Kysely's one connection, which a waiting transaction may hold.
    ping: async () => {
      try {
        sqlite.prepare('select count(*) from sqlite_master').get()
        return true
      } catch {
        return false
      }
    },
    describe: () => `the SQLite file ${path.resolve(file)}`,
    // The thread first: the last connection to close copies what is left and removes the log.
    close: async () => {
      await checkpointer?.stop()
      await db.destroy()
    },
  }
}

/**
 * A missing folder for a configured file most likely means a volume that is not mounted: making it
 * would start the Hub on a new, empty database. Only the default folder is made, at first start.
 */
function ensureFolder(file: string): void {
  const folder = path.dirname(path.resolve(file))
  if (fs.existsSync(folder)) return
  if (path.resolve(file) !== path.resolve(DEFAULT_SQLITE_FILE)) {
    throw new Error(
      `The folder ${folder} for the database does not exist, so the Hub has not started. ` +
        'Check DATABASE_URL, and that the disk holding the database is mounted.',
    )
  }
  fs.mkdirSync(folder, { recursive: true })
}

/**
 * Kysely prepares every query afresh; preparing costs as much as running a small query. The Hub sends
 * the same few hundred SQL texts over and over, so keep their statements (least recently used out).
 * Safe because better-sqlite3 runs each statement to completion before the next (nothing iterates).
 */
function cachePreparedStatements(sqlite: SqliteDatabase.Database, max = 500): void {
  const cache = new Map<string, SqliteDatabase.Statement>()
  const prepare = sqlite.prepare.bind(sqlite)
  sqlite.prepare = ((source: string) => {
    let statement = cache.get(source)
    if (statement) cache.delete(source)
    else statement = prepare(source)
    cache.set(source, statement)
    if (cache.size > max) cache.delete(cache.keys().next().value as string)
    return statement
  }) as typeof sqlite.prepare
}

function openPostgres(url: string, limits: DatabaseLimits): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: pgTypes as pg.CustomTypesConfig,
    options: '-c TimeZone=UTC',
    // Also how long a request waits for a free connection from the pool.
    connectionTimeoutMillis: limits.connectTimeoutMs,
    statement_timeout: limits.statementTimeoutMs,
    idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs,
    // The server enforces the statement timeout; this one, a little longer, catches a server that has
    // stopped answering at all (frozen, or cut off by the network).
    query_timeout: limits.statementTimeoutMs + 2000,
  })
  // Connection errors (the server stopping or restarting) must not end the process, whether the client is
  // idle in the pool or in use: a query in flight gets the error itself, and the pool drops the client.
  pool.on('error', () => {})
  pool.on('connect', (client) => client.on('error', () => {}))
  const db = new Kysely<Tables>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new ValuesPlugin('postgres')],
  })
  const prober = postgresProber(url, limits)
  const where = new URL(url)
  return {
    db,
    dialect: 'postgres',
    url,
    ping: prober.ping,
    describe: () => `PostgreSQL at ${where.hostname}:${where.port || 5432}${where.pathname}`,
    close: async () => {
      await prober.close()
      await db.destroy()
    },
  }
}

/** One connection of its own, kept open between pings and replaced after any failure; one ping at a time. */
function postgresProber(url: string, limits: DatabaseLimits) {
  let client: pg.Client | null = null
  let inFlight: Promise<boolean> | null = null
  const drop = () => {
    // Not awaited: ending a connection to a frozen server would wait as long as the freeze.
    client?.end().catch(() => {})
    client = null
  }
  async function attempt(timeoutMs: number): Promise<boolean> {
    try {
      if (!client) {
        const fresh = new pg.Client({
          connectionString: url,
          connectionTimeoutMillis: timeoutMs,
          query_timeout: timeoutMs,
        })
        fresh.on('error', () => {
          if (client === fresh) drop()
        })
        client = fresh
        await fresh.connect()
      }
      await client.query('select 1')
      return true
    } catch {
      drop()
      return false
    }
  }
  return {
    ping(timeoutMs = limits.connectTimeoutMs): Promise<boolean> {
      inFlight ??= attempt(timeoutMs).finally(() => {
        inFlight = null
      })
      return inFlight
    },
    async close(): Promise<void> {
      await inFlight
      drop()
    },
  }
}

/** `SELECT ... FOR UPDATE` where the database has it; SQLite already serialises writers. */
export function forUpdate<QB extends SelectQueryBuilder<Tables, keyof Tables, unknown>>(
  dialect: Dialect,
  qb: QB,
  opts: { skipLocked?: boolean } = {},
): QB {
  if (dialect === 'sqlite') return qb
  const locked = qb.forUpdate() as QB
  return opts.skipLocked ? (locked.skipLocked() as QB) : locked
}

/** True when the error is a unique-constraint violation on either database. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string }
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  )
}

class ValuesTransformer extends OperationNodeTransformer {
  constructor(private readonly dialect: Dialect) {
    super()
  }

  protected override transformValue(node: ValueNode): ValueNode {
    return { ...node, value: this.toParameter(node.value) }
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    return { ...node, values: node.values.map((v) => this.toParameter(v)) }
  }

  toParameter(value: unknown): unknown {
    if (typeof value === 'boolean') return this.dialect === 'sqlite' ? (value ? 1 : 0) : value
    if (value instanceof Date) return value.toISOString()
    if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) return JSON.stringify(value)
    return value
  }
}

/** Makes parameters and rows the same JS values on both databases (see the column naming rules above). */
class ValuesPlugin implements KyselyPlugin {
  private readonly transformer: ValuesTransformer

  constructor(private readonly dialect: Dialect) {
    this.transformer = new ValuesTransformer(dialect)
  }

  /** A value as this plugin would hand it to the database, for a query compiled once (compiled.ts). */
  toParameter(value: unknown): unknown {
    return this.transformer.toParameter(value)
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.transformer.transformNode(args.node)
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.dialect === 'postgres' || !args.result.rows.length) return args.result
    const first = args.result.rows[0] as UnknownRow
    const boolKeys = Object.keys(first).filter((k) => BOOLEAN_COLUMN.test(k))
    const jsonKeys = Object.keys(first).filter((k) => JSON_COLUMN.test(k))
    if (!boolKeys.length && !jsonKeys.length) return args.result
    for (const row of args.result.rows as Record<string, unknown>[]) {
      for (const k of boolKeys) if (row[k] !== null) row[k] = row[k] === 1 || row[k] === true
      for (const k of jsonKeys) if (typeof row[k] === 'string') row[k] = JSON.parse(row[k] as string)
    }
    return args.result
  }
}

/** The parameter conversion of the database `db` runs on: what its value plugin makes of a value. */
export function parameterConverter(db: Executor): (value: unknown) => unknown {
  const plugin = db.getExecutor().plugins.find((p) => p instanceof ValuesPlugin)
  if (!plugin) throw new Error('The database has no value plugin')
  return (value) => plugin.toParameter(value)
}
