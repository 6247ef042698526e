import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { TestClient } from '#tests/support/client.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { walk } from './testing.ts'
import { TRACKING_WORDS } from './tracking-words.ts'

type Steps = [string, Record<string, string | string[]>][]

const REFERRER: Steps = [
  ['who', { who: 'someone-else' }],
  [
    'referrer',
    {
      name: 'Pat Worker',
      organisation: 'Housing Trust',
      role: 'Support worker',
      email: 'pat@example.org',
      phone: '',
      relationship: 'Key worker',
    },
  ],
  ['consent', { consent: 'yes' }],
]

/** Each way of saying who, how old and where: every other answer the same. */
const BRANCHES: { name: string; who: Steps; age: Steps; place: Steps; second?: Record<string, string> }[] = [
  {
    name: 'self, date of birth, postcode',
    who: [['who', { who: 'self' }]],
    age: [
      ['dob', { choice: 'date' }],
      ['dob-date', { day: '7', month: '3', year: '1951' }],
    ],
    place: [
      ['address', { hasAddress: 'yes' }],
      ['postcode', { postcode: 'w84rt' }],
    ],
    second: { 'dob-day': '7', 'dob-month': '3', 'dob-year': '1951' },
  },
  {
    name: 'self, age range, no fixed address',
    who: [['who', { who: 'self' }]],
    age: [
      ['dob', { choice: 'range' }],
      ['age-range', { ageRange: '70-79' }],
    ],
    place: [
      ['address', { hasAddress: 'no' }],
      ['council', { borough: 'rbkc' }],
    ],
  },
  {
    name: 'someone else, no age, no fixed address',
    who: REFERRER,
    age: [['dob', { choice: 'skip' }]],
    place: [
      ['address', { hasAddress: 'no' }],
      ['council', { borough: 'wcc' }],
    ],
  },
  {
    name: 'someone else, age range, postcode',
    who: REFERRER,
    age: [
      ['dob', { choice: 'range' }],
      ['age-range', { ageRange: '25-34' }],
    ],
    place: [
      ['address', { hasAddress: 'yes' }],
      ['postcode', { postcode: 'SW1P 4DR' }],
    ],
    second: { postcode: 'sw1p4dr' },
  },
]

const REST: Steps = [
  ['name', { name: 'Sam Test' }],
  ['contact', { methods: ['library'] }],
  ['language', { language: '', interpreter: 'no' }],
  ['access', { accessNeeds: '' }],
  ['needs', { needs: ['other'] }],
  ['need-other', { description: 'Help with a form' }],
  ['reporting', {}],
]

function steps(b: (typeof BRANCHES)[number]): Steps {
  const [name, contact, ...others] = REST as [Steps[number], Steps[number], ...Steps]
  return [...b.who, name, ...b.age, ...b.place, contact, ...others]
}

