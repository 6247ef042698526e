import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { TestClient } from '#tests/support/client.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'

type Answer = Record<string, string | string[]>
/** A page, a good answer, and the fields to try too long, each with its limit and its name in the error. */
type Step = [page: string, good: Answer, tooLong?: Record<string, [max: number, name: string]>]

const long = (max: number) => 'x'.repeat(max + 1)

const needs = (who: 'you' | 'they'): Step[] => [
  ['needs', { needs: ['skills', 'home-library', 'other'] }],
  [
    'need-skills',
    { ways: 'course', goals: 'email', goalOther: '' },
    { goalOther: [300, 'What else is wanted'] },
  ],
  [
    'need-home-library',
    { reason: 'housebound', interests: '' },
    { interests: [1000, `What ${who} like to read or listen to`] },
  ],
  ['need-other', { description: 'A form' }, { description: [1000, 'The help needed'] }],
]

const SELF: Step[] = [
  ['who', { who: 'self' }],
  ['name', { name: 'Sam Test' }, { name: [200, 'Your name'] }],
  ['dob', { choice: 'date' }],
  ['dob-date', { day: '1', month: '2', year: '1980' }],
  ['address', { hasAddress: 'yes' }],
  ['postcode', { postcode: 'W8 4RT' }, { postcode: [10, 'Postcode'] }],
  [
    'contact',
    { methods: ['phone', 'email', 'post'], phone: '07700 900123', email: 'a@example.org', address: '1 Road' },
    { phone: [30, 'Phone number'], email: [254, 'Email address'], address: [500, 'Address'] },
  ],
  ['safe', { safe: 'voicemail' }],
  ['language', { language: '', interpreter: 'no' }, { language: [100, 'Preferred language'] }],
  ['access', { accessNeeds: '' }, { accessNeeds: [1000, 'What we should know to help you'] }],
  ...needs('you'),
]

const OTHER: Step[] = [
  ['who', { who: 'someone-else' }],
  [
    'referrer',
    {
      name: 'Pat',
      organisation: 'Trust',
      role: 'Worker',
      email: 'pat@example.org',
      relationship: 'Key worker',
    },
    {
      name: [200, 'Your full name'],
      organisation: [200, 'Your organisation'],
      role: [200, 'Your job or role'],
      relationship: [200, 'How you know the person'],
    },
  ],
  ['consent', { consent: 'yes' }],
  ['name', { name: 'Sam Test' }, { name: [200, 'Their name'] }],
  ['dob', { choice: 'skip' }],
  ['address', { hasAddress: 'no' }],
  ['council', { borough: 'wcc' }],
  ['contact', { methods: ['library'] }],
  ['language', { language: '', interpreter: 'no' }],
  ['access', { accessNeeds: '' }, { accessNeeds: [1000, 'What we should know to help them'] }],
  ...needs('they'),
]

/** The error summary's entries, as "field: message". */
function summary(html: string): string[] {
  const list = html.match(/govuk-error-summary__list">([\s\S]*?)<\/ul>/)?.[1] ?? ''
  return [...list.matchAll(/<a href="#([^"]*)">([^<]*)</g)].map((m) => `${m[1]}: ${m[2]}`)
}

/**
 * Walks a journey sending, on each page, every limited field too long at once: the summary names each
 * field, in the order of the page, the answers are kept, and the good answers then go on.
 */
async function walkTooLong(client: TestClient, steps: Step[]) {
  await client.get('/refer')
  await client.post('/refer/start', {})
  for (const [page, good, tooLong] of steps) {
    assert.equal((await client.get(`/refer/${page}`)).statusCode, 200, page)
    if (tooLong) {
      const bad = {
        ...good,
        ...Object.fromEntries(Object.entries(tooLong).map(([f, [max]]) => [f, long(max)])),
      }
      const res = await client.post(`/refer/${page}`, bad)
      assert.equal(res.statusCode, 400, page)
      const fieldsInOrder = Object.keys(good).filter((f) => f in tooLong)
      assert.deepEqual(
        summary(res.body),
        fieldsInOrder.map((f) => {
          const [max, name] = tooLong[f] as [number, string]
          return `${f}: ${name} must be ${max} characters or fewer`
        }),
        page,
      )
      for (const f of fieldsInOrder)
        assert.ok(res.body.includes(long(tooLong[f]?.[0] ?? 0)), `${page} keeps ${f}`)
    }
    const res = await client.post(`/refer/${page}`, good)
    assert.equal(res.statusCode, 303, `${page}: ${summary(res.body).join('; ')}`)
  }
}

describe('a length error names its field', () => {
  let hub: TestHub
  before(async () => {
    hub = await testHub('sqlite')
  })
  after(() => hub.close())

  test('on every page of the self journey, in the person asking', async () => {
    await walkTooLong(new TestClient(hub.app, '10.0.8.1'), SELF)
  })

  test('on every page of the someone-else journey, in the person asked for', async () => {
    await walkTooLong(new TestClient(hub.app, '10.0.8.2'), OTHER)
  })

  test('a part of a date of birth too long is named on the date, where the date input shows it', async () => {
    const client = new TestClient(hub.app, '10.0.8.4')
    await walkTooLong(client, SELF.slice(0, 3))
    await client.get('/refer/dob-date')
    const res = await client.post('/refer/dob-date', { day: '123', month: '2', year: '19800' })
    assert.equal(res.statusCode, 400)
    assert.deepEqual(summary(res.body), ['dob-day: Date of birth must be a real date'])
    assert.match(res.body, /value="19800"/)
  })

  test('at /track, each field by its name', async () => {
    const client = new TestClient(hub.app, '10.0.8.3')
    await client.get('/track')
    const res = await client.post('/track', { reference: long(20), words: long(100), postcode: '' })
    assert.equal(res.statusCode, 400)
    assert.deepEqual(summary(res.body), [
      'reference: Reference number must be 20 characters or fewer',
      'words: The 3 words must be 100 characters or fewer',
    ])
  })
})
