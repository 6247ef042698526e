import { setImmediate } from 'node:timers/promises'
import SqliteDatabase from 'better-sqlite3'
import pg from 'pg'
import { CHAIN_COLUMNS, ChainWalk, GENESIS_HASH, type KeyLookup, type WalkStart } from './audit-chain.ts'
import { isPostgresUrl, pgTypes } from './database-url.ts'

/** A stretch of the chain by seq; `to` null walks to the last row there is. */
export interface Segment {
  from: number
  to: number | null
  /** The seq of the last anchor, whose stored hash the walk reports. */
  anchorSeq: number
}

export interface SegmentVerdict {
  count: number
  /** The first row that fails, or null when every row of the segment holds. */
  brokenAt: number | null
  /** The hash of the segment's last row. */
  last: string
  anchored: string | undefined
}

/**
 * Rows a page: enough that queries cost little, few enough that a page dies young in memory (on SQLite
 * a read of a million rows cost 2.2 µs a row in pages of 1,000, 2.4 in 5,000, 4.4 in 20,000); on
 * PostgreSQL each page is a round trip as well.
 */
const SQLITE_PAGE = 1000
const POSTGRES_PAGE = 5000
const COLUMNS = CHAIN_COLUMNS.join(', ')
/**
 * PostgreSQL's `at` as milliseconds, made an ISO string here: parsing its text form into a Date (as the
 * pool's type parser does) cost more than the row's HMAC. Floored, as that parser drops microseconds.
 */
const PG_COLUMNS = CHAIN_COLUMNS.map((c) =>
  c === 'at' ? 'floor(extract(epoch from at) * 1000)::int8 as at' : c,
).join(', ')
const AT = CHAIN_COLUMNS.indexOf('at')

/** Reads the chain's rows as arrays over a connection of its own, one page after another. */
interface ChainReader {
  readonly fieldsAsText: boolean
  start(seq: number): Promise<WalkStart>
  page(from: number, to: number): Promise<unknown[][]>
  close(): Promise<void>
}

/**
 * Checks one segment of the chain exactly as a walk from the first row would: it starts from the
 * stored hash of the row before it, and knows whether a keyed row came before. The row before is
 * itself checked by the segment before, so segments checked apart and read in order give the same
 * first broken row as one walk. A segment with an end must reach it: a row missing there breaks it.
 */
export async function verifySegment(url: string, keys: KeyLookup, segment: Segment): Promise<SegmentVerdict> {
  const reader = await openReader(url)
  try {
    const walk = new ChainWalk(await reader.start(segment.from), keys, reader.fieldsAsText, segment.anchorSeq)
    const to = segment.to ?? Number.MAX_SAFE_INTEGER
    // The next page is asked for before this one is checked: PostgreSQL reads it meanwhile.
    let next = reader.page(segment.from, to)
    try {
      for (;;) {
        const rows = await next
        if (!rows.length) break
        const from = Number(rows[rows.length - 1]?.[0]) + 1
        next = from <= to ? reader.page(from, to) : Promise.resolve([])
        for (const row of rows) if (!walk.step(row)) break
        if (walk.brokenAt !== null) break
        // Let a server answer its requests between pages when it checks the chain itself.
        await setImmediate()
      }
    } finally {
      await next.catch(() => [])
    }
    if (walk.brokenAt === null && segment.to !== null && walk.next !== segment.to + 1)
      walk.brokenAt = walk.next
    return { count: walk.count, brokenAt: walk.brokenAt, last: walk.prev, anchored: walk.anchored }
  } finally {
    await reader.close()
  }
}

async function openReader(url: string): Promise<ChainReader> {
  return isPostgresUrl(url) ? openPostgresReader(url) : openSqliteReader(url)
}

function openSqliteReader(file: string): ChainReader {
  if (file === ':memory:') throw new Error('The audit chain is checked from a database file, not :memory:')
  const sqlite = new SqliteDatabase(file, { readonly: true, fileMustExist: true })
  const page = sqlite
    .prepare(
      `select ${COLUMNS} from audit_events where seq >= ? and seq <= ? order by seq limit ${SQLITE_PAGE}`,
    )
    .raw()
  const before = sqlite.prepare('select hash from audit_events where seq = ?').pluck()
  const keyedBefore = sqlite
    .prepare('select 1 from audit_events where seq >= 1 and seq < ? and key_id is not null limit 1')
    .pluck()
  return {
    fieldsAsText: true,
    start: async (seq) => ({
      seq,
      prev: seq === 1 ? GENESIS_HASH : ((before.get(seq - 1) as string | undefined) ?? ''),
      keyed: keyedBefore.get(seq) !== undefined,
    }),
    page: async (from, to) => page.all(from, to) as unknown[][],
    close: async () => {
      sqlite.close()
    },
  }
}

async function openPostgresReader(url: string): Promise<ChainReader> {
  const client = new pg.Client({
    connectionString: url,
    types: pgTypes as pg.CustomTypesConfig,
    options: '-c TimeZone=UTC',
  })
  await client.connect()
  const one = async (text: string, values: unknown[]) =>
    (await client.query({ text, values, rowMode: 'array' })).rows[0]?.[0] as unknown
  return {
    fieldsAsText: false,
    start: async (seq) => ({
      seq,
      prev:
        seq === 1
          ? GENESIS_HASH
          : (((await one('select hash from audit_events where seq = $1', [seq - 1])) as string | undefined) ??
            ''),
      keyed:
        (await one('select 1 from audit_events where seq >= 1 and seq < $1 and key_id is not null limit 1', [
          seq,
        ])) !== undefined,
    }),
    page: async (from, to) => {
      const { rows } = await client.query({
        name: 'audit-chain-page',
        text: `select ${PG_COLUMNS} from audit_events where seq >= $1 and seq <= $2 order by seq limit ${POSTGRES_PAGE}`,
        values: [from, to],
        rowMode: 'array',
      })
      for (const row of rows as unknown[][])
        if (row[AT] !== null) row[AT] = new Date(row[AT] as number).toISOString()
      return rows
    },
    close: () => client.end(),
  }
}
