/** A seeded random source for the data generator (mulberry32): the same seed gives the same data. */
import type { Executor, Tables } from '../../src/platform/database.ts'

export interface Random {
  /** 0 <= x < 1 */
  next(): number
  /** 0 <= n < max */
  int(max: number): number
  pick<T>(list: readonly T[]): T
  /** Each item with probability p, at least `min` of them. */
  some<T>(list: readonly T[], p: number, min?: number): T[]
  chance(p: number): boolean
}

export function randomFrom(seed: number): Random {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
  const int = (max: number) => Math.floor(next() * max)
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T
  return {
    next,
    int,
    pick,
    chance: (p) => next() < p,
    some<T>(list: readonly T[], p: number, min = 0): T[] {
      const chosen = list.filter(() => next() < p)
      while (chosen.length < Math.min(min, list.length)) {
        const one = pick(list)
        if (!chosen.includes(one)) chosen.push(one)
      }
      return chosen
    },
  }
}

/**
 * Rows in multi-row INSERTs of at most `maxParams` bound values each (SQLite allows 32,766 and
 * PostgreSQL 65,535 per statement), in the caller's transaction.
 */
export async function insertMany<T extends keyof Tables & string>(
  db: Executor,
  table: T,
  rows: Tables[T][],
  maxParams = 30_000,
): Promise<void> {
  if (!rows.length) return
  const columns = Object.keys(rows[0] as object).length || 1
  const size = Math.max(1, Math.floor(maxParams / columns))
  for (let i = 0; i < rows.length; i += size) {
    // Kysely's insert types cannot follow a generic table name: the rows are typed by the signature.
    await db
      .insertInto(table)
      .values(rows.slice(i, i + size) as never)
      .execute()
  }
}

/**
 * A UUIDv7 (as `newId` makes) whose random bits come from the seeded source: the generator makes
 * millions, and asking the system for randomness for each took a seventh of its time.
 */
export function seededId(r: Random, ms: number): string {
  const time = ms.toString(16).padStart(12, '0')
  const variant = (8 + r.int(4)).toString(16)
  return `${time.slice(0, 8)}-${time.slice(8)}-7${hex(r, 12, 3)}-${variant}${hex(r, 12, 3)}-${hex(r, 24, 6)}${hex(r, 24, 6)}`
}

/** `bits` random bits in `digits` hex digits. */
function hex(r: Random, bits: number, digits: number): string {
  return r
    .int(2 ** bits)
    .toString(16)
    .padStart(digits, '0')
}
