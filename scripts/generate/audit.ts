/**
 * An audit trail for the data generator: `count` rows after whatever is there, chained and signed with
 * `auditKey` exactly as `AuditLog.record` writes them, one a second back from now, so that `verify-audit`
 * and the audit search can be measured on a trail of millions.
 */
import { type AuditEventTable, AuditKeys, hashRow } from '../../src/platform/audit.ts'
import type { Db } from '../../src/platform/database.ts'
import { newId } from '../../src/platform/ids.ts'
import { insertMany, type Random } from './random.ts'

const ACTIONS = [
  ['referral.viewed', 'referral'],
  ['referral.searched', null],
  ['need.status-changed', 'referral_need'],
  ['user.signed-in', 'user'],
  ['outbox.viewed', 'outbox_message'],
] as const
const BATCH = 20_000

export async function generateAudit(db: Db, count: number, auditKey: string, r: Random): Promise<number> {
  if (!count) return 0
  const key = new AuditKeys(auditKey).current
  const head = await db
    .selectFrom('audit_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow()
  let seq = Number(head.seq)
  let prev = head.hash
  const users = Array.from({ length: 40 }, () => newId())
  const firstAt = Date.now() - count * 1000
  for (let done = 0; done < count; ) {
    const rows: AuditEventTable[] = []
    for (const end = Math.min(count, done + BATCH); done < end; done++) {
      const [action, recordType] = ACTIONS[r.int(ACTIONS.length)] as (typeof ACTIONS)[number]
      const row = {
        id: newId(),
        seq: ++seq,
        at: new Date(firstAt + done * 1000).toISOString(),
        actor_user_id: r.pick(users),
        actor: 'staff',
        action,
        record_type: recordType,
        record_id: recordType ? newId() : null,
        fields_json: action === 'referral.searched' ? ['search'] : null,
        ip: `10.0.${r.int(256)}.${r.int(256)}`,
        request_id: newId(),
        prev_hash: prev,
        key_id: key.id,
      }
      prev = hashRow(row, key.key)
      rows.push({ ...row, hash: prev })
    }
    await db.transaction().execute(async (tx) => {
      await insertMany(tx, 'audit_events', rows)
      await tx.updateTable('audit_head').set({ seq, hash: prev }).where('id', '=', 1).execute()
    })
  }
  return count
}
