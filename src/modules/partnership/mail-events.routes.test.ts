import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { MAIL_EVENTS_PATH, SIGNATURE_HEADER, signBody } from './mail-events.routes.ts'
import { CTX } from './testing.ts'

const SECRET = 'a-shared-secret-of-at-least-32-characters'

function post(hub: TestHub, body: string, signature?: string) {
  return hub.app.inject({
    method: 'POST',
    url: MAIL_EVENTS_PATH,
    headers: { 'content-type': 'application/json', ...(signature ? { [SIGNATURE_HEADER]: signature } : {}) },
    payload: body,
  })
}

for (const dialect of DIALECTS) {
  describe(`the mail provider's webhook of bounces and complaints on ${dialect}`, () => {
    let hub: TestHub

    before(async () => {
      hub = await testHub(dialect, { PARTNERSHIP_MAIL_EVENTS_SECRET: SECRET })
      for (const email of ['hard@example.org', 'soft@example.org', 'spam@example.org'])
        await hub.partnership.mailing.signUp(CTX, { email, lists: ['funding'], wording: 'Test wording' })
    })
    after(() => hub.close())

    const subscriber = (email: string) =>
      hub.database.db
        .selectFrom('mailing_subscribers')
        .select(['bounce_score', 'stopped_reason'])
        .where('email', '=', email)
        .executeTakeFirstOrThrow()

    const events = JSON.stringify([
      { email: 'Hard@Example.org', type: 'bounce', bounceType: 'hard', at: '2027-01-15T09:12:05Z' },
      { email: 'soft@example.org', type: 'bounce', bounceType: 'soft', at: '2027-01-15T09:12:06+01:00' },
      { email: 'spam@example.org', type: 'complaint', at: '2027-01-15T10:00:00Z' },
      { email: 'stranger@example.org', type: 'complaint', at: '2027-01-15T10:00:00Z' },
    ])

    test('without a signature, or with a wrong one, nothing is applied: 401', async () => {
      assert.equal((await post(hub, events)).statusCode, 401)
      const wrong = await post(hub, events, signBody('another-secret-of-at-least-32-characters', events))
      assert.equal(wrong.statusCode, 401)
      // Signed, then changed on the way: the signature no longer matches.
      const changed = await post(hub, events.replace('hard', 'soft'), signBody(SECRET, events))
      assert.equal(changed.statusCode, 401)
      assert.deepEqual(await subscriber('hard@example.org'), { bounce_score: 0, stopped_reason: null })
    })

    test('signed: scored as SMTP replies are; the same events again count once', async () => {
      const first = await post(hub, events, signBody(SECRET, events))
      assert.equal(first.statusCode, 200, first.body)
      assert.deepEqual(first.json(), { applied: 4, repeated: 0, unknown: 1 })
      assert.deepEqual(await subscriber('hard@example.org'), { bounce_score: 5, stopped_reason: 'bounced' })
      assert.deepEqual(await subscriber('soft@example.org'), { bounce_score: 1, stopped_reason: null })
      assert.deepEqual(await subscriber('spam@example.org'), { bounce_score: 0, stopped_reason: 'complaint' })
      const again = await post(
        hub,
        events,
        signBody(SECRET, events).toUpperCase().replace('SHA256=', 'sha256='),
      )
      assert.deepEqual(again.json(), { applied: 0, repeated: 4, unknown: 0 })
      assert.deepEqual(await subscriber('soft@example.org'), { bounce_score: 1, stopped_reason: null })
    })

    test('a signed body that is not a list of events is refused with what is wrong: 400', async () => {
      const noKind = JSON.stringify([
        { email: 'soft@example.org', type: 'bounce', at: '2027-01-16T00:00:00Z' },
      ])
      const refused = await post(hub, noKind, signBody(SECRET, noKind))
      assert.equal(refused.statusCode, 400)
      assert.match(refused.body, /bounceType/)
      const notJson = '{"email": '
      assert.equal((await post(hub, notJson, signBody(SECRET, notJson))).statusCode, 400)
      const badDate = JSON.stringify([{ email: 'soft@example.org', type: 'complaint', at: 'yesterday' }])
      assert.equal((await post(hub, badDate, signBody(SECRET, badDate))).statusCode, 400)
      assert.deepEqual(await subscriber('soft@example.org'), { bounce_score: 1, stopped_reason: null })
    })
  })
}

describe('the webhook without its secret set', () => {
  let hub: TestHub
  before(async () => {
    hub = await testHub('sqlite')
  })
  after(() => hub.close())

  test('refuses everything, signed or not, saying it is not set up: 401', async () => {
    const body = JSON.stringify([{ email: 'a@example.org', type: 'complaint', at: '2027-01-15T10:00:00Z' }])
    const signed = await post(hub, body, signBody('', body))
    assert.equal(signed.statusCode, 401)
    assert.match(signed.json().error, /not set up/)
    assert.equal((await post(hub, body)).statusCode, 401)
  })
})
