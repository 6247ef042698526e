/**
 * An audit trail for the data generator: `count` rows after whatever is there, chained and signed with
 * `auditKey` exactly as `AuditLog.record` writes them, one a second back from now, so that `verify-audit`
 * and the audit search can be measured on a trail of millions.
 *
 * Built for ten million rows: one SQL text for every full batch (SQLite keeps it prepared; PostgreSQL
 * takes a column per array through unnest), parameters in one flat array rather than row objects for
 * Kysely to compile, and ids from the seeded random source rather than a call to the system's each.
 */
import { CompiledQuery } from 'kysely'
import { type AuditEventTable, AuditKeys, hashRow } from '../../src/platform/audit.ts'
import { CHAIN_COLUMNS } from '../../src/platform/audit-chain.ts'
import type { Db, Dialect } from '../../src/platform/database.ts'
import { type Random, seededId } from './random.ts'

const ACTIONS = [
  ['referral.viewed', 'referral'],
  ['referral.searched', null],
  ['need.status-changed', 'referral_need'],
  ['user.signed-in', 'user'],
  ['outbox.viewed', 'outbox_message'],
] as const
/** The row's id, then the columns the chain signs and checks, in their order. */
const COLUMNS = ['id', ...CHAIN_COLUMNS] as const
/** PostgreSQL's type of each of those columns, for unnest. */
const PG_TYPES = [
  'uuid',
  'bigint',
  'timestamptz',
  'uuid',
  'text',
  'text',
  'text',
  'text',
  'jsonb',
  'text',
].concat(['text', 'text', 'text', 'text'])
/** Rows a statement: under SQLite's 32,766 bound values (14 a row); one transaction takes many. */
const ROWS_A_STATEMENT = 2000
const ROWS_A_TRANSACTION = 100_000

export async function generateAudit(
  db: Db,
  dialect: Dialect,
  count: number,
  auditKey: string,
  r: Random,
): Promise<number> {
  if (!count) return 0
  const key = new AuditKeys(auditKey).current
  const head = await db
    .selectFrom('audit_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow()
  let seq = Number(head.seq)
  let prev = head.hash
  const users = Array.from({ length: 40 }, () => seededId(r, Date.now()))
  const firstAt = Date.now() - count * 1000
  for (let done = 0; done < count; ) {
    await db.transaction().execute(async (tx) => {
      for (const end = Math.min(count, done + ROWS_A_TRANSACTION); done < end; ) {
        const rows: unknown[][] = []
        for (const last = Math.min(end, done + ROWS_A_STATEMENT); done < last; done++) {
          const atMs = firstAt + done * 1000
          const [action, recordType] = ACTIONS[r.int(ACTIONS.length)] as (typeof ACTIONS)[number]
          const row: Omit<AuditEventTable, 'hash'> = {
            id: seededId(r, atMs),
            seq: ++seq,
            at: new Date(atMs).toISOString(),
            actor_user_id: r.pick(users),
            actor: 'staff',
            action,
            record_type: recordType,
            record_id: recordType ? seededId(r, atMs) : null,
            fields_json: action === 'referral.searched' ? ['search'] : null,
            ip: `10.0.${r.int(256)}.${r.int(256)}`,
            request_id: seededId(r, atMs),
            prev_hash: prev,
            key_id: key.id,
          }
          prev = hashRow(row, key.key)
          const fields = row.fields_json && JSON.stringify(row.fields_json)
          rows.push(COLUMNS.map((c) => (c === 'hash' ? prev : c === 'fields_json' ? fields : row[c])))
        }
        await tx.executeQuery(insertRows(dialect, rows))
      }
      await tx.updateTable('audit_head').set({ seq, hash: prev }).where('id', '=', 1).execute()
    })
  }
  return count
}

/**
 * SQLite: one multi-row INSERT, its text the same for every full batch, so prepared once.
 * PostgreSQL: one array a column through unnest, so fourteen parameters whatever the number of rows.
 */
function insertRows(dialect: Dialect, rows: unknown[][]): CompiledQuery {
  const into = `insert into audit_events (${COLUMNS.join(', ')})`
  if (dialect === 'postgres') {
    const arrays = COLUMNS.map((_, c) => rows.map((row) => row[c]))
    const unnest = PG_TYPES.map((type, c) => `$${c + 1}::${type}[]`).join(', ')
    return CompiledQuery.raw(`${into} select * from unnest(${unnest})`, arrays)
  }
  const one = `(${COLUMNS.map(() => '?').join(', ')})`
  return CompiledQuery.raw(`${into} values ${Array(rows.length).fill(one).join(', ')}`, rows.flat())
}
