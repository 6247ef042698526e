import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import pino from 'pino'
import { TestClient } from '#tests/support/client.ts'
import { freshDatabase } from '#tests/support/databases.ts'
import { type TestHub, testConfig } from '#tests/support/hub.ts'
import { createStaff, TEST_PASSWORD } from '#tests/support/users.ts'
import { buildApp } from '../../src/app.ts'
import { redactedLogger, safePath } from './logger.ts'

/** A log destination that keeps every line, as the production log would receive it. */
function capture() {
  const lines: string[] = []
  return { lines, stream: { write: (line: string) => lines.push(line) }, text: () => lines.join('') }
}

describe('safePath', () => {
  test('drops the query string, where personal data must never be but sometimes is', () => {
    assert.equal(safePath('/track?reference=ABCD-EFGH&email=a@b.c'), '/track')
    assert.equal(safePath('/find-help'), '/find-help')
    assert.equal(safePath('/'), '/')
  })

  test('cuts the secret tail off one-time links', () => {
    assert.equal(safePath('/staff/invite/Zm9vYmFyYmF6'), '/staff/invite/[token]')
    assert.equal(safePath('/staff/setup/Zm9vYmFyYmF6/confirm?x=1'), '/staff/setup/[token]')
    assert.equal(
      safePath('/staff/users/0190f3a2-0000-7000-8000-000000000000'),
      '/staff/users/0190f3a2-0000-7000-8000-000000000000',
    )
  })
})

describe('pino with redactedLogger options', () => {
  function logged(write: (log: pino.Logger) => void): string {
    const out = capture()
    write(pino(redactedLogger('info') as pino.LoggerOptions, out.stream))
    return out.text()
  }

  test('personal fields are redacted at the top of the line and one level down', () => {
    const text = logged((log) => {
      log.info(
        { password: 'pw-top-1', email: 'top@example.org', token: 'tok-top-1', phone: '07700900001' },
        'top',
      )
      log.info(
        { body: { password: 'pw-nested-2', email: 'nested@example.org', recipient: 'r@example.org' } },
        'nested',
      )
      log.info({ user: { name: 'Ada Lovelace' }, outboxId: 'keep-me' }, 'name')
    })
    for (const secret of [
      'pw-top-1',
      'top@example.org',
      'tok-top-1',
      '07700900001',
      'pw-nested-2',
      'nested@example.org',
      'r@example.org',
      'Ada Lovelace',
    ])
      assert.ok(!text.includes(secret), `${secret} in ${text}`)
    assert.match(text, /keep-me/)
    assert.equal(text.match(/\[redacted\]/g)?.length, 8)
  })

  test("a database error's detail, which quotes the clashing value, is redacted", () => {
    const err = Object.assign(new Error('duplicate key value violates unique constraint "users_email_key"'), {
      code: '23505',
      detail: 'Key (email)=(clash@example.org) already exists.',
    })
    const text = logged((log) => log.error({ err }, 'request failed'))
    assert.ok(!text.includes('clash@example.org'), text)
    assert.match(text, /23505/)
  })
})

describe('the Hub logs no cookie, authorization, password, email or one-time token', () => {
  const log = capture()
  let hub: TestHub

  before(async () => {
    const database = await freshDatabase('sqlite')
    const config = testConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'info' })
    const built = await buildApp({
      config,
      database,
      logger: { ...(redactedLogger('info') as object), stream: log.stream },
    })
    await built.loadReferenceData()
    await built.app.ready()
    hub = {
      ...built,
      database,
      async close() {
        await built.app.close()
        await database.close()
      },
    }
  })
  after(() => hub.close())

  test('through sign-in, a signed-in page, an API call, a one-time link and a query string', async () => {
    const user = await createStaff(hub, { roles: ['administrator'], boroughs: 'all' })
    const client = new TestClient(hub.app)
    await client.get('/staff/sign-in')
    const wrong = await client.post('/staff/sign-in', { email: user.email, password: 'wrong-Password-123' })
    assert.equal(wrong.statusCode, 400)
    const signedIn = await client.post('/staff/sign-in', { email: user.email, password: TEST_PASSWORD })
    assert.equal(signedIn.statusCode, 303)
    const cookieValues = signedIn.cookies.map((c) => c.value).filter((v) => v.length > 8)
    assert.ok(cookieValues.length > 0, 'the session cookie was set')
    assert.equal((await client.get('/staff')).statusCode, 200)

    const apiKey = 'hub_live_0123456789abcdefSECRETKEY'
    await client.get('/api/v1/referrals/ABCD-EFGH', {
      authorization: `Bearer ${apiKey}`,
      'x-api-key': apiKey,
    })
    const token = 'one-time-Zm9vYmFyYmF6cXV4'
    await client.get(`/staff/invite/${token}`)
    await client.get(`/staff/setup/${token}`)
    await client.get('/find-help?email=searcher%40example.org&phone=07700900123')

    const text = log.text()
    // The log is really being written, with request ids and paths.
    assert.match(text, /"reqId":"[0-9a-f-]{36}"/)
    assert.match(text, /"url":"\/staff\/sign-in"/)
    assert.match(text, /"url":"\/staff\/invite\/\[token\]"/)
    assert.match(text, /"url":"\/find-help"/)

    const secrets = [
      TEST_PASSWORD,
      'wrong-Password-123',
      user.email,
      apiKey,
      token,
      'searcher',
      '07700900123',
      ...cookieValues,
    ]
    for (const secret of secrets) assert.ok(!text.includes(secret), `the log holds ${secret}`)
    assert.doesNotMatch(text, /hub_session|hub_csrf|set-cookie|authorization/i)
  })
})
