/**
 * The volunteers' part of the staff home: what waits for the coordinator of the borough, counted on both
 * databases, and nothing of it for another borough's coordinator or for someone who may not see checks.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { StaffUser } from '#platform/access.ts'
import { addDays, londonToday } from '#platform/london.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { boroughId, signedInClient } from '#tests/support/users.ts'
import { activeVolunteer, apply, CTX, staffIn } from './testing.ts'

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')

for (const kind of DIALECTS) {
  describe(`the volunteers on the staff home (${kind})`, () => {
    let hub: TestHub
    before(async () => {
      hub = await testHub(kind)
    })
    after(() => hub.close())

    test('the coordinator sees applications waiting, checks lapsing, hours to approve and shifts short of helpers', async () => {
      const today = londonToday()
      const rbkc = await boroughId(hub, 'rbkc')
      await apply(hub, rbkc)
      await apply(hub, rbkc, { name: { name: 'Second Applicant' } })
      await activeVolunteer(hub, 'rbkc', 'Fine Check', { renewsOn: addDays(today, 300) })
      const soon = await activeVolunteer(hub, 'rbkc', 'Soon Lapsing', { renewsOn: addDays(today, 10) })
      const self: StaffUser = {
        id: soon.account.id,
        name: 'Soon Lapsing',
        email: soon.account.email,
        roles: ['volunteer'],
        permissions: new Set(['volunteers.own']),
        boroughs: [rbkc],
      }
      await hub.volunteers.hours.addOwn(
        self,
        { workedOn: addDays(today, -1), hours: 2, place: 'Chelsea Library', what: 'Job club' },
        CTX,
      )
      const shift = {
        borough: rbkc,
        title: 'Tablet drop-in',
        place: 'Brompton Library',
        start: '10:00',
        end: '12:00',
        places: 2,
        checkNeeded: 'none' as const,
        courses: [],
      }
      await hub.volunteers.rota.createShift(staffIn([rbkc]), { ...shift, date: addDays(today, 3) }, CTX)
      await hub.volunteers.rota.createShift(staffIn([rbkc]), { ...shift, date: addDays(today, 20) }, CTX)

      const coordinator = await signedInClient(hub, { roles: ['volunteer-coordinator'], boroughs: ['rbkc'] })
      const page = await coordinator.client.get('/staff')
      assert.equal(page.statusCode, 200)
      const words = text(page.body)
      assert.match(words, /2 applications waiting for an answer/)
      assert.match(words, /1 active volunteer(&#39;|')s DBS check lapses within 30 days or has lapsed/)
      assert.match(words, /1 entry of volunteer hours to approve/)
      assert.match(words, /1 shift this week still needs helpers/, 'the shift in 20 days is not counted yet')
      assert.match(page.body, /href="\/staff\/volunteers\/hours"/)
      assert.match(page.body, /href="\/staff\/volunteers\/rota"/)
      assert.match(words, /Volunteers Answer applications/)

      const manager = await signedInClient(hub, { roles: ['manager'], boroughs: ['rbkc'] })
      const theirs = text((await manager.client.get('/staff')).body)
      assert.match(theirs, /2 applications waiting for an answer/)
      assert.doesNotMatch(theirs, /DBS check/, 'checks are for those who may see them')

      const westminster = await signedInClient(hub, { roles: ['volunteer-coordinator'], boroughs: ['wcc'] })
      const other = text((await westminster.client.get('/staff')).body)
      assert.doesNotMatch(other, /waiting for an answer|DBS check|hours to approve|needs helpers/)
      assert.match(other, /Volunteers Answer applications/)

      const volunteer = await signedInClient(hub, { roles: ['volunteer'], boroughs: ['rbkc'] })
      const own = await volunteer.client.get('/staff')
      assert.match(own.body, /href="\/staff\/volunteering"/)
      assert.doesNotMatch(text(own.body), /applications waiting/)
    })
  })
}
