import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { PAGES } from '#modules/referrals/refer.journey.ts'
import { referralBody } from '#modules/referrals/testing.ts'
import { TestClient } from '#tests/support/client.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'

/**
 * Property tests: random and hostile bodies, methods, content types and orders of pages on every public
 * form and the partner API. None may answer 5xx, put a hostile string into a page unescaped, or change
 * a row when it refuses the request. Runs are bounded so the file stays under a minute.
 */

/** Marks a string as ours: if `<hub-xss` reaches a page unescaped, that page reflects input. */
const MARK = '<hub-xss onload=alert(1)>'

const hostile = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    MARK,
    `"><hub-xss>${MARK}`,
    "'; drop table referrals; --",
    '\r\nSet-Cookie: hub_session=stolen',
    '\u0000\u202e\ufeff',
    '../../../../etc/passwd',
    '{{ 7*7 }}{% raw %}',
    '%0d%0a',
    'a'.repeat(5000),
    '07700 900123',
    'W8 4RT',
    '1951',
    'yes',
    'no',
    'self',
  ),
)

const FORM_FIELDS = [
  'email',
  'password',
  'confirm',
  'name',
  'who',
  'consent',
  'day',
  'month',
  'year',
  'postcode',
  'borough',
  'methods',
  'phone',
  'safe',
  'language',
  'interpreter',
  'accessNeeds',
  'needs',
  'deviceType',
  'details',
  'reference',
  'dob-day',
  'dob-month',
  'dob-year',
  'website',
  '__proto__',
  'constructor',
]

const formBody = fc.dictionary(
  fc.oneof(fc.constantFrom(...FORM_FIELDS), fc.string({ maxLength: 12 })),
  fc.oneof(hostile, fc.array(hostile, { maxLength: 3 })),
  { maxKeys: 8 },
)

/** The tables a refused request must leave as they were (throttling counters and the audit may move). */
const DATA_TABLES = [
  'referrals',
  'referral_needs',
  'people',
  'referral_journeys',
  'directory_problems',
  'outbox',
  'users',
  'sessions',
] as const

async function counts(hub: TestHub): Promise<number[]> {
  return Promise.all(
    DATA_TABLES.map(async (t) => {
      const row = await hub.database.db
        .selectFrom(t)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      return Number(row.n)
    }),
  )
}

function checkAnswer(
  res: { statusCode: number; body: string; headers: Record<string, unknown> },
  what: string,
) {
  assert.ok(res.statusCode < 500, `${what} answered ${res.statusCode}`)
  if (String(res.headers['content-type'] ?? '').startsWith('text/html'))
    assert.ok(!res.body.includes('<hub-xss'), `${what} reflected input unescaped`)
}

