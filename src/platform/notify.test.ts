import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { DIALECTS, freshDatabase } from '#tests/support/databases.ts'
import { FakeNotify, makeNotifyApiKey } from '#tests/support/fake-notify.ts'
import type { Database } from './database.ts'
import { newId } from './ids.ts'
import { renderMessage } from './messages.ts'
import { developmentTransport, notifyTransport, OutboxWorker } from './notify.ts'
import { Outbox, type OutboxTable } from './outbox.ts'
import { registerTestTemplates } from './testing.ts'

registerTestTemplates()

const EMAIL_TEMPLATE = '11111111-1111-4111-8111-111111111111'
const SMS_TEMPLATE = '22222222-2222-4222-8222-222222222222'
const EMAIL = 'resident.one@example.org'
const PHONE = '07700900123'

function message(channel: 'email' | 'sms', recipient: string): OutboxTable {
  const now = new Date().toISOString()
  return {
    id: newId(),
    channel,
    template: 'test-invite',
    recipient,
    personalisation_json: {
      name: 'Ada',
      serviceName: 'Digital Inclusion Hub',
      link: 'https://hub.example/x/abc',
    },
    status: 'sending',
    attempts: 0,
    next_attempt_at: now,
    claimed_until: null,
    last_error: null,
    created_at: now,
    sent_at: null,
    borough_id: null,
    purged_at: null,
  }
}

async function thrown(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  assert.fail('expected the send to throw')
}

describe('notifyTransport against a fake GOV.UK Notify', () => {
  const key = makeNotifyApiKey()
  let notify: FakeNotify
  let transport: ReturnType<typeof notifyTransport>

  before(async () => {
    notify = await FakeNotify.start(key)
    transport = notifyTransport({
      baseUrl: notify.baseUrl,
      apiKey: key.apiKey,
      emailTemplateId: EMAIL_TEMPLATE,
      smsTemplateId: SMS_TEMPLATE,
    })
  })
  after(() => notify.close())

  test('sends an email with the rendered subject and body, referenced by the outbox id', async () => {
    const m = message('email', EMAIL)
    await transport.send(m)
    const expected = renderMessage(m.template, m.personalisation_json)
    const req = notify.requests.at(-1)
    assert.deepEqual(req, {
      kind: 'email',
      serviceId: key.serviceId,
      body: {
        template_id: EMAIL_TEMPLATE,
        email_address: EMAIL,
        personalisation: { subject: expected.subject, body: expected.body },
        reference: m.id,
      },
    })
    assert.match(expected.body, /Hello Ada,/)
    assert.deepEqual(notify.refused, [])
  })

  test('sends an SMS through the SMS template, referenced by the outbox id', async () => {
    const m = message('sms', PHONE)
    await transport.send(m)
    const req = notify.requests.at(-1)
    assert.equal(req?.kind, 'sms')
    assert.equal(req?.body.template_id, SMS_TEMPLATE)
    assert.equal(req?.body.phone_number, PHONE)
    assert.equal(req?.body.reference, m.id)
    assert.equal(req?.body.personalisation?.body, renderMessage(m.template, m.personalisation_json).body)
  })

  test('a Notify 500 becomes an error that names neither the recipient nor the content', async () => {
    notify.failNext(1, 500)
    const before = notify.requests.length
    const error = await thrown(transport.send(message('email', EMAIL)))
    assert.equal(error.message, 'GOV.UK Notify: 500 Exception')
    assert.equal(notify.requests.length, before)
  })

  test("Notify's own error messages, which may quote the recipient, are left out", async () => {
    notify.failNext(1, 400, {
      status_code: 400,
      errors: [{ error: 'ValidationError', message: `phone_number ${PHONE} is not a UK mobile number` }],
    })
    const error = await thrown(transport.send(message('sms', PHONE)))
    assert.equal(error.message, 'GOV.UK Notify: 400 ValidationError')
    assert.doesNotMatch(error.message, /07700/)
    // Nothing but the message travels with the error: no axios request object with the payload in it.
    assert.deepEqual(Object.keys(error), [])
  })

  test('a key for another service is refused by Notify and the send fails', async () => {
    const wrong = notifyTransport({
      baseUrl: notify.baseUrl,
      apiKey: makeNotifyApiKey().apiKey,
      emailTemplateId: EMAIL_TEMPLATE,
      smsTemplateId: SMS_TEMPLATE,
    })
    const error = await thrown(wrong.send(message('email', EMAIL)))
    assert.equal(error.message, 'GOV.UK Notify: 403 AuthError')
    assert.match(notify.refused.at(-1)?.reason ?? '', /signature/)
  })

  test('Notify out of reach gives the network error code, not the request', async () => {
    const gone = notifyTransport({
      baseUrl: 'http://127.0.0.1:9',
      apiKey: key.apiKey,
      emailTemplateId: EMAIL_TEMPLATE,
      smsTemplateId: SMS_TEMPLATE,
    })
    const error = await thrown(gone.send(message('email', EMAIL)))
    assert.equal(error.message, 'GOV.UK Notify: ECONNREFUSED')
  })
})

