import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { referralBody } from '#modules/referrals/testing.ts'
import { JobRunner } from '#platform/jobs.ts'
import { OutboxWorker, type Transport } from '#platform/notify.ts'
import { TestClient } from '#tests/support/client.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { createStaff, signedInClient, TEST_PASSWORD } from '#tests/support/users.ts'

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

  test('a return address off this site, or with control characters, falls back to the home page', async () => {
    for (const back of [
      '/%5Cevil.example',
      '/%09/evil.example',
      '//evil.example',
      '/%2F%2Fevil.example',
      'https://evil.example',
      '/x%0D%0ASet-Cookie:%20a=b',
      '/%0A/evil.example',
    ]) {
      const res = await hub.app.inject({ url: `/language?lang=en&back=${back}` })
      assert.equal(res.statusCode, 303, back)
      const target = new URL(String(res.headers.location), 'https://hub.example.org')
      assert.equal(target.origin, 'https://hub.example.org', back)
      assert.doesNotMatch(String(res.headers['set-cookie']), /a=b/, back)
    }
    const fine = await hub.app.inject({ url: '/language?lang=en&back=/find-help%3Fq%3Dwifi' })
    assert.equal(fine.headers.location, '/find-help?q=wifi')
  })

  test('a CSRF cookie and token from another session, or another visitor, are refused', async () => {
    const post = (url: string, cookies: Record<string, string | undefined>, token: string | undefined) =>
      hub.app.inject({
        method: 'POST',
        url,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: Object.entries(cookies)
            .map(([k, v]) => `${k}=${v}`)
            .join('; '),
        },
        payload: new URLSearchParams({
          current: 'x',
          next: 'y',
          confirm: 'y',
          _csrf: token ?? '',
        }).toString(),
      })
    const a = (await signedInClient(hub, { roles: ['manager'], boroughs: ['rbkc'] })).client
    const b = (await signedInClient(hub, { roles: ['manager'], boroughs: ['rbkc'] })).client
    await a.get('/staff/account/password')
    await b.get('/staff/account/password')
    const url = '/staff/account/password'
    const own = await post(
      url,
      { hub_session: a.cookie('hub_session'), hub_csrf: a.cookie('hub_csrf') },
      a.csrfToken,
    )
    assert.equal(own.statusCode, 400, 'its own pair passes CSRF and meets the form rules')
    const tossed = await post(
      url,
      { hub_session: a.cookie('hub_session'), hub_csrf: b.cookie('hub_csrf') },
      b.csrfToken,
    )
    assert.equal(tossed.statusCode, 403)

    const x = new TestClient(hub.app, '10.9.1.1')
    const y = new TestClient(hub.app, '10.9.1.2')
    await x.get('/track')
    await y.get('/track')
    const visitor = (c: TestClient) => ({
      hub_visitor: c.cookie('hub_visitor'),
      hub_csrf: c.cookie('hub_csrf'),
    })
    assert.ok(x.cookie('hub_visitor') && x.cookie('hub_visitor') !== y.cookie('hub_visitor'))
    assert.equal((await post('/track', visitor(x), x.csrfToken)).statusCode, 400)
    const swapped = await post('/track', { ...visitor(y), hub_csrf: x.cookie('hub_csrf') }, x.csrfToken)
    assert.equal(swapped.statusCode, 403)
  })

  test('an unknown page is a plain 404 in the layout', async () => {
    const res = await hub.app.inject({ url: '/no-such-page' })
    assert.equal(res.statusCode, 404)
    assert.match(res.body, /Page not found/)
    assert.match(res.body, /<html lang="en" dir="ltr"/)
  })
})

