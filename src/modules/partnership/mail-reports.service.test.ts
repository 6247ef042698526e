import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { OutboxWorker } from '#platform/notify.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import type { TestHub } from '#tests/support/hub.ts'
import { hubWithMail } from '#tests/support/mail-hub.ts'
import type { SmtpSink } from '#tests/support/smtp-sink.ts'
import { CTX, lead } from './testing.ts'

const LEAD = lead(['partnership.mailing'])
const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8')
/** The addresses the fixtures' reports are about. */
const GONE = 'left.the.job@partner.test'
const FULL = 'full.mailbox@charity.test'
const UNHAPPY = 'not.interested@mailbox.test'
const SLOW = 'slow@charity.test'

for (const dialect of DIALECTS) {
  describe(`providers' reports of bounces and complaints, from a mailbox, on ${dialect}`, () => {
    let hub: TestHub
    let sink: SmtpSink
    let worker: OutboxWorker
    let bulletinId: string

    before(async () => {
      ;({ hub, sink, worker } = await hubWithMail(dialect))
      const { mailing, bulletins } = hub.partnership
      for (const email of [GONE, FULL, UNHAPPY, SLOW]) {
        await mailing.signUp(CTX, { email, lists: ['funding'], wording: 'Test wording' })
        await worker.runOnce(100)
        const token = /\/subscribe\/confirm\/(\S+)/.exec(sink.messages.at(-1)?.text ?? '')?.[1]
        assert.ok(token)
        await mailing.confirm(CTX, token)
      }
      bulletinId = await bulletins.create(LEAD, CTX, {
        title: 'Funding round opens',
        body: 'Apply',
        list: 'funding',
      })
      assert.equal(await bulletins.send(LEAD, CTX, bulletinId), 4)
      await worker.runOnce(100)
      await bulletins.followDeliveries()
    })
    after(async () => {
      await hub.close()
      await sink.stop()
    })

    const subscriber = (email: string) =>
      hub.database.db
        .selectFrom('mailing_subscribers')
        .select(['bounce_score', 'stopped_reason'])
        .where('email', '=', email)
        .executeTakeFirstOrThrow()

    test('the SMTP server took every message: nobody is scored yet', async () => {
      const { counts } = await hub.partnership.bulletins.recipients(LEAD, bulletinId, 1)
      assert.deepEqual(counts, { sent: 4 })
    })

    test('a later hard bounce stops sending at once, and the recipient shows it; read twice, it counts once', async () => {
      const reports = hub.partnership.mailReports
      assert.deepEqual(await reports.fromMailbox(fixture('dsn-hard.eml'), CTX), {
        messages: 1,
        reports: 1,
        applied: 1,
        repeated: 0,
        unknown: 0,
      })
      assert.deepEqual(await subscriber(GONE), { bounce_score: 5, stopped_reason: 'bounced' })
      const again = await reports.fromMailbox(fixture('dsn-hard.eml'), CTX)
      assert.deepEqual([again.applied, again.repeated], [0, 1])
      const { counts } = await hub.partnership.bulletins.recipients(LEAD, bulletinId, 1)
      assert.deepEqual(counts, { sent: 3, bounced: 1 })
    })

    test('an mbox: a soft bounce counts a point, a delay nothing, a complaint stops every list; twice counts once', async () => {
      const reports = hub.partnership.mailReports
      const first = await reports.fromMailbox(fixture('dsn-soft-and-delayed.mbox'), CTX)
      assert.deepEqual(first, { messages: 3, reports: 2, applied: 2, repeated: 0, unknown: 0 })
      const second = await reports.fromMailbox(fixture('dsn-soft-and-delayed.mbox'), CTX)
      assert.deepEqual([second.applied, second.repeated], [0, 2])
      assert.deepEqual(await subscriber(FULL), { bounce_score: 1, stopped_reason: null })
      assert.deepEqual(await subscriber(SLOW), { bounce_score: 0, stopped_reason: null })
      assert.deepEqual(await subscriber(UNHAPPY), { bounce_score: 0, stopped_reason: 'complaint' })
      const { counts } = await hub.partnership.bulletins.recipients(LEAD, bulletinId, 1)
      assert.deepEqual(counts, { sent: 2, bounced: 1, complained: 1 })

      // The next bulletin goes to the two still getting mail; the soft bounce did not remove a subscriber.
      const next = await hub.partnership.bulletins.create(LEAD, CTX, {
        title: 'Next',
        body: 'More',
        list: 'funding',
      })
      assert.equal(await hub.partnership.bulletins.send(LEAD, CTX, next), 2)
    })

    test('a complaint about an address the Hub never wrote to changes nothing', async () => {
      const result = await hub.partnership.mailReports.fromMailbox(fixture('arf-complaint.eml'), CTX)
      assert.deepEqual(result, { messages: 1, reports: 1, applied: 1, repeated: 0, unknown: 1 })
      const row = await hub.database.db
        .selectFrom('mailing_subscribers')
        .select('id')
        .where('email', '=', 'complainer@provider.test')
        .executeTakeFirst()
      assert.equal(row, undefined)
    })
  })
}
