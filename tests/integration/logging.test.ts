import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { servicesOf } from '#modules/index.ts'
import { redactedLogger } from '#platform/logger.ts'
import { TestClient } from '#tests/support/client.ts'
import { freshDatabase } from '#tests/support/databases.ts'
import { type TestHub, testConfig } from '#tests/support/hub.ts'
import { createStaff, TEST_PASSWORD } from '#tests/support/users.ts'
import { buildApp } from '../../src/app.ts'

/** A log destination that keeps every line, as the production log would receive it. */
function capture() {
  const lines: string[] = []
  return { lines, stream: { write: (line: string) => lines.push(line) }, text: () => lines.join('') }
}

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
      ...servicesOf(built),
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
    // One line a request, on its answer: its status and how long it took.
    const requests = log.lines.filter((l) => l.includes('"req":'))
    assert.equal(requests.length, 8, requests.join(''))
    for (const line of requests) {
      assert.match(line, /"msg":"request completed"/)
      assert.match(line, /"res":\{"statusCode":\d{3}\},"responseTime":\d/)
    }

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
