import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { signedInClient } from '#tests/support/users.ts'
import { CTX } from '../referrals/testing.ts'
import { bookingAnswers, sessionsStaff } from './testing.ts'
import { mondayOf } from './week.service.ts'

const YEAR = new Date().getUTCFullYear() + 1

test('a week begins on the Monday, across a month and a year', () => {
  assert.equal(mondayOf('2027-03-31'), '2027-03-29')
  assert.equal(mondayOf('2027-03-29'), '2027-03-29')
  assert.equal(mondayOf('2028-01-02'), '2027-12-27')
})

for (const dialect of DIALECTS) {
  describe(`the week at a library on ${dialect}`, () => {
    let hub: TestHub
    let library: { id: string; name: string }
    let other: { id: string; name: string }

    before(async () => {
      hub = await testHub(dialect)
      const boroughs = await hub.sessions.boroughs()
      const rbkc = boroughs.find((b) => b.code === 'rbkc')?.id as string
      const wcc = boroughs.find((b) => b.code === 'wcc')?.id as string
      const libraries = await hub.directory.listLibraries()
      library = libraries.find((l) => l.borough_id === rbkc) as typeof library
      other = libraries.find((l) => l.borough_id === wcc) as typeof other
      const manager = sessionsStaff('all', ['sessions.view', 'sessions.manage', 'sessions.book'])
      const make = async (boroughId: string, locationId: string, title: string, capacity: number) => {
        const id = await hub.sessions.createSession(
          manager,
          {
            boroughId,
            kind: 'drop-in',
            title,
            description: '',
            venue: 'place',
            locationId,
            serviceCode: null,
            onlineLink: null,
            language: 'English',
            whatToBring: null,
            capacity,
            facilitators: [],
            // Monday and Wednesday, the week the clocks go forward.
            rule: {
              start: `${YEAR}-03-22`,
              startTime: '10:00',
              endTime: '11:30',
              byDay: ['MO', 'WE'],
              count: 2,
              exdates: [],
            },
          },
          CTX,
        )
        return (await hub.sessions.staffSession(manager, id)).occurrences
      }
      const [monday] = await make(rbkc, library.id, 'Monday tablets', 1)
      await make(wcc, other.id, 'Westminster only', 5)
      for (const n of [1, 2])
        await hub.sessions.book(
          {
            occurrenceId: monday?.id as string,
            ...bookingAnswers(`Walk-in ${n}`, { email: null, canEmail: false }),
          },
          CTX,
        )
    })
    after(() => hub.close())

    test("each day of a library's week with places, booked and waiting; weeks before and after; the other borough's library is not offered", async () => {
      const { client } = await signedInClient(hub, { roles: ['volunteer'], boroughs: ['rbkc'] })
      const page = await client.get(`/staff/sessions/week?place=${library.id}&week=${YEAR}-03-24`)
      assert.equal(page.statusCode, 200)
      assert.match(page.body, new RegExp(`Week beginning Monday 22 March ${YEAR}`))
      const text = page.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')
      assert.match(
        text,
        new RegExp(
          `Monday 22 March ${YEAR} 10am to 11:30am: Monday tablets 1 of 1 places booked · 1 waiting`,
        ),
      )
      assert.match(text, new RegExp(`Tuesday 23 March ${YEAR} No sessions`))
      assert.match(
        text,
        /Wednesday 24 March \d{4} 10am to 11:30am: Monday tablets 0 of 1 places booked · 0 waiting/,
      )
      assert.match(
        page.body,
        new RegExp(`href="/staff/sessions/week\\?place=${library.id}&amp;week=${YEAR}-03-15"`),
      )
      assert.match(
        page.body,
        new RegExp(`href="/staff/sessions/week\\?place=${library.id}&amp;week=${YEAR}-03-29"`),
      )
      assert.doesNotMatch(page.body, new RegExp(other.name))

      // Asking for the other borough's library shows one of the caller's own instead.
      const theirs = await client.get(`/staff/sessions/week?place=${other.id}&week=${YEAR}-03-24`)
      assert.equal(theirs.statusCode, 200)
      assert.doesNotMatch(theirs.body, /Westminster only/)
    })
  })
}
