import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { dateInputValues } from '#platform/date-input.ts'
import { addDays, londonToday } from '#platform/london.ts'
import { TestClient } from '#tests/support/client.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { boroughId, createStaff, signedInClient, TEST_PASSWORD } from '#tests/support/users.ts'
import { activeVolunteer, CTX, staffIn } from './testing.ts'

describe('Volunteer rota pages', () => {
  let hub: TestHub
  let rbkc: string
  const today = londonToday()

  before(async () => {
    hub = await testHub('sqlite')
    rbkc = await boroughId(hub, 'rbkc')
  })
  after(() => hub.close())

  test('a coordinator adds a shift; a lapsed check is refused with its reason; a volunteer takes a place on their phone', async () => {
    const ready = await activeVolunteer(hub, 'rbkc', 'Pat Ready', {
      renewsOn: addDays(today, 300),
      courses: ['Safeguarding'],
    })
    const lapsed = await activeVolunteer(hub, 'rbkc', 'Lou Lapsed', {
      renewsOn: addDays(today, 2),
      courses: ['Safeguarding'],
    })
    const { client } = await signedInClient(hub, { roles: ['volunteer-coordinator'], boroughs: ['rbkc'] })
    const form = await client.get('/staff/volunteers/rota/new')
    assert.equal(form.statusCode, 200)
    const safeguarding = String(
      /value="([0-9a-f-]{36})"[^>]*>\s*<label[^>]*>\s*Safeguarding/.exec(form.body)?.[1],
    )
    const answers = {
      borough: rbkc,
      title: 'Tuesday IT clinic',
      place: 'Kensington Central Library',
      ...dateInputValues('date', addDays(today, 5)),
      start: '10:00',
      end: '12:00',
      places: '2',
      checkNeeded: 'enhanced',
      courses: safeguarding,
    }
    const bad = await client.post('/staff/volunteers/rota', { ...answers, end: '09:00' })
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /The end must be after the start/)
    assert.match(bad.body, /Tuesday IT clinic/)
    const noDay = await client.post('/staff/volunteers/rota', { ...answers, 'date-day': '' })
    assert.equal(noDay.statusCode, 400)
    assert.match(noDay.body, /href="#date-day">Enter the date as a real date, like 12 1 2027/)
    assert.match(noDay.body, /name="date-month" type="text" value="\d+"/)
    const made = await client.post('/staff/volunteers/rota', answers)
    assert.equal(made.statusCode, 303)
    const shiftUrl = String(made.headers.location)
    const page = await client.follow(made)
    assert.match(page.body, /Pat Ready/)
    assert.match(
      page.body,
      new RegExp(`data-refused="${lapsed.id}">Cannot go: The DBS check will have lapsed by then`),
    )
    const refused = await client.post(`${shiftUrl}/assign`, { volunteer: lapsed.id })
    assert.equal(refused.statusCode, 400)
    assert.match(refused.body, /The DBS check will have lapsed by then/)
    const rota = await client.get('/staff/volunteers/rota')
    assert.match(rota.body, /Tuesday IT clinic/)
    assert.match(rota.body, /Needs helpers/)

    // The volunteer, signed in on a phone, takes the place.
    const phone = new TestClient(hub.app)
    await phone.get('/staff/sign-in')
    assert.equal(
      (await phone.post('/staff/sign-in', { email: ready.account.email, password: TEST_PASSWORD }))
        .statusCode,
      303,
    )
    const mine = await phone.get('/staff/volunteering')
    assert.equal(mine.statusCode, 200)
    assert.match(mine.body, /Take this shift/)
    const shiftId = shiftUrl.split('/').pop()
    const taken = await phone.post(`/staff/volunteering/shifts/${shiftId}/claim`, {})
    assert.equal(taken.statusCode, 303)
    const after = await phone.follow(taken)
    assert.match(after.body, /My shifts[\s\S]*Tuesday IT clinic/)
    const again = await phone.post(`/staff/volunteering/shifts/${shiftId}/claim`, {})
    assert.equal(again.statusCode, 400)
    assert.match(again.body, /already on this shift/)
    assert.match((await client.get(shiftUrl)).body, /1 of 2 places filled/)
    // Hours they add wait for the coordinator; a day over 24 hours is refused with the answers kept.
    await phone.get('/staff/volunteering')
    const tooMany = await phone.post('/staff/volunteering/hours', {
      ...dateInputValues('workedOn', today),
      hours: '25',
      place: 'Chelsea Library',
      what: '=cmd|calc',
    })
    assert.equal(tooMany.statusCode, 400)
    assert.match(tooMany.body, /A day cannot have more than 24 hours/)
    assert.match(tooMany.body, /=cmd\|calc/)
    const noDate = await phone.post('/staff/volunteering/hours', {
      'workedOn-day': '3',
      'workedOn-month': '11',
      hours: '1',
      place: 'Chelsea Library',
      what: 'Job club',
    })
    assert.equal(noDate.statusCode, 400)
    assert.match(noDate.body, /href="#hours-workedOn-day">Enter the date as a real date, like 3 11 2026/)
    assert.match(noDate.body, /id="hours-workedOn-day" name="workedOn-day" type="text" value="3"/)
    const added = await phone.post('/staff/volunteering/hours', {
      ...dateInputValues('workedOn', today),
      hours: '1.5',
      place: '=HYPERLINK("http://bad")',
      what: 'Helped at the job club',
    })
    assert.equal(added.statusCode, 303)
    const waiting = await client.get('/staff/volunteers/hours')
    assert.match(waiting.body, /Pat Ready/)
    const hoursId = String(/action="\/staff\/volunteers\/hours\/([0-9a-f-]{36})"/.exec(waiting.body)?.[1])
    assert.equal(
      (await client.post(`/staff/volunteers/hours/${hoursId}`, { decision: 'approve' })).statusCode,
      303,
    )
    const figures = await client.get(`/staff/volunteers/figures?year=${today.slice(0, 4)}`)
    assert.equal(figures.statusCode, 200)
    assert.match(figures.body, /Pat Ready<\/a>: 1.5/)
    const csv = await client.get(`/staff/volunteers/figures.csv?year=${today.slice(0, 4)}`)
    assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8')
    assert.ok(csv.body.startsWith('\ufeffBorough,Measure,Period,Value\r\n'))
    assert.match(csv.body, /HYPERLINK/)
    // No cell begins with a character that makes Excel run it as a formula.
    for (const line of csv.body.replace('\ufeff', '').split('\r\n'))
      for (const cell of line.split(',')) assert.doesNotMatch(cell.replace(/^"/, ''), /^[=+\-@]/, line)
    const letter = await client.get(`/staff/volunteers/${ready.id}/letter?year=${today.slice(0, 4)}`)
    assert.match(letter.body, /Dear Pat Ready/)
    assert.match(letter.body, /You gave 1.5 hours of your time/)

    // They change their own details; a wrong address is shown again with the answers kept.
    await phone.get('/staff/volunteering')
    const wrong = await phone.post('/staff/volunteering/details', {
      email: 'pat@',
      phone: '07700 900 555',
      slots: [],
    })
    assert.equal(wrong.statusCode, 400)
    assert.match(wrong.body, /href="#details-email"/)
    assert.match(wrong.body, /Select at least one time you could help/)
    const saved = await phone.post('/staff/volunteering/details', {
      email: 'pat.ready@example.com',
      phone: '07700 900 555',
      slots: ['thu-afternoon'],
    })
    assert.equal(saved.statusCode, 303)
    assert.match((await phone.follow(saved)).body, /pat.ready@example.com/)

    // The volunteer sees nothing of the coordinator's pages.
    assert.equal((await phone.get('/staff/volunteers')).statusCode, 403)
    assert.equal((await phone.get(`/staff/volunteers/${ready.id}/checks`)).statusCode, 403)
  })

  test("a coordinator adds a Home Library round's shifts: bad times come back with the answers kept", async () => {
    const deliverer = await createStaff(hub, { roles: ['home-library-coordinator'], boroughs: ['rbkc'] })
    const roundId = await hub['home-library'].rounds.create(
      staffIn([rbkc], ['home-library.view', 'home-library.manage']),
      rbkc,
      {
        borough: rbkc,
        name: 'Kensal Monday',
        library: 'Kensal Library',
        weekday: 1,
        deliverer: deliverer.id,
      },
      CTX,
    )
    const { client } = await signedInClient(hub, { roles: ['volunteer-coordinator'], boroughs: ['rbkc'] })
    const form = await client.get('/staff/volunteers/rota/new')
    assert.match(form.body, /Shifts from a Home Library round/)
    assert.match(form.body, /Kensal Monday, Kensal Library/)
    const answers = {
      round: roundId,
      start: '13:00',
      end: '11:00',
      weeks: '2',
      places: '1',
      checkNeeded: 'basic',
    }
    const bad = await client.post('/staff/volunteers/rota/from-round', answers)
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /govuk-error-summary/)
    assert.match(bad.body, /href="#round-end"/)
    assert.match(bad.body, /id="round-start"[^>]*value="13:00"/)
    const good = await client.post('/staff/volunteers/rota/from-round', { ...answers, end: '15:00' })
    assert.equal(good.statusCode, 303)
    const rota = await client.get('/staff/volunteers/rota')
    assert.equal(rota.body.match(/Kensal Monday/g)?.length, 2)
  })
})
