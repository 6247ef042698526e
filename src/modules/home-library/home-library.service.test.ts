import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Database } from '#platform/database.ts'
import { Forbidden, Invalid, NotFound } from '#platform/errors.ts'
import { addDays, londonToday } from '#platform/london.ts'
import { DIALECTS, freshDatabase } from '#tests/support/databases.ts'
import { TEST_PASSWORD } from '#tests/support/users.ts'
import { coordinator, laptop, WIPE } from '../devices/testing.ts'
import { referralBody } from '../referrals/testing.ts'
import { sendReviewReminders } from './review-reminders.ts'
import { weekday } from './schedule.ts'
import {
  COORDINATOR as COORDINATOR_PERMISSIONS,
  CTX,
  homeLibraryServices,
  memberAnswers,
  staffIn,
} from './testing.ts'

const invalid = (key: string) => (e: unknown) =>
  e instanceof Invalid && e.message === `homeLibrary.errors.${key}`

for (const dialect of DIALECTS) {
  describe(`Home Library services on ${dialect}`, () => {
    let database: Database
    let s: Awaited<ReturnType<typeof homeLibraryServices>>
    let rbkc: ReturnType<typeof staffIn>
    let wcc: ReturnType<typeof staffIn>
    const today = londonToday()

    before(async () => {
      database = await freshDatabase(dialect)
      s = await homeLibraryServices(database)
      rbkc = staffIn([s.boroughs.rbkc])
      wcc = staffIn([s.boroughs.wcc])
    })
    after(() => database.close())

    /** A referral asking for the Home Library, routed by triage to the service. */
    async function routedRequest(name: string) {
      const { reference } = await s.referrals.submit(
        referralBody({
          resident: { name },
          needs: [{ kind: 'home-library', reason: 'housebound', interests: 'Crime novels' }],
        }),
        { source: 'partner-web', privacyNoticeVersion: 'v1' },
        CTX,
      )
      const row = await database.db
        .selectFrom('referrals')
        .innerJoin('referral_needs', 'referral_needs.referral_id', 'referrals.id')
        .select(['referrals.id', 'referral_needs.id as needId'])
        .where('reference', '=', reference)
        .executeTakeFirstOrThrow()
      const officer = staffIn([s.boroughs.rbkc], ['referrals.view', 'referrals.triage'])
      for (const to of ['in-triage', 'routed'] as const)
        await s.referrals.changeNeed(officer, { referralId: row.id, needId: row.needId, to }, CTX)
      return row
    }

    const needStatus = async (id: string) =>
      (
        await database.db
          .selectFrom('referral_needs')
          .select('status')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).status

    test("a routed Home Library request waits in its borough's list and becomes a member; the referral moves on", async () => {
      const { needId } = await routedRequest('Edna Joiner')
      const waiting = await s.hl.members.requests(rbkc)
      const request = waiting.find((r) => r.id === needId)
      assert.ok(request)
      assert.equal(request.basis, 'housebound')
      assert.equal(request.interests, 'Crime novels')
      assert.equal((await s.hl.members.requests(wcc)).length, 0)

      const id = await s.hl.members.join(rbkc, needId, memberAnswers(), CTX)
      assert.equal(await needStatus(needId), 'in-progress')
      assert.ok(!(await s.hl.members.requests(rbkc)).some((r) => r.id === needId))
      const member = await s.hl.members.get(rbkc, id, CTX)
      assert.equal(member.name, 'Edna Joiner')
      assert.equal(member.status, 'active')
      // The page's view of a member never carries the access notes or emergency contact.
      assert.equal('access_notes' in member, false)
      assert.equal('emergency_contact' in member, false)
      await assert.rejects(s.hl.members.get(wcc, id, CTX), NotFound)
      // Visits are planned at once for the coming weeks, on the member's weekday.
      const visits = await s.hl.visits.ofMember(id)
      assert.ok(visits.length >= 3)
      // On the member's Tuesday, or the day after a bank holiday Tuesday.
      for (const v of visits)
        assert.ok(
          weekday(v.due_on) === 2 || s.referrals.rules.bankHolidays.has(addDays(v.due_on, -1)),
          v.due_on,
        )
    })

    test('two coordinators turning the same request into a member at once: exactly one wins', async () => {
      const { needId } = await routedRequest('Ada Twice')
      const results = await Promise.allSettled([
        s.hl.members.join(rbkc, needId, memberAnswers(), CTX),
        s.hl.members.join(rbkc, needId, memberAnswers(), CTX),
      ])
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1)
      const refused = results.find((r) => r.status === 'rejected')
      assert.ok(refused && invalid('alreadyJoined')(refused.reason))
      const made = await database.db
        .selectFrom('home_library_members')
        .select('id')
        .where('need_id', '=', needId)
        .execute()
      assert.equal(made.length, 1)
    })

    test('access notes and emergency contacts: only with the permission, and every view is audited', async () => {
      const id = await s.hl.members.add(
        rbkc,
        { ...memberAnswers(), name: 'Iris Notes', borough: s.boroughs.rbkc, phone: '', postcode: '' },
        CTX,
      )
      const manager = staffIn([s.boroughs.rbkc], ['home-library.view', 'home-library.figures'])
      await assert.rejects(s.hl.members.accessDetails(manager, id, CTX), Forbidden)
      await assert.rejects(s.hl.members.accessDetails(wcc, id, CTX), NotFound)
      const details = await s.hl.members.accessDetails(rbkc, id, CTX)
      assert.equal(details.accessNotes, 'Key safe 1234 by the side door')
      const audited = await database.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'home-library.access-notes-viewed')
        .where('record_id', '=', id)
        .execute()
      assert.equal(audited.length, 1)
      // Audit rows carry field names, never the notes themselves.
      assert.doesNotMatch(JSON.stringify(audited), /Key safe/)
      // Someone who may not see the notes may not change them either.
      const editor = staffIn([s.boroughs.rbkc], ['home-library.view', 'home-library.manage'])
      await s.hl.members.update(editor, id, memberAnswers({ accessNotes: '', likes: 'Poetry' }), CTX)
      assert.equal(
        (await s.hl.members.accessDetails(rbkc, id, CTX)).accessNotes,
        'Key safe 1234 by the side door',
      )
    })

    test("a tablet lent on a visit is a loan from the devices stock: on loan, the directory's count down; refused, nothing saved", async () => {
      const deviceStaff = coordinator([s.boroughs.rbkc])
      const [library] = await s.devices.librariesInScope(deviceStaff)
      assert.ok(library)
      const readyTablet = async () => {
        const id = await s.devices.addDevice(deviceStaff, laptop(library.id, { kind: 'tablet' }), CTX)
        await s.devices.recordWipe(deviceStaff, id, WIPE, CTX)
        await s.devices.markReady(deviceStaff, id, CTX)
        return (await s.devices.getDevice(deviceStaff, id)).device
      }
      const unit = `tablets at ${library.name}`
      const available = async () =>
        (
          await database.db
            .selectFrom('service_capacities')
            .select('available')
            .where('unit', '=', unit)
            .executeTakeFirst()
        )?.available
      const first = await readyTablet()
      const spare = await readyTablet()
      assert.equal(await available(), 2)
      const memberId = await s.hl.members.add(
        rbkc,
        { ...memberAnswers(), name: 'Tabitha Lent', borough: s.boroughs.rbkc, phone: '', postcode: '' },
        CTX,
      )
      // The Home Library coordinator's own permissions, with the devices module's lending one.
      const lender = staffIn([s.boroughs.rbkc], [...COORDINATOR_PERMISSIONS, 'devices.lend'])
      const loan = {
        kind: 'lent-tablet' as const,
        device: first.asset_tag.toLowerCase(),
        help: 'Set up a video call with her son',
        dueOn: addDays(today, 56),
        agreedName: 'Tabitha Lent',
        items: ['charger' as const, 'setup-help' as const],
      }
      await s.hl.members.recordDeviceHelp(lender, memberId, loan, CTX)
      const lent = await s.devices.getDevice(deviceStaff, first.id)
      assert.equal(lent.device.status, 'on-loan')
      assert.equal(lent.open?.via, 'home-library')
      assert.equal(lent.open?.due_on, loan.dueOn)
      assert.equal(lent.open?.agreed_name, 'Tabitha Lent')
      const member = await s.hl.members.get(rbkc, memberId, CTX)
      assert.equal(lent.open?.person_id, member.person_id)
      assert.equal(await available(), 1)
      const help = await s.hl.members.deviceHelp(memberId)
      assert.deepEqual(
        help.map((h) => [h.kind, h.device]),
        [['lent-tablet', first.asset_tag]],
      )

      // The same tablet again, a tag that is not there, or without the lending permission: nothing is saved.
      await assert.rejects(
        s.hl.members.recordDeviceHelp(lender, memberId, loan, CTX),
        (e: unknown) => e instanceof Invalid && e.message === 'devices.errors.notReady',
      )
      await assert.rejects(
        s.hl.members.recordDeviceHelp(lender, memberId, { ...loan, device: 'DEV-NOTHER' }, CTX),
        (e: unknown) => e instanceof Invalid && e.message === 'devices.errors.assetTagUnknown',
      )
      await assert.rejects(
        s.hl.members.recordDeviceHelp(rbkc, memberId, { ...loan, device: spare.asset_tag }, CTX),
        Forbidden,
      )
      assert.equal((await s.hl.members.deviceHelp(memberId)).length, 1)
      assert.equal((await s.devices.getDevice(deviceStaff, spare.id)).device.status, 'ready')
      assert.equal(await available(), 1)

      // Help with their own device touches no stock.
      await s.hl.members.recordDeviceHelp(
        rbkc,
        memberId,
        { ...loan, kind: 'own-device', device: 'Her own iPad', dueOn: undefined, agreedName: '', items: [] },
        CTX,
      )
      assert.equal((await s.hl.members.deviceHelp(memberId)).length, 2)
      assert.equal(await available(), 1)
    })

    test("a temporary member's review: the borough's Home Library staff are emailed once before it, again when it moves", async () => {
      const email = `review.${dialect}@hub.test`
      await s.accounts.createUser(
        {
          name: 'Rhona Review',
          email,
          password: TEST_PASSWORD,
          roles: ['home-library-coordinator'],
          allBoroughs: false,
          boroughIds: [s.boroughs.rbkc],
        },
        CTX,
      )
      const elsewhere = `review.wcc.${dialect}@hub.test`
      const { id: elsewhereId } = await s.accounts.createUser(
        {
          name: 'Wendy Elsewhere',
          email: elsewhere,
          password: TEST_PASSWORD,
          roles: ['home-library-coordinator'],
          allBoroughs: false,
          boroughIds: [s.boroughs.wcc],
        },
        CTX,
      )
      const answers = (reviewOn: string) => memberAnswers({ basis: 'temporary-mobility', reviewOn })
      const temporary = (name: string) =>
        s.hl.members.add(
          rbkc,
          { ...answers(addDays(today, 40)), name, borough: s.boroughs.rbkc, phone: '', postcode: '' },
          CTX,
        )
      const id = await temporary('Tess Temporary')
      const secondId = await temporary('Tom Temporary')
      // The clock moved on: the job runs as on a later day. Staff are asked for once a borough a run.
      const askedFor: string[] = []
      const runOn = (day: string) =>
        sendReviewReminders(
          s.platform,
          (b) => {
            askedFor.push(b)
            return s.accounts.staffWith('home-library.manage', b)
          },
          14,
          day,
        )
      const sent = async (to: string, about = id) =>
        (
          await database.db
            .selectFrom('outbox')
            .select(['recipient', 'personalisation_json'])
            .where('template', '=', 'home-library-review-due')
            .where('recipient', '=', to)
            .execute()
        ).filter((m) => JSON.stringify(m.personalisation_json).includes(about))
      await runOn(today)
      assert.equal((await sent(email)).length, 0)
      askedFor.length = 0
      await runOn(addDays(today, 26))
      assert.deepEqual(askedFor, [s.boroughs.rbkc])
      assert.equal((await sent(email, secondId)).length, 1)
      const [message] = await sent(email)
      assert.ok(message)
      assert.equal((message.personalisation_json as Record<string, string>).reviewOn, addDays(today, 40))
      assert.doesNotMatch(JSON.stringify(message), /Tess/)
      await runOn(addDays(today, 27))
      assert.equal((await sent(email)).length, 1)
      assert.equal((await sent(elsewhere)).length, 0)
      // A new review date is reminded again, when it comes near.
      await s.hl.members.update(rbkc, id, answers(addDays(today, 60)), CTX)
      await runOn(addDays(today, 45))
      assert.equal((await sent(email)).length, 1)
      await runOn(addDays(today, 46))
      assert.equal((await sent(email)).length, 2)
      // Westminster has no Home Library staff in the other tests.
      await s.accounts.setDisabled(staffIn('all', ['users.manage']), elsewhereId, true, CTX)
    })

    test('bad input is refused and nothing is half-saved', async () => {
      const people = async () =>
        Number(
          (
            await database.db
              .selectFrom('people')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        )
      const before = await people()
      await assert.rejects(
        s.hl.members.add(
          rbkc,
          {
            ...memberAnswers({ basis: 'temporary-mobility', reviewOn: addDays(today, -1) }),
            name: 'Past Review',
            borough: s.boroughs.rbkc,
            phone: '',
            postcode: '',
          },
          CTX,
        ),
        invalid('reviewPast'),
      )
      await assert.rejects(
        s.hl.members.add(
          rbkc,
          {
            ...memberAnswers({ basis: 'temporary-mobility' }),
            name: 'No Review',
            borough: s.boroughs.rbkc,
            phone: '',
            postcode: '',
          },
          CTX,
        ),
        invalid('reviewRequired'),
      )
      await assert.rejects(
        s.hl.members.add(
          rbkc,
          { ...memberAnswers(), name: 'Elsewhere', borough: s.boroughs.wcc, phone: '', postcode: '' },
          CTX,
        ),
        NotFound,
      )
      assert.equal(await people(), before)
    })

    test('rounds: stops in order, moved up and down; a member is on one round a day, even when two add at once', async () => {
      const volunteer = await s.accounts.createUser(
        {
          name: `Val ${dialect}`,
          email: `val.${dialect}@example.com`,
          roles: ['volunteer'],
          allBoroughs: false,
          boroughIds: [s.boroughs.rbkc],
        },
        CTX,
      )
      const deliverers = await s.hl.rounds.deliverers(rbkc, s.boroughs.rbkc)
      assert.ok(deliverers.some((d) => d.id === volunteer.id))
      assert.equal((await s.hl.rounds.deliverers(wcc, s.boroughs.wcc)).length, 0)
      const round = (name: string) =>
        s.hl.rounds.create(
          rbkc,
          s.boroughs.rbkc,
          { borough: s.boroughs.rbkc, name, library: 'Chelsea Library', weekday: 2, deliverer: volunteer.id },
          CTX,
        )
      const [a, b] = [await round('Chelsea Tuesday A'), await round('Chelsea Tuesday B')]
      await assert.rejects(
        s.hl.rounds.create(
          rbkc,
          s.boroughs.rbkc,
          { borough: s.boroughs.rbkc, name: 'X', library: 'Y', weekday: 2, deliverer: rbkc.id },
          CTX,
        ),
        invalid('deliverer'),
      )
      const add = (name: string) =>
        s.hl.members.add(
          rbkc,
          { ...memberAnswers(), name, borough: s.boroughs.rbkc, phone: '', postcode: '' },
          CTX,
        )
      const [m1, m2, m3] = [await add('Stop One'), await add('Stop Two'), await add('Stop Three')]
      for (const m of [m1, m2]) await s.hl.rounds.addStop(rbkc, a, m, CTX)
      await assert.rejects(s.hl.rounds.addStop(rbkc, b, m1, CTX), invalid('twoRounds'))
      const both = await Promise.allSettled([
        s.hl.rounds.addStop(rbkc, a, m3, CTX),
        s.hl.rounds.addStop(rbkc, b, m3, CTX),
      ])
      assert.equal(both.filter((r) => r.status === 'fulfilled').length, 1)

      let { stops } = await s.hl.rounds.get(rbkc, a)
      const second = stops[1]
      assert.ok(second)
      await s.hl.rounds.moveStop(rbkc, a, second.id, 'up', CTX)
      ;({ stops } = await s.hl.rounds.get(rbkc, a))
      assert.equal(stops[0]?.name, 'Stop Two')
      await assert.rejects(s.hl.rounds.get(wcc, a), NotFound)

      const office = await s.hl.rounds.sheet(rbkc, a, 'office', CTX)
      assert.ok(office.stops.every((x) => x.access === null))
      const deliverers2 = await s.hl.rounds.sheet(rbkc, a, 'deliverer', CTX)
      assert.equal(deliverers2.stops[0]?.access?.access_notes, 'Key safe 1234 by the side door')
      const manager = staffIn([s.boroughs.rbkc], ['home-library.view'])
      const asked = await s.hl.rounds.sheet(manager, a, 'deliverer', CTX)
      assert.ok(asked.stops.every((x) => x.access === null))
    })

    test('visits: items up to the limit, "already read" warned, collected items come back, a missed visit is re-planned', async () => {
      const id = await s.hl.members.add(
        rbkc,
        {
          ...memberAnswers({ maxItems: 2 }),
          name: 'Vera Visit',
          borough: s.boroughs.rbkc,
          phone: '',
          postcode: '',
        },
        CTX,
      )
      const planned = (await s.hl.visits.ofMember(id)).sort((x, y) => x.due_on.localeCompare(y.due_on))
      const [first, second, third] = planned
      assert.ok(first && second && third)
      const record = {
        outcome: 'done' as const,
        collected: [],
        digitalMinutes: 20,
        digitalHelp: 'Set up a tablet',
        sendAgain: false,
      }
      const book = (title: string, author: string) => ({
        title,
        author,
        format: 'large-print' as const,
        identifier: '',
      })
      await assert.rejects(
        s.hl.visits.record(
          rbkc,
          first.id,
          { ...record, items: [book('A', 'X'), book('B', 'X'), book('C', 'X')] },
          CTX,
        ),
        invalid('tooManyItems'),
      )
      await s.hl.visits.record(
        rbkc,
        first.id,
        { ...record, items: [book('The Remains of the Day', 'Kazuo Ishiguro')] },
        CTX,
      )
      await assert.rejects(
        s.hl.visits.record(rbkc, first.id, { ...record, items: [] }, CTX),
        invalid('alreadyRecorded'),
      )

      const again = [book('remains of the day', 'Ishiguro, Kazuo')]
      const repeats = await s.hl.visits.repeats(rbkc, second.id, again)
      assert.equal(repeats.length, 1)
      assert.equal(repeats[0]?.deliveredOn, first.due_on)
      await assert.rejects(
        s.hl.visits.record(rbkc, second.id, { ...record, items: again }, CTX),
        invalid('alreadyRead'),
      )
      const page = await s.hl.visits.page(rbkc, second.id)
      const out = page.out.map((i) => i.id)
      assert.equal(out.length, 1)
      await s.hl.visits.record(
        rbkc,
        second.id,
        { ...record, items: again, sendAgain: true, collected: out },
        CTX,
      )
      assert.equal((await s.hl.visits.page(rbkc, third.id)).out.length, 1)

      await s.hl.visits.record(
        rbkc,
        third.id,
        { ...record, outcome: 'missed', missedReason: 'not-in', items: [] },
        CTX,
      )
      const after = await s.hl.visits.ofMember(id)
      assert.ok(after.some((v) => v.status === 'planned' && v.due_on === addDays(third.due_on, 1)))

      await assert.rejects(s.hl.visits.record(wcc, third.id, { ...record, items: [] }, CTX), NotFound)
    })

    test('paused members: future visits dropped, no visit may be added on a paused day; leaving takes them off their rounds', async () => {
      const id = await s.hl.members.add(
        rbkc,
        { ...memberAnswers(), name: 'Paula Pause', borough: s.boroughs.rbkc, phone: '', postcode: '' },
        CTX,
      )
      const back = addDays(today, 21)
      await s.hl.members.changeStatus(rbkc, id, { status: 'paused', pausedUntil: back }, CTX)
      const planned = (await s.hl.visits.ofMember(id)).filter((v) => v.status === 'planned')
      assert.ok(planned.every((v) => v.due_on >= back))
      let day = addDays(today, 7)
      while (weekday(day) > 5) day = addDays(day, 1)
      await assert.rejects(s.hl.visits.addVisit(rbkc, id, day, CTX), invalid('visitPaused'))
      await assert.rejects(s.hl.visits.addVisit(rbkc, id, addDays(today, -1), CTX), invalid('visitPast'))

      await s.hl.members.changeStatus(rbkc, id, { status: 'left', leftReason: 'moved-into-care' }, CTX)
      assert.equal((await s.hl.visits.ofMember(id)).filter((v) => v.status === 'planned').length, 0)
      await assert.rejects(s.hl.members.changeStatus(rbkc, id, { status: 'active' }, CTX), invalid('hasLeft'))
    })

    test('deposit collections: counted, due for a refresh a week ahead, refreshed; the other borough answers 404', async () => {
      const add = (site: string, refreshWeeks: number) =>
        s.hl.deposits.add(
          rbkc,
          { borough: s.boroughs.rbkc, site, kind: 'hospital', itemsPlaced: 30, refreshWeeks },
          CTX,
        )
      const soon = await add('Outpatients waiting area', 1)
      const later = await add('Patient transport team', 6)
      const listed = await s.hl.deposits.list(rbkc)
      assert.equal(listed.find((d) => d.id === soon)?.due, true)
      assert.equal(listed.find((d) => d.id === later)?.due, false)
      assert.equal((await s.hl.deposits.list(wcc)).length, 0)
      await s.hl.deposits.refresh(rbkc, soon, 45, CTX)
      const refreshed = (await s.hl.deposits.list(rbkc)).find((d) => d.id === soon)
      assert.equal(refreshed?.items_placed, 45)
      assert.equal(refreshed?.refresh_on, addDays(today, 7))
      await assert.rejects(s.hl.deposits.refresh(wcc, soon, 10, CTX), NotFound)
      const viewer = staffIn([s.boroughs.rbkc], ['home-library.view'])
      await assert.rejects(s.hl.deposits.refresh(viewer, soon, 10, CTX), Forbidden)
    })

    test("figures: the borough's active members on a date, leavers by reason, visits and items", async () => {
      const manager = staffIn([s.boroughs.rbkc], ['home-library.figures'])
      const before = await s.hl.figures.figures(manager, { on: today, year: Number(today.slice(0, 4)) })
      assert.equal(before.boroughs.length, 1)
      const rb = before.boroughs[0]
      assert.ok(rb)
      const active = await database.db
        .selectFrom('home_library_members')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('borough_id', '=', s.boroughs.rbkc)
        .where('status', '=', 'active')
        .executeTakeFirstOrThrow()
      assert.equal(rb.active, Number(active.n))
      assert.equal(rb.left['moved-into-care'], 1)
      assert.equal(rb.visitsDone, 2)
      assert.equal(rb.visitsMissed, 1)
      assert.equal(rb.digitalMinutes, 40)
      assert.equal(rb.itemsTotal, 2)
      assert.equal(rb.peopleVisited, 1)

      await s.hl.members.add(
        rbkc,
        { ...memberAnswers(), name: 'New Joiner', borough: s.boroughs.rbkc, phone: '', postcode: '' },
        CTX,
      )
      const after = await s.hl.figures.figures(manager, { on: today, year: Number(today.slice(0, 4)) })
      assert.equal(after.boroughs[0]?.active, rb.active + 1)
      // Yesterday, none of this year's test members had joined.
      const yesterday = await s.hl.figures.figures(manager, { on: addDays(today, -1), year: 2026 })
      assert.equal(yesterday.boroughs[0]?.active, 0)
      await assert.rejects(
        s.hl.figures.figures(rbkc, { on: today, year: 2026 }).then(() =>
          s.hl.figures.figures(staffIn([s.boroughs.rbkc], ['home-library.view']), {
            on: today,
            year: 2026,
          }),
        ),
        Forbidden,
      )
    })

    test("planning the coming weeks adds each current member's visits once, in the planner's borough only", async () => {
      const add = (name: string, borough: string, user: typeof rbkc) =>
        s.hl.members.add(user, { ...memberAnswers(), name, borough, phone: '', postcode: '' }, CTX)
      const first = await add('Pat Planned', s.boroughs.rbkc, rbkc)
      const second = await add('Pip Planned', s.boroughs.rbkc, rbkc)
      const gone = await add('Lou Left', s.boroughs.rbkc, rbkc)
      await s.hl.members.changeStatus(rbkc, gone, { status: 'left', leftReason: 'moved-into-care' }, CTX)
      const elsewhere = await add('Wes Westminster', s.boroughs.wcc, wcc)
      const planned = async (id: string) =>
        (await s.hl.visits.ofMember(id)).filter((v) => v.status === 'planned').map((v) => v.due_on)
      const before = [await planned(first), await planned(second), await planned(elsewhere)]

      const added = await s.hl.visits.plan(rbkc, 12, CTX)
      const [a, b] = [await planned(first), await planned(second)]
      // Weekly on Tuesdays: about twelve weeks of visits each, none twice, the earlier ones kept.
      for (const [now, was] of [
        [a, before[0]],
        [b, before[1]],
      ] as const) {
        assert.ok(now.length >= 11 && now.length > (was?.length ?? 0), String(now.length))
        assert.equal(new Set(now).size, now.length)
        assert.ok(was?.every((day) => now.includes(day)))
      }
      assert.ok(added >= a.length - (before[0]?.length ?? 0) + b.length - (before[1]?.length ?? 0))
      assert.equal((await planned(gone)).length, 0)
      assert.deepEqual(await planned(elsewhere), before[2])
      // Planned again, nothing is added.
      assert.equal(await s.hl.visits.plan(rbkc, 12, CTX), 0)
    })
  })
}
