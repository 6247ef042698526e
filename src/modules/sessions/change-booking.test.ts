import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { TestClient } from '#tests/support/client.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { CTX } from '../referrals/testing.ts'
import type { SessionKind } from './session.ts'
import { bookingAnswers, sessionsStaff } from './testing.ts'

const YEAR = new Date().getUTCFullYear() + 1

const resident = (n: number) => bookingAnswers(`Mover ${n}`, { email: `mover${n}@example.org` })

function errors(html: string): string[] {
  return [...html.matchAll(/<a href="#[^"]*">([^<]*)<\/a>/g)].map((m) => m[1] as string)
}

for (const dialect of DIALECTS) {
  describe(`a resident changes their booking on ${dialect}`, () => {
    let hub: TestHub
    const manager = sessionsStaff('all', ['sessions.view', 'sessions.manage'])

    before(async () => {
      hub = await testHub(dialect)
    })
    after(() => hub.close())

    async function series(kind: SessionKind, start: string) {
      const rbkc = (await hub.sessions.boroughs()).find((b) => b.code === 'rbkc')?.id as string
      const id = await hub.sessions.createSession(
        manager,
        {
          boroughId: rbkc,
          kind,
          title: `Tablet help ${start}`,
          description: '',
          venue: 'online',
          locationId: null,
          serviceCode: null,
          onlineLink: 'https://meet.example.org/tablets',
          language: 'English',
          whatToBring: null,
          capacity: 1,
          facilitators: [],
          rule: { start, startTime: '10:00', endTime: '11:00', byDay: ['TH'], count: 3, exdates: [] },
        },
        CTX,
      )
      return (await hub.sessions.staffSession(manager, id)).occurrences.map((o) => o.id)
    }

    test('to a date with a place: booked there, and the place given up goes to the first waiting', async () => {
      const [first, second, third] = await series('drop-in', `${YEAR}-01-07`)
      const a = await hub.sessions.book({ occurrenceId: first as string, ...resident(1) }, CTX)
      const b = await hub.sessions.book({ occurrenceId: first as string, ...resident(2) }, CTX)
      await hub.sessions.book({ occurrenceId: third as string, ...resident(3) }, CTX)
      assert.equal(b.status, 'waiting')

      const { dates } = await hub.sessions.otherDates(a.reference, 'mover1@example.org')
      assert.deepEqual(
        dates.map((d) => [d.id, d.left]),
        [
          [second, 1],
          [third, 0],
        ],
      )
      await assert.rejects(
        hub.sessions.changeBooking(a.reference, 'someone@else.org', second as string, CTX),
        /notTheirs/,
      )
      await assert.rejects(
        hub.sessions.changeBooking(a.reference, 'mover1@example.org', first as string, CTX),
        /otherDateMissing/,
      )
      const [elsewhere] = await series('drop-in', `${YEAR}-02-04`)
      await assert.rejects(
        hub.sessions.changeBooking(a.reference, 'mover1@example.org', elsewhere as string, CTX),
        /otherDateMissing/,
      )

      const moved = await hub.sessions.changeBooking(a.reference, 'mover1@example.org', second as string, CTX)
      assert.equal(moved.status, 'booked')
      const mine = await hub.sessions.mine(a.reference, 'mover1@example.org')
      assert.equal(mine.occurrence.id, second)
      assert.equal((await hub.sessions.mine(b.reference, 'mover2@example.org')).booking.status, 'offered')
      const counts = (await hub.sessions.staffSession(manager, mine.occurrence.session_id)).occurrences.map(
        (o) => o.booked,
      )
      assert.deepEqual(counts, [1, 1, 1], 'the offer holds the freed place; the new date has one')

      // To a full date: the waiting list there, and the place held goes on.
      const full = await hub.sessions.changeBooking(a.reference, 'mover1@example.org', third as string, CTX)
      assert.equal(full.status, 'waiting')
      const after = (await hub.sessions.staffSession(manager, mine.occurrence.session_id)).occurrences
      assert.deepEqual(
        after.map((o) => o.booked),
        [1, 0, 1],
      )
      const audited = await hub.database.db
        .selectFrom('audit_events')
        .select('id')
        .where('action', '=', 'sessions.booking-changed')
        .execute()
      assert.equal(audited.length, 2)
    })

    test('a course is booked for all its weeks and cannot move to one of them', async () => {
      const [first, second] = await series('course', `${YEAR}-03-04`)
      const a = await hub.sessions.book({ occurrenceId: first as string, ...resident(4) }, CTX)
      await assert.rejects(
        hub.sessions.changeBooking(a.reference, 'mover4@example.org', second as string, CTX),
        /courseChange/,
      )
    })

    test('through the pages: choose another date (none chosen is refused, answers kept), then the new .ics', async () => {
      const [first, second] = await series('drop-in', `${YEAR}-04-01`)
      const made = await hub.sessions.book({ occurrenceId: first as string, ...resident(5) }, CTX)
      const reference = `${made.reference.slice(0, 4)}-${made.reference.slice(4)}`
      const client = new TestClient(hub.app, '10.0.0.9')
      await client.get('/sessions/booking')
      const found = await client.post('/sessions/booking', { reference, contact: 'mover5@example.org' })
      assert.match(found.body, /Change to another date/)
      const page = await client.post('/sessions/booking/dates', { reference, contact: 'mover5@example.org' })
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /Which date would you like instead\?/)
      assert.match(page.body, new RegExp(`value="${second}"`))
      const refused = await client.post('/sessions/booking/change', {
        reference,
        contact: 'mover5@example.org',
      })
      assert.equal(refused.statusCode, 400)
      assert.deepEqual(errors(refused.body), ['Choose another date of this session'])
      assert.match(refused.body, /name="contact" value="mover5@example.org"/)
      const changed = await client.post('/sessions/booking/change', {
        reference,
        contact: 'mover5@example.org',
        occurrenceId: second as string,
      })
      assert.equal(changed.statusCode, 303)
      const confirmation = await client.follow(changed)
      assert.match(confirmation.body, /Your booking is changed/)
      assert.match(confirmation.body, /Thursday 8 April/)
      const ics = await client.get('/sessions/booked/calendar.ics')
      assert.equal(ics.statusCode, 200)
      assert.match(ics.body, new RegExp(`DTSTART:${YEAR}0408T090000Z`))
      // Long lines are folded (RFC 5545 §3.1): unfolded, the link is whole.
      assert.match(ics.body.replaceAll('\r\n ', ''), /Join at https:\/\/meet\.example\.org\/tablets/)
    })
  })
}
