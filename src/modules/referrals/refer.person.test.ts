import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { TestClient } from '#tests/support/client.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'

type Steps = [string, Record<string, string | string[]>][]

const ALL_NEEDS = ['device', 'connectivity', 'skills', 'home-library', 'other']
const NEEDS: Steps = [
  ['needs', { needs: ALL_NEEDS }],
  ['need-device', { deviceType: 'laptop' }],
  ['need-connectivity', { option: 'data' }],
  ['need-skills', { ways: 'course', goals: 'email', goalOther: '' }],
  ['need-home-library', { reason: 'housebound', interests: '' }],
  ['need-other', { description: 'A form' }],
  ['reporting', {}],
]

const SELF: Steps = [
  ['who', { who: 'self' }],
  ['name', { name: 'Sam Test' }],
  ['dob', { choice: 'skip' }],
  ['address', { hasAddress: 'yes' }],
  ['postcode', { postcode: 'W8 4RT' }],
  ['contact', { methods: ['phone', 'post', 'library'], phone: '07700 900123', address: '1 Test Street' }],
  ['safe', { safe: 'voicemail' }],
  ['language', { language: '', interpreter: 'no' }],
  ['access', { accessNeeds: '' }],
  ...NEEDS,
]

const OTHER: Steps = [
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
  ],
  ['consent', { consent: 'yes' }],
  ['name', { name: 'Sam Test' }],
  ['dob', { choice: 'range' }],
  ['age-range', { ageRange: '35-49' }],
  ['address', { hasAddress: 'no' }],
  ['council', { borough: 'wcc' }],
  ['contact', { methods: ['phone', 'library'], phone: '07700 900123' }],
  ['safe', { safe: 'text' }],
  ['language', { language: '', interpreter: 'no' }],
  ['access', { accessNeeds: '' }],
  ...NEEDS,
]

/** Words a page must not use of the person it is about. */
const WRONG = {
  self: /\b(they|them|their|theirs|themselves)\b/i,
  other: /\b(I|me|my|mine)\b|\b(you|your|yours|yourself)\b/i,
}
/** Pages of the someone-else journey spoken to the referrer, who is "you" there. */
const TO_THE_REFERRER = new Set(['who', 'referrer', 'consent', 'check', 'confirmation'])

/** The words a person reads in the page's main part (the honeypot is hidden from people). */
function mainWords(html: string): string {
  const main = html.match(/<main[\s\S]*?<\/main>/)?.[0] ?? ''
  return main
    .replace(/<div class="hub-honeypot"[\s\S]*?<\/div>/, '')
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/\s+/g, ' ')
}

function expectPerson(person: 'self' | 'other', page: string, html: string) {
  if (page === 'who') return
  if (person === 'other' && TO_THE_REFERRER.has(page)) return
  const words = mainWords(html)
  const slip = words.match(WRONG[person])
  assert.equal(slip, null, `${person} journey, /refer/${page}: "${slip?.[0]}" in: ${words}`)
}

describe('the words fit the person in every page and error of both journeys', () => {
  let hub: TestHub
  before(async () => {
    hub = await testHub('sqlite')
  })
  after(() => hub.close())

  for (const [person, steps] of [
    ['self', SELF],
    ['other', OTHER],
  ] as const) {
    test(`${person === 'self' ? 'for yourself' : 'for someone else'}`, async () => {
      const client = new TestClient(hub.app, `10.20.0.${person.length}`)
      await client.get('/refer')
      await client.post('/refer/start', {})
      for (const [page, form] of steps) {
        const shown = await client.get(`/refer/${page}`)
        assert.equal(shown.statusCode, 200, `GET /refer/${page}`)
        expectPerson(person, page, shown.body)
        // Every error the page can show at once: nothing chosen, nothing typed.
        const empty = await client.post(`/refer/${page}`, {})
        if (empty.statusCode === 400) expectPerson(person, page, empty.body)
        if (page === 'contact') {
          const each = await client.post('/refer/contact', { methods: ['phone', 'email', 'post'] })
          assert.equal(each.statusCode, 400)
          expectPerson(person, page, each.body)
        }
        const answered = await client.post(`/refer/${page}`, form)
        assert.equal(answered.statusCode, 303, `POST /refer/${page}`)
      }
      expectPerson(person, 'check', (await client.get('/refer/check')).body)
      await client.post('/refer/check', {})
      expectPerson(person, 'confirmation', (await client.get('/refer/confirmation')).body)
    })
  }
})
