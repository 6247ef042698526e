import type { FastifyBaseLogger } from 'fastify'
import type { AuditLog } from './audit.ts'
import type { Config } from './config.ts'
import type { Database } from './database.ts'
import type { Outbox } from './outbox.ts'
import type { RateLimiter } from './rate-limit.ts'
import type { SessionStore } from './session.ts'

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
