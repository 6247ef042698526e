import { createHash } from 'node:crypto'
import { Worker } from 'node:worker_threads'
import { GENESIS_HASH, hashValues } from './audit-chain.ts'
import { type Segment, type SegmentVerdict, verifySegment } from './audit-segment.ts'
import { nowIso } from './clock.ts'
import { compiledInsert, compiledOnce } from './compiled.ts'
import { type Database, type Executor, forUpdate, type Tx } from './database.ts'
import { newId } from './ids.ts'

declare module './database.ts' {
  interface Tables {
    audit_events: AuditEventTable
    audit_head: { id: number; seq: number; hash: string }
  }
}

export interface AuditEventTable {
  id: string
  seq: number
  at: string
  actor_user_id: string | null
  actor: string
  action: string
  record_type: string | null
  record_id: string | null
  fields_json: string[] | null
  ip: string | null
  request_id: string | null
  prev_hash: string
  hash: string
  /** Which AUDIT_KEY signed the row (a fingerprint, not the key); null on rows from before keys (0037). */
  key_id: string | null
}

export { GENESIS_HASH }

/** Who did it and from where. Identifiers only: never a name, an email or any other personal value. */
export interface AuditContext {
  userId: string | null
  /** `staff`, `partner-api`, `public`, `cli` or `system` */
  actor: string
  ip: string | null
  requestId: string | null
}

export interface AuditEntry {
  action: string
  recordType?: string
  recordId?: string
  /** Names of the fields changed or shown; their values stay out of the audit. */
  fields?: string[]
}

/**
 * The keys the chain is signed with: the current one signs new rows; earlier ones (after a rotation)
 * still verify the rows they signed. Keys live in the environment, never in the database, so someone who
 * can write to the database cannot recompute a valid chain.
 */
export class AuditKeys {
  readonly current: { id: string; key: string }
  private readonly byId: Map<string, string>

  constructor(current: string, previous: readonly string[] = []) {
    this.current = { id: keyId(current), key: current }
    this.byId = new Map([current, ...previous].map((k) => [keyId(k), k]))
  }

  get(id: string): string | undefined {
    return this.byId.get(id)
  }

  /** Each key by its id, for a thread that checks part of the chain. */
  list(): [string, string][] {
    return [...this.byId]
  }
}

/** A fingerprint that names a key without revealing it. */
function keyId(key: string): string {
  return createHash('sha256').update(`audit-key-id:${key}`).digest('hex').slice(0, 12)
}

/** The chain's length and last hash at a moment, kept outside the database (audit-anchor.ts). */
export interface AuditAnchor {
  count: number
  head: string
  at: string
}

export type AuditVerdict =
  | { ok: true; count: number; head: string }
  | { ok: false; count: number; brokenAt: number }

/** The head each open transaction has locked and last written: its next row needs no second read. */
const lockedHeads = new WeakMap<Tx, { seq: number; hash: string }>()

// Written with every change to a person's data: compiled once (see compiledOnce, compiledInsert).
const insertEvents = compiledInsert('audit_events')
const moveHead = compiledOnce((db, seq: number, hash: string) =>
  db.updateTable('audit_head').set({ seq, hash }).where('id', '=', 1),
)

/**
 * The append-only audit trail. Each row carries the keyed hash of the one before, so a changed, removed
 * or inserted row breaks the chain and `hub verify-audit` finds it; rows cut off the end are found
 * against the last anchor kept outside the database.
 */
export class AuditLog {
  private readonly lockHead: (tx: Tx) => Promise<{ seq: number; hash: string }[]>

