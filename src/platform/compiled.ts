import type { Compilable, CompiledQuery } from 'kysely'
import type { Executor } from './database.ts'

/** Strings (ids, hashes: the value plugin leaves them alone), lists of them, or null. */
type Parameter = string | readonly string[] | null

interface Compiled<R> {
  query: CompiledQuery<R>
  /** For each of the query's parameters: which string of the flattened parameters it is, or -1 for none. */
  slots: number[]
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
  // Per database (its dialect's adapter, which its transactions share): each compiles to its own SQL.
  const databases = new WeakMap<object, Map<string, Compiled<R>>>()
  return async (db, ...params) => {
    const { adapter } = db.getExecutor()
    let shapes = databases.get(adapter)
    if (!shapes) {
      shapes = new Map()
      databases.set(adapter, shapes)
    }
    const shape = params.map((p) => (p === null ? 'null' : typeof p === 'string' ? '' : p.length)).join()
    let compiled = shapes.get(shape)
    if (!compiled) {
      compiled = compile(db, build, params)
      shapes.set(shape, compiled)
    }
    const { query, slots } = compiled
    const values = params.flatMap((p) => p ?? [])
    const parameters = query.parameters.map((value, i) => {
      const slot = slots[i] as number
      return slot < 0 ? value : values[slot]
    })
    const result = await db.executeQuery<R>({ ...query, parameters })
    return result.rows
  }
}

/** Compiles with a placeholder for each string, noting which one each of the query's parameters is. */
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
  const stand = params.map((p) =>
    p === null ? null : typeof p === 'string' ? placeholder() : p.map(placeholder),
  )
  const query = build(db, ...(stand as P)).compile()
  const slots = query.parameters.map((value) => placeholders.indexOf(value as string))
  for (const i of placeholders.keys()) {
    if (!slots.includes(i)) throw new Error(`A parameter did not reach the parameters of: ${query.sql}`)
  }
  return { query, slots }
}
