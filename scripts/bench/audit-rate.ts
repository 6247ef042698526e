/**
 * How fast the audit chain is checked: the generated trail walked as `npm run hub -- verify-audit` walks
 * it (a thread a core, up to four), timed without the command's start-up, on the benchmark's database
 * before the Hub takes the CPU.
 */
import { availableParallelism } from 'node:os'
import { AuditKeys, AuditLog } from '../../src/platform/audit.ts'
import { AUDIT_ANCHOR_JOB } from '../../src/platform/audit-anchor.ts'
import type { Database } from '../../src/platform/database.ts'
import type { Check } from './report.ts'

export interface AuditRate {
  rows: number
  ms: number
  threads: number
}

/** Rows a second `verify-audit` must check at least. */
const GOAL = 200_000

export async function verifyAuditRate(database: Database, auditKey: string): Promise<AuditRate> {
  const threads = Math.min(4, availableParallelism())
  const started = performance.now()
  const verdict = await new AuditLog(database, new AuditKeys(auditKey)).verify(undefined, { threads })
  const ms = performance.now() - started
  if (!verdict.ok) throw new Error(`verify-audit: the generated chain is broken at row ${verdict.brokenAt}`)
  return { rows: verdict.count, ms, threads }
}

/**
 * Records the Hub's daily check of the chain as run now, as it would be on a Hub in use: left due, the
 * Hub would walk the whole generated trail (minutes at ten million rows) on a thread beside the pages
 * being measured. The check itself is measured above, on its own.
 */
export async function dailyCheckDone(database: Database): Promise<void> {
  const at = new Date().toISOString()
  await database.db
    .insertInto('job_runs')
    .values({ name: AUDIT_ANCHOR_JOB, last_run_at: at })
    .onConflict((oc) => oc.column('name').doUpdateSet({ last_run_at: at }))
    .execute()
}

const perSecond = (r: AuditRate) => (r.rows / r.ms) * 1000

export function auditRateLine(name: string, r: AuditRate): string {
  return (
    `${name}: ${(r.ms / 1000).toFixed(2)} s on ${r.threads} threads, ` +
    `${perSecond(r).toFixed(0)} rows a second`
  )
}

export function auditRateCheck(r: AuditRate): Check {
  return {
    name: `verify-audit >= ${GOAL.toLocaleString('en-GB')} rows a second`,
    pass: perSecond(r) >= GOAL,
    detail: `${perSecond(r).toFixed(0)} rows a second on ${r.threads} threads`,
  }
}
