import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { StaffUser } from '#platform/access.ts'
import { EventBus } from '#platform/events.ts'
import type { OutboxWorker } from '#platform/notify.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import type { TestHub } from '#tests/support/hub.ts'
import { hubWithMail } from '#tests/support/mail-hub.ts'
import type { SmtpSink } from '#tests/support/smtp-sink.ts'
import { draftBulletinsFromMinutes } from './bulletin.events.ts'

const CTX = { userId: null, actor: 'test', ip: '192.0.2.1', requestId: null }
const LEAD: StaffUser = {
  id: '00000000-0000-7000-8000-000000000001',
  name: 'Lead',
  email: 'lead@hub.test',
  roles: ['partnership-lead'],
  permissions: new Set(['partnership.mailing']),
  boroughs: 'all',
}

for (const dialect of DIALECTS) {
  describe(`bulletins on ${dialect}`, () => {
    let hub: TestHub
    let sink: SmtpSink
    let worker: OutboxWorker

    before(async () => {
      ;({ hub, sink, worker } = await hubWithMail(dialect))
    })
    after(async () => {
      await hub.close()
      await sink.stop()
    })

    /** Signs up and confirms with the link from the confirmation email, as a person does. */
    async function subscriber(email: string, lists: string[]) {
      const { mailing } = hub.partnership
      await mailing.signUp(CTX, { email, lists, wording: 'Test wording' })
      await worker.runOnce(100)
      const mail = sink.messages.filter((m) => m.to.includes(email)).at(-1)
      const token = /\/subscribe\/confirm\/(\S+)/.exec(mail?.text ?? '')?.[1]
      assert.ok(token)
      assert.equal((await mailing.confirm(CTX, token)).state, 'ready')
    }

    const subscriberRow = (email: string) =>
      hub.database.db
        .selectFrom('mailing_subscribers')
        .selectAll()
        .where('email', '=', email)
        .executeTakeFirstOrThrow()

    test('closing minutes drafts the follow-up bulletin in the publisher’s transaction', async () => {
      const bus = new EventBus()
      const events = { publishes: ['partnership.minutes-closed'], listens: ['partnership.minutes-closed'] }
      draftBulletinsFromMinutes(bus.forModule('partnership', events), hub.partnership.bulletins)
      const publisher = bus.forModule('partnership', events)
      const minutes = {
        meetingId: '01936f3e-0000-7000-8000-000000000001',
        title: 'Partnership meeting',
        heldOn: '2027-01-14',
        decisions: ['Run a device amnesty in March'],
        publicActions: [{ text: 'Book the hall', owners: ['Age UK'], dueOn: '2027-02-01' }],
      }
      await hub.database.db
        .transaction()
        .execute((tx) => publisher.publish(tx, 'partnership.minutes-closed', minutes))
      const [draft] = await hub.partnership.bulletins.list(LEAD)
      assert.ok(draft)
      assert.equal(draft.status, 'draft')
      assert.equal(draft.meeting_id, minutes.meetingId)
      assert.match(draft.body, /- Book the hall \(Age UK, by 1 February 2027\)/)

      // A closing that fails afterwards leaves no draft behind.
      const before = (await hub.partnership.bulletins.list(LEAD)).length
      await assert.rejects(
        hub.database.db.transaction().execute(async (tx) => {
          await publisher.publish(tx, 'partnership.minutes-closed', { ...minutes, title: 'Undone' })
          throw new Error('the closing failed')
        }),
      )
      assert.equal((await hub.partnership.bulletins.list(LEAD)).length, before)
    })

    test('two sends of one draft at once: exactly one sends, each subscriber gets one email', async () => {
      await subscriber('one@example.org', ['training'])
      await subscriber('two@example.org', ['training', 'funding'])
      const id = await hub.partnership.bulletins.create(LEAD, CTX, {
        title: 'Course dates',
        body: 'Dates',
        list: 'training',
      })
      const results = await Promise.allSettled([
        hub.partnership.bulletins.send(LEAD, CTX, id),
        hub.partnership.bulletins.send(LEAD, CTX, id),
      ])
      assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected'])
      assert.equal(results.find((r) => r.status === 'fulfilled')?.value, 2)
      await worker.runOnce(100)
      assert.equal(sink.messages.filter((m) => m.headers.get('subject') === 'Course dates').length, 2)
      await assert.rejects(
        hub.partnership.bulletins.update(LEAD, CTX, id, { title: 'x', body: 'y', list: 'training' }),
      )
      assert.equal(await hub.partnership.bulletins.followDeliveries(), 2)
      const { counts } = await hub.partnership.bulletins.recipients(LEAD, id, 1)
      assert.deepEqual(counts, { sent: 2 })
    })

    test('bounces: a hard one stops sending at once; a soft one only counts, and a delivery clears it', async () => {
      await subscriber('gone@example.org', ['funding'])
      await subscriber('full@example.org', ['funding'])
      sink.refuse.set('gone@example.org', { code: 550, text: '5.1.1 No such mailbox' })
      sink.refuse.set('full@example.org', { code: 451, text: '4.2.2 Mailbox full, try later' })
      const first = await hub.partnership.bulletins.create(LEAD, CTX, {
        title: 'Grants',
        body: 'Apply',
        list: 'funding',
      })
      assert.equal(await hub.partnership.bulletins.send(LEAD, CTX, first), 3)
      await worker.runOnce(100)
      await hub.partnership.bulletins.followDeliveries()
      assert.deepEqual((await hub.partnership.bulletins.recipients(LEAD, first, 1)).counts, {
        sent: 1,
        bounced: 1,
        deferred: 1,
      })
      assert.equal((await subscriberRow('gone@example.org')).stopped_reason, 'bounced')
      const full = await subscriberRow('full@example.org')
      assert.equal(full.stopped_reason, null)
      assert.equal(full.bounce_score, 1)

      // The block passes: the next bulletin is delivered, the score clears, and the hard bounce gets nothing.
      sink.refuse.delete('full@example.org')
      const second = await hub.partnership.bulletins.create(LEAD, CTX, {
        title: 'More grants',
        body: 'Apply',
        list: 'funding',
      })
      assert.equal(await hub.partnership.bulletins.send(LEAD, CTX, second), 2)
      await worker.runOnce(100)
      await hub.partnership.bulletins.followDeliveries()
      assert.equal((await subscriberRow('full@example.org')).bounce_score, 0)
      const more = sink.messages.filter((m) => m.headers.get('subject') === 'More grants')
      assert.deepEqual(more.flatMap((m) => m.to).sort(), ['full@example.org', 'two@example.org'])
    })

    test('a complaint stops every list’s sending to that subscriber', async () => {
      const [bulletin] = (await hub.partnership.bulletins.list(LEAD)).filter((b) => b.title === 'More grants')
      assert.ok(bulletin)
      const { rows } = await hub.partnership.bulletins.recipients(LEAD, bulletin.id, 1)
      const two = rows.find((r) => r.email === 'two@example.org')
      assert.ok(two)
      await hub.partnership.bulletins.recordComplaint(LEAD, CTX, bulletin.id, two.id)
      assert.equal((await subscriberRow('two@example.org')).stopped_reason, 'complaint')
      const next = await hub.partnership.bulletins.create(LEAD, CTX, {
        title: 'Term 2',
        body: 'x',
        list: 'training',
      })
      assert.equal(await hub.partnership.bulletins.send(LEAD, CTX, next), 1)
    })

    test('without the permission nothing is shown or sent', async () => {
      const other = { ...LEAD, permissions: new Set<never>() }
      await assert.rejects(hub.partnership.bulletins.list(other), { name: 'Forbidden' })
      await assert.rejects(
        hub.partnership.bulletins.create(other, CTX, { title: 'x', body: 'y', list: 'funding' }),
        {
          name: 'Forbidden',
        },
      )
    })
  })
}