function errorSummary(html: string): string[] {
  const summary = html.match(/govuk-error-summary__list">([\s\S]*?)<\/ul>/)?.[1] ?? ''
  return [...summary.matchAll(/<a href="(#[^"]*)">([^<]*)<\/a>/g)].map((m) => `${m[1]} ${m[2]}`)
}

describe('every reference can be tracked', () => {
  let hub: TestHub

  before(async () => {
    hub = await testHub('sqlite')
  })
  after(() => hub.close())

  BRANCHES.forEach((branch, i) => {
    test(`${branch.name}: the confirmation says what to enter at /track, and it works`, async () => {
      const person = new TestClient(hub.app, `10.7.${i}.1`)
      await walk(person, steps(branch))
      await person.get('/refer/check')
      assert.equal((await person.post('/refer/check', {})).headers.location, '/refer/confirmation')
      const confirmation = (await person.get('/refer/confirmation')).body
      const reference = confirmation.match(/hub-reference">([A-Z2-9]{4}-[A-Z2-9]{4})</)?.[1] as string
      const words = confirmation.match(/data-tracking-words>([a-z ]+)</)?.[1] as string
      assert.ok(reference, 'the reference is shown')
      const given = words.split(' ')
      assert.equal(given.length, 3)
      for (const w of given) assert.ok(TRACKING_WORDS.includes(w), `${w} is one of the words`)
      assert.match(confirmation, /enter both/)
      // Shown again on a refresh: the same words.
      assert.match((await person.get('/refer/confirmation')).body, new RegExp(`>${words}<`))

      const tracker = new TestClient(hub.app, `10.8.${i}.1`)
      await tracker.get('/track')
      // Typed as people do: any case, commas, extra spaces.
      const found = await tracker.post('/track', {
        reference: reference.toLowerCase().replace('-', ''),
        words: ` ${given[0]?.toUpperCase()}, ${given[1]}  ${given[2]} `,
      })
      assert.equal(found.statusCode, 200, errorSummary(found.body).join('; '))
      assert.match(found.body, /Received. We will look at it soon./)
      const wrong = await tracker.post('/track', { reference, words: [...given].reverse().join(' ') })
      assert.equal(wrong.statusCode, 400)
      assert.match(wrong.body, /We could not find a request with those details/)
      if (branch.second) {
        const other = await tracker.post('/track', { reference, ...branch.second })
        assert.equal(other.statusCode, 200)
      }
      // Kept only as a hash, salted with the reference.
      const row = await hub.database.db
        .selectFrom('referrals')
        .select(['tracking_words_hash', 'answers_json'])
        .where('reference', '=', reference.replace('-', ''))
        .executeTakeFirstOrThrow()
      assert.match(row.tracking_words_hash ?? '', /^[0-9a-f]{64}$/)
      assert.doesNotMatch(JSON.stringify(row), new RegExp(given[0] as string))
    })
  })

  test('an empty /track names both missing fields, in the order of the fields', async () => {
    const client = new TestClient(hub.app, '10.9.0.1')
    await client.get('/track')
    const empty = await client.post('/track', {})
    assert.equal(empty.statusCode, 400)
    assert.deepEqual(errorSummary(empty.body), [
      '#reference Enter the reference number',
      '#words Enter the 3 words given with the reference number, or a date of birth or postcode',
    ])
    const badBoth = await client.post('/track', { reference: 'nope', words: 'apple' })
    assert.deepEqual(
      errorSummary(badBoth.body).map((e) => e.split(' ')[0]),
      ['#reference', '#words'],
    )
    // Every answer is kept.
    assert.match(badBoth.body, /value="nope"/)
    assert.match(badBoth.body, /value="apple"/)
  })
})

describe('questions already answered are not asked twice', () => {
  let hub: TestHub
  before(async () => {
    hub = await testHub('sqlite')
  })
  after(() => hub.close())

  const reportingOf = async (client: TestClient) => (await client.get('/refer/reporting')).body

  test('a date of birth answers "aged 60 or over?", and no fixed address "homeless?"; both kept as derived', async () => {
    const client = new TestClient(hub.app, '10.10.0.1')
    const branch = BRANCHES[0] as (typeof BRANCHES)[number]
    const all = steps({ ...branch, place: (BRANCHES[1] as (typeof BRANCHES)[number]).place })
    await walk(client, all.slice(0, -1))
    const page = await reportingOf(client)
    assert.doesNotMatch(page, /aged 60 or over/)
    assert.doesNotMatch(page, /Are you homeless/)
    assert.match(page, /Are you disabled/)
    await client.post('/refer/reporting', { disabled: 'no', over60: 'no' })
    const check = (await client.get('/refer/check')).body
    assert.doesNotMatch(check, /aged 60 or over/)
    await client.post('/refer/check', {})
    const row = await hub.database.db.selectFrom('referrals').select('answers_json').executeTakeFirstOrThrow()
    assert.deepEqual(row.answers_json.reporting, { disabled: 'no', over60: 'yes', homeless: 'yes' })
    assert.deepEqual(row.answers_json.reportingDerived, ['over60', 'homeless'])
  })

  test('an age range answers "aged 60 or over?"; with no age it is asked; a home address asks "homeless?"', async () => {
    for (const [range, asked] of [
      ['70-79', false],
      ['50-59', false],
      ['under-18', false],
    ] as const) {
      const client = new TestClient(hub.app, `10.11.0.${range.length}`)
      const branch = BRANCHES[3] as (typeof BRANCHES)[number]
      await walk(
        client,
        steps({
          ...branch,
          age: [
            ['dob', { choice: 'range' }],
            ['age-range', { ageRange: range }],
          ],
        }).slice(0, -1),
      )
      const page = await reportingOf(client)
      assert.equal(/aged 60 or over/.test(page), asked, range)
      assert.match(page, /Are they homeless/)
    }
    const skipped = new TestClient(hub.app, '10.11.1.1')
    await walk(skipped, steps(BRANCHES[2] as (typeof BRANCHES)[number]).slice(0, -1))
    assert.match(await reportingOf(skipped), /Are they aged 60 or over/)
  })
})
