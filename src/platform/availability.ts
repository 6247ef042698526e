import cluster from 'node:cluster'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Database } from './database.ts'
import { ServiceUnavailable } from './errors.ts'

/** How long a health check waits for the database, and how often the monitor asks. */
const PING_TIMEOUT_MS = 1000
const CHECK_EVERY_MS = 1000
const CHECK_WHILE_DOWN_MS = 500
/** One slow answer on a busy machine is not an outage; this many in a row are. A refusal is one at once. */
const MISSES_BEFORE_DOWN = 2

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
])
// PostgreSQL: connection exceptions (08), insufficient resources (53), the server shutting down or
// starting (57P), a statement cancelled by its timeout (57014).
const POSTGRES_CODE = /^(08|53|57P)|^57014$/
const SQLITE_CODE = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|PROTOCOL)/
const PG_CLIENT_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|not queryable|Connection refused/i

/** True when the error says the database is out of reach or too busy, not that the request was wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null
  if (!e || typeof e !== 'object') return false
  const code = typeof e.code === 'string' ? e.code : ''
  if (NETWORK_CODES.has(code) || SQLITE_CODE.test(code) || POSTGRES_CODE.test(code)) return true
  return typeof e.message === 'string' && PG_CLIENT_MESSAGE.test(e.message)
}

type Log = { warn(obj: object, msg: string): void; info(obj: object, msg: string): void }

/**
 * Knows whether the database answers, by asking it every second (twice a second while it does not).
 * While it does not, requests are answered at once with the service-unavailable page instead of each
 * waiting for a connection that will not come; when it answers again, the Hub serves again. It is
 * marked away when it refuses, after two answers in a row too slow to wait for, or after one slow answer
 * following a request's own database error.
 */
export class DatabaseMonitor {
  private up = true
  private misses = 0
  private downSince = 0
  private timer: NodeJS.Timeout | undefined
  private checking: Promise<boolean> | undefined
  private stopped = true

  constructor(
    private readonly database: Pick<Database, 'ping' | 'describe'>,
    private readonly log: Log,
    private readonly pingTimeoutMs = PING_TIMEOUT_MS,
  ) {}

  get available(): boolean {
    return this.up
  }

  start(): void {
    this.stopped = false
    this.schedule()
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    await this.checking
  }

  /** A request met a database error: ask now rather than at the next beat. */
  suspect(): void {
    void this.check(true)
  }

  /** Asks the database; `afterError` when a request has just met a database error. */
  check(afterError = false): Promise<boolean> {
    const started = Date.now()
    this.checking ??= this.database
      .ping(this.pingTimeoutMs)
      .then((ok) => {
        // A quick "no" is the database refusing or gone; only waiting the whole time may be a busy machine.
        const slow = Date.now() - started >= this.pingTimeoutMs * 0.9
        this.record(ok, afterError || !slow)
        return ok
      })
      .finally(() => {
        this.checking = undefined
      })
    return this.checking
  }

  private record(ok: boolean, certain: boolean): void {
    this.misses = ok ? 0 : this.misses + 1
    if (ok && !this.up) {
      this.up = true
      const seconds = Math.round((Date.now() - this.downSince) / 100) / 10
      this.log.info({ database: this.database.describe(), seconds }, 'database available again')
    } else if (!ok && this.up && (certain || this.misses >= MISSES_BEFORE_DOWN)) {
      this.up = false
      this.downSince = Date.now()
      this.log.warn(
        { database: this.database.describe() },
        'database unavailable: answering 503 until it returns',
      )
    }
  }

  private schedule(): void {
    if (this.stopped) return
    this.timer = setTimeout(
      () => void this.check().finally(() => this.schedule()),
      this.up ? CHECK_EVERY_MS : CHECK_WHILE_DOWN_MS,
    )
    this.timer.unref()
  }
}

/** Paths answered whatever the database's state: health checks, and files that need no database. */
const ALWAYS = /^\/(healthz|readyz|assets\/)/

/**
 * Health checks, and the refusal of requests the Hub cannot serve: while the database is out of reach,
 * and once shutdown has begun (the Hub's own 503 page, not the framework's). Answers the check that the
 * first request hook calls once it knows the person's language.
 */
export function availability(app: FastifyInstance, database: Database) {
  const monitor = new DatabaseMonitor(database, app.log)
  let closing = false
  app.addHook('onReady', async () => monitor.start())
  app.addHook('preClose', async () => {
    closing = true
  })
  app.addHook('onClose', () => monitor.stop())
  app.addHook('onError', async (_request, _reply, error) => {
    if (isDatabaseUnavailable(error)) monitor.suspect()
  })

  const pub = { config: { access: 'public' as const } }
  // The process id tells a load balancer's operator which app process answered.
  app.get('/healthz', pub, async () => ({ status: 'ok', pid: process.pid }))
  app.get('/readyz', pub, async (_request, reply) => {
    const ok = !closing && monitor.available && (await monitor.check())
    const status = closing ? 'shutting down' : ok ? 'ok' : 'database unavailable'
    return reply.code(ok ? 200 : 503).send({ status })
  })

  return {
    /** Shutdown has begun: /readyz says so and new requests get the 503 page, while the port stays open. */
    beginClosing(): void {
      closing = true
    },
    /** Throws the 503 when this request cannot be served now. */
    refuseIfUnavailable(request: FastifyRequest): void {
      if (ALWAYS.test(request.url)) return
      // In a cluster the primary holds the port and may hand this process a connection just before it
      // stops listening: that request is served (Fastify answers it with Connection: close).
      if (closing && !cluster.isWorker) throw new ServiceUnavailable(true)
      if (!monitor.available) throw new ServiceUnavailable()
    },
  }
}
