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
  SqliteDialect,
  sql,
  type Transaction,
  type UnknownRow,
  type ValueNode,
} from 'kysely'
import pg from 'pg'

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
  /** Answers true when the database replies to a trivial query. */
  ping(): Promise<boolean>
  close(): Promise<void>
}

/**
 * Column naming rules that make values read back the same on both databases:
 * booleans are named `is_*`, `has_*` or `can_*`; JSON columns end in `_json`.
 * The migration helper enforces them, so the value plugin below can rely on them.
 */
export const BOOLEAN_COLUMN = /^(is|has|can)_/
export const JSON_COLUMN = /_json$/

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url)
}

export function openDatabase(url: string): Database {
  return isPostgresUrl(url) ? openPostgres(url) : openSqlite(url)
}

function openSqlite(file: string): Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
  const sqlite = new SqliteDatabase(file)
  sqlite.pragma('journal_mode = WAL')
  // FULL: an acknowledged write survives power loss, not only a crash of the process.
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  cachePreparedStatements(sqlite)
  const db = new Kysely<Tables>({
    dialect: new SqliteDialect({ database: sqlite }),
    plugins: [new ValuesPlugin('sqlite')],
  })
  return {
    db,
    dialect: 'sqlite',
    ping: () => pingWith(db),
    close: () => db.destroy(),
  }
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

// Postgres hands back timestamps as Date and bigint counts as strings; the Hub uses ISO strings and numbers.
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    switch (oid) {
      case 20: // int8, e.g. count(*)
      case 1700: // numeric
        return (v: string) => Number(v)
      case 1082: // date stays YYYY-MM-DD
        return (v: string) => v
      case 1114: // timestamp
      case 1184: // timestamptz
        return (v: string) => new Date(oid === 1114 ? `${v}Z` : v).toISOString()
      default:
        return pg.types.getTypeParser(oid, format)
    }
  },
}

function openPostgres(url: string): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: pgTypes as pg.CustomTypesConfig,
    options: '-c TimeZone=UTC',
  })
  // An idle client's error (the server restarting) must not crash the process; the next query reconnects.
  pool.on('error', () => {})
  const db = new Kysely<Tables>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new ValuesPlugin('postgres')],
  })
  return {
    db,
    dialect: 'postgres',
    ping: () => pingWith(db),
    close: () => db.destroy(),
  }
}

async function pingWith(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db)
    return true
  } catch {
    return false
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

/** Case-insensitive "contains", the same on both databases. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`).toLowerCase()}%`
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

  private toParameter(value: unknown): unknown {
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
