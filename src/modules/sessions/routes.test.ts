import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { TestClient } from '#tests/support/client.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { signedInClient } from '#tests/support/users.ts'
import { CTX, referralBody } from '../referrals/testing.ts'

const NEXT_YEAR = new Date().getUTCFullYear() + 1

/** What the public list says of one date's places (its entry, from the link to the next entry). */
function placesOn(html: string, id: string): string {
  const start = html.indexOf(`/sessions/${id}"`)
  assert.ok(start >= 0, 'the date is on the list')
  return html.slice(start, html.indexOf('</li>', start))
}

function errors(html: string): string[] {
  return [...html.matchAll(/<a href="#[^"]*">([^<]*)<\/a>/g)].map((m) => m[1] as string)
}

for (const dialect of DIALECTS) {
  describe(`sessions pages on ${dialect}`, () => {
    let hub: TestHub
    let staff: TestClient
    let dateUrl: string

    before(async () => {
      hub = await testHub(dialect)
      ;({ client: staff } = await signedInClient(hub, {
        roles: ['volunteer-coordinator'],
        boroughs: ['rbkc'],
      }))
    })
    after(() => hub.close())

    test('staff add a weekly series; an impossible time is refused with every answer kept', async () => {
      const page = await staff.get('/staff/sessions/new')
      assert.equal(page.statusCode, 200)
      const borough = /<option value="([^"]+)">Royal Borough of Kensington and Chelsea<\/option>/.exec(
        page.body,
      )?.[1]
      const library = (await hub.directory.listLibraries()).find(
        (l) => l.borough === 'Kensington and Chelsea',
      )
      assert.ok(borough && library)
      const form = {
        title: 'Tuesday IT clinic',
        kind: 'drop-in',
        boroughId: borough,
        venue: 'place',
        locationId: library.id,
        language: 'English',
        description: 'Bring your questions',
        whatToBring: 'Your phone and passwords',
        capacity: '1',
        'start-day': '21',
        'start-month': '3',
        'start-year': String(NEXT_YEAR),
        startTime: '01:30',
        endTime: '03:00',
        days: ['SU'],
        'until-day': '25',
        'until-month': '4',
        'until-year': String(NEXT_YEAR),
      }
      const refused = await staff.post('/staff/sessions/new', form)
      assert.equal(refused.statusCode, 400)
      assert.deepEqual(errors(refused.body), [
        'That time does not exist on one of the dates: the clocks go forward that night',
      ])
      assert.ok(refused.body.includes('value="Tuesday IT clinic"'))
      assert.ok(refused.body.includes('value="Your phone and passwords"'))
      assert.match(refused.body, /name="until-day" type="text"[^>]* value="25"/)
      // A day that does not exist: the summary links to the day field, the typed answer kept.
      const noDay = await staff.post('/staff/sessions/new', {
        ...form,
        'start-day': '30',
        'start-month': '2',
      })
      assert.equal(noDay.statusCode, 400)
      assert.match(
        noDay.body,
        /<a href="#start-day">Enter the first date as a real date, like 12 1 2027<\/a>/,
      )
      assert.match(noDay.body, /name="start-day" type="text"[^>]* value="30"/)

      const made = await staff.post('/staff/sessions/new', {
        ...form,
        startTime: '10:00',
        endTime: '12:00',
        days: ['TU'],
        'start-day': '5',
        'start-month': '1',
        'until-day': '2',
        'until-month': '2',
        'skip1-day': '19',
        'skip1-month': '1',
        'skip1-year': String(NEXT_YEAR),
      })
      assert.equal(made.statusCode, 303, errors(made.body).join('; '))
      const session = await staff.follow(made)
      assert.equal(session.statusCode, 200)
      const dates = [...session.body.matchAll(/href="(\/staff\/sessions\/dates\/[^"]+)"/g)].map(
        (m) => m[1] as string,
      )
      assert.ok(dates.length >= 4)
      dateUrl = dates[0] as string
      assert.match(session.body, /10am to 12pm/)
      assert.doesNotMatch(session.body, /Tuesday 19 January/, 'the date without a session')
      assert.match(session.body, /Tuesday 26 January/)
      const list = await staff.get('/staff/sessions')
      assert.ok(list.body.includes('Tuesday IT clinic'))

      const near = await new TestClient(hub.app).get('/sessions?postcode=W8+4RT&kind=drop-in')
      assert.equal(near.statusCode, 200)
      assert.match(near.body, /Tuesday IT clinic/)
      assert.match(near.body, /\d+\.\d miles/)
      const unknown = await new TestClient(hub.app).get('/sessions?postcode=M1+1AA')
      assert.match(unknown.body, /We do not know that postcode/)
      const resident = new TestClient(hub.app)
      const later = await resident.get(`/sessions?date-day=20&date-month=1&date-year=${NEXT_YEAR}`)
      assert.match(later.body, /Tuesday 26 January/)
      assert.doesNotMatch(later.body, /Tuesday 12 January/, 'a date before the day asked for')
      assert.match(later.body, /name="date-day" type="text"[^>]* value="20"/)
      const impossible = await resident.get(`/sessions?date-day=31&date-month=2&date-year=${NEXT_YEAR}`)
      assert.match(impossible.body, /Enter the date as a real date, like 12 1 2027/)
      assert.match(impossible.body, /name="date-day" type="text"[^>]* value="31"/)
      assert.match(impossible.body, /Tuesday 12 January/, 'listed from today')
      const feed = await new TestClient(hub.app).get(`/sessions/places/${library.id}/calendar.ics`)
      assert.equal(feed.statusCode, 200)
      assert.equal(feed.body.match(/BEGIN:VEVENT/g)?.length, dates.length)
      assert.match(feed.body, /DTSTART:\d{8}T100000Z/)
    })

    test('a resident books without an account, joins the waiting list when full, and cancels with the reference', async () => {
      const id = dateUrl.split('/').pop() as string
      const resident = new TestClient(hub.app, '10.0.0.7')
      const list = await resident.get('/sessions')
      assert.equal(list.statusCode, 200)
      assert.ok(list.body.includes(`/sessions/${id}`))
      assert.match(placesOn(list.body, id), /1 place left/)
      const page = await resident.get(`/sessions/${id}`)
      assert.match(page.body, /1 place left/)
      // The place's access features, from the directory, on the session's own page.
      assert.match(
        page.body,
        /Getting in and around [^<]+<\/h2>\s*<ul class="govuk-list govuk-list--bullet">\s*<li>/,
      )

      await resident.get(`/sessions/${id}/book`)
      const invalid = await resident.post(`/sessions/${id}/book`, {
        name: 'Ana Resident',
        contactBy: 'email',
        email: 'not-an-email',
      })
      assert.equal(invalid.statusCode, 400)
      assert.deepEqual(errors(invalid.body), ['Enter an email address like name@example.com'])
      assert.ok(invalid.body.includes('value="Ana Resident"'))
      // A length error names its field, in the order of the form.
      const long = await resident.post(`/sessions/${id}/book`, {
        name: 'x'.repeat(101),
        contactBy: 'phone',
        phone: '0'.repeat(31),
      })
      assert.deepEqual(errors(long.body), [
        'The name must be 100 characters or fewer',
        'The phone number must be 30 characters or fewer',
      ])

      const booked = await resident.post(`/sessions/${id}/book`, {
        name: 'Ana Resident',
        contactBy: 'email',
        email: 'ana@example.org',
        safeToContact: 'yes',
      })
      assert.equal(booked.statusCode, 303, errors(booked.body).join('; '))
      const confirmation = await resident.follow(booked)
      assert.equal(confirmation.statusCode, 200)
      assert.match(confirmation.body, /Booking confirmed/)
      const reference = /<strong>([A-Z2-9]{4}-[A-Z2-9]{4})<\/strong>/.exec(confirmation.body)?.[1]
      assert.ok(reference)

      // The last place is taken: the next person, who will just come in, joins the waiting list.
      const second = new TestClient(hub.app, '10.0.0.8')
      await second.get(`/sessions/${id}/book`)
      const waiting = await second.follow(
        await second.post(`/sessions/${id}/book`, { name: 'Bo Walk-in', contactBy: 'none' }),
      )
      assert.match(waiting.body, /You are on the waiting list/)
      // The list is kept rendered (the page cache), yet moves with the booking at once.
      assert.match(placesOn((await resident.get('/sessions')).body, id), /Full/)

      await resident.get('/sessions/booking')
      const wrong = await resident.post('/sessions/booking', { reference, contact: 'someone@else.org' })
      assert.equal(wrong.statusCode, 400)
      assert.deepEqual(errors(wrong.body), [
        'We could not find a booking with that reference and contact detail',
      ])

      const mine = await resident.post('/sessions/booking', {
        reference: reference.toLowerCase(),
        contact: 'ANA@example.org',
      })
      assert.equal(mine.statusCode, 200)
      assert.match(mine.body, /Booked/)
      const ics = await resident.post('/sessions/booking/calendar', { reference, contact: 'ana@example.org' })
      assert.equal(ics.statusCode, 200)
      assert.match(String(ics.headers['content-type']), /text\/calendar/)
      assert.match(ics.body, /BEGIN:VEVENT\r\n/)
      assert.match(ics.body, /SUMMARY:Tuesday IT clinic/)

      const cancelled = await resident.post('/sessions/booking/cancel', {
        reference,
        contact: 'ana@example.org',
      })
      assert.equal(cancelled.statusCode, 303)
      assert.match((await resident.follow(cancelled)).body, /Your booking is cancelled/)
      const again = await resident.post('/sessions/booking/cancel', { reference, contact: 'ana@example.org' })
      assert.equal(again.statusCode, 400)
      assert.deepEqual(errors(again.body), ['This booking is already cancelled'])
    })

    test('the register: the person offered the freed place shows, and staff book someone in and mark them', async () => {
      const page = await staff.get(dateUrl)
      assert.equal(page.statusCode, 200)
      assert.ok(page.body.includes('Bo Walk-in (Place offered)'))
      await staff.get(`${dateUrl}/book`)
      const full = await staff.post(`${dateUrl}/book`, {
        name: 'Cy Phone',
        contactBy: 'phone',
        phone: '07700 900123',
      })
      assert.equal(full.statusCode, 303)
      const register = await staff.follow(full)
      assert.ok(register.body.includes('Cy Phone'), 'on the waiting list')
      const bookingId = /name="bookingId" value="([^"]+)"/.exec(register.body)?.[1] as string
      const figures = await staff.get('/staff/sessions/figures?from=2026-01&to=2026-12')
      assert.equal(figures.statusCode, 200)
      assert.match(figures.body, /People helped/)
      const typed = await staff.get(
        '/staff/sessions/figures?from-month=1&from-year=2026&to-month=14&to-year=2026',
      )
      assert.equal(typed.statusCode, 400)
      assert.match(typed.body, /<a href="#to-month">Enter a real month and year, like 1 2027<\/a>/)
      assert.match(typed.body, /name="to-month" type="text"[^>]* value="14"/)
      assert.match(typed.body, /name="from-month" type="text"[^>]* value="1"/)
      const csv = await staff.get('/staff/sessions/figures.csv?from=2026-01&to=2026-12')
      assert.equal(csv.statusCode, 200)
      assert.ok(csv.body.startsWith('\uFEFFMonth,Borough,Place,Type,Sessions held'))
      const refused = await staff.post(`${dateUrl}/register`, { bookingId })
      assert.equal(refused.statusCode, 400)
      assert.deepEqual(errors(refused.body), ['Choose attended, did not come or cancelled late'])
      await staff.post(`${dateUrl}/book`, { name: 'Di Phone', contactBy: 'phone', phone: '07700 900124' })
      const waiting = await staff.get(dateUrl)
      const cy =
        /name="bookingId" value="([^"]+)">\s*<div class="govuk-form-group">\s*<label[^>]*for="reason-([^"]+)"/.exec(
          waiting.body.slice(waiting.body.indexOf('Cy Phone ·')),
        )?.[1] as string
      assert.ok(cy, 'Cy can be moved')
      const noReason = await staff.post(`${dateUrl}/waiting-list`, { bookingId: cy, direction: 'down' })
      assert.equal(noReason.statusCode, 400)
      assert.equal(errors(noReason.body).length, 1)
      const moved = await staff.post(`${dateUrl}/waiting-list`, {
        bookingId: cy,
        direction: 'down',
        reason: 'Away next week',
      })
      assert.equal(moved.statusCode, 303)
      const after = (await staff.follow(moved)).body
      assert.ok(after.indexOf('Di Phone ·') < after.indexOf('Cy Phone ·'), 'Di is now before Cy')
      assert.match(after, /Moved because: Away next week/)
    })
    test("a librarian books someone in from a referral's case page: the request becomes scheduled", async () => {
      const { client: officer, user } = await signedInClient(hub, {
        roles: ['triage-officer'],
        boroughs: ['rbkc'],
      })
      const { reference } = await hub.referrals.submit(
        referralBody({ needs: [{ kind: 'skills', ways: 'drop-in', goals: ['nhs-app'] }] }),
        { source: 'partner-web', privacyNoticeVersion: 'v1' },
        CTX,
      )
      const referral = await hub.database.db
        .selectFrom('referrals')
        .select('id')
        .where('reference', '=', reference)
        .executeTakeFirstOrThrow()
      const need = await hub.database.db
        .selectFrom('referral_needs')
        .select('id')
        .where('referral_id', '=', referral.id)
        .executeTakeFirstOrThrow()
      const triager = {
        id: user.id,
        name: 'T',
        email: user.email,
        roles: [],
        permissions: new Set(['referrals.view', 'referrals.triage'] as const),
        boroughs: 'all' as const,
      }
      for (const to of ['in-triage', 'routed'] as const)
        await hub.referrals.changeNeed(triager, { referralId: referral.id, needId: need.id, to }, CTX)

      const casePage = await officer.get(`/staff/referrals/${referral.id}`)
      const link = /href="(\/staff\/sessions\?need=[^"]+)"/.exec(casePage.body)?.[1] as string
      assert.ok(link, 'the case page offers a session')
      const list = await officer.get(link.replaceAll('&amp;', '&'))
      const sessionLink = /href="(\/staff\/sessions\/[^"?]+\?need=[^"]+)"/.exec(list.body)?.[1] as string
      const session = await officer.get(sessionLink)
      const dateLink = [
        ...session.body.matchAll(/href="(\/staff\/sessions\/dates\/[^"?]+\?need=[^"]+)"/g),
      ][1]?.[1] as string
      const date = await officer.get(dateLink)
      const bookLink = /href="(\/staff\/sessions\/dates\/[^"]+\/book\?need=[^"]+)"/.exec(
        date.body,
      )?.[1] as string
      const form = await officer.get(bookLink)
      assert.match(form.body, new RegExp(`name="needId" value="${need.id}"`))
      assert.match(form.body, /For referral [A-Z2-9]{4}-[A-Z2-9]{4}: the booking is linked to the person/)
      assert.match(form.body, /id="name" name="name" type="text"[^>]* value="Ana Test"/)
      const booked = await officer.post(bookLink.split('?')[0] as string, {
        needId: need.id,
        name: 'Ana Test',
        contactBy: 'phone',
        phone: '07700 900001',
        safeToContact: 'yes',
      })
      assert.equal(booked.statusCode, 303)
      const status = await hub.database.db
        .selectFrom('referral_needs')
        .select('status')
        .where('id', '=', need.id)
        .executeTakeFirstOrThrow()
      assert.equal(status.status, 'scheduled')
      const linked = await hub.database.db
        .selectFrom('help_session_bookings as b')
        .innerJoin('referrals as r', 'r.person_id', 'b.person_id')
        .select('b.id')
        .where('b.need_id', '=', need.id)
        .where('r.id', '=', referral.id)
        .execute()
      assert.equal(linked.length, 1, "the booking is the referral's person's")
    })
  })
}
