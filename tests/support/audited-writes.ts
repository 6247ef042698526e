import { AuditKeys, AuditLog } from '#platform/audit.ts'
import { loadConfig } from '#platform/config.ts'
import { openDatabase } from '#platform/database.ts'

/**
 * Run as a process of its own by the SQLite writers test: `count` audited writes, all started at once,
 * on the SQLite file given, once told to go on standard input (so two processes start together).
 * Prints how many went in and the errors of those that did not.
 */
const [file = '', count = '100'] = process.argv.slice(2)
const database = openDatabase(file)
const audit = new AuditLog(database, new AuditKeys(loadConfig({}).auditKey))
const ctx = { userId: null, actor: `process ${process.pid}`, ip: null, requestId: null }
console.log('ready')
await new Promise((resolve) => process.stdin.once('data', resolve))
process.stdin.pause()
const results = await Promise.allSettled(
  Array.from({ length: Number(count) }, (_, i) => audit.record(database.db, ctx, { action: `write.${i}` })),
)
await database.close()
const errors = results.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as Error).message)] : []))
console.log(JSON.stringify({ written: results.length - errors.length, errors: errors.slice(0, 3) }))
