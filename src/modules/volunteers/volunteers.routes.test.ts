import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { dateInputValues } from '#platform/date-input.ts'
import { addDays, londonToday } from '#platform/london.ts'
import { TestClient } from '#tests/support/client.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { boroughId, createStaff, signedInClient } from '#tests/support/users.ts'

describe('Volunteers pages', () => {
  let hub: TestHub
  let rbkc: string

  before(async () => {
    hub = await testHub('sqlite')
    rbkc = await boroughId(hub, 'rbkc')
  })
  after(() => hub.close())

  test('applying with no account: one question a page, errors with answers kept, check answers, sent', async () => {
    const coordinator = await createStaff(hub, { roles: ['volunteer-coordinator'], boroughs: ['rbkc'] })
    const library = (await hub.directory.listLibraries()).find((l) => l.borough_id === rbkc)
    assert.ok(library)
    const browser = new TestClient(hub.app)
    const start = await browser.get('/volunteer')
    assert.equal(start.statusCode, 200)
    assert.match(start.body, /Volunteer as a digital helper/)
    // A question page with no application begun goes back to the start.
    assert.equal((await browser.get('/volunteer/skills')).headers.location, '/volunteer?expired=1')
    await browser.get('/volunteer')
    const begun = await browser.post('/volunteer/start', {})
    assert.equal(begun.headers.location, '/volunteer/name')
    await browser.follow(begun)
    // Later questions wait for earlier ones.
    assert.equal((await browser.get('/volunteer/skills')).headers.location, '/volunteer/name')
    await browser.get('/volunteer/name')
    const empty = await browser.post('/volunteer/name', { name: '  ' })
    assert.equal(empty.statusCode, 400)
    assert.match(empty.body, /govuk-error-summary/)
    assert.match(empty.body, /Enter your name/)

    const pages: [string, Record<string, string | string[]>][] = [
      ['name', { name: 'Tomasz Nowak' }],
      ['contact', { email: 'tomasz@example.com', phone: '07700 900 982' }],
      ['availability', { slots: ['mon-morning', 'sat-afternoon'] }],
      ['languages', { languages: 'English, Polish' }],
      ['skills', { skills: 'I fix computers for neighbours' }],
      ['libraries', { libraries: library.id }],
      ['referees', { referees: 'Ann Smith 07700 900111' }],
      ['consents', { consents: 'dbs' }],
    ]
    for (const [page, answers] of pages) {
      await browser.get(`/volunteer/${page}`)
      if (page === 'contact') {
        const bad = await browser.post('/volunteer/contact', { email: 'not-an-email', phone: '123' })
        assert.equal(bad.statusCode, 400)
        assert.match(bad.body, /Enter an email address like name@example.com/)
        assert.match(bad.body, /Enter a UK phone number/)
        assert.match(bad.body, /not-an-email/)
      }
      if (page === 'availability') {
        // Availability that makes no sense: none, or times that are not on the list.
        for (const slots of [[], ['sun-night']]) {
          const bad = await browser.post('/volunteer/availability', { slots })
          assert.equal(bad.statusCode, 400, String(slots))
          assert.match(bad.body, /Select (at least one time|times from the list)/)
        }
      }
      const res = await browser.post(`/volunteer/${page}`, answers)
      assert.equal(res.statusCode, 303, page)
    }
    const check = await browser.get('/volunteer/check')
    assert.equal(check.statusCode, 200)
    for (const words of [
      'Tomasz Nowak',
      'tomasz@example.com',
      'Monday morning',
      'English, Polish',
      library.name,
    ])
      assert.ok(check.body.includes(words), words)
    const sent = await browser.post('/volunteer/check', {})
    assert.equal(sent.headers.location, '/volunteer/sent')
    const done = await browser.follow(sent)
    assert.match(done.body, /Application sent/)
    assert.match(done.body, /What happens next/)
    // The answers are gone from the browser: the journey starts again.
    assert.equal((await browser.get('/volunteer/check')).headers.location, '/volunteer?expired=1')
    const told = await hub.database.db
      .selectFrom('outbox')
      .select('template')
      .where('recipient', '=', coordinator.email)
      .execute()
    assert.deepEqual(told, [{ template: 'volunteers-applied' }])
  })

  test('the coordinator moves an application on, records the check, and the record shows who and when; a manager never sees the check', async () => {
    const { client, user } = await signedInClient(hub, {
      roles: ['volunteer-coordinator'],
      boroughs: ['rbkc'],
      name: 'Cora Coordinator',
    })
    const board = await client.get('/staff/volunteers')
    assert.equal(board.statusCode, 200)
    assert.match(board.body, /Tomasz Nowak/)
    const id = String(/\/staff\/volunteers\/([0-9a-f-]{36})/.exec(board.body)?.[1])
    const record = await client.get(`/staff/volunteers/${id}`)
    assert.match(record.body, /Monday morning/)
    assert.match(record.body, /by their application/)
    const moved = await client.post(`/staff/volunteers/${id}/move`, {
      from: 'applied',
      to: 'contacted',
      reason: '',
    })
    assert.equal(moved.statusCode, 303)
    const after = await client.follow(moved)
    assert.match(after.body, /by Cora Coordinator/)
    // The form was for "applied"; they have moved on since: nothing changes, and the page says why.
    const stale = await client.post(`/staff/volunteers/${id}/move`, { from: 'applied', to: 'contacted' })
    assert.equal(stale.statusCode, 400)
    const noReason = await client.post(`/staff/volunteers/${id}/move`, {
      from: 'contacted',
      to: 'left',
      reason: '',
    })
    assert.equal(noReason.statusCode, 400)
    assert.match(noReason.body, /Select why they left/)

    await client.get(`/staff/volunteers/${id}/checks`)
    const bad = await client.post(`/staff/volunteers/${id}/checks`, {
      level: 'enhanced',
      barredList: 'yes',
      certificate: '1234',
      ...dateInputValues('issuedOn', '2026-01-10'),
      updateService: 'no',
      'renewsOn-day': '31',
      'renewsOn-month': '9',
      'renewsOn-year': '2027',
      referencesReceived: '2',
    })
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /Enter the certificate number: 12 digits/)
    // A date is three fields: a wrong one links to its day field and what was typed stays.
    assert.match(bad.body, /href="#renewsOn-day">Enter the renewal date as a real date, like 27 3 2029/)
    assert.match(bad.body, /name="renewsOn-day" type="text" value="31"/)
    assert.doesNotMatch(bad.body, /type="date"/)
    const good = await client.post(`/staff/volunteers/${id}/checks`, {
      level: 'enhanced',
      barredList: 'yes',
      certificate: '0012 3456 7890',
      ...dateInputValues('issuedOn', '2026-01-10'),
      updateService: 'no',
      ...dateInputValues('renewsOn', addDays(londonToday(), 200)),
      referencesReceived: '2',
    })
    assert.equal(good.statusCode, 303)
    const shown = await client.follow(good)
    assert.match(shown.body, /data-check-state="in-date"/)
    assert.match(shown.body, /001234567890/)
    assert.match(shown.body, /name="issuedOn-day" type="text" value="10"/)
    assert.match(shown.body, /name="issuedOn-month" type="text" value="1"/)
    const views = await hub.database.db
      .selectFrom('audit_events')
      .select('id')
      .where('action', '=', 'volunteers.checks-viewed')
      .where('actor_user_id', '=', user.id)
      .execute()
    assert.ok(views.length >= 2)

    const withCourses = await client.get(`/staff/volunteers/${id}`)
    const course = String(/<option value="([0-9a-f-]{36})"/.exec(withCourses.body)?.[1])
    const training = { course, evidence: 'Certificate seen' }
    const april31 = await client.post(`/staff/volunteers/${id}/training`, {
      ...training,
      'completedOn-day': '31',
      'completedOn-month': '4',
      'completedOn-year': '2026',
    })
    assert.equal(april31.statusCode, 400)
    assert.match(april31.body, /href="#completedOn-day">Enter the date completed as a real date/)
    assert.match(april31.body, /name="completedOn-day" type="text" value="31"/)
    const trained = await client.post(`/staff/volunteers/${id}/training`, {
      ...training,
      ...dateInputValues('completedOn', addDays(londonToday(), -10)),
    })
    assert.equal(trained.statusCode, 303)

    const { client: manager } = await signedInClient(hub, { roles: ['manager'], boroughs: ['rbkc'] })
    const seen = await manager.get(`/staff/volunteers/${id}`)
    assert.equal(seen.statusCode, 200)
    assert.doesNotMatch(seen.body, /001234567890|DBS check and references/)
    assert.equal((await manager.get(`/staff/volunteers/${id}/checks`)).statusCode, 403)
    const { client: westminster } = await signedInClient(hub, {
      roles: ['volunteer-coordinator'],
      boroughs: ['wcc'],
    })
    assert.equal((await westminster.get(`/staff/volunteers/${id}`)).statusCode, 404)
  })
})
