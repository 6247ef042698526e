import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { StaffUser } from '#platform/access.ts'
import { newId } from '#platform/ids.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import { APP_ROOT, anotherProcess, type TestHub, testHub } from '#tests/support/hub.ts'
import { CTX, referralBody } from '../referrals/testing.ts'
import type { NewBooking, NewSession } from './session.service.ts'
import { bookingAnswers, sessionsStaff } from './testing.ts'

const CHILD = path.join(APP_ROOT, 'tests/support/session-booker.ts')
const staff = sessionsStaff
const person = (n: number, overrides: Partial<NewBooking> = {}) =>
  bookingAnswers(`Resident ${n}`, { email: `resident${n}@example.org`, ...overrides })

for (const dialect of DIALECTS) {
  describe(`sessions on ${dialect}`, () => {
    let hub: TestHub
    let rbkc: string
    let wcc: string
    let library: string
    let officer: StaffUser

    before(async () => {
      hub = await testHub(dialect)
      const boroughs = await hub.sessions.boroughs()
      rbkc = boroughs.find((b) => b.code === 'rbkc')?.id as string
      wcc = boroughs.find((b) => b.code === 'wcc')?.id as string
      library = (await hub.directory.listLibraries()).find((l) => l.borough_id === rbkc)?.id as string
      officer = staff([rbkc])
    })
    after(() => hub.close())

    function session(overrides: Partial<NewSession> = {}): NewSession {
      return {
        boroughId: rbkc,
        kind: 'drop-in',
        title: 'IT clinic',
        description: 'Help with phones and laptops',
        venue: 'place',
        locationId: library,
        serviceCode: null,
        onlineLink: null,
        language: 'English',
        whatToBring: 'Your phone',
        capacity: 2,
        facilitators: [],
        rule: {
          start: '2027-03-16',
          startTime: '10:00',
          endTime: '12:00',
          byDay: ['TU'],
          until: '2027-04-06',
          exdates: [],
        },
        ...overrides,
      }
    }

    async function firstDate(overrides: Partial<NewSession> = {}) {
      const id = await hub.sessions.createSession(officer, session(overrides), CTX)
      const { occurrences } = await hub.sessions.staffSession(officer, id)
      return occurrences[0]?.id as string
    }

    test('a weekly series makes its dates in London time across the clock change, less its exceptions', async () => {
      const id = await hub.sessions.createSession(
        officer,
        session({
          rule: {
            start: '2027-03-16',
            startTime: '10:00',
            endTime: '12:00',
            byDay: ['TU'],
            until: '2027-04-06',
            exdates: ['2027-03-30'],
          },
        }),
        CTX,
      )
      const { session: made, occurrences } = await hub.sessions.staffSession(officer, id)
      assert.deepEqual(
        occurrences.map((o) => o.starts_at),
        ['2027-03-16T10:00:00.000Z', '2027-03-23T10:00:00.000Z', '2027-04-06T09:00:00.000Z'],
      )
      assert.match(made.recurrence, /RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20270406T225900Z/)
      assert.match(made.recurrence, /EXDATE;TZID=Europe\/London:20270330T100000/)
    })

    test('bad sessions are refused and nothing is saved', async () => {
      const before = (await hub.sessions.staffList(officer)).length
      await assert.rejects(
        hub.sessions.createSession(
          officer,
          session({
            rule: {
              ...session().rule,
              start: '2027-03-28',
              startTime: '01:30',
              endTime: '03:00',
              byDay: ['SU'],
              until: '2027-03-28',
            },
          }),
          CTX,
        ),
        /sessions\.errors\.rule\.skippedTime/,
      )
      await assert.rejects(
        hub.sessions.createSession(officer, session({ rule: { ...session().rule, endTime: '09:00' } }), CTX),
        /endBeforeStart/,
      )
      await assert.rejects(
        hub.sessions.createSession(
          officer,
          session({ rule: { ...session().rule, start: '2020-01-07', until: '2020-01-07' } }),
          CTX,
        ),
        /sessions\.errors\.past/,
      )
      await assert.rejects(hub.sessions.createSession(officer, session({ boroughId: wcc }), CTX), {
        name: 'NotFound',
      })
      assert.equal((await hub.sessions.staffList(officer)).length, before)
    })

    test('booking fills the places, then the waiting list; a cancellation offers the place to the next, on safe channels only', async () => {
      const date = await firstDate()
      const a = await hub.sessions.book({ occurrenceId: date, ...person(1) }, CTX)
      const b = await hub.sessions.book({ occurrenceId: date, ...person(2) }, CTX)
      const c = await hub.sessions.book({ occurrenceId: date, ...person(3) }, CTX)
      const d = await hub.sessions.book({ occurrenceId: date, ...person(4, { canEmail: false }) }, CTX)
      assert.deepEqual([a.status, b.status, c.status, d.status], ['booked', 'booked', 'waiting', 'waiting'])
      assert.match(a.reference, /^[A-HJ-NP-Z2-9]{8}$/)

      await assert.rejects(
        hub.sessions.cancel(a.reference, 'someone@else.org', CTX),
        /sessions\.errors\.notTheirs/,
      )
      await hub.sessions.cancel(a.reference.toLowerCase(), ' RESIDENT1@example.org', CTX)
      const offered = await hub.sessions.mine(c.reference, 'resident3@example.org')
      assert.equal(offered.booking.status, 'offered')
      const messages = await hub.database.db
        .selectFrom('outbox')
        .select(['template', 'recipient'])
        .where('template', '=', 'sessions-place-offered')
        .execute()
      assert.deepEqual(messages, [{ template: 'sessions-place-offered', recipient: 'resident3@example.org' }])

      // Not taken up in time: it moves on to the next, who said no email is safe, so gets none.
      const late = new Date(Date.parse(offered.booking.offer_expires_at as string) + 60_000)
      assert.equal(await hub.sessions.expireOffers(CTX, late), 1)
      assert.equal((await hub.sessions.mine(c.reference, 'resident3@example.org')).booking.status, 'expired')
      assert.equal((await hub.sessions.mine(d.reference, 'resident4@example.org')).booking.status, 'offered')
      await assert.rejects(hub.sessions.claim(c.reference, 'resident3@example.org', CTX), /noOffer/)
      await hub.sessions.claim(d.reference, 'resident4@example.org', CTX)
      assert.equal((await hub.sessions.mine(d.reference, 'resident4@example.org')).booking.status, 'booked')
      const { occurrence } = await hub.sessions.register(officer, date, CTX)
      assert.equal(occurrence.booked, 2)
    })

    test("the directory shows the next free place of the session's service, published with the booking", async () => {
      const date = await firstDate({ serviceCode: 'it-clinic', capacity: 1 })
      const capacity = () =>
        hub.database.db
          .selectFrom('service_capacities as c')
          .innerJoin('services as s', 's.id', 'c.service_id')
          .select(['c.available', 'c.maximum'])
          .where('s.code', '=', 'it-clinic')
          .executeTakeFirstOrThrow()
      assert.deepEqual(await capacity(), { available: 1, maximum: 1 })
      const made = await hub.sessions.book({ occurrenceId: date, ...person(12) }, CTX)
      // The first date is full: the next free place is the second date's.
      assert.deepEqual(await capacity(), { available: 1, maximum: 1 })
      const { occurrences } = await hub.sessions.staffSession(
        officer,
        (await hub.sessions.register(officer, date, CTX)).occurrence.session_id,
      )
      for (const o of occurrences.slice(1))
        await hub.sessions.book({ occurrenceId: o.id, ...person(13) }, CTX)
      assert.deepEqual(await capacity(), { available: 0, maximum: null })
      await hub.sessions.cancel(made.reference, 'resident12@example.org', CTX)
      assert.deepEqual(await capacity(), { available: 1, maximum: 1 })
    })

    test('staff move people up and down the waiting list with a reason; the next freed place goes to the first', async () => {
      const date = await firstDate({ capacity: 1 })
      const first = await hub.sessions.book({ occurrenceId: date, ...person(400) }, CTX)
      await hub.sessions.book({ occurrenceId: date, ...person(401) }, CTX)
      const urgent = await hub.sessions.book({ occurrenceId: date, ...person(402) }, CTX)
      await hub.sessions.book({ occurrenceId: date, ...person(403) }, CTX)
      const { bookings } = await hub.sessions.register(officer, date, CTX)
      const id = (n: number) => bookings.find((b) => b.name === `Resident ${n}`)?.id as string
      const urgentId = id(402)
      const move = (n: number, direction: 'up' | 'down', reason = 'x') =>
        hub.sessions.moveOnList(officer, { occurrenceId: date, bookingId: id(n), direction, reason }, CTX)
      const order = async () =>
        (await hub.sessions.register(officer, date, CTX)).bookings
          .filter((b) => b.status === 'waiting')
          .map((b) => b.name.replace('Resident ', ''))
      await assert.rejects(move(401, 'up'), /alreadyFirst/)
      await assert.rejects(move(403, 'down'), /alreadyLast/)
      await move(402, 'up', 'Hospital discharge next week')
      assert.deepEqual(await order(), ['402', '401', '403'])
      await move(401, 'down', 'Asked to wait until after the school holidays')
      assert.deepEqual(await order(), ['402', '403', '401'])
      const reasons = await hub.database.db
        .selectFrom('help_session_bookings')
        .select(['name', 'moved_reason'])
        .where('id', 'in', [id(401), id(402)])
        .orderBy('name')
        .execute()
      assert.deepEqual(
        reasons.map((r) => r.moved_reason),
        ['Asked to wait until after the school holidays', 'Hospital discharge next week'],
      )
      await hub.sessions.cancel(first.reference, 'resident400@example.org', CTX)
      assert.equal(
        (await hub.sessions.mine(urgent.reference, 'resident402@example.org')).booking.status,
        'offered',
      )
      const audit = await hub.database.db
        .selectFrom('audit_events')
        .select('action')
        .where('record_id', '=', urgentId)
        .where('action', '=', 'sessions.waiting-list-reordered')
        .execute()
      assert.equal(audit.length, 1)
    })

    test('reminders go the day before, once, and only on the channels the person said are safe', async () => {
      const date = await firstDate({ capacity: 3 })
      await hub.sessions.book({ occurrenceId: date, ...person(600) }, CTX)
      await hub.sessions.book({ occurrenceId: date, ...person(601, { canEmail: false }) }, CTX)
      await hub.sessions.book(
        {
          occurrenceId: date,
          ...person(602, { email: null, phone: '07700 900602', canEmail: false, canText: true }),
        },
        CTX,
      )
      // The date is set to start 24 hours from now: inside the reminder window.
      const starts = new Date(Date.now() + 24 * 3_600_000).toISOString()
      await hub.database.db
        .updateTable('help_session_occurrences')
        .set({ starts_at: starts })
        .where('id', '=', date)
        .execute()
      // In batches of two: the three go in two transactions.
      assert.equal(await hub.sessions.sendReminders(500, 2), 3)
      assert.equal(await hub.sessions.sendReminders(), 0)
      const sent = await hub.database.db
        .selectFrom('outbox')
        .select(['channel', 'recipient'])
        .where('template', '=', 'sessions-reminder')
        .where('recipient', 'in', ['resident600@example.org', 'resident601@example.org', '07700 900602'])
        .orderBy('channel')
        .execute()
      assert.deepEqual(sent, [
        { channel: 'email', recipient: 'resident600@example.org' },
        { channel: 'sms', recipient: '07700 900602' },
      ])
    })

    test('a coding club needs a parent or carer and their consent', async () => {
      const date = await firstDate({ kind: 'coding-club' })
      await assert.rejects(hub.sessions.book({ occurrenceId: date, ...person(5) }, CTX), /carerMissing/)
      await assert.rejects(
        hub.sessions.book(
          { occurrenceId: date, ...person(5, { carerName: 'Parent', carerContact: '07700900111' }) },
          CTX,
        ),
        /consentMissing/,
      )
      const ok = await hub.sessions.book(
        {
          occurrenceId: date,
          ...person(5, { carerName: 'Parent', carerContact: '07700900111', carerConsent: true }),
        },
        CTX,
      )
      assert.equal(ok.status, 'booked')
    })

    test('the online link is shown only to someone holding a place', async () => {
      const date = await firstDate({
        venue: 'online',
        locationId: null,
        onlineLink: 'https://meet.example.org/x',
        capacity: 1,
      })
      assert.equal('online_link' in (await hub.sessions.publicOccurrence(date)), false)
      const a = await hub.sessions.book({ occurrenceId: date, ...person(6) }, CTX)
      const b = await hub.sessions.book({ occurrenceId: date, ...person(7) }, CTX)
      assert.equal(
        (await hub.sessions.mine(a.reference, 'resident6@example.org')).occurrence.online_link,
        'https://meet.example.org/x',
      )
      assert.equal(
        (await hub.sessions.mine(b.reference, 'resident7@example.org')).occurrence.online_link,
        null,
      )
    })

    test('two people asking at once for the last place: exactly one gets it', async () => {
      const date = await firstDate({ capacity: 1 })
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          hub.sessions.book({ occurrenceId: date, ...person(100 + i) }, CTX),
        ),
      )
      assert.equal(results.filter((r) => r.status === 'booked').length, 1)
      assert.equal(results.filter((r) => r.status === 'waiting').length, 7)
    })

    test('two processes at once for the last place: exactly one gets it', async () => {
      const date = await firstDate({ capacity: 1 })
      if (dialect === 'postgres') {
        // Another app on its own connections; on SQLite one Node process cannot hold two writers at once.
        const other = await anotherProcess(hub)
        try {
          const results = await Promise.all(
            Array.from({ length: 6 }, (_, i) =>
              (i % 2 ? other : hub).sessions.book({ occurrenceId: date, ...person(200 + i) }, CTX),
            ),
          )
          assert.equal(results.filter((r) => r.status === 'booked').length, 1)
        } finally {
          await other.close()
        }
        return
      }
      const child = (first: number) =>
        new Promise<string[]>((resolve, reject) => {
          execFile(
            process.execPath,
            ['--import', 'tsx', CHILD, hub.database.url, date, String(first), '3'],
            { cwd: APP_ROOT },
            (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout) as string[])),
          )
        })
      const statuses = (await Promise.all([child(200), child(300)])).flat()
      assert.equal(statuses.length, 6)
      assert.equal(statuses.filter((s) => s === 'booked').length, 1)
    })

    test('a cancellation and an expiring offer at once: each freed place is offered once', async () => {
      const date = await firstDate({ capacity: 2 })
      const a = await hub.sessions.book({ occurrenceId: date, ...person(300) }, CTX)
      const b = await hub.sessions.book({ occurrenceId: date, ...person(301) }, CTX)
      await Promise.all(
        [302, 303, 304].map((n) => hub.sessions.book({ occurrenceId: date, ...person(n) }, CTX)),
      )
      await hub.sessions.cancel(a.reference, 'resident300@example.org', CTX)
      const later = new Date(Date.now() + 10 * 24 * 3_600_000)
      await Promise.all([
        hub.sessions.cancel(b.reference, 'resident301@example.org', CTX),
        hub.sessions.expireOffers(CTX, later),
      ])
      const { occurrence, bookings } = await hub.sessions.register(officer, date, CTX)
      // Whichever ran first, the count of places taken is exactly the people holding one, never above capacity.
      const holding = bookings.filter((x) => x.status === 'booked' || x.status === 'offered')
      assert.equal(occurrence.booked, holding.length)
      assert.ok(holding.length >= 1 && holding.length <= 2)
      const offers = await hub.database.db
        .selectFrom('outbox')
        .select('recipient')
        .where('template', '=', 'sessions-place-offered')
        .where('recipient', 'in', [
          'resident302@example.org',
          'resident303@example.org',
          'resident304@example.org',
        ])
        .execute()
      assert.equal(
        new Set(offers.map((o) => o.recipient)).size,
        offers.length,
        'nobody is offered a place twice',
      )
    })

    test('a booking for a cancelled or past session is refused', async () => {
      await assert.rejects(hub.sessions.book({ occurrenceId: newId(), ...person(9) }, CTX), {
        name: 'NotFound',
      })
      const date = await firstDate()
      await hub.database.db
        .updateTable('help_session_occurrences')
        .set({ is_cancelled: true })
        .where('id', '=', date)
        .execute()
      await assert.rejects(
        hub.sessions.book({ occurrenceId: date, ...person(9) }, CTX),
        /sessions\.errors\.cancelled/,
      )
    })

    test("the other borough's dates and people answer not found", async () => {
      const date = await firstDate()
      const westminster = staff([wcc])
      await assert.rejects(hub.sessions.register(westminster, date, CTX), { name: 'NotFound' })
      await assert.rejects(
        hub.sessions.bookOnBehalf(
          westminster,
          { occurrenceId: date, ...person(10), personId: null, needId: null },
          CTX,
        ),
        { name: 'NotFound' },
      )
      assert.equal((await hub.sessions.staffList(westminster)).length, 0)
    })

    test('figures: dates held, places, attendance and no-shows, and people helped once each', async () => {
      const date = await firstDate({ capacity: 3 })
      const a = await hub.sessions.book({ occurrenceId: date, ...person(500) }, CTX)
      await hub.sessions.book({ occurrenceId: date, ...person(501) }, CTX)
      const { bookings } = await hub.sessions.register(officer, date, CTX)
      for (const [i, b] of bookings.entries())
        await hub.sessions.mark(
          officer,
          { occurrenceId: date, bookingId: b.id, status: i === 0 ? 'attended' : 'no-show' },
          CTX,
        )
      await hub.database.db
        .updateTable('help_session_occurrences')
        .set({ starts_at: '2026-06-02T09:00:00.000Z', ends_at: '2026-06-02T11:00:00.000Z' })
        .where('id', '=', date)
        .execute()
      const { held, attendees } = await hub.sessions.figures(
        officer,
        '2026-06-01T00:00:00.000Z',
        '2026-07-01T00:00:00.000Z',
      )
      assert.equal(held.length, 1)
      assert.deepEqual(
        {
          capacity: held[0]?.capacity,
          booked: held[0]?.booked,
          attended: Number(held[0]?.attended),
          noShows: Number(held[0]?.no_shows),
        },
        { capacity: 3, booked: 2, attended: 1, noShows: 1 },
      )
      assert.equal(attendees.length, 1)
      assert.ok(a.reference)
      assert.equal(
        (await hub.sessions.figures(staff([wcc]), '2026-06-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z'))
          .held.length,
        0,
      )
    })

    test('demo data: a term of every kind in both boroughs, a full date with a waiting list; a second run adds nothing', async () => {
      const all = staff([rbkc, wcc])
      await hub.seedDemo()
      const seeded = await hub.sessions.staffList(all)
      await hub.seedDemo()
      assert.equal((await hub.sessions.staffList(all)).length, seeded.length)
      for (const borough of [rbkc, wcc]) {
        const kinds = new Set(
          seeded.filter((s) => s.borough_id === borough && s.title !== 'IT clinic').map((s) => s.kind),
        )
        assert.deepEqual([...kinds].sort(), ['coding-club', 'course', 'drop-in', 'one-to-one'])
      }
      const oneToOne = seeded.find((s) => s.kind === 'one-to-one' && s.borough_id === wcc) as { id: string }
      const { occurrences } = await hub.sessions.staffSession(all, oneToOne.id)
      const { bookings } = await hub.sessions.register(all, occurrences[0]?.id as string, CTX)
      assert.deepEqual(bookings.map((b) => b.status).sort(), ['booked', 'waiting', 'waiting'])
      // The course's learners: a baseline four weeks ago and a follow-up today, with Wi-Fi gained.
      const course = seeded.find((s) => s.kind === 'course' && s.borough_id === rbkc) as { id: string }
      const courseDate = (await hub.sessions.staffSession(all, course.id)).occurrences[0]?.id as string
      const learner = (await hub.sessions.register(all, courseDate, CTX)).bookings[0]
      const progress = await hub.sessions.skills.learner(all, learner?.person_id as string, CTX)
      assert.equal(progress.assessments.length, 2)
      assert.ok(progress.gained.includes('wifi'))
      assert.ok((progress.assessments[0]?.assessedAt ?? '') < (progress.assessments[1]?.assessedAt ?? ''))
    })

    test('booked from a referral: the request is scheduled, and the first attendance records its outcome', async () => {
      const submitted = await hub.referrals.submit(
        referralBody({ needs: [{ kind: 'skills', ways: 'drop-in', goals: ['nhs-app'] }] }),
        { source: 'partner-web', privacyNoticeVersion: 'v1' },
        CTX,
      )
      const referral = await hub.database.db
        .selectFrom('referrals')
        .select(['id', 'person_id'])
        .where('reference', '=', submitted.reference)
        .executeTakeFirstOrThrow()
      const need = await hub.database.db
        .selectFrom('referral_needs')
        .select(['id', 'status'])
        .where('referral_id', '=', referral.id)
        .executeTakeFirstOrThrow()
      const referralBorough = (
        await hub.database.db
          .selectFrom('referrals')
          .select('borough_id')
          .where('id', '=', referral.id)
          .executeTakeFirstOrThrow()
      ).borough_id
      const triager: StaffUser = { ...officer, permissions: new Set(['referrals.view', 'referrals.triage']) }
      for (const to of ['in-triage', 'routed'] as const)
        await hub.referrals.changeNeed(triager, { referralId: referral.id, needId: need.id, to }, CTX)

      const date = await firstDate()
      // Another borough's staff cannot see the request, so cannot book against it.
      const elsewhere = staff([rbkc, wcc].filter((b) => b !== referralBorough))
      assert.equal(await hub.sessions.requestToBook(elsewhere, need.id), undefined)
      const made = await hub.sessions.bookOnBehalf(
        officer,
        { occurrenceId: date, ...person(11), personId: null, needId: need.id },
        CTX,
      )
      const status = () =>
        hub.database.db
          .selectFrom('referral_needs')
          .select(['status', 'outcome'])
          .where('id', '=', need.id)
          .executeTakeFirstOrThrow()
      assert.deepEqual(await status(), { status: 'scheduled', outcome: null })
      const booking = await hub.database.db
        .selectFrom('help_session_bookings')
        .select(['id', 'person_id'])
        .where('reference', '=', made.reference)
        .executeTakeFirstOrThrow()
      assert.equal(booking.person_id, referral.person_id, "linked to the referral's person, not a new one")
      await hub.sessions.mark(officer, { occurrenceId: date, bookingId: booking.id, status: 'attended' }, CTX)
      assert.deepEqual(await status(), { status: 'outcome-recorded', outcome: 'got-help' })
      // The request is finished: a second booking against it is refused and nothing is saved.
      const before = (await hub.sessions.register(officer, date, CTX)).bookings.length
      await assert.rejects(
        hub.sessions.bookOnBehalf(
          officer,
          { occurrenceId: date, ...person(13), personId: null, needId: need.id },
          CTX,
        ),
        /sessions\.errors\.requestClosed/,
      )
      assert.equal((await hub.sessions.register(officer, date, CTX)).bookings.length, before)
    })
  })
}
