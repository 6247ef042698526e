import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { TestClient } from '#tests/support/client.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { SELF, walk } from './testing.ts'
import { TRACK_THROTTLE } from './track.routes.ts'

describe('/track', () => {
  let hub: TestHub
  let reference: string

  before(async () => {
    hub = await testHub('sqlite')
    const resident = new TestClient(hub.app, '10.2.0.1')
    await walk(resident, SELF)
    await resident.get('/refer/check')
    await resident.post('/refer/check', {})
    const page = await resident.get('/refer/confirmation')
    reference = page.body.match(/([A-Z2-9]{4}-[A-Z2-9]{4})/)?.[1] as string
  })
  after(() => hub.close())

  test('the reference and date of birth, or the postcode, show where each need is in plain words', async () => {
    const client = new TestClient(hub.app, '10.2.0.2')
    await client.get('/track')
    const byDob = await client.post('/track', {
      reference: reference.toLowerCase(),
      'dob-day': '07',
      'dob-month': '3',
      'dob-year': '1951',
    })
    assert.equal(byDob.statusCode, 200)
    assert.match(byDob.body, /Received. We will look at it soon./)
    assert.match(byDob.body, /A laptop, tablet or phone/)
    const byPostcode = await client.post('/track', { reference, postcode: 'W84RT' })
    assert.equal(byPostcode.statusCode, 200)
  })

  test('a wrong answer and an unknown reference get the same message', async () => {
    const client = new TestClient(hub.app, '10.2.0.3')
    await client.get('/track')
    const wrong = await client.post('/track', { reference, postcode: 'W1D 3QF' })
    const unknown = await client.post('/track', { reference: 'ZZZZ-ZZZZ', postcode: 'W1D 3QF' })
    assert.equal(wrong.statusCode, unknown.statusCode)
    const message = (html: string) =>
      html.match(/<div class="govuk-error-summary__body">[\s\S]*?<\/div>/)?.[0]
    assert.ok(message(wrong.body))
    assert.equal(message(wrong.body), message(unknown.body))
  })

  test('guessing is throttled per reference and address; guesses from elsewhere slow the resident, never stop them', async () => {
    const guesser = new TestClient(hub.app, '10.3.0.1')
    await guesser.get('/track')
    let last = 0
    for (let i = 0; i < 12; i++)
      last = (await guesser.post('/track', { reference, postcode: 'W1D 3QF' })).statusCode
    assert.equal(last, 429)
    for (let i = 0; i < 3; i++) {
      const other = new TestClient(hub.app, `10.3.1.${i}`)
      await other.get('/track')
      await other.post('/track', { reference, postcode: 'W1D 3QF' })
    }
    const resident = new TestClient(hub.app, '10.3.2.1')
    await resident.get('/track')
    const started = Date.now()
    const res = await resident.post('/track', { reference, postcode: 'W8 4RT' })
    assert.equal(res.statusCode, 200)
    assert.ok(Date.now() - started >= TRACK_THROTTLE.slowDownMs - 50, 'slowed down, as a guesser is')
  })
})
