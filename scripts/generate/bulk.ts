/**
 * Rows in bulk for the data generator, built for millions: SQLite gets multi-row INSERTs whose text is
 * the same for every full batch; PostgreSQL gets one array a column through unnest, so a statement has a
 * parameter a column however many rows it carries (a VALUES list of 30,000 parameters took PostgreSQL
 * longer to parse and plan than to write). Values are bound as the app's database plugin binds them:
 * booleans as 0/1 on SQLite, objects as their JSON.
 */
import { CompiledQuery, sql } from 'kysely'
import type { Dialect, Executor, Tables } from '../../src/platform/database.ts'

/** Under SQLite's 32,766 bound values a statement. */
const SQLITE_VALUES = 30_000
/** Rows an unnest: its arrays go as text, a few megabytes a statement. */
const POSTGRES_ROWS = 5_000

type Table = keyof Tables & string

export class BulkInsert {
  /** Each table's column types on PostgreSQL, read from the catalogue once. */
  private readonly types = new Map<string, Map<string, string>>()

  constructor(private readonly dialect: Dialect) {}

  /** Rows as objects of the table's shape, all with the same keys, in the caller's transaction. */
  objects<T extends Table>(tx: Executor, table: T, objects: readonly Tables[T][]): Promise<void> {
    if (!objects.length) return Promise.resolve()
    const columns = Object.keys(objects[0] as object) as (keyof Tables[T] & string)[]
    return this.rows(
      tx,
      table,
      columns,
      objects.map((o) => columns.map((c) => o[c])),
    )
  }

  /** Rows as arrays in the order of `columns`, in the caller's transaction. */
  async rows<T extends Table>(
    tx: Executor,
    table: T,
    columns: readonly (keyof Tables[T] & string)[],
    rows: readonly unknown[][],
  ): Promise<void> {
    const into = `insert into ${table} (${columns.join(', ')})`
    if (this.dialect === 'postgres') {
      const types = await this.typesOf(tx, table)
      const unnest = columns.map((c, i) => `$${i + 1}::${types.get(c) ?? 'text'}[]`).join(', ')
      for (let i = 0; i < rows.length; i += POSTGRES_ROWS) {
        const batch = rows.slice(i, i + POSTGRES_ROWS)
        const arrays = columns.map((_, c) => batch.map((row) => this.bound(row[c])))
        await tx.executeQuery(CompiledQuery.raw(`${into} select * from unnest(${unnest})`, arrays))
      }
      return
    }
    const size = Math.floor(SQLITE_VALUES / columns.length)
    const one = `(${columns.map(() => '?').join(', ')})`
    for (let i = 0; i < rows.length; i += size) {
      const batch = rows.slice(i, i + size)
      const values: unknown[] = []
      for (const row of batch) for (const v of row) values.push(this.bound(v))
      await tx.executeQuery(
        CompiledQuery.raw(`${into} values ${Array(batch.length).fill(one).join(', ')}`, values),
      )
    }
  }

  private async typesOf(tx: Executor, table: string): Promise<Map<string, string>> {
    let types = this.types.get(table)
    if (!types) {
      const { rows } = await sql<{ column_name: string; udt_name: string }>`
        select column_name, udt_name from information_schema.columns
        where table_schema = current_schema() and table_name = ${table}`.execute(tx)
      types = new Map(rows.map((r) => [r.column_name, r.udt_name]))
      this.types.set(table, types)
    }
    return types
  }

  /** A value as the database plugin in database.ts binds it. */
  private bound(value: unknown): unknown {
    if (typeof value === 'boolean') return this.dialect === 'sqlite' ? (value ? 1 : 0) : value
    if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) return JSON.stringify(value)
    return value
  }
}

/**
 * Runs `load` with the tables' plain (not unique) indexes dropped, then makes them again from their own
 * definitions, read from the database's catalogue: one sort an index after millions of rows costs far
 * less than keeping each index in order row by row. Unique indexes stay, so their checks still hold.
 * Only when every table is empty (the bench's database, a first fill): a database that already has rows
 * may have a Hub serving it, which must not lose its indexes for the length of a load.
 */
export async function withIndexesAfter<T>(
  db: Executor,
  dialect: Dialect,
  tables: readonly Table[],
  load: () => Promise<T>,
): Promise<T> {
  for (const table of tables) {
    const { rows } = await sql`select 1 from ${sql.table(table)} limit 1`.execute(db)
    if (rows.length) return load()
  }
  const { rows: indexes } =
    dialect === 'sqlite'
      ? await sql<{ name: string; definition: string }>`
          select name, sql as definition from sqlite_master
          where type = 'index' and sql is not null and sql not like 'create unique%'
            and tbl_name in (${sql.join(tables)})`.execute(db)
      : await sql<{ name: string; definition: string }>`
          select indexname as name, indexdef as definition from pg_indexes
          where schemaname = current_schema() and indexdef not like 'CREATE UNIQUE%'
            and tablename in (${sql.join(tables)})`.execute(db)
  for (const { name } of indexes) await sql`drop index ${sql.id(name)}`.execute(db)
  try {
    return await load()
  } finally {
    // Made again even when the load fails: a database is never left without an index the app expects.
    for (const { definition } of indexes) await sql.raw(definition).execute(db)
  }
}
