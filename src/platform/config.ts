import { isIP } from 'node:net'
import path from 'node:path'
import { z } from 'zod'

/**
 * Every setting is an environment variable, parsed once at start-up. The README lists each one;
 * keep the two in step. In production the Hub refuses to start without its secrets.
 */
export const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes')

const PORT_MESSAGE = 'must be a whole number from 0 to 65535'

/** The platform's own settings. Each module adds its own in its manifest (`settings`). */
export const platformSettings = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce
    .number({ error: PORT_MESSAGE })
    .int({ error: PORT_MESSAGE })
    .min(0, { error: PORT_MESSAGE })
    .max(65535, { error: PORT_MESSAGE })
    .default(3000),
  HOST: z.string().default('localhost'),
  APP_ROOT: z.string().default(process.cwd()),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z.string().default('./data/hub.sqlite'),
  SERVICE_NAME: z.string().min(1).default('Digital Inclusion Hub'),
  PARTNERSHIP_NAME: z.string().min(1).default('Kensington and Chelsea and Westminster Libraries'),
  SESSION_SECRET: z
    .string()
    .min(32, { error: 'must be at least 32 characters: make one with `openssl rand -base64 48`' })
    .optional(),
  COOKIE_SECURE: flag.optional(),
  TRUST_PROXY: z
    .string()
    .default('false')
    .refine((v) => parseTrustProxy(v) !== undefined, {
      message:
        'must be false, true, a number of proxies, or a comma-separated list of addresses or CIDR ranges',
    }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_IDLE_MINUTES: z.coerce.number().int().positive().default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().positive().default(12),
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  WORKER: z.enum(['in-process', 'off']).default('in-process'),
  WORKER_POLL_MS: z.coerce.number().int().positive().default(2000),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().positive().default(8),
  OUTBOX_MAX_PER_SECOND: z.coerce.number().positive().default(50),
  /** Messages a worker claims at a time; their outcomes are recorded in one transaction. */
  OUTBOX_BATCH: z.coerce.number().int().min(1).max(1000).default(50),
  /** Messages a worker has on the wire at once; over SMTP, the connections kept open to the server. */
  OUTBOX_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(5),
  NOTIFY_CHANNEL: z.enum(['development', 'smtp', 'govuk-notify']).default('development'),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Digital Inclusion Hub <no-reply@localhost>'),
  NOTIFY_API_KEY: z.string().optional(),
  NOTIFY_BASE_URL: z.url().default('https://api.notifications.service.gov.uk'),
  NOTIFY_TEMPLATE_EMAIL: z.string().optional(),
  NOTIFY_TEMPLATE_SMS: z.string().optional(),
  RATE_LIMIT_PUBLIC_POSTS: z.coerce.number().int().positive().default(30),
  /** Days a sent message keeps its recipient and personal content; then only the delivery record stays. */
  OUTBOX_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Signs the audit chain (HMAC-SHA256). Kept out of the database, so a database writer cannot re-sign it. */
  AUDIT_KEY: z
    .string()
    .min(32, { error: 'must be at least 32 characters: make one with `openssl rand -base64 48`' })
    .optional(),
  /** Keys used before the last rotation, comma-separated: they verify the rows they signed. */
  AUDIT_PREVIOUS_KEYS: z.string().optional(),
  /** A file outside the database where each verification appends the chain's length and last hash. */
  AUDIT_ANCHOR_FILE: z.string().optional(),
  /** At start, how long to wait for the database to answer before giving up. */
  DATABASE_START_WAIT_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /** PostgreSQL: how long to wait for a connection (a new one, or a free one from the pool). */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(3000),
  /** PostgreSQL: the longest one statement may run. */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  /** PostgreSQL: a transaction left open without a statement this long is ended by the server. */
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
  /** SQLite: how long a write waits for another writer to finish. */
  DATABASE_BUSY_TIMEOUT_MS: z.coerce.number().int().min(0).default(5000),
  /** After SIGTERM, how long to keep the port open answering 503 (so a load balancer stops sending) before draining. */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(300).default(0),
})

