import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { StaffUser } from '#platform/access.ts'
import { Invalid, NotFound } from '#platform/errors.ts'
import { addDays, londonToday } from '#platform/london.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { boroughId, createStaff } from '#tests/support/users.ts'
import { activeVolunteer, CTX, staffIn } from './testing.ts'

const refused = (key: string) => (e: unknown) => e instanceof Invalid && e.message.startsWith(key)

for (const dialect of DIALECTS) {
  describe(`Volunteer rota on ${dialect}`, () => {
    let hub: TestHub
    let rbkc: string
    let coordinator: StaffUser
    let safeguarding: string
    const today = londonToday()
    const day = addDays(today, 10)

    before(async () => {
      hub = await testHub(dialect)
      rbkc = await boroughId(hub, 'rbkc')
      coordinator = staffIn([rbkc])
      safeguarding = (await hub.volunteers.training.courses(coordinator)).find(
        (c) => c.name === 'Safeguarding',
      )?.id as string
    })
    after(() => hub.close())

    const shift = (over: Record<string, unknown> = {}) =>
      hub.volunteers.rota.createShift(
        coordinator,
        {
          borough: rbkc,
          title: 'IT clinic',
          place: 'Kensington Central Library',
          date: day,
          start: '10:00',
          end: '12:00',
          places: 2,
          checkNeeded: 'enhanced-barred',
          courses: [safeguarding],
          ...over,
        },
        CTX,
      )
    const asVolunteer = (account: { id: string; email: string }, name: string): StaffUser => ({
      id: account.id,
      name,
      email: account.email,
      roles: ['volunteer'],
      permissions: new Set(['volunteers.own']),
      boroughs: [rbkc],
    })

    test('assigning: missing training and a lapsed check refuse with the reason; clashes are refused', async () => {
      const untrained = await activeVolunteer(hub, 'rbkc', 'Una Untrained', { renewsOn: addDays(today, 400) })
      const lapsing = await activeVolunteer(hub, 'rbkc', 'Len Lapsing', {
        renewsOn: addDays(today, 5),
        courses: ['Safeguarding'],
      })
      const ready = await activeVolunteer(hub, 'rbkc', 'Rea Ready', {
        renewsOn: addDays(today, 400),
        courses: ['Safeguarding'],
      })
      const id = await shift()
      const { rota } = hub.volunteers
      await assert.rejects(
        rota.assign(coordinator, id, untrained.id, CTX),
        refused('volunteers.rota.gate.noCourse?course=Safeguarding'),
      )
      // The check is in date today but will have lapsed on the shift's day.
      await assert.rejects(
        rota.assign(coordinator, id, lapsing.id, CTX),
        refused('volunteers.rota.gate.checkLapsed'),
      )
      const page = await rota.shift(coordinator, id)
      assert.equal(
        page.candidates.find((c) => c.id === lapsing.id)?.refused,
        'volunteers.rota.gate.checkLapsed',
      )
      assert.equal(page.candidates.find((c) => c.id === ready.id)?.refused, null)
      // Each candidate is judged on their own check and training, read for them all at once.
      assert.equal(
        page.candidates.find((c) => c.id === untrained.id)?.refused,
        'volunteers.rota.gate.noCourse?course=Safeguarding',
      )

      await rota.assign(coordinator, id, ready.id, CTX)
      assert.ok(!(await rota.shift(coordinator, id)).candidates.some((c) => c.id === ready.id))
      await assert.rejects(
        rota.assign(coordinator, id, ready.id, CTX),
        refused('volunteers.rota.errors.already'),
      )
      const overlapping = await shift({ title: 'Coding club', start: '11:30', end: '13:00' })
      await assert.rejects(
        rota.assign(coordinator, overlapping, ready.id, CTX),
        refused('volunteers.rota.errors.clash'),
      )
      const after = await shift({ title: 'Afternoon clinic', start: '12:00', end: '13:00' })
      await rota.assign(coordinator, after, ready.id, CTX)
      assert.deepEqual(
        (await rota.shift(coordinator, id)).on.map((o) => o.name),
        ['Rea Ready'],
      )
      await assert.rejects(rota.shift(staffIn([await boroughId(hub, 'wcc')]), id), NotFound)
    })

    test('two volunteers claim the last place at the same moment: exactly one gets it', async () => {
      const a = await activeVolunteer(hub, 'rbkc', 'Ada Quick', {
        renewsOn: addDays(today, 400),
        courses: ['Safeguarding'],
      })
      const b = await activeVolunteer(hub, 'rbkc', 'Bo Quick', {
        renewsOn: addDays(today, 400),
        courses: ['Safeguarding'],
      })
      const id = await shift({ title: 'One-to-one', places: 1, date: addDays(today, 12) })
      const results = await Promise.allSettled([
        hub.volunteers.rota.claim(asVolunteer(a.account, 'Ada Quick'), id, CTX),
        hub.volunteers.rota.claim(asVolunteer(b.account, 'Bo Quick'), id, CTX),
      ])
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1)
      const lost = results.find((r) => r.status === 'rejected')
      assert.ok(lost && refused('volunteers.rota.errors.full')(lost.reason))
      const { shift: after, on } = await hub.volunteers.rota.shift(coordinator, id)
      assert.equal(after.places_taken, 1)
      assert.equal(on.length, 1)
    })

    test('one volunteer claiming two overlapping shifts at the same moment gets one', async () => {
      const v = await activeVolunteer(hub, 'rbkc', 'Cy Twice', {
        renewsOn: addDays(today, 400),
        courses: ['Safeguarding'],
      })
      const first = await shift({ title: 'Morning A', date: addDays(today, 14) })
      const second = await shift({
        title: 'Morning B',
        date: addDays(today, 14),
        start: '11:00',
        end: '13:00',
      })
      const me = asVolunteer(v.account, 'Cy Twice')
      const results = await Promise.allSettled([
        hub.volunteers.rota.claim(me, first, CTX),
        hub.volunteers.rota.claim(me, second, CTX),
      ])
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1)
      const lost = results.find((r) => r.status === 'rejected')
      assert.ok(lost && refused('volunteers.rota.errors.clash')(lost.reason))
      // The rota shows each shift with its own people: Cy on the one they got, nobody on the other.
      const rota = await hub.volunteers.rota.rota(coordinator)
      const names = (id: string) => rota.find((s) => s.id === id)?.on.map((o) => o.name)
      const got = results[0].status === 'fulfilled' ? first : second
      assert.deepEqual(names(got), ['Cy Twice'])
      assert.deepEqual(names(got === first ? second : first), [])
    })

    test('a volunteer changes their details and leaves: their coming shifts are freed, the step is theirs', async () => {
      const v = await activeVolunteer(hub, 'rbkc', 'Lee Leaving', {
        renewsOn: addDays(today, 400),
        courses: ['Safeguarding'],
      })
      const me = asVolunteer(v.account, 'Lee Leaving')
      await hub.volunteers.volunteers.updateOwn(
        me,
        { email: 'lee.new@example.com', phone: '020 7946 0000', slots: ['wed-evening'] },
        CTX,
      )
      const id = await shift({ title: 'Evening club', date: addDays(today, 18) })
      const next = await shift({ title: 'Evening club', date: addDays(today, 25) })
      await hub.volunteers.rota.claim(me, id, CTX)
      await hub.volunteers.rota.claim(me, next, CTX)
      assert.equal((await hub.volunteers.rota.shift(coordinator, id)).shift.places_taken, 1)
      await hub.volunteers.volunteers.leave(me, 'moved-away', CTX)
      for (const freed of [id, next]) {
        const after = await hub.volunteers.rota.shift(coordinator, freed)
        assert.equal(after.shift.places_taken, 0)
        assert.equal(after.on.length, 0)
      }
      const { volunteer, steps } = await hub.volunteers.volunteers.get(coordinator, v.id, CTX)
      assert.equal(volunteer.status, 'left')
      assert.equal(volunteer.email, 'lee.new@example.com')
      assert.deepEqual(volunteer.availability_json, ['wed-evening'])
      assert.deepEqual([steps.at(-1)?.reason, steps.at(-1)?.moved_by_user_id], ['moved-away', v.account.id])
      await assert.rejects(
        hub.volunteers.rota.claim(me, await shift({ title: 'Later', date: addDays(today, 19) }), CTX),
        refused('volunteers.rota.gate.notActive'),
      )
    })

    test('a claim past the shift start is refused, and nothing is saved', async () => {
      const v = await activeVolunteer(hub, 'rbkc', 'Di Late', {
        renewsOn: addDays(today, 400),
        courses: ['Safeguarding'],
      })
      const id = await shift({ title: 'Started', date: addDays(today, 16) })
      await hub.database.db
        .updateTable('volunteer_shifts')
        .set({ starts_at: new Date(Date.now() - 60_000).toISOString() })
        .where('id', '=', id)
        .execute()
      await assert.rejects(
        hub.volunteers.rota.claim(asVolunteer(v.account, 'Di Late'), id, CTX),
        refused('volunteers.rota.errors.started'),
      )
      assert.equal((await hub.volunteers.rota.shift(coordinator, id)).shift.places_taken, 0)
      // Their own page still lists it, under way, as one they cannot take.
      const mine = await hub.volunteers.rota.mine(asVolunteer(v.account, 'Di Late'))
      assert.equal(mine?.open.find((s) => s.id === id)?.refused, 'volunteers.rota.errors.started')
      await assert.rejects(
        shift({ date: today, start: '00:00', end: '00:30' }),
        refused('volunteers.rota.errors.past'),
      )
      await assert.rejects(
        shift({ start: '12:00', end: '11:00' }),
        refused('volunteers.rota.errors.endBeforeStart'),
      )
    })

    test("shifts come from a session's coming dates through the sessions service, once each", async () => {
      const library = (await hub.directory.listLibraries()).find((l) => l.borough_id === rbkc)
      assert.ok(library)
      const officer = staffIn(
        [rbkc],
        ['sessions.view', 'sessions.manage', 'volunteers.manage', 'volunteers.view'],
      )
      const start = addDays(today, 3)
      const sessionId = await hub.sessions.createSession(
        officer,
        {
          boroughId: rbkc,
          kind: 'one-to-one',
          title: 'Phone help one-to-one',
          description: 'Help with a phone',
          venue: 'place',
          locationId: library.id,
          serviceCode: null,
          onlineLink: null,
          language: 'English',
          whatToBring: null,
          capacity: 1,
          facilitators: [],
          rule: {
            start,
            startTime: '10:00',
            endTime: '11:00',
            byDay: [
              (['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const)[
                (new Date(`${start}T12:00:00Z`).getUTCDay() + 6) % 7
              ] as 'MO',
            ],
            until: addDays(start, 7),
            exdates: [],
          },
        },
        CTX,
      )
      const input = { session: sessionId, places: 1, checkNeeded: 'enhanced-barred' as const, courses: [] }
      assert.equal(await hub.volunteers.rota.shiftsFromSession(officer, input, CTX), 2)
      assert.equal(await hub.volunteers.rota.shiftsFromSession(officer, input, CTX), 0)
      const made = (await hub.volunteers.rota.rota(officer)).filter(
        (s) => s.title === 'Phone help one-to-one',
      )
      assert.equal(made.length, 2)
      assert.ok(made.every((s) => s.place === library.name && s.source === 'session'))
      // Each shift made is audited, in one write for them all.
      const audited = await hub.database.db
        .selectFrom('audit_events')
        .select('record_id')
        .where('action', '=', 'volunteers.shift-created')
        .where(
          'record_id',
          'in',
          made.map((s) => s.id),
        )
        .execute()
      assert.equal(audited.length, 2)
      // Within the week and short of helpers: flagged, and the coordinators told once.
      assert.ok(made[0]?.understaffed)
      assert.ok((await hub.volunteers.rota.remindUnderstaffed()) >= 1)
      assert.equal(await hub.volunteers.rota.remindUnderstaffed(), 0)
      // The second date is ten days off: not told yet.
      const told = await hub.database.db
        .selectFrom('volunteer_shifts')
        .select(['id', 'understaffed_told_at'])
        .where(
          'id',
          'in',
          made.map((s) => s.id),
        )
        .execute()
      assert.deepEqual(
        made.map((s) => Boolean(told.find((t) => t.id === s.id)?.understaffed_told_at)),
        [true, false],
      )
    })

    test("shifts come from a Home Library round's next runs through its service, once each, at the times given", async () => {
      const deliverer = await createStaff(hub, { roles: ['home-library-coordinator'], boroughs: ['rbkc'] })
      const hl = staffIn([rbkc], ['home-library.view', 'home-library.manage'])
      const officer = staffIn([rbkc], ['volunteers.manage', 'volunteers.view'])
      // Never today's weekday (nor the day after, where a bank holiday moves a run): a run that started
      // earlier today is rightly not made, and the counts below would then hang on the time of day.
      const weekdayToday = new Date(`${londonToday()}T12:00:00Z`).getUTCDay()
      const [weekday, days] = weekdayToday === 4 || weekdayToday === 5 ? [2, 'Tue|Wed'] : [4, 'Thu|Fri']
      const roundId = await hub['home-library'].rounds.create(
        hl,
        rbkc,
        {
          borough: rbkc,
          name: 'Chelsea Thursday',
          library: 'Chelsea Library',
          weekday,
          deliverer: deliverer.id,
        },
        CTX,
      )
      const input = {
        round: roundId,
        start: '10:00',
        end: '13:00',
        weeks: 3,
        places: 2,
        checkNeeded: 'enhanced-barred' as const,
        courses: [],
      }
      assert.equal(await hub.volunteers.rota.shiftsFromRound(officer, input, CTX), 3)
      assert.equal(await hub.volunteers.rota.shiftsFromRound(officer, { ...input, weeks: 4 }, CTX), 1)
      const made = (await hub.volunteers.rota.rota(officer)).filter((s) => s.title === 'Chelsea Thursday')
      assert.equal(made.length, 4)
      assert.ok(made.every((s) => s.place === 'Chelsea Library' && s.source === 'home-library-round'))
      // The round's weekday, or the next working day when a bank holiday falls on it; ten in the morning in London.
      assert.ok(
        made.every((s) => {
          const wall = new Intl.DateTimeFormat('en-GB', {
            timeZone: 'Europe/London',
            weekday: 'short',
            hour: '2-digit',
            minute: '2-digit',
          }).format(new Date(s.starts_at))
          return new RegExp(`^(${days}) 10:00$`).test(wall)
        }),
        'each run at 10:00 London time',
      )
      await assert.rejects(
        hub.volunteers.rota.shiftsFromRound(
          staffIn([await boroughId(hub, 'wcc')], ['volunteers.manage']),
          input,
          CTX,
        ),
        NotFound,
      )
    })
  })
}
