import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { TestClient } from '#tests/support/client.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { signedInClient } from '#tests/support/users.ts'
import { CTX, lead } from './testing.ts'

const BASE = '/staff/partnership/bulletins'
const LEAD = lead(['partnership.view', 'partnership.manage', 'partnership.mailing'])

function errors(html: string): string[] {
  return [...html.matchAll(/<a href="#([^"]*)">([^<]*)<\/a>/g)].map((m) => `${m[1]}: ${m[2]}`)
}

for (const dialect of DIALECTS) {
  describe(`sending a bulletin to a meeting's attendees, by its page, on ${dialect}`, () => {
    let hub: TestHub
    let client: TestClient
    let meetingId: string

    before(async () => {
      hub = await testHub(dialect)
      client = (await signedInClient(hub, { roles: ['partnership-lead'], boroughs: 'all' })).client
      const p = hub.partnership
      const org = await hub.directory.findOrCreatePartnerOrganisation({ name: 'Route Partner' }, CTX)
      const came = await p.addContact(
        LEAD,
        org.id,
        { name: 'Kim Came', role: 'Manager', email: 'kim@partner.test', phone: null },
        CTX,
      )
      meetingId = await p.createMeeting(
        LEAD,
        { title: 'Autumn meeting', heldOn: '2027-10-06', venue: 'Library', agenda: '', nextMeetingOn: null },
        CTX,
      )
      await p.addAttendee(LEAD, meetingId, { person: `contact:${came}`, attendance: 'attended' }, CTX)
      await p.saveMinutes(LEAD, meetingId, { minutes: 'We met.', nextMeetingOn: null }, CTX)
      await p.closeMinutes(LEAD, meetingId, CTX)
    })
    after(() => hub.close())

    test('the follow-up from minutes is set to go to its meeting’s attendees, and goes to them', async () => {
      const draft = (await hub.partnership.bulletins.list(LEAD)).find((b) => b.meeting_id === meetingId)
      assert.ok(draft)
      const page = await client.get(`${BASE}/${draft.id}`)
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /<input[^>]*value="attendees"[^>]*checked/)
      assert.match(page.body, /Partner contacts with an email address and staff: 1 person/)
      assert.doesNotMatch(page.body, /name="meeting"/)
      const sent = await client.post(`${BASE}/${draft.id}/send`, { audience: 'attendees' })
      assert.equal(sent.statusCode, 303)
      assert.equal(sent.headers.location, `${BASE}/${draft.id}/recipients`)
      const recipients = await client.follow(sent)
      assert.match(recipients.body, /kim@partner\.test/)
      assert.match(recipients.body, /Kim Came · Attended/)
      assert.doesNotMatch(recipients.body, /Record a complaint/)
      const after = await client.get(`${BASE}/${draft.id}`)
      assert.match(after.body, /The meeting’s attendees/)
    })

    test('a hand-written bulletin asks which meeting; no choice or no meeting is refused, answers kept', async () => {
      await client.get(`${BASE}/new`)
      const made = await client.post(`${BASE}/new`, { title: 'Papers', body: 'The papers', list: 'funding' })
      const path = String(made.headers.location)
      const page = await client.get(path)
      assert.match(page.body, /<input[^>]*value="list"[^>]*checked/)
      assert.match(page.body, new RegExp(`<option value="${meetingId}">Autumn meeting, 6 October 2027`))

      const none = await client.post(`${path}/send`, {})
      assert.equal(none.statusCode, 400)
      assert.deepEqual(errors(none.body), ['audience: Select who should get the bulletin'])

      const noMeeting = await client.post(`${path}/send`, {
        audience: 'attendees-and-apologies',
        meeting: '',
      })
      assert.equal(noMeeting.statusCode, 400)
      assert.deepEqual(errors(noMeeting.body), [
        'meeting: Select the meeting whose attendees should get the bulletin',
      ])
      assert.match(noMeeting.body, /<input[^>]*value="attendees-and-apologies"[^>]*checked/)
      assert.equal((await hub.partnership.bulletins.get(LEAD, path.split('/').at(-1) ?? '')).status, 'draft')

      const sent = await client.post(`${path}/send`, { audience: 'attendees', meeting: meetingId })
      assert.equal(sent.statusCode, 303)
      assert.match((await client.follow(sent)).body, /kim@partner\.test/)
    })
  })
}