describe('the outbox', () => {
  let hub: TestHub

  before(async () => {
    hub = await testHub('sqlite')
  })
  after(() => hub.close())

  const messages = () => hub.database.db.selectFrom('outbox').selectAll().execute()
  const partnerReferral = (postcode: string) =>
    hub.referrals.submit(
      referralBody({ resident: { postcode, name: `Resident ${postcode}` } }),
      { source: 'partner-web', privacyNoticeVersion: 'test' },
      { userId: null, actor: 'public', ip: null, requestId: null },
    )

  test("no staff page shows an invitation's one-time link, and the copy kept after sending has none", async () => {
    const { client: inviter } = await signedInClient(hub, { roles: ['administrator'], boroughs: 'all' })
    await inviter.get('/staff/users/new')
    const email = 'new.admin@hub.test'
    const invited = await inviter.post('/staff/users/new', {
      name: 'Nia New',
      email,
      roles: ['administrator'],
      boroughs: 'all',
    })
    assert.equal(invited.statusCode, 303)
    const invitation = (await messages()).find((m) => m.recipient === email)
    const link = invitation?.personalisation_json.link ?? ''
    const token = link.split('/').pop() ?? ''
    assert.ok(token.length > 20)

    const { client: scoped } = await signedInClient(hub, { roles: ['administrator'], boroughs: ['rbkc'] })
    const pages = [await scoped.get('/staff/outbox'), await scoped.get(`/staff/outbox/${invitation?.id}`)]
    for (const page of pages) {
      assert.equal(page.statusCode, 200)
      assert.ok(!page.body.includes(token), 'the token is not on the page')
    }
    assert.match(pages[1]?.body ?? '', /hidden: sent to the recipient only/)
    // The person who cannot see it cannot use it either: the invitation page wants the real token.
    assert.equal((await scoped.get('/staff/invite/hidden')).statusCode, 404)

    const sent: string[] = []
    const transport: Transport = {
      name: 'capture',
      async send(m) {
        sent.push(JSON.stringify(m.personalisation_json))
      },
    }
    const log = { error() {}, warn() {} }
    await new OutboxWorker(hub.platform.outbox, transport, 1000, log).runOnce(100)
    assert.ok(
      sent.some((text) => text.includes(token)),
      'the recipient got the link',
    )
    const kept = (await messages()).find((m) => m.id === invitation?.id)
    assert.equal(kept?.status, 'sent')
    assert.ok(!JSON.stringify(kept).includes(token), 'the copy kept has no token')
  })

  test("another borough's residents' messages are absent, and opening one of your own is audited", async () => {
    const ours = await partnerReferral('W8 4RT')
    const theirs = await partnerReferral('W1K 2PB')
    const about = async (reference: string) => {
      const all = await messages()
      const m = all.find((x) => JSON.stringify(x.personalisation_json).includes(reference.slice(0, 4)))
      assert.ok(m?.borough_id, `a message about ${reference} with its borough`)
      return m
    }
    const [mine, other] = [await about(ours.reference), await about(theirs.reference)]
    const { client, user } = await signedInClient(hub, { roles: ['administrator'], boroughs: ['rbkc'] })
    const list = await client.get('/staff/outbox')
    assert.ok(list.body.includes(`/staff/outbox/${mine.id}`))
    assert.ok(!list.body.includes(other.id), "the other borough's message is not listed")
    assert.equal((await client.get(`/staff/outbox/${other.id}`)).statusCode, 404)
    await client.get('/staff') // a page with a form, for a CSRF token of this session
    assert.equal((await client.post(`/staff/outbox/${other.id}/retry`, {})).statusCode, 404)

    const opened = await client.get(`/staff/outbox/${mine.id}`)
    assert.equal(opened.statusCode, 200)
    assert.ok(opened.body.includes(mine.recipient))
    const audit = await hub.database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'outbox.message.viewed')
      .where('record_id', '=', mine.id)
      .execute()
    assert.deepEqual(
      audit.map((a) => a.actor_user_id),
      [user.id],
    )
    const all = await signedInClient(hub, { roles: ['administrator'], boroughs: 'all' })
    assert.equal((await all.client.get(`/staff/outbox/${other.id}`)).statusCode, 200)
  })

  test('sent messages lose their recipient and text after the retention time; the delivery record stays', async () => {
    await partnerReferral('SW3 5EZ')
    const log = { error() {}, warn() {} }
    const quiet: Transport = { name: 'quiet', async send() {} }
    await new OutboxWorker(hub.platform.outbox, quiet, 1000, log).runOnce(100)
    const runner = new JobRunner(
      hub.database,
      hub.jobs.filter((j) => j.name === 'purge-sent-messages'),
      log,
    )
    const day = 86_400_000
    assert.deepEqual(await runner.runDue(new Date(Date.now() + 29 * day)), ['purge-sent-messages'])
    assert.ok(
      (await messages()).every((m) => m.purged_at === null),
      'nothing purged before 30 days',
    )
    assert.deepEqual(await runner.runDue(new Date(Date.now() + 31 * day)), ['purge-sent-messages'])
    const after = await messages()
    const sent = after.filter((m) => m.status === 'sent')
    assert.ok(sent.length > 0)
    for (const m of sent) {
      assert.ok(m.purged_at && m.sent_at, 'purged, and still shows it was sent and when')
      assert.deepEqual([m.recipient, m.personalisation_json], ['', {}])
    }
    const { client } = await signedInClient(hub, { roles: ['administrator'], boroughs: 'all' })
    const before = await hub.database.db.selectFrom('audit_events').select('id').execute()
    const page = await client.get(`/staff/outbox/${sent[0]?.id}`)
    assert.match(page.body, /were removed on/)
    const afterAudit = await hub.database.db.selectFrom('audit_events').select('id').execute()
    assert.equal(afterAudit.length, before.length, 'a purged message holds no personal data to audit')
  })
})

describe('the daily audit anchor', () => {
  test('the worker verifies the chain each day and appends its length and last hash outside the database', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'anchors-')), 'audit.log')
    const hub = await testHub('sqlite', { AUDIT_ANCHOR_FILE: file })
    try {
      await createStaff(hub, { roles: ['manager'], boroughs: ['rbkc'] })
      const log = { error() {}, warn() {} }
      const runner = new JobRunner(
        hub.database,
        hub.jobs.filter((j) => j.name === 'audit-anchor'),
        log,
      )
      assert.deepEqual(await runner.runDue(new Date()), ['audit-anchor'])
      assert.deepEqual(await runner.runDue(new Date()), [], 'once a day')
      const head = await hub.database.db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow()
      const anchor = JSON.parse(fs.readFileSync(file, 'utf8').trim())
      assert.deepEqual([anchor.count, anchor.head], [Number(head.seq), head.hash])
    } finally {
      await hub.close()
    }
  })
})

describe('behind a configured proxy, in production', () => {
  let hub: TestHub

  before(async () => {
    hub = await testHub('sqlite', {
      NODE_ENV: 'production',
      TRUST_PROXY: '127.0.0.1',
      SESSION_SECRET: 'a-production-secret-of-at-least-32-characters',
      AUDIT_KEY: 'an-audit-key-of-at-least-32-characters-long',
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

  test('the language cookie is Secure too', async () => {
    const res = await hub.app.inject({ url: '/language?lang=en&back=/' })
    const lang = res.cookies.find((c) => c.name === 'hub_lang')
    assert.ok(lang?.secure && lang.httpOnly && lang.sameSite === 'Lax', JSON.stringify(res.cookies))
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
