import type { ExpressionBuilder } from 'kysely'
import { compiledInsert } from './compiled.ts'
import { type Database, type Executor, forUpdate, type Tables } from './database.ts'
import { newId } from './ids.ts'
import { isTemplateName, maskSecrets } from './messages.ts'

declare module './database.ts' {
  interface Tables {
    outbox: OutboxTable
  }
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'parked'

export interface OutboxTable {
  id: string
  /** `email` or `sms`: what kind of address the recipient is; the configured transport does the rest. */
  channel: 'email' | 'sms'
  template: string
  recipient: string
  personalisation_json: Record<string, string>
  status: OutboxStatus
  attempts: number
  next_attempt_at: string
  claimed_until: string | null
  last_error: string | null
  created_at: string
  sent_at: string | null
  /** The borough whose people the message is about; null for none in particular (migration 0035). */
  borough_id: string | null
  /** When the personal content of a sent message was purged, leaving the delivery record. */
  purged_at: string | null
}

export interface NewMessage {
  channel: 'email' | 'sms'
  /** A template some manifest declares; an unknown name fails in the transaction that enqueues it. */
  template: string
  recipient: string
  personalisation: Record<string, string>
  /** The borough whose resident (or staff member of that one borough) the message is about. */
  boroughId?: string | null
}

/** What one send came to: no error when the provider took the message, or its reply when it did not. */
export interface SendOutcome {
  message: OutboxTable
  error?: string
}

/** The borough ids a viewer works in, or null for all (access.ts `scopeFilter`). */
export type Scope = readonly string[] | null

/** Messages about no one borough's people are everyone's with the permission, as in access.ts `inScope`. */
function inScope(eb: ExpressionBuilder<Tables, 'outbox'>, scope: Scope) {
  if (scope === null) return eb.lit(true)
  const own = scope.length ? [eb('borough_id', 'in', scope)] : []
  return eb.or([eb('borough_id', 'is', null), ...own])
}

// Messages are enqueued with most changes a resident hears of: compiled once (see compiledInsert).
const insertMessages = compiledInsert('outbox')

/**
 * How long a claim holds unless renewed. A worker renews its claim while it sends, so only a worker that
 * has died lets it lapse; then another worker sends the message within this time.
 */
export const CLAIM_MS = 30_000

/** Seconds to wait before the next attempt: 15s, 30s, 1m, 2m ... up to an hour, with jitter. */
export function backoffSeconds(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(3600, 15 * 2 ** Math.max(0, attempts - 1))
  return Math.round(base * (0.8 + 0.4 * random()))
}

/**
 * Messages waiting to go. Enqueue inside the transaction of the change that causes them, so a message
 * exists exactly when the change does; a worker sends them later, and a mail server being down loses nothing.
 */
export class Outbox {
  constructor(
    private readonly database: Database,
    readonly maxAttempts: number,
    /** Milliseconds since the epoch; tests pass their own clock to step through backoff and claim expiry. */
    private readonly clock: () => number = Date.now,
    readonly claimMs = CLAIM_MS,
  ) {}

  private at(offsetMs = 0): string {
    return new Date(this.clock() + offsetMs).toISOString()
  }

  async enqueue(tx: Executor, message: NewMessage): Promise<string> {
    const [id] = await this.enqueueMany(tx, [message])
    return id as string
  }

  /** Many messages at once (a bulletin to a whole list), in a few statements; answers their ids in order. */
  async enqueueMany(tx: Executor, messages: readonly NewMessage[]): Promise<string[]> {
    const now = this.at()
    const rows = messages.map((message) => {
      if (!isTemplateName(message.template)) throw new Error(`Unknown message template ${message.template}`)
      return {
        id: newId(),
        channel: message.channel,
        template: message.template,
        recipient: message.recipient,
        personalisation_json: message.personalisation,
        status: 'pending' as const,
        attempts: 0,
        next_attempt_at: now,
        claimed_until: null,
        last_error: null,
        created_at: now,
        sent_at: null,
        borough_id: message.boroughId ?? null,
        purged_at: null,
      }
    })
    // 14 values a row: 500 rows stay well inside both databases' limits on parameters per statement.
    for (let i = 0; i < rows.length; i += 500) await insertMessages(tx, rows.slice(i, i + 500))
    return rows.map((row) => row.id)
  }

