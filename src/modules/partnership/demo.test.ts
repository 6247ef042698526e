import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { signedInClient } from '#tests/support/users.ts'
import { lead } from './testing.ts'

for (const kind of DIALECTS) {
  describe(`partnership demo data and pages (${kind})`, () => {
    let hub: TestHub
    let lines: string[]
    const pat = lead()
    before(async () => {
      hub = await testHub(kind)
      lines = await hub.seedDemo()
    })
    after(() => hub.close())

    test('partners with agreements, one lapsing, and two meetings with minutes and actions; once', async () => {
      assert.ok(lines.some((l) => l.startsWith('Partnership: 3 partners')))
      const agreements = await hub.partnership.listAgreements(pat)
      assert.equal(agreements.filter((a) => a.status === 'in-force').length, 2)
      assert.equal(agreements.filter((a) => a.lapsing).length, 1)
      const meetings = await hub.partnership.listMeetings(pat)
      assert.equal(meetings.length, 2)
      assert.equal(meetings.filter((m) => m.minutes_closed_at).length, 1)
      assert.ok((await hub.partnership.openActions(pat)).total >= 2)
      assert.deepEqual(await hub.seedDemo().then((l) => l.filter((x) => x.startsWith('Partnership'))), [
        'Partnership: demo records already there',
      ])
      const { warned } = await hub.partnership.reviewAgreements(new Date())
      assert.equal(warned, 1, 'the lapsing agreement warns the lead')
    })

    test('a partnership lead reads every page, the meeting page prints, and bad forms keep the answers', async () => {
      const { client } = await signedInClient(hub, { roles: ['partnership-lead'], boroughs: 'all' })
      const meeting = (await hub.partnership.listMeetings(pat)).find((m) => !m.minutes_closed_at)
      const agreement = (await hub.partnership.listAgreements(pat))[0]
      const harbour = await hub.directory.findOrganisation('demo-harbour-trust')
      assert.ok(meeting && agreement && harbour)
      for (const url of [
        '/staff/partnership',
        `/staff/partnership/partners/${harbour.id}`,
        `/staff/partnership/partners/${harbour.id}/agreements/new`,
        `/staff/partnership/agreements/${agreement.id}`,
        '/staff/partnership/meetings',
        '/staff/partnership/actions',
        '/staff/partnership/my-actions',
      ]) {
        const page = await client.get(url)
        assert.equal(page.statusCode, 200, url)
      }
      const page = await client.get(`/staff/partnership/meetings/${meeting.id}`)
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /Bid jointly to the winter connectivity fund/)
      assert.match(page.body, /<form class="hub-no-print"/, 'forms are left off the printed page')
      assert.match(page.body, /class="hub-print-only"/, 'the minutes print as text')

      const noOwner = await client.post(`/staff/partnership/meetings/${meeting.id}/actions`, {
        text: 'Nobody owns this',
        dueOn: '2027-05-01',
      })
      assert.equal(noOwner.statusCode, 400)
      assert.match(noOwner.body, /Choose at least one owner for the action/)
      assert.match(noOwner.body, /Nobody owns this/, 'the answer is kept')
      assert.equal(
        (await hub.partnership.getMeeting(pat, meeting.id)).actions.length,
        1,
        'nothing half-saved',
      )

      const backwards = await client.post(`/staff/partnership/partners/${harbour.id}/agreements`, {
        title: 'Backwards dates',
        purpose: 'Testing',
        purposes: 'referral',
        parties: 'Both councils',
        dataItems: 'name',
        lawfulBasis: 'Public task',
        rights: 'Ask either council',
        retention: 'One year',
        security: 'Hub only',
        startsOn: '2027-05-01',
        reviewOn: '2027-04-01',
        signedOffBy: 'DPO',
        status: 'in-force',
      })
      assert.equal(backwards.statusCode, 400)
      assert.match(backwards.body, /The review date must be the same as or after the start date/)
      assert.match(backwards.body, /Backwards dates/)
      assert.ok(!(await hub.partnership.listAgreements(pat)).some((a) => a.title === 'Backwards dates'))
    })

    test("the demo partner referrer's list is shared under Harbour Street's agreement", async () => {
      const harbour = await hub.directory.findOrganisation('demo-harbour-trust')
      assert.ok(harbour)
      const { client } = await signedInClient(hub, {
        roles: ['partner-referrer'],
        boroughs: ['wcc'],
        organisationId: harbour.id,
      })
      assert.equal((await client.get('/staff/my-referrals')).statusCode, 200)
      const agreement = (await hub.partnership.getPartner(pat, harbour.id)).agreements[0]
      assert.ok(agreement)
      assert.equal((await hub.partnership.getAgreement(pat, agreement.id)).disclosureCount, 1)
    })
  })
}
