/**
 * An audit trail for the data generator: `count` rows after whatever is there, chained and signed with
 * `auditKey` exactly as `AuditLog.record` writes them, one a second back from now, so that `verify-audit`
 * and the audit search can be measured on a trail of millions.
 *
 * Built for ten million rows: rows as arrays rather than objects for Kysely to compile, inserted in bulk
 * (bulk.ts), and ids from the seeded random source rather than a call to the system's each.
 */
import { type AuditEventTable, AuditKeys, hashRow } from '../../src/platform/audit.ts'
import { CHAIN_COLUMNS } from '../../src/platform/audit-chain.ts'
import type { Db, Dialect } from '../../src/platform/database.ts'
import { BulkInsert } from './bulk.ts'
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
/** Rows made at a time; one transaction takes many. */
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
  const bulk = new BulkInsert(dialect)
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
        await bulk.rows(tx, 'audit_events', COLUMNS, rows)
      }
      await tx.updateTable('audit_head').set({ seq, hash: prev }).where('id', '=', 1).execute()
    })
  }
  return count
}