  /**
   * Takes up to `limit` due messages for this worker. On PostgreSQL, SKIP LOCKED lets several workers
   * claim at once without taking the same row; SQLite has one writer at a time anyway.
   */
  async claim(limit: number): Promise<OutboxTable[]> {
    const now = this.at()
    const until = this.at(this.claimMs)
    const { db, dialect } = this.database
    // One statement: the sub-select picks due rows (skipping rows another worker has locked, on
    // PostgreSQL) and the update claims them. SQLite runs it as one write, so even a second process
    // on the same file cannot claim the same rows.
    const due = forUpdate(
      dialect,
      db
        .selectFrom('outbox')
        .select('id')
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
            eb.and([eb('status', '=', 'sending'), eb('claimed_until', '<', now)]),
          ]),
        )
        .orderBy('next_attempt_at')
        .limit(limit),
      { skipLocked: true },
    )
    return db
      .updateTable('outbox')
      .set({ status: 'sending', claimed_until: until })
      .where('id', 'in', due)
      .returningAll()
      .execute()
  }

  /** Holds this worker's claim on messages it has not finished with for another claim period. */
  async renew(ids: string[]): Promise<void> {
    if (ids.length === 0) return
    await this.database.db
      .updateTable('outbox')
      .set({ claimed_until: this.at(this.claimMs) })
      .where('id', 'in', ids)
      .where('status', '=', 'sending')
      .execute()
  }

  /**
   * Records what became of a batch of sends in one transaction (one commit, however many messages): a
   * sent message keeps only the mask of a one-time link; a failed one keeps the provider's reply
   * (`SMTP 550: ...`) and is tried again with backoff, or parked after its last attempt. Answers the
   * status each failed message is left in.
   */
  async record(outcomes: readonly SendOutcome[]): Promise<Map<string, OutboxStatus>> {
    const now = this.at()
    const left = new Map<string, OutboxStatus>()
    await this.database.db.transaction().execute(async (tx) => {
      const plain: string[] = []
      for (const { message, error } of outcomes) {
        if (error !== undefined) {
          const attempts = message.attempts + 1
          const status: OutboxStatus = attempts >= this.maxAttempts ? 'parked' : 'pending'
          left.set(message.id, status)
          await tx
            .updateTable('outbox')
            .set({
              status,
              attempts,
              claimed_until: null,
              last_error: error.slice(0, 500),
              next_attempt_at: this.at(backoffSeconds(attempts) * 1000),
            })
            .where('id', '=', message.id)
            .execute()
          continue
        }
        const masked = maskSecrets(message.template, message.personalisation_json)
        const changed = Object.keys(masked).some((k) => masked[k] !== message.personalisation_json[k])
        if (!changed) {
          plain.push(message.id)
          continue
        }
        await tx
          .updateTable('outbox')
          .set({
            status: 'sent',
            sent_at: now,
            claimed_until: null,
            last_error: null,
            personalisation_json: masked,
          })
          .where('id', '=', message.id)
          .where('status', '=', 'sending')
          .execute()
      }
      // Messages with nothing to mask (a bulletin's) are marked sent a few hundred in one statement.
      for (let i = 0; i < plain.length; i += 500)
        await tx
          .updateTable('outbox')
          .set({ status: 'sent', sent_at: now, claimed_until: null, last_error: null })
          .where('id', 'in', plain.slice(i, i + 500))
          .where('status', '=', 'sending')
          .execute()
    })
    return left
  }

  /** An administrator sends a parked message (one in their scope) round again. */
  async retry(id: string, scope: Scope): Promise<boolean> {
    const result = await this.database.db
      .updateTable('outbox')
      .set({ status: 'pending', attempts: 0, next_attempt_at: this.at() })
      .where('id', '=', id)
      .where('status', '=', 'parked')
      .where((eb) => inScope(eb, scope))
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }

  /** One message, if it is in the caller's borough scope. */
  async find(id: string, scope: Scope): Promise<OutboxTable | undefined> {
    return this.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('id', '=', id)
      .where((eb) => inScope(eb, scope))
      .executeTakeFirst()
  }

  /**
   * Empties the recipient and personalisation of messages sent more than `days` ago. The row stays:
   * that a message went, when and after how many attempts. Answers how many were purged.
   */
  async purgeSent(days: number, now = new Date(this.clock())): Promise<number> {
    const result = await this.database.db
      .updateTable('outbox')
      .set({ recipient: '', personalisation_json: {}, purged_at: now.toISOString() })
      .where('status', '=', 'sent')
      .where('sent_at', '<', new Date(now.getTime() - days * 86_400_000).toISOString())
      .where('purged_at', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows)
  }

  async list(filter: { status?: OutboxStatus; scope: Scope; limit: number; offset: number }) {
    let q = this.database.db.selectFrom('outbox').where((eb) => inScope(eb, filter.scope))
    if (filter.status) q = q.where('status', '=', filter.status)
    const [rows, total] = await Promise.all([
      q.selectAll().orderBy('created_at', 'desc').limit(filter.limit).offset(filter.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ])
    return { rows, total: Number(total.n) }
  }
}
