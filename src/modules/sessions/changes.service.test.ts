import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { StaffUser } from '#platform/access.ts'
import { newId } from '#platform/ids.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { createStaff } from '#tests/support/users.ts'
import { CTX } from '../referrals/testing.ts'
import type { DateChange, SeriesChange } from './changes.service.ts'
import type { NewBooking, NewSession } from './session.service.ts'
import { bookingAnswers, sessionsStaff } from './testing.ts'

const YEAR = new Date().getUTCFullYear() + 1

const resident = (n: number, overrides: Partial<NewBooking> = {}) =>
  bookingAnswers(`Resident ${n}`, { email: `changes${n}@example.org`, ...overrides })

for (const dialect of DIALECTS) {
  describe(`changing sessions on ${dialect}`, () => {
    let hub: TestHub
    let officer: StaffUser
    let libraries: { id: string; name: string }[]
    let rbkc: string

    before(async () => {
      hub = await testHub(dialect)
      rbkc = (await hub.sessions.boroughs()).find((b) => b.code === 'rbkc')?.id as string
      libraries = (await hub.directory.listLibraries()).filter((l) => l.borough_id === rbkc)
      officer = sessionsStaff([rbkc])
    })
    after(() => hub.close())

    async function series(overrides: Partial<NewSession['rule']> = {}) {
      const id = await hub.sessions.createSession(
        officer,
        {
          boroughId: rbkc,
          kind: 'drop-in',
          title: 'Phone clinic',
          description: '',
          venue: 'place',
          locationId: libraries[0]?.id as string,
          serviceCode: null,
          onlineLink: null,
          language: 'English',
          whatToBring: null,
          capacity: 2,
          facilitators: [],
          rule: {
            start: `${YEAR}-03-02`,
            startTime: '10:00',
            endTime: '12:00',
            byDay: ['TU'],
            count: 6,
            exdates: [],
            ...overrides,
          },
        },
        CTX,
      )
      const { occurrences } = await hub.sessions.staffSession(officer, id)
      return { id, dates: occurrences.map((o) => o.id) }
    }

    const sent = (template: string) =>
      hub.database.db
        .selectFrom('outbox')
        .select('recipient')
        .where('template', '=', template)
        .orderBy('recipient')
        .execute()
        .then((rows) => rows.map((r) => r.recipient))

    function change(overrides: Partial<DateChange> = {}): DateChange {
      return {
        date: `${YEAR}-03-03`,
        startTime: '14:00',
        endTime: '16:00',
        locationId: libraries[1]?.id ?? null,
        capacity: 3,
        facilitatorId: null,
        cancel: false,
        reason: 'The library is closed for a training day',
        ...overrides,
      }
    }

    test('one date moves to another day, time and library: those booked are told on safe channels, the reason kept and audited', async () => {
      const { id, dates } = await series()
      const date = dates[0] as string
      const a = await hub.sessions.book({ occurrenceId: date, ...resident(1) }, CTX)
      await hub.sessions.book({ occurrenceId: date, ...resident(2, { canEmail: false }) }, CTX)
      const waiting = await hub.sessions.book({ occurrenceId: date, ...resident(3) }, CTX)
      assert.equal(waiting.status, 'waiting')

      await hub.sessions.changeDate(officer, date, change(), CTX)
      const { occurrence } = await hub.sessions.register(officer, date, CTX)
      assert.equal(occurrence.starts_at, `${YEAR}-03-03T14:00:00.000Z`)
      assert.equal(occurrence.location_id, libraries[1]?.id)
      assert.equal(occurrence.original_date, `${YEAR}-03-02`, 'the date keeps its name (RECURRENCE-ID)')
      assert.equal(occurrence.change_note, 'The library is closed for a training day')
      // A third place: the first on the waiting list is offered it.
      assert.equal(
        (await hub.sessions.mine(waiting.reference, 'changes3@example.org')).booking.status,
        'offered',
      )
      assert.deepEqual(await sent('sessions-date-changed'), ['changes1@example.org'])
      const mine = await hub.sessions.mine(a.reference, 'changes1@example.org')
      assert.equal(mine.occurrence.starts_at, `${YEAR}-03-03T14:00:00.000Z`)

      const kept = await hub.sessions.seriesToEdit(officer, id)
      assert.equal(kept.changes[0]?.reason, 'The library is closed for a training day')
      assert.deepEqual(kept.changes[0]?.fields_json, ['time', 'place', 'capacity'])
      const audited = await hub.database.db
        .selectFrom('audit_events')
        .select('record_id')
        .where('action', '=', 'sessions.date-changed')
        .execute()
      assert.deepEqual(audited, [{ record_id: date }])
    })

    test('fewer places than are booked, a skipped time, a past day and nothing changed are refused; nothing is saved', async () => {
      const { dates } = await series({ start: `${YEAR}-03-23` })
      const date = dates[0] as string
      await hub.sessions.book({ occurrenceId: date, ...resident(4) }, CTX)
      await hub.sessions.book({ occurrenceId: date, ...resident(5) }, CTX)
      const refusals: [Partial<DateChange>, RegExp][] = [
        [{ capacity: 1 }, /capacityBelowBooked/],
        // 01:30 on the last Sunday of March does not exist in London.
        [{ date: `${YEAR}-03-28`, startTime: '01:30', endTime: '02:30' }, /skippedTime/],
        [{ date: `${YEAR - 2}-03-23` }, /errors\.past/],
        [{ date: `${YEAR}-02-31` }, /dateMissing/],
        [{ startTime: '12:00', endTime: '11:00' }, /endBeforeStart/],
        [{ facilitatorId: newId() }, /errors\.facilitator/],
        [
          {
            date: `${YEAR}-03-23`,
            startTime: '10:00',
            endTime: '12:00',
            locationId: libraries[0]?.id ?? null,
            capacity: 2,
          },
          /nothingChanged/,
        ],
      ]
      for (const [overrides, message] of refusals)
        await assert.rejects(hub.sessions.changeDate(officer, date, change(overrides), CTX), message)
      const { occurrence } = await hub.sessions.register(officer, date, CTX)
      assert.equal(occurrence.capacity, 2)
      assert.equal(occurrence.change_note, null)
    })

    test('a cancelled date: everyone booked or waiting is cancelled and told; the date can no longer be booked', async () => {
      const { dates } = await series({ start: `${YEAR}-04-06` })
      const date = dates[0] as string
      const a = await hub.sessions.book({ occurrenceId: date, ...resident(6) }, CTX)
      await hub.sessions.changeDate(officer, date, change({ cancel: true, reason: 'Staff training' }), CTX)
      assert.equal((await hub.sessions.mine(a.reference, 'changes6@example.org')).booking.status, 'cancelled')
      assert.deepEqual(await sent('sessions-date-cancelled'), ['changes6@example.org'])
      await assert.rejects(
        hub.sessions.book({ occurrenceId: date, ...resident(7) }, CTX),
        /sessions\.errors\.cancelled/,
      )
    })

    test('a series changes from now on: dates changed one by one keep theirs; a facilitator of the borough; too few places refused', async () => {
      const { id, dates } = await series({ start: `${YEAR}-05-04` })
      const coordinator = await createStaff(hub, { roles: ['volunteer-coordinator'], boroughs: ['rbkc'] })
      const outsider = await createStaff(hub, { roles: ['volunteer-coordinator'], boroughs: ['wcc'] })
      await hub.sessions.changeDate(officer, dates[1] as string, change({ date: `${YEAR}-05-12` }), CTX)
      await hub.sessions.book({ occurrenceId: dates[2] as string, ...resident(8) }, CTX)
      await hub.sessions.book({ occurrenceId: dates[2] as string, ...resident(9) }, CTX)
      const input: SeriesChange = {
        title: 'Phone and tablet clinic',
        locationId: libraries[0]?.id ?? null,
        capacity: 4,
        startTime: '13:00',
        endTime: '15:00',
        facilitatorId: coordinator.id,
        reason: 'Afternoons suit more people',
      }
      await assert.rejects(
        hub.sessions.changeSeries(officer, id, { ...input, capacity: 1 }, CTX),
        /capacityBelowBooked/,
      )
      await assert.rejects(
        hub.sessions.changeSeries(officer, id, { ...input, facilitatorId: outsider.id }, CTX),
        /errors\.facilitator/,
      )
      await hub.sessions.changeSeries(officer, id, input, CTX)
      const { session, occurrences } = await hub.sessions.staffSession(officer, id)
      assert.equal(session.title, 'Phone and tablet clinic')
      assert.match(session.recurrence, /DTSTART;TZID=Europe\/London:\d{8}T130000/)
      assert.deepEqual(
        occurrences.map((o) => o.starts_at.slice(5, 16)),
        ['05-04T12:00', '05-12T13:00', '05-18T12:00', '05-25T12:00', '06-01T12:00', '06-08T12:00'],
      )
      assert.deepEqual(await sent('sessions-series-changed'), [
        'changes8@example.org',
        'changes9@example.org',
      ])
      const edit = await hub.sessions.seriesToEdit(officer, id)
      assert.equal(edit.facilitatorId, coordinator.id)
      assert.ok(edit.facilitators.some((f) => f.id === coordinator.id))
      assert.ok(!edit.facilitators.some((f) => f.id === outsider.id))
    })

    test("the other borough's series and dates answer not found", async () => {
      const { id, dates } = await series({ start: `${YEAR}-06-01` })
      const other = { ...officer, boroughs: ['not-this-one'] }
      await assert.rejects(hub.sessions.seriesToEdit(other, id), { name: 'NotFound' })
      await assert.rejects(hub.sessions.changeDate(other, dates[0] as string, change(), CTX), {
        name: 'NotFound',
      })
    })
  })
}