for (const dialect of DIALECTS) {
  describe(`the outbox worker through Notify on ${dialect}`, () => {
    const key = makeNotifyApiKey()
    let notify: FakeNotify
    let database: Database

    before(async () => {
      notify = await FakeNotify.start(key)
      database = await freshDatabase(dialect)
    })
    after(async () => {
      await notify.close()
      await database.close()
    })

    test('during a Notify outage messages wait, then each goes once', async () => {
      let now = Date.parse('2026-03-02T09:00:00.000Z')
      const outbox = new Outbox(database, 5, () => now)
      const logged: string[] = []
      const log = {
        error: (o: object) => logged.push(JSON.stringify(o)),
        warn: (o: object) => logged.push(JSON.stringify(o)),
      }
      const worker = new OutboxWorker(
        outbox,
        notifyTransport({
          baseUrl: notify.baseUrl,
          apiKey: key.apiKey,
          emailTemplateId: EMAIL_TEMPLATE,
          smsTemplateId: SMS_TEMPLATE,
        }),
        1000,
        log,
      )
      const personalisation = { name: 'Ada', serviceName: 'Hub' }
      const ids = [
        await outbox.enqueue(database.db, {
          channel: 'email',
          template: 'test-notice',
          recipient: EMAIL,
          personalisation,
        }),
        await outbox.enqueue(database.db, {
          channel: 'sms',
          template: 'test-notice',
          recipient: PHONE,
          personalisation,
        }),
      ]

      notify.failNext(2, 503)
      assert.equal(await worker.runOnce(), 0)
      const waiting = await database.db.selectFrom('outbox').selectAll().execute()
      assert.deepEqual(
        waiting.map((m) => [m.status, m.attempts, m.last_error]),
        [
          ['pending', 1, 'GOV.UK Notify: 503 Exception'],
          ['pending', 1, 'GOV.UK Notify: 503 Exception'],
        ],
      )
      assert.equal(logged.length, 2)
      for (const line of logged) assert.ok(!line.includes(EMAIL) && !line.includes(PHONE), line)

      now += 60_000
      assert.equal(await worker.runOnce(), 2)
      assert.equal(await worker.runOnce(), 0)
      const references = notify.requests.map((r) => r.body.reference).sort()
      assert.deepEqual(references, [...ids].sort())
    })

    test('with the database gone the worker logs, waits longer each time, and keeps the process up', async () => {
      const gone = await freshDatabase(dialect)
      await gone.close()
      const failures: number[] = []
      const log = {
        error() {},
        warn: (o: object) => void failures.push((o as { failures: number }).failures),
      }
      const worker = new OutboxWorker(
        new Outbox(gone, 5),
        developmentTransport(() => {}),
        10,
        log,
      )
      worker.start()
      // Waits of 20, 40 and 80 ms after the first failure: four within a fifth of a second, not five.
      await new Promise((r) => setTimeout(r, 200))
      await worker.stop()
      assert.ok(failures.length >= 3 && failures.length <= 4, `failures logged: ${failures}`)
      assert.deepEqual(failures.slice(0, 3), [1, 2, 3])
    })
  })
}