/** What production must have, whatever else is set. */
function requireInProduction(c: z.infer<typeof platformSettings>, ctx: z.RefinementCtx): void {
  const need = (key: keyof typeof c, why: string) => {
    if (!c[key]) ctx.addIssue({ code: 'custom', path: [key], message: `is required in production: ${why}` })
  }
  if (c.NODE_ENV !== 'production') return
  need('SESSION_SECRET', 'it signs the CSRF and session cookies')
  need('PUBLIC_URL', 'links in emails must point at the real address')
  need('AUDIT_KEY', 'it signs the audit chain so that no one who can write to the database can rewrite it')
  if (c.NOTIFY_CHANNEL === 'smtp') need('SMTP_URL', 'the SMTP channel needs a server')
  if (c.NOTIFY_CHANNEL === 'govuk-notify') need('NOTIFY_API_KEY', 'the GOV.UK Notify channel needs a key')
}

export type Config = z.infer<typeof platformSettings> & {
  cookieSecure: boolean
  sessionSecret: string
  auditKey: string
  auditPreviousKeys: string[]
  publicUrl: string
  trustProxy: boolean | number | string
  /** The variables as set, for each module to read its own settings from (see `moduleSettings`). */
  env: Record<string, string>
}

/** The database limits the settings ask for, in the shape `openDatabase` takes. */
export function databaseLimits(c: Config) {
  return {
    connectTimeoutMs: c.DATABASE_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: c.DATABASE_STATEMENT_TIMEOUT_MS,
    idleInTransactionTimeoutMs: c.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    busyTimeoutMs: c.DATABASE_BUSY_TIMEOUT_MS,
  }
}

/**
 * The platform's settings and every module's, checked together: one message lists every wrong value.
 * A setting declared twice (by the platform and a module, or by two modules) is a mistake in the code.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  moduleSchemas: z.ZodObject[] = [],
): Config {
  const seen = new Set(Object.keys(platformSettings.shape))
  for (const fragment of moduleSchemas) {
    for (const key of Object.keys(fragment.shape)) {
      if (seen.has(key)) throw new Error(`The setting ${key} is declared twice`)
      seen.add(key)
    }
  }
  const schema = moduleSchemas
    .reduce<z.ZodObject>((all, fragment) => all.extend(fragment.shape), platformSettings)
    .superRefine((c, ctx) => requireInProduction(c as z.infer<typeof platformSettings>, ctx))
  // An empty variable (`PORT=` in an env file) means "not set", not zero or an empty secret.
  const set = Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
  )
  const parsed = schema.safeParse(set)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new Error(`Configuration is not valid:\n${lines.join('\n')}`)
  }
  const c = parsed.data as z.infer<typeof platformSettings>
  const production = c.NODE_ENV === 'production'
  return {
    ...c,
    APP_ROOT: path.resolve(c.APP_ROOT),
    cookieSecure: c.COOKIE_SECURE ?? production,
    // Outside production a fixed secret is fine: it protects nothing that matters.
    sessionSecret: c.SESSION_SECRET ?? 'development-only-secret-not-for-production-use',
    auditKey: c.AUDIT_KEY ?? 'development-only-audit-key-not-for-production-use',
    auditPreviousKeys: (c.AUDIT_PREVIOUS_KEYS ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean),
    publicUrl: (c.PUBLIC_URL ?? `http://${c.HOST}:${c.PORT}`).replace(/\/$/, ''),
    trustProxy: parseTrustProxy(c.TRUST_PROXY) ?? false,
    env: set,
  }
}

/** A module's settings, parsed from the variables with the schema its manifest declares. */
export function moduleSettings<S extends z.ZodObject>(config: Config, schema: S): z.infer<S> {
  const parsed = schema.safeParse(config.env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new Error(`Configuration is not valid:\n${lines.join('\n')}`)
  }
  return parsed.data
}

const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal'])

/**
 * `false` (default) ignores X-Forwarded-For; `true` trusts every hop (so a client can spoof its address);
 * a number trusts that many proxies in front of the Hub; otherwise a list of proxy addresses or CIDR
 * ranges. Answers undefined for anything else, so a typo stops the start rather than trusting the wrong hop.
 */
function parseTrustProxy(value: string): boolean | number | string | undefined {
  const v = value.trim()
  if (v === 'false' || v === '') return false
  if (v === 'true') return true
  if (/^\d+$/.test(v)) return Number(v)
  const parts = v.split(',').map((p) => p.trim())
  const valid = parts.every((p) => {
    if (PROXY_RANGE_NAMES.has(p)) return true
    const [address = '', bits, ...rest] = p.split('/')
    const family = isIP(address)
    if (!family || rest.length) return false
    if (bits === undefined) return true
    return /^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128)
  })
  return valid ? parts.join(',') : undefined
}
