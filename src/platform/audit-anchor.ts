import fs from 'node:fs'
import path from 'node:path'
import type { AuditAnchor, AuditLog } from './audit.ts'

/** The daily job that runs `verifyAndAnchor` (platform.ts). */
export const AUDIT_ANCHOR_JOB = 'audit-anchor'

/**
 * Anchors of the audit chain, kept outside the database: each verification (the daily job and
 * `hub verify-audit`) writes the chain's length and last hash to the log and, when AUDIT_ANCHOR_FILE is
 * set, appends them to that file. The next verification checks the chain against the last anchor, so a
 * chain cut short, or re-signed up to it, is caught even though its rows agree with each other.
 */
export function readLastAnchor(file: string | undefined): AuditAnchor | undefined {
  if (!file || !fs.existsSync(file)) return undefined
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n').reverse()
  for (const line of lines) {
    try {
      const a = JSON.parse(line) as AuditAnchor
      if (Number.isInteger(a.count) && /^[0-9a-f]{64}$/.test(a.head)) return a
    } catch {
      // A line cut off by a crash mid-write: the one before it still counts.
    }
  }
  return undefined
}

export function writeAnchor(
  file: string | undefined,
  anchor: AuditAnchor,
  log: { info(obj: object, msg: string): void },
): void {
  log.info({ auditAnchor: anchor }, 'audit anchor')
  if (!file) return
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
  fs.appendFileSync(file, `${JSON.stringify(anchor)}\n`)
}

/**
 * Verifies the chain against the last anchor and, when it holds, writes a new anchor. `threads` above 1
 * checks a long chain on that many threads (`hub verify-audit`; the daily job keeps to one).
 */
export async function verifyAndAnchor(
  audit: AuditLog,
  file: string | undefined,
  log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void },
  now = new Date(),
  threads = 1,
) {
  const last = readLastAnchor(file)
  // On a thread of its own: the daily job runs in the server's process, beside its requests.
  const verdict = await audit.verify(last, { threads, offMainThread: true })
  if (verdict.ok) writeAnchor(file, { count: verdict.count, head: verdict.head, at: now.toISOString() }, log)
  else log.error({ audit: verdict, lastAnchor: last }, 'audit chain broken')
  return { verdict, last }
}
