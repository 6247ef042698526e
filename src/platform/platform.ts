import type { FastifyBaseLogger } from 'fastify'
import { AuditKeys, AuditLog } from './audit.ts'
import { AUDIT_ANCHOR_JOB, verifyAndAnchor } from './audit-anchor.ts'
import type { Config } from './config.ts'
import type { Database } from './database.ts'
import type { PeriodicJob } from './jobs.ts'
import { Outbox } from './outbox.ts'
import { RateLimiter } from './rate-limit.ts'
import { SessionStore } from './session.ts'

/** The plumbing every module is given. Built once in app.ts; tests build the same with their own config. */
export interface Platform {
  config: Config
  database: Database
  audit: AuditLog
  outbox: Outbox
  sessions: SessionStore
  rateLimiter: RateLimiter
  log: FastifyBaseLogger
}

/** The platform's parts for one app, on one database. */
export function createPlatform(config: Config, database: Database, log: FastifyBaseLogger): Platform {
  return {
    config,
    database,
    audit: new AuditLog(database, new AuditKeys(config.auditKey, config.auditPreviousKeys)),
    outbox: new Outbox(database, config.OUTBOX_MAX_ATTEMPTS),
    sessions: new SessionStore(database, {
      idleMinutes: config.SESSION_IDLE_MINUTES,
      absoluteHours: config.SESSION_ABSOLUTE_HOURS,
    }),
    rateLimiter: new RateLimiter(database),
    log,
  }
}

/** Housekeeping of the platform's own tables, run by the worker beside the modules' jobs. */
export function platformJobs(platform: Platform): PeriodicJob[] {
  return [
    { name: 'purge-expired-sessions', everyMinutes: 60, run: () => platform.sessions.purgeExpired() },
    { name: 'purge-rate-limits', everyMinutes: 60, run: () => platform.rateLimiter.purge() },
    {
      name: AUDIT_ANCHOR_JOB,
      everyMinutes: 24 * 60,
      run: (now) =>
        verifyAndAnchor(platform.audit, platform.config.AUDIT_ANCHOR_FILE, platform.log, now).then(
          () => undefined,
        ),
    },
    {
      name: 'purge-sent-messages',
      everyMinutes: 60,
      run: (now) =>
        platform.outbox.purgeSent(platform.config.OUTBOX_RETENTION_DAYS, now).then(() => undefined),
    },
  ]
}
