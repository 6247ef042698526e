import path from 'node:path'
import { z } from 'zod'

/**
 * Every setting is an environment variable, parsed once at start-up. The README lists each one;
 * keep the two in step. In production the Hub refuses to start without its secrets.
 */
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes')

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('localhost'),
    APP_ROOT: z.string().default(process.cwd()),
    PUBLIC_URL: z.url().optional(),
    DATABASE_URL: z.string().default('./data/hub.sqlite'),
    SERVICE_NAME: z.string().min(1).default('Digital Inclusion Hub'),
    PARTNERSHIP_NAME: z.string().min(1).default('Kensington and Chelsea and Westminster Libraries'),
    SESSION_SECRET: z.string().min(32).optional(),
    COOKIE_SECURE: flag.optional(),
    TRUST_PROXY: z.string().default('false'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    SESSION_IDLE_MINUTES: z.coerce.number().int().positive().default(30),
    SESSION_ABSOLUTE_HOURS: z.coerce.number().int().positive().default(12),
    WORKER: z.enum(['in-process', 'off']).default('in-process'),
    WORKER_POLL_MS: z.coerce.number().int().positive().default(2000),
    OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().positive().default(8),
    NOTIFY_CHANNEL: z.enum(['development', 'smtp', 'govuk-notify']).default('development'),
    SMTP_URL: z.string().optional(),
    MAIL_FROM: z.string().default('Digital Inclusion Hub <no-reply@localhost>'),
    NOTIFY_API_KEY: z.string().optional(),
    NOTIFY_BASE_URL: z.url().default('https://api.notifications.service.gov.uk'),
    NOTIFY_TEMPLATE_EMAIL: z.string().optional(),
    NOTIFY_TEMPLATE_SMS: z.string().optional(),
    RATE_LIMIT_PUBLIC_POSTS: z.coerce.number().int().positive().default(30),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV !== 'production') return
    const need = (key: keyof typeof c, why: string) => {
      if (!c[key]) ctx.addIssue({ code: 'custom', path: [key], message: `is required in production: ${why}` })
    }
    need('SESSION_SECRET', 'it signs the CSRF and session cookies')
    need('PUBLIC_URL', 'links in emails must point at the real address')
    if (c.NOTIFY_CHANNEL === 'smtp') need('SMTP_URL', 'the SMTP channel needs a server')
    if (c.NOTIFY_CHANNEL === 'govuk-notify') need('NOTIFY_API_KEY', 'the GOV.UK Notify channel needs a key')
  })

export type Config = z.infer<typeof schema> & {
  cookieSecure: boolean
  sessionSecret: string
  publicUrl: string
  trustProxy: boolean | string
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new Error(`Configuration is not valid:\n${lines.join('\n')}`)
  }
  const c = parsed.data
  const production = c.NODE_ENV === 'production'
  return {
    ...c,
    APP_ROOT: path.resolve(c.APP_ROOT),
    cookieSecure: c.COOKIE_SECURE ?? production,
    // Outside production a fixed secret is fine: it protects nothing that matters.
    sessionSecret: c.SESSION_SECRET ?? 'development-only-secret-not-for-production-use',
    publicUrl: (c.PUBLIC_URL ?? `http://${c.HOST}:${c.PORT}`).replace(/\/$/, ''),
    trustProxy: parseTrustProxy(c.TRUST_PROXY),
  }
}

/** `false` (default) ignores X-Forwarded-For; `true` trusts every hop; otherwise a list of addresses or CIDRs. */
function parseTrustProxy(value: string): boolean | string {
  if (value === 'false' || value === '') return false
  if (value === 'true') return true
  return value
}
