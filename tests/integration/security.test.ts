import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { TestClient } from '#tests/support/client.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { createStaff, TEST_PASSWORD } from '#tests/support/users.ts'

describe('security defaults', () => {
  let hub: TestHub

  before(async () => {
    hub = await testHub('sqlite')
  })
  after(() => hub.close())

  test('pages carry a CSP with a fresh nonce, and the headers that stop framing and sniffing', async () => {
    const a = await hub.app.inject({ url: '/' })
    const b = await hub.app.inject({ url: '/' })
    const csp = String(a.headers['content-security-policy'])
    for (const directive of [
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "default-src 'self'",
    ]) {
      assert.ok(csp.includes(directive), directive)
    }
    const nonce = csp.match(/script-src 'self' 'nonce-([^']+)'/)?.[1]
    assert.ok(nonce)
    assert.notEqual(nonce, String(b.headers['content-security-policy']).match(/'nonce-([^']+)'/)?.[1])
    assert.match(a.body, new RegExp(`<script nonce="${nonce}">`), 'the inline script carries the nonce')
    assert.equal(a.headers['x-content-type-options'], 'nosniff')
    assert.equal(a.headers['cache-control'], 'no-store')
  })

  test('a public form with the honeypot filled in is refused', async () => {
    const client = new TestClient(hub.app, '10.9.0.1')
    await client.get('/staff/sign-in')
    const res = await client.post('/staff/sign-in', {
      email: 'bot@example.com',
      password: 'x',
      website: 'http://spam',
    })
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /could not accept that form/)
  })

  test('public posts are rate limited per address', async () => {
    const client = new TestClient(hub.app, '10.9.0.2')
    await client.get('/staff/sign-in')
    let last = 0
    for (let i = 0; i < 61; i++) {
      last = (await client.post('/staff/sign-in', { email: '', password: '' })).statusCode
    }
    assert.equal(last, 429)
    const other = new TestClient(hub.app, '10.9.0.3')
    await other.get('/staff/sign-in')
    assert.equal(
      (await other.post('/staff/sign-in', { email: '', password: '' })).statusCode,
      400,
      'other addresses are not affected',
    )
  })

  test('the JSON API answers a rate limit in JSON', async () => {
    let last: { statusCode: number; json: () => unknown } | undefined
    for (let i = 0; i < 700; i++) {
      last = await hub.app.inject({
        method: 'POST',
        url: '/api/v1/referrals',
        remoteAddress: '10.9.0.9',
        headers: { authorization: 'Bearer not-a-key', 'content-type': 'application/json' },
        payload: '{}',
      })
      if (last.statusCode === 429) break
    }
    assert.equal(last?.statusCode, 429)
    assert.match(JSON.stringify(last?.json()), /Too many requests/)
  })

  test('a spoofed X-Forwarded-For is not trusted unless configured', async () => {
    const client = new TestClient(hub.app, '10.9.0.4')
    await client.get('/staff/sign-in')
    for (let i = 0; i < 61; i++) {
      await hub.app.inject({
        method: 'POST',
        url: '/staff/sign-in',
        remoteAddress: '10.9.0.4',
        headers: { 'x-forwarded-for': `192.0.2.${i}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'email=&password=',
      })
    }
    // Each request claimed another address, but the limit counted the real one.
    const res = await hub.app.inject({
      method: 'POST',
      url: '/staff/sign-in',
      remoteAddress: '10.9.0.4',
      headers: { 'x-forwarded-for': '192.0.2.250', 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=&password=',
    })
    assert.equal(res.statusCode, 429)
  })

  test('an oversized body is refused with a plain page', async () => {
    const res = await hub.app.inject({
      method: 'POST',
      url: '/staff/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `email=${'a'.repeat(300 * 1024)}`,
    })
    assert.equal(res.statusCode, 413)
    assert.doesNotMatch(res.body, /at .*\.ts/)
  })

  test('an unknown page is a plain 404 in the layout', async () => {
    const res = await hub.app.inject({ url: '/no-such-page' })
    assert.equal(res.statusCode, 404)
    assert.match(res.body, /Page not found/)
    assert.match(res.body, /<html lang="en" dir="ltr"/)
  })
})

describe('behind a configured proxy, in production', () => {
  let hub: TestHub

  before(async () => {
    hub = await testHub('sqlite', {
      NODE_ENV: 'production',
      TRUST_PROXY: '127.0.0.1',
      SESSION_SECRET: 'a-production-secret-of-at-least-32-characters',
      PUBLIC_URL: 'https://hub.example.org',
    })
  })
  after(() => hub.close())

  test('cookies are __Host- prefixed and Secure, and HSTS is on', async () => {
    const user = await createStaff(hub, { roles: ['manager'], boroughs: ['rbkc'] })
    const client = new TestClient(hub.app)
    const page = await client.get('/staff/sign-in')
    assert.match(String(page.headers['strict-transport-security']), /max-age=31536000/)
    const csrf = page.cookies.find((c) => c.name === '__Host-hub_csrf')
    assert.ok(csrf?.secure && csrf.httpOnly && csrf.path === '/')
    const res = await client.post('/staff/sign-in', { email: user.email, password: TEST_PASSWORD })
    assert.equal(res.statusCode, 303)
    const session = res.cookies.find((c) => c.name === '__Host-hub_session')
    assert.ok(session?.secure && session.httpOnly && session.sameSite === 'Lax' && session.path === '/')
  })

  test('the address of the resident comes from X-Forwarded-For set by the trusted proxy', async () => {
    const post = (forwarded: string) =>
      hub.app.inject({
        method: 'POST',
        url: '/staff/sign-in',
        remoteAddress: '127.0.0.1',
        headers: { 'x-forwarded-for': forwarded, 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'email=&password=',
      })
    let last = 0
    for (let i = 0; i < 61; i++) last = (await post('198.51.100.7')).statusCode
    assert.equal(last, 429)
    assert.notEqual(
      (await post('198.51.100.8')).statusCode,
      429,
      'another resident behind the same proxy is not limited',
    )
  })
})

describe('when the database is down', () => {
  test("/readyz answers 503, /healthz 200, and pages the Hub's plain 503 with no detail", async () => {
    const hub = await testHub('sqlite')
    await hub.database.close()
    const ready = await hub.app.inject({ url: '/readyz' })
    assert.equal(ready.statusCode, 503)
    assert.equal((await hub.app.inject({ url: '/healthz' })).statusCode, 200)
    const page = await hub.app.inject({ url: '/' })
    assert.equal(page.statusCode, 503)
    assert.equal(page.headers['retry-after'], '10')
    assert.match(page.body, /Sorry, the service is unavailable/)
    assert.doesNotMatch(page.body, /Error:|\.ts:\d+|better-sqlite3|kysely/i)
    await hub.app.close()
  })
})