  constructor(
    private readonly database: Database,
    private readonly keys: AuditKeys,
  ) {
    const { dialect } = database
    this.lockHead = compiledOnce((db) =>
      forUpdate(dialect, db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1)),
    )
  }

  /** Writes inside the caller's transaction so the audit row commits or rolls back with the change. */
  record(tx: Executor, ctx: AuditContext, entry: AuditEntry): Promise<void> {
    return this.recordAll(tx, ctx, [entry])
  }

  /**
   * Several entries (one for each record a page shows, say), chained in order just as one `record` call
   * after another would chain them, but written in one insert with one move of the head.
   */
  async recordAll(tx: Executor, ctx: AuditContext, entries: readonly AuditEntry[]): Promise<void> {
    if (!entries.length) return
    if (!tx.isTransaction) {
      await this.database.db.transaction().execute((t) => this.recordAll(t, ctx, entries))
      return
    }
    const t = tx as Tx
    // Locking the head row gives every writer one place in a single order.
    const locked = lockedHeads.get(t) ?? (await this.lockHead(t))[0]
    if (!locked) throw new Error('The audit head row is missing')
    let head = { seq: Number(locked.seq), hash: locked.hash }
    const rows = entries.map((entry) => {
      const row = {
        id: newId(),
        seq: head.seq + 1,
        at: nowIso(),
        actor_user_id: ctx.userId,
        actor: ctx.actor,
        action: entry.action,
        record_type: entry.recordType ?? null,
        record_id: entry.recordId ?? null,
        fields_json: entry.fields?.length ? entry.fields : null,
        ip: ctx.ip,
        request_id: ctx.requestId,
        prev_hash: head.hash,
        key_id: this.keys.current.id,
      }
      const hash = hashRow(row, this.keys.current.key)
      head = { seq: row.seq, hash }
      return { ...row, hash }
    })
    // 13 values a row: a few hundred rows an insert stay far inside both databases' limits.
    for (let i = 0; i < rows.length; i += 500) await insertEvents(t, rows.slice(i, i + 500))
    await moveHead(t, head.seq, head.hash)
    lockedHeads.set(t, head)
  }

  /**
   * Checks the whole chain, every row. With the last anchor kept outside the database, a chain cut
   * short, or rewritten up to the anchor by someone holding the key, is caught too: the anchored row
   * must still be there with the anchored hash. With `threads` above 1 (`hub verify-audit`), a chain
   * of at least `rowsAThread` rows a thread is cut into segments checked at once on threads of their
   * own (see verifySegment); below that, starting a thread costs more than it saves. `offMainThread`
   * checks even one segment on a thread: a server's daily check of millions of rows must not take its
   * event loop for minutes.
   */
  async verify(
    anchor?: AuditAnchor,
    {
      threads = 1,
      rowsAThread = 100_000,
      offMainThread = false,
    }: { threads?: number; rowsAThread?: number; offMainThread?: boolean } = {},
  ): Promise<AuditVerdict> {
    const segments = await this.segments(threads, rowsAThread, anchor?.count ?? 0)
    const verdicts = await Promise.all(
      segments.map((segment) =>
        segments.length > 1 || offMainThread
          ? inThread(this.database.url, this.keys, segment)
          : verifySegment(this.database.url, this.keys, segment),
      ),
    )
    let count = 0
    let prev = GENESIS_HASH
    let anchored: string | undefined
    for (const verdict of verdicts) {
      if (verdict.brokenAt !== null)
        return { ok: false, count: verdict.brokenAt - 1, brokenAt: verdict.brokenAt }
      count += verdict.count
      prev = verdict.last
      anchored ??= verdict.anchored
    }
    const head = await this.database.db
      .selectFrom('audit_head')
      .select(['seq', 'hash'])
      .where('id', '=', 1)
      .executeTakeFirstOrThrow()
    // Rows cut off the end of the chain show as a head that points past the last row.
    if (Number(head.seq) !== count || head.hash !== prev) return { ok: false, count, brokenAt: count + 1 }
    if (anchor && anchor.count > 0 && anchored !== anchor.head)
      return { ok: false, count, brokenAt: Math.min(anchor.count, count + 1) }
    return { ok: true, count, head: prev }
  }

  /** Equal stretches of the rows there are now; the last runs on to rows written while it is checked. */
  private async segments(threads: number, rowsAThread: number, anchorSeq: number): Promise<Segment[]> {
    const { last } = await this.database.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.max('seq').as('last'))
      .executeTakeFirstOrThrow()
    const size = Math.max(rowsAThread, Math.ceil(Number(last ?? 0) / Math.max(1, threads)), 1)
    const segments: Segment[] = []
    for (let from = 1; from === 1 || from <= Number(last); from += size)
      segments.push({ from, to: from + size - 1, anchorSeq })
    const end = segments.at(-1) as Segment
    end.to = null
    return segments
  }

  /**
   * One page of the audit's rows, newest first, and how many match: exactly up to `countUpTo`, and
   * `more` when there are others beyond. An exact count reads every match: all of a busy account's rows.
   */
  async search(filter: {
    userId?: string
    recordId?: string
    from?: string
    to?: string
    limit: number
    offset: number
    countUpTo: number
  }): Promise<{ rows: AuditEventTable[]; total: number; more: boolean }> {
    const { db } = this.database
    let q = db.selectFrom('audit_events')
    if (filter.userId) q = q.where('actor_user_id', '=', filter.userId)
    if (filter.recordId) q = q.where('record_id', '=', filter.recordId)
    if (filter.from) q = q.where('at', '>=', `${filter.from}T00:00:00.000Z`)
    if (filter.to) q = q.where('at', '<=', `${filter.to}T23:59:59.999Z`)
    // One past the limit tells "exactly countUpTo" from "more".
    const matches = q.select('seq').limit(filter.countUpTo + 1)
    const [rows, counted] = await Promise.all([
      q.selectAll().orderBy('seq', 'desc').limit(filter.limit).offset(filter.offset).execute(),
      db
        .selectFrom(matches.as('m'))
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ])
    const n = Number(counted.n)
    return { rows, total: Math.min(n, filter.countUpTo), more: n > filter.countUpTo }
  }
}

/** HMAC-SHA256 with the row's key; rows from before keys (key null) keep their plain SHA-256. */
export function hashRow(row: Omit<AuditEventTable, 'hash'>, key: string | null): string {
  const fields = [
    Number(row.seq),
    row.at,
    row.actor_user_id,
    row.actor,
    row.action,
    row.record_type,
    row.record_id,
    row.fields_json,
    row.ip,
    row.request_id,
    row.prev_hash,
  ]
  return hashValues(key === null ? fields : [...fields, row.key_id], key)
}

/** verifySegment on a thread of its own. */
function inThread(url: string, keys: AuditKeys, segment: Segment): Promise<SegmentVerdict> {
  const worker = new Worker(new URL('./audit-segment.thread.mjs', import.meta.url), {
    workerData: { url, keys: keys.list(), segment },
  })
  return new Promise((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`The audit check's thread stopped (${code})`)))
  })
}
