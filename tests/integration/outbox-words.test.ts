/**
 * The outbox speaks English: each message by its template's subject with every personal value shown as
 * "…", and the channel as a word; no template or channel codes where staff read.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { MODULES } from '#modules/index.ts'
import { messageTitle } from '#platform/messages.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { signedInClient } from '#tests/support/users.ts'

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')

describe('the outbox in words', () => {
  let hub: TestHub
  before(async () => {
    hub = await testHub('sqlite')
  })
  after(() => hub.close())

  test('every template of every module gives a subject with nothing personal in it', () => {
    const templates = MODULES.flatMap((m) => Object.keys(m.messages ?? {}))
    assert.ok(templates.length > 5, 'the modules declare their templates')
    for (const name of templates) {
      const title = messageTitle(name)
      assert.ok(title, `${name} gives a subject`)
      assert.doesNotMatch(title, /undefined|null|NaN|Invalid|\[object/, name)
    }
    assert.equal(messageTitle('password-changed'), 'Your … password was changed')
  })

  test('the list and the message page name the message and its channel in words', async () => {
    const { client } = await signedInClient(hub, { roles: ['administrator'], boroughs: 'all' })
    await hub.database.db.transaction().execute(async (tx) => {
      await hub.platform.outbox.enqueue(tx, {
        channel: 'sms',
        template: 'sessions-reminder',
        recipient: '07700900123',
        personalisation: { name: 'Ada Lovelace', title: 'Tablet taster', startsAt: '2026-12-03T10:00:00Z' },
      })
    })
    const list = await client.get('/staff/outbox')
    assert.equal(list.statusCode, 200)
    const words = text(list.body)
    assert.match(words, /Reminder: …, … Text message Pending/)
    for (const code of ['sessions-reminder', 'Tablet taster', 'Ada'])
      assert.ok(!words.includes(code), `the list shows ${code}`)
    assert.doesNotMatch(list.body, /<td class="govuk-table__cell">\s*(email|sms)\s*</)
    const id = list.body.match(/href="\/staff\/outbox\/([0-9a-f-]{36})">Reminder/)?.[1]
    assert.ok(id, 'the message is linked by its subject')
    const page = text((await client.get(`/staff/outbox/${id}`)).body)
    assert.match(page, /Reminder: Tablet taster, Thursday 3 December/)
    assert.match(page, /Sent by Text message/)
    assert.doesNotMatch(page, /sessions-reminder|\(sms\)/)
  })
})