describe('hostile input on every public form and the partner API', () => {
  let hub: TestHub
  let serviceId: string
  let placeId: string
  let apiKey: string

  before(async () => {
    // A high public limit, so the runs reach the handlers rather than the rate limit.
    hub = await testHub('sqlite', { RATE_LIMIT_PUBLIC_POSTS: '100000' })
    const service = await hub.database.db.selectFrom('services').select('id').executeTakeFirstOrThrow()
    const place = await hub.database.db.selectFrom('locations').select('id').executeTakeFirstOrThrow()
    serviceId = service.id
    placeId = place.id
    const org = await hub.database.db.selectFrom('organisations').select('id').executeTakeFirstOrThrow()
    apiKey = await hub.accounts.createApiKey(org.id, {
      userId: null,
      actor: 'cli',
      ip: null,
      requestId: null,
    })
  })
  after(() => hub.close())

  /** Every public form: the page that shows it (for the CSRF token) and where it posts. */
  const forms = () => [
    ['/staff/sign-in', '/staff/sign-in'],
    ['/staff/setup/not-a-token', '/staff/setup/not-a-token'],
    ['/staff/invite/not-a-token', '/staff/invite/not-a-token'],
    [`/find-help/services/${serviceId}/report`, `/find-help/services/${serviceId}/report`],
    [`/find-help/places/${placeId}/report`, `/find-help/places/${placeId}/report`],
    ['/refer', '/refer/start'],
    ['/refer/check', '/refer/check'],
    ['/refer/home-library-not-eligible', '/refer/home-library-not-eligible'],
    ...PAGES.map((p) => [`/refer/${p.id}`, `/refer/${p.id}`]),
    ['/track', '/track'],
  ]

  test('random bodies, methods, content types and tokens on every public form: no 5xx, no reflection, no rows when refused', async () => {
    const formIndex = fc.nat({ max: forms().length - 1 })
    const contentType = fc.constantFrom(
      'application/x-www-form-urlencoded',
      'application/json',
      'text/plain',
      'multipart/form-data; boundary=x',
      '',
    )
    let run = 0
    const statuses = new Map<number, number>()
    await fc.assert(
      fc.asyncProperty(
        formIndex,
        formBody,
        contentType,
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
        fc.boolean(),
        async (i, body, type, method, withToken) => {
          const [page, action] = forms()[i] as [string, string]
          const ip = `10.77.${Math.floor(run / 250)}.${run++ % 250}`
          const client = new TestClient(hub.app, ip)
          checkAnswer(await client.get(page), `GET ${page}`)
          const form = new URLSearchParams()
          for (const [k, v] of Object.entries(body)) for (const one of [v].flat()) form.append(k, one)
          if (withToken && client.csrfToken) form.append('_csrf', client.csrfToken)
          const payload =
            type === 'application/json'
              ? JSON.stringify({ ...body, _csrf: client.csrfToken })
              : form.toString()
          const before = await counts(hub)
          const res = await hub.app.inject({
            method,
            url: action,
            payload: method === 'GET' ? undefined : payload,
            headers: {
              ...(type ? { 'content-type': type } : {}),
              cookie: client.cookieHeader,
            },
            remoteAddress: ip,
          })
          checkAnswer(res, `${method} ${action}`)
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
          if (res.statusCode >= 400)
            assert.deepEqual(await counts(hub), before, `${method} ${action} refused but changed rows`)
        },
      ),
      { numRuns: 400 },
    )
    // The runs reach the handlers, not only the CSRF check: some are accepted, some refused by a form.
    assert.ok((statuses.get(303) ?? 0) + (statuses.get(200) ?? 0) > 0, JSON.stringify([...statuses]))
    assert.ok((statuses.get(400) ?? 0) > 0, JSON.stringify([...statuses]))
  })

  test('the referral journey answered in random orders, with hostile answers: no 5xx and no reflection', async () => {
    const step = fc.tuple(fc.constantFrom(...PAGES.map((p) => p.id), 'check'), formBody, fc.boolean())
    let run = 0
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        const client = new TestClient(hub.app, `10.79.${Math.floor(run / 250)}.${run++ % 250}`)
        await client.get('/refer')
        await client.post('/refer/start', {})
        for (const [page, body, look] of steps) {
          if (look) checkAnswer(await client.get(`/refer/${page}`), `GET /refer/${page}`)
          const form = Object.fromEntries(
            Object.entries(body).map(([k, v]) => [k, Array.isArray(v) ? v : String(v)]),
          )
          const res = await client.post(`/refer/${page}`, form)
          checkAnswer(res, `POST /refer/${page}`)
        }
      }),
      { numRuns: 120 },
    )
  })

  test('random and hostile partner API bodies, with and without an Idempotency-Key: no 5xx, no rows when refused', async () => {
    const { onBehalf: _o, ...valid } = referralBody()
    // Deep nesting inside a part the schema reads: a valid body with a hostile extra.
    const deepInValid = (n: number) =>
      JSON.stringify(valid).replace('"referrer":{', `"referrer":{"x":${'['.repeat(n)}${']'.repeat(n)},`)
    const json = fc.oneof(
      fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)),
      fc.constant(JSON.stringify(valid)),
      fc.integer({ min: 1, max: 100_000 }).map(deepInValid),
      fc
        .record({
          referrer: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(referralBody().referrer)),
          consent: fc.oneof(fc.boolean(), hostile),
          resident: fc.oneof(
            fc.jsonValue({ maxDepth: 3 }),
            fc.dictionary(fc.constantFrom('name', 'postcode', 'dateOfBirth', 'phone', 'email'), hostile),
          ),
          needs: fc.jsonValue({ maxDepth: 3 }),
        })
        .map((v) => JSON.stringify(v)),
      fc.integer({ min: 1, max: 3000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
    )
    // Half the time a valid key, so a replay is tried and the body hashed.
    const key = fc.option(fc.oneof(fc.string({ maxLength: 120 }), fc.uuid()), { nil: undefined })
    await fc.assert(
      fc.asyncProperty(
        json,
        key,
        fc.constantFrom('application/json', 'text/plain', ''),
        async (body, idem, type) => {
          const before = await counts(hub)
          const headers: Record<string, string> = { authorization: `Bearer ${apiKey}` }
          if (type) headers['content-type'] = type
          // Header values cannot carry control characters: a client could not send them either.
          if (idem !== undefined && [...idem].every((c) => c >= ' ' && c !== '\u007f'))
            headers['idempotency-key'] = idem
          const res = await hub.app.inject({
            method: 'POST',
            url: '/api/v1/referrals',
            payload: body,
            headers,
            remoteAddress: '10.80.0.1',
          })
          assert.ok(res.statusCode < 500, `the API answered ${res.statusCode}: ${res.body}`)
          if (res.statusCode >= 400) assert.deepEqual(await counts(hub), before)
          const get = await hub.app.inject({
            url: `/api/v1/referrals/${encodeURIComponent(String(idem ?? 'x'))}`,
            headers: { authorization: `Bearer ${apiKey}` },
          })
          assert.ok(get.statusCode < 500)
        },
      ),
      { numRuns: 200 },
    )
  })
})
