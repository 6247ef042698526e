import type { Compilable, CompiledQuery, Insertable, InsertQueryBuilder, InsertResult } from 'kysely'
import { type Executor, parameterConverter, type Tables } from './database.ts'

/** Strings (ids, hashes), numbers, booleans, lists of strings, or null. */
type Parameter = string | number | boolean | readonly string[] | null

interface Compiled<R> {
  query: CompiledQuery<R>
  /** For each of the query's parameters: which value of the flattened parameters it is, or -1 for none. */
  slots: number[]
}

/** What is kept for one database (its dialect's adapter, which its transactions share). */
interface PerDatabase<R> {
  shapes: Map<string, Compiled<R>>
  /** The value plugin's conversion, applied to each value as the builder would have applied it. */
  convert: (value: unknown) => unknown
}

function perDatabase<R>(databases: WeakMap<object, PerDatabase<R>>, db: Executor): PerDatabase<R> {
  const { adapter } = db.getExecutor()
  let kept = databases.get(adapter)
  if (!kept) {
    kept = { shapes: new Map(), convert: parameterConverter(db) }
    databases.set(adapter, kept)
  }
  return kept
}

/**
 * A query built and compiled once, then run with new parameters. Kysely builds and compiles a query
 * afresh on every call, which costs more than SQLite takes to run a small one: worth saving on a query
 * that runs on every request. A list or a null may change the SQL (`in (?, ?)`, a filter left out), so
 * the query is compiled once per shape: which parameters are null, and how long each list is.
 *
 *   const byId = compiledOnce((db, id: string) => db.selectFrom('boroughs').selectAll().where('id', '=', id))
 *   const rows = await byId(db, userId)
 */
export function compiledOnce<P extends Parameter[], R>(
  build: (db: Executor, ...params: P) => Compilable<R>,
): (db: Executor, ...params: P) => Promise<R[]> {
  // Per database: each compiles to its own SQL.
  const databases = new WeakMap<object, PerDatabase<R>>()
  return async (db, ...params) => {
    const { shapes, convert } = perDatabase(databases, db)
    const shape = params.map((p) => (p === null ? 'null' : Array.isArray(p) ? p.length : '')).join()
    let compiled = shapes.get(shape)
    if (!compiled) {
      compiled = compile(db, build, params)
      shapes.set(shape, compiled)
    }
    const { query, slots } = compiled
    const values = params.flatMap((p) => p ?? [])
    const parameters = query.parameters.map((value, i) => {
      const slot = slots[i] as number
      return slot < 0 ? value : convert(values[slot])
    })
    const result = await db.executeQuery<R>({ ...query, parameters })
    return result.rows
  }
}

/** Compiles with a placeholder for each value, noting which one each of the query's parameters is. */
function compile<P extends Parameter[], R>(
  db: Executor,
  build: (db: Executor, ...params: P) => Compilable<R>,
  params: P,
): Compiled<R> {
  const placeholders: string[] = []
  const placeholder = () => {
    placeholders.push(`\u0000parameter ${placeholders.length}\u0000`)
    return placeholders.at(-1) as string
  }
  const stand = params.map((p) => (p === null ? null : Array.isArray(p) ? p.map(placeholder) : placeholder()))
  const query = build(db, ...(stand as P)).compile()
  const slots = query.parameters.map((value) => placeholders.indexOf(value as string))
  for (const i of placeholders.keys()) {
    if (!slots.includes(i)) throw new Error(`A parameter did not reach the parameters of: ${query.sql}`)
  }
  return { query, slots }
}

/** Shapes of an insert kept at most: a bulk insert's last part may have any number of rows. */
const INSERT_SHAPES = 32

/**
 * An insert into `table`, compiled once for each set of columns and number of rows, then run with the
 * rows' values converted as the value plugin converts them: the same statement and parameters as
 * `insertInto(table).values(rows)`, without building it each time. Every row of one call has the same
 * columns. `modify` adds to the statement (an `onConflict`). Answers the number of rows inserted.
 *
 *   const insertMessage = compiledInsert('outbox')
 *   await insertMessage(tx, [row])
 */
export function compiledInsert<T extends keyof Tables & string>(
  table: T,
  modify: (qb: InsertQueryBuilder<Tables, T, InsertResult>) => InsertQueryBuilder<Tables, T, InsertResult> = (
    qb,
  ) => qb,
): (db: Executor, rows: readonly Insertable<Tables[T]>[]) => Promise<number> {
  const databases = new WeakMap<object, PerDatabase<unknown>>()
  return async (db, rows) => {
    if (!rows.length) return 0
    const { shapes, convert } = perDatabase(databases, db)
    const columns = columnsOf(rows)
    const shape = `${rows.length}:${columns.join()}`
    let compiled = shapes.get(shape)
    if (compiled) shapes.delete(shape)
    else compiled = compileInsert(db, table, modify, columns, rows.length)
    shapes.set(shape, compiled)
    if (shapes.size > INSERT_SHAPES) shapes.delete(shapes.keys().next().value as string)
    const width = columns.length
    const { query, slots } = compiled
    const parameters = query.parameters.map((value, i) => {
      const slot = slots[i] as number
      if (slot < 0) return value
      const row = rows[Math.floor(slot / width)] as Record<string, unknown>
      return convert(row[columns[slot % width] as string])
    })
    const result = await db.executeQuery({ ...query, parameters })
    return Number(result.numAffectedRows ?? 0)
  }
}

/** The columns given a value (Kysely leaves out those undefined); every row must have the same. */
function columnsOf(rows: readonly object[]): string[] {
  const defined = (row: object) =>
    Object.keys(row).filter((k) => (row as Record<string, unknown>)[k] !== undefined)
  const columns = defined(rows[0] as object)
  for (const row of rows.slice(1))
    if (defined(row).join() !== columns.join())
      throw new Error('Rows of one insert must have the same columns')
  return columns
}

function compileInsert<T extends keyof Tables & string>(
  db: Executor,
  table: T,
  modify: (qb: InsertQueryBuilder<Tables, T, InsertResult>) => InsertQueryBuilder<Tables, T, InsertResult>,
  columns: string[],
  count: number,
): Compiled<unknown> {
  const placeholders = new Map<string, number>()
  const stand = Array.from({ length: count }, (_, r) =>
    Object.fromEntries(
      columns.map((column, c) => {
        const placeholder = `\u0000parameter ${r * columns.length + c}\u0000`
        placeholders.set(placeholder, r * columns.length + c)
        return [column, placeholder]
      }),
    ),
  )
  const query = modify(db.insertInto(table).values(stand as Insertable<Tables[T]>[])).compile()
  const slots = query.parameters.map((value) => placeholders.get(value as string) ?? -1)
  if (new Set(slots.filter((s) => s >= 0)).size !== placeholders.size)
    throw new Error(`A value did not reach the parameters of: ${query.sql}`)
  return { query, slots }
}
