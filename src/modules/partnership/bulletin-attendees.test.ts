import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { StaffUser } from '#platform/access.ts'
import { Conflict, Invalid } from '#platform/errors.ts'
import type { OutboxWorker } from '#platform/notify.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import type { TestHub } from '#tests/support/hub.ts'
import { hubWithMail } from '#tests/support/mail-hub.ts'
import type { SmtpSink } from '#tests/support/smtp-sink.ts'
import { createStaff } from '#tests/support/users.ts'
import { CTX, lead } from './testing.ts'

const LEAD: StaffUser = lead(['partnership.view', 'partnership.manage', 'partnership.mailing'])

for (const dialect of DIALECTS) {
  describe(`a bulletin to a meeting's attendees on ${dialect}`, () => {
    let hub: TestHub
    let sink: SmtpSink
    let worker: OutboxWorker
    let meetingId: string
    let staffEmail: string

    before(async () => {
      ;({ hub, sink, worker } = await hubWithMail(dialect))
      const p = hub.partnership
      const org = await hub.directory.findOrCreatePartnerOrganisation({ name: 'Attending Partner' }, CTX)
      const contact = (name: string, email: string | null) =>
        p.addContact(LEAD, org.id, { name, role: 'Manager', email, phone: null }, CTX)
      const came = await contact('Robin Came', 'Robin@Partner.test')
      const noEmail = await contact('Ola Nomail', null)
      const sorry = await contact('Sasha Sorry', 'sasha@partner.test')
      const staff = await createStaff(hub, {
        roles: ['partnership-lead'],
        boroughs: 'all',
        name: 'Sam Staff',
      })
      staffEmail = staff.email
      // A member of staff who attended but whose account is disabled since: no bulletin.
      const gone = await createStaff(hub, { roles: ['partnership-lead'], boroughs: 'all', name: 'Dee Gone' })
      meetingId = await p.createMeeting(
        LEAD,
        { title: 'Spring meeting', heldOn: '2027-03-03', venue: 'Library', agenda: '', nextMeetingOn: null },
        CTX,
      )
      for (const [person, attendance] of [
        [`contact:${came}`, 'attended'],
        [`contact:${noEmail}`, 'attended'],
        [`user:${staff.id}`, 'attended'],
        [`user:${gone.id}`, 'attended'],
        [`contact:${sorry}`, 'apologies'],
      ] as const)
        await p.addAttendee(LEAD, meetingId, { person, attendance }, CTX)
      await hub.accounts.setDisabled(lead(['users.manage']), gone.id, true, CTX)
      await p.addDecision(LEAD, meetingId, 'Run a device amnesty', CTX)
      await p.saveMinutes(LEAD, meetingId, { minutes: 'We met.', nextMeetingOn: null }, CTX)
      await p.closeMinutes(LEAD, meetingId, CTX)
    })
    after(async () => {
      await hub.close()
      await sink.stop()
    })

    const draftOf = async (id: string) => {
      const found = (await hub.partnership.bulletins.list(LEAD)).find((b) => b.meeting_id === id)
      assert.ok(found, 'closing the minutes drafted a bulletin')
      return found
    }

    test('attendees with an address get it, without List-Unsubscribe but with why they got it', async () => {
      const draft = await draftOf(meetingId)
      const choices = await hub.partnership.bulletins.sendChoices(LEAD, draft)
      assert.deepEqual([choices.attended, choices.withApologies], [2, 3])
      assert.equal(await hub.partnership.bulletins.send(LEAD, CTX, draft.id, { audience: 'attendees' }), 2)
      await assert.rejects(
        hub.partnership.bulletins.send(LEAD, CTX, draft.id, { audience: 'attendees' }),
        Conflict,
      )
      await worker.runOnce(100)
      const mails = sink.messages.filter((m) => m.headers.get('subject') === draft.title)
      assert.deepEqual(mails.map((m) => m.to.join()).sort(), ['robin@partner.test', staffEmail].sort())
      for (const mail of mails) {
        assert.equal(mail.headers.get('list-unsubscribe'), undefined)
        assert.equal(mail.headers.get('list-unsubscribe-post'), undefined)
        assert.match(
          mail.text,
          /You get this because you attended the partnership meeting "Spring meeting" on 3 March 2027/,
        )
        assert.match(
          mail.text,
          /not through a mailing list\. For the partnership's news, sign up at http\S+\/subscribe/,
        )
        assert.doesNotMatch(mail.text, /Unsubscribe/)
      }
      assert.equal(await hub.partnership.bulletins.followDeliveries(), 2)
      const { counts, rows, toList } = await hub.partnership.bulletins.recipients(LEAD, draft.id, 1)
      assert.equal(toList, false)
      assert.deepEqual(counts, { sent: 2 })
      assert.deepEqual(
        rows.map((r) => r.attendance),
        ['attended', 'attended'],
      )
      const sent = await hub.partnership.bulletins.get(LEAD, draft.id)
      assert.equal(sent.audience, 'attendees')
      assert.equal(sent.audience_meeting_id, meetingId)
    })

    test('"attendees and apologies" reaches those who sent apologies, saying so; a refusal is followed', async () => {
      const id = await hub.partnership.bulletins.create(LEAD, CTX, {
        title: 'Papers for the spring meeting',
        body: 'The papers',
        list: 'partners-news',
      })
      await assert.rejects(
        hub.partnership.bulletins.send(LEAD, CTX, id, { audience: 'attendees' }),
        (e: unknown) => e instanceof Invalid && e.field === 'meeting',
      )
      sink.refuse.set('sasha@partner.test', { code: 550, text: '5.1.1 No such mailbox' })
      assert.equal(
        await hub.partnership.bulletins.send(LEAD, CTX, id, {
          audience: 'attendees-and-apologies',
          meetingId,
        }),
        3,
      )
      await worker.runOnce(100)
      const sorry = sink.messages.find(
        (m) =>
          m.to.includes('sasha@partner.test') && m.headers.get('subject') === 'Papers for the spring meeting',
      )
      assert.equal(sorry, undefined, 'the sink refused it')
      await hub.partnership.bulletins.followDeliveries()
      const { counts } = await hub.partnership.bulletins.recipients(LEAD, id, 1)
      assert.deepEqual(counts, { sent: 2, bounced: 1 })
      const outbox = await hub.platform.outbox.list({ scope: null, limit: 50, offset: 0 })
      const apologies = outbox.rows.find(
        (r) => r.recipient === 'sasha@partner.test' && r.template === 'partnership-bulletin-attendees',
      )
      assert.equal(apologies?.personalisation_json.attendance, 'apologies')
    })

    test('a complaint the provider reports about an attendee stops the next bulletin to them', async () => {
      const applied = await hub.partnership.mailReports.apply(
        [{ email: 'robin@partner.test', type: 'complaint', at: '2027-03-10T09:00:00Z' }],
        'webhook',
        CTX,
      )
      assert.deepEqual(applied, { applied: 1, repeated: 0, unknown: 0 })
      const id = await hub.partnership.bulletins.create(LEAD, CTX, {
        title: 'Again',
        body: 'x',
        list: 'funding',
      })
      assert.equal(
        await hub.partnership.bulletins.send(LEAD, CTX, id, { audience: 'attendees', meetingId }),
        1,
      )
      const { rows } = await hub.partnership.bulletins.recipients(LEAD, id, 1)
      assert.deepEqual(
        rows.map((r) => r.email),
        [staffEmail],
      )
    })
  })
}
