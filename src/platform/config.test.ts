import assert from 'node:assert/strict'
import path from 'node:path'
import { describe, test } from 'node:test'
import Fastify from 'fastify'
import { z } from 'zod'
import { flag, loadConfig, moduleSettings } from './config.ts'

const SECRET = 'x'.repeat(48)
const PRODUCTION = {
  NODE_ENV: 'production',
  SESSION_SECRET: SECRET,
  PUBLIC_URL: 'https://hub.example.gov.uk/',
  AUDIT_KEY: 'k'.repeat(40),
}

/** The message loadConfig throws, for a test to read. */
function refusal(env: Record<string, string>, modules: z.ZodObject[] = []): string {
  try {
    loadConfig(env, modules)
  } catch (error) {
    return (error as Error).message
  }
  assert.fail(`expected ${JSON.stringify(env)} to be refused`)
}

describe('configuration', () => {
  test('with nothing set, the development defaults', () => {
    const c = loadConfig({})
    assert.equal(c.NODE_ENV, 'development')
    assert.equal(c.PORT, 3000)
    assert.equal(c.HOST, 'localhost')
    assert.equal(c.DATABASE_URL, './data/hub.sqlite')
    assert.equal(c.APP_ROOT, path.resolve(process.cwd()))
    assert.equal(c.publicUrl, 'http://localhost:3000')
    assert.equal(c.cookieSecure, false)
    assert.equal(c.trustProxy, false)
    assert.equal(c.SESSION_IDLE_MINUTES, 30)
    assert.equal(c.SESSION_ABSOLUTE_HOURS, 12)
    assert.equal(c.OUTBOX_MAX_ATTEMPTS, 8)
    assert.equal(c.NOTIFY_CHANNEL, 'development')
    assert.equal(c.NOTIFY_BASE_URL, 'https://api.notifications.service.gov.uk')
    assert.equal(c.WORKER, 'in-process')
    assert.ok(c.sessionSecret.length >= 32)
  })

  test('numbers and flags are read from their text', () => {
    const c = loadConfig({ PORT: '8080', OUTBOX_MAX_ATTEMPTS: '3', COOKIE_SECURE: 'yes', HOST: '0.0.0.0' })
    assert.equal(c.PORT, 8080)
    assert.equal(c.OUTBOX_MAX_ATTEMPTS, 3)
    assert.equal(c.cookieSecure, true)
    assert.equal(c.publicUrl, 'http://0.0.0.0:8080')
    assert.equal(loadConfig({ COOKIE_SECURE: '0' }).cookieSecure, false)
  })

  test("a module's settings are checked with the platform's, in one message, and read back typed", () => {
    const fragment = z.object({
      EXAMPLE_DAYS: z.coerce.number().int().min(1).default(5).describe('Days before a reminder'),
      EXAMPLE_ON: flag.default(false),
    })
    const c = loadConfig({ EXAMPLE_ON: 'yes' }, [fragment])
    assert.deepEqual(moduleSettings(c, fragment), { EXAMPLE_DAYS: 5, EXAMPLE_ON: true })
    const message = refusal({ EXAMPLE_DAYS: '0', PORT: 'x' }, [fragment])
    assert.match(message, /EXAMPLE_DAYS/)
    assert.match(message, /PORT/)
    assert.throws(
      () => loadConfig({}, [z.object({ PORT: z.string() })]),
      /The setting PORT is declared twice/,
    )
  })

  test('production refuses to start without SESSION_SECRET and PUBLIC_URL, naming both', () => {
    const message = refusal({ NODE_ENV: 'production' })
    assert.match(message, /^Configuration is not valid:/)
    assert.match(message, /SESSION_SECRET: is required in production/)
    assert.match(message, /PUBLIC_URL: is required in production/)
    assert.match(refusal({ NODE_ENV: 'production', SESSION_SECRET: SECRET }), /PUBLIC_URL/)
    assert.doesNotMatch(refusal({ NODE_ENV: 'production', SESSION_SECRET: SECRET }), /SESSION_SECRET/)
    assert.match(message, /AUDIT_KEY: is required in production/)
    assert.doesNotMatch(refusal({ ...PRODUCTION, PUBLIC_URL: '' }), /AUDIT_KEY/)
    assert.match(refusal({ ...PRODUCTION, AUDIT_KEY: 'short' }), /AUDIT_KEY: must be at least 32/)
    // An empty variable is no secret either.
    assert.match(refusal({ ...PRODUCTION, SESSION_SECRET: '' }), /SESSION_SECRET: is required in production/)
  })

  test('production starts with its secrets, uses them, and makes cookies Secure', () => {
    const c = loadConfig(PRODUCTION)
    assert.equal(c.sessionSecret, SECRET)
    assert.equal(c.publicUrl, 'https://hub.example.gov.uk')
    assert.equal(c.cookieSecure, true)
    assert.equal(c.auditKey, 'k'.repeat(40))
    assert.deepEqual(loadConfig({ ...PRODUCTION, AUDIT_PREVIOUS_KEYS: 'a, b' }).auditPreviousKeys, ['a', 'b'])
  })

  test('a short session secret is refused, with how to make a good one', () => {
    assert.match(
      refusal({ ...PRODUCTION, SESSION_SECRET: 'short' }),
      /SESSION_SECRET: must be at least 32 characters/,
    )
    assert.match(refusal({ SESSION_SECRET: 'short' }), /SESSION_SECRET/)
  })

  test('production channels need their settings', () => {
    assert.match(refusal({ ...PRODUCTION, NOTIFY_CHANNEL: 'smtp' }), /SMTP_URL: is required in production/)
    assert.match(refusal({ ...PRODUCTION, NOTIFY_CHANNEL: 'govuk-notify' }), /NOTIFY_API_KEY: is required/)
    assert.equal(
      loadConfig({ ...PRODUCTION, NOTIFY_CHANNEL: 'smtp', SMTP_URL: 'smtp://mail:25' }).SMTP_URL,
      'smtp://mail:25',
    )
  })

  for (const port of ['abc', '70000', '-1', '80.5', '3000abc']) {
    test(`PORT=${port} is refused with a message that says what is wanted`, () => {
      const message = refusal({ PORT: port })
      assert.match(message, /^Configuration is not valid:\n {2}PORT: must be a whole number from 0 to 65535$/)
    })
  }

  test('an empty variable counts as not set, so PORT= does not mean a random port', () => {
    assert.equal(loadConfig({ PORT: '' }).PORT, 3000)
    assert.equal(loadConfig({ PORT: '', HOST: '' }).publicUrl, 'http://localhost:3000')
  })

  test('every problem is listed at once, not one per start', () => {
    const message = refusal({ PORT: 'x', LOG_LEVEL: 'loud', NOTIFY_BASE_URL: 'not a url' })
    assert.match(message, /PORT/)
    assert.match(message, /LOG_LEVEL/)
    assert.match(message, /NOTIFY_BASE_URL/)
  })

  describe('TRUST_PROXY', () => {
    const cases: [string | undefined, boolean | number | string][] = [
      [undefined, false],
      ['false', false],
      ['true', true],
      ['1', 1],
      ['2', 2],
      ['0', 0],
      ['10.0.0.1', '10.0.0.1'],
      ['10.0.0.0/8, 192.168.1.1', '10.0.0.0/8,192.168.1.1'],
      ['loopback,uniquelocal', 'loopback,uniquelocal'],
      ['::1, fd00::/8', '::1,fd00::/8'],
    ]
    for (const [value, expected] of cases) {
      test(`${value ?? '(not set)'} reads as ${JSON.stringify(expected)}`, () => {
        assert.deepEqual(loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).trustProxy, expected)
      })
    }

    for (const bad of ['yes please', '10.0.0.300', '10.0.0.0/33', 'proxy.internal', '1.5']) {
      test(`${bad} is refused at start rather than trusting the wrong hop`, () => {
        assert.match(refusal({ TRUST_PROXY: bad }), /TRUST_PROXY: must be false, true, a number of proxies/)
      })
    }

    // What the parsed value does in Fastify: which address a request is counted as coming from.
    async function ipSeen(trustProxy: string | undefined, forwardedFor: string): Promise<string> {
      const app = Fastify({
        trustProxy: loadConfig(trustProxy ? { TRUST_PROXY: trustProxy } : {}).trustProxy,
      })
      app.get('/', async (request) => request.ip)
      try {
        const res = await app.inject({
          url: '/',
          remoteAddress: '10.0.0.5',
          headers: { 'x-forwarded-for': forwardedFor },
        })
        return res.body
      } finally {
        await app.close()
      }
    }

    test('by default a spoofed X-Forwarded-For is ignored', async () => {
      assert.equal(await ipSeen(undefined, '203.0.113.7'), '10.0.0.5')
    })

    test('one trusted proxy: the address it saw is used, not one the client made up before it', async () => {
      assert.equal(await ipSeen('1', '198.51.100.66, 203.0.113.7'), '203.0.113.7')
      assert.equal(await ipSeen('10.0.0.0/8', '198.51.100.66, 203.0.113.7'), '203.0.113.7')
      assert.equal(
        await ipSeen('192.168.0.1', '203.0.113.7'),
        '10.0.0.5',
        'a proxy not on the list is not believed',
      )
    })
  })
})
