import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { dateInputValues } from '#platform/date-input.ts'
import { londonToday } from '#platform/london.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { boroughId, createStaff, signedInClient } from '#tests/support/users.ts'
import { coordinator as devicesCoordinator, laptop, WIPE } from '../devices/testing.ts'
import { referralBody } from '../referrals/testing.ts'
import { CTX, memberAnswers, staffIn } from './testing.ts'

const idFrom = (location: unknown, prefix: string) =>
  String(location).replace(prefix, '').split(/[?#]/)[0] as string

describe('Home Library pages', () => {
  let hub: TestHub
  let rbkc: string
  let needId: string

  before(async () => {
    hub = await testHub('sqlite')
    rbkc = await boroughId(hub, 'rbkc')
    const { reference } = await hub.referrals.submit(
      referralBody({
        resident: { name: 'Winifred Reader' },
        needs: [{ kind: 'home-library', reason: 'housebound', interests: 'Detective stories' }],
      }),
      { source: 'partner-web', privacyNoticeVersion: 'v1' },
      CTX,
    )
    const row = await hub.database.db
      .selectFrom('referrals')
      .innerJoin('referral_needs', 'referral_needs.referral_id', 'referrals.id')
      .select(['referrals.id', 'referral_needs.id as needId'])
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow()
    needId = row.needId
    const officer = staffIn([rbkc], ['referrals.view', 'referrals.triage'])
    for (const to of ['in-triage', 'routed'] as const)
      await hub.referrals.changeNeed(officer, { referralId: row.id, needId, to }, CTX)
  })
  after(() => hub.close())

  test('a coordinator turns the referral into a member, rounds them, prints the sheet, records a visit and sees the figure move', async () => {
    const volunteer = await createStaff(hub, {
      roles: ['volunteer'],
      boroughs: ['rbkc'],
      name: 'Vic Volunteer',
    })
    const { client } = await signedInClient(hub, { roles: ['home-library-coordinator'], boroughs: ['rbkc'] })
    const onToday = new URLSearchParams(dateInputValues('on', londonToday())).toString()
    const figure = async () => {
      const page = await client.get(`/staff/home-library/figures?${onToday}`)
      assert.equal(page.statusCode, 200)
      return Number(/data-figure="active">(\d+)</.exec(page.body)?.[1])
    }
    const before = await figure()

    const list = await client.get('/staff/home-library')
    assert.equal(list.statusCode, 200)
    assert.match(list.body, /Make Winifred Reader a member/)
    const form = await client.get(`/staff/home-library/requests/${needId}`)
    assert.match(form.body, /Detective stories/)
    const answers = {
      basis: 'housebound',
      evidence: 'Spoke to their carer',
      deliveryDay: '2',
      dayPart: 'morning',
      frequency: 'weekly',
      ...dateInputValues('startsOn', londonToday()),
      maxItems: '3',
      formats: ['large-print', 'audiobook-cd'],
      likes: 'Detective stories',
      dislikes: 'No swearing',
      accessNotes: 'Key safe code from the daughter',
      emergencyContact: 'Daughter, 07700 900456',
      communication: 'phone-only',
      digitalSupport: 'yes',
    }
    // Invalid: the page again with 400, the summary, and every answer kept.
    const bad = await client.post(`/staff/home-library/requests/${needId}`, {
      ...answers,
      maxItems: '40',
      formats: [],
    })
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /govuk-error-summary/)
    assert.match(bad.body, /Enter the most items per visit/)
    assert.match(bad.body, /Select at least one format/)
    assert.match(bad.body, /Spoke to their carer/)
    // A length error names its field.
    const long = await client.post(`/staff/home-library/requests/${needId}`, {
      ...answers,
      likes: 'x'.repeat(1001),
    })
    assert.equal(long.statusCode, 400)
    assert.match(long.body, /href="#likes">Likes must be 1000 characters or fewer/)
    const joined = await client.post(`/staff/home-library/requests/${needId}`, answers)
    assert.equal(joined.statusCode, 303)
    const memberId = idFrom(joined.headers.location, '/staff/home-library/members/')
    const memberPage = await client.follow(joined)
    assert.match(memberPage.body, /Winifred Reader is now a member/)
    assert.doesNotMatch(memberPage.body, /Key safe code/)
    const need = await hub.database.db
      .selectFrom('referral_needs')
      .select('status')
      .where('id', '=', needId)
      .executeTakeFirstOrThrow()
    assert.equal(need.status, 'in-progress')

    const access = await client.get(`/staff/home-library/members/${memberId}/access`)
    assert.equal(access.statusCode, 200)
    assert.match(access.body, /Key safe code from the daughter/)
    assert.match(access.body, /07700 900456/)

    await client.get('/staff/home-library/rounds/new')
    const made = await client.post('/staff/home-library/rounds', {
      borough: rbkc,
      name: 'Kensington Tuesday',
      library: 'Kensington Central Library',
      weekday: '2',
      deliverer: volunteer.id,
    })
    assert.equal(made.statusCode, 303)
    const roundId = idFrom(made.headers.location, '/staff/home-library/rounds/')
    await client.get(`/staff/home-library/rounds/${roundId}`)
    assert.equal(
      (await client.post(`/staff/home-library/rounds/${roundId}/stops`, { member: memberId })).statusCode,
      303,
    )
    const round = await client.get(`/staff/home-library/rounds/${roundId}`)
    assert.match(round.body, /Winifred Reader/)

    const office = await client.get(`/staff/home-library/rounds/${roundId}/sheet`)
    assert.equal(office.statusCode, 200)
    assert.match(office.body, /Winifred Reader \(morning\)/)
    assert.match(office.body, /Large print, [^<]+ · Up to 3 items/)
    assert.match(office.body, /<strong>Likes:<\/strong> Detective stories/)
    assert.doesNotMatch(office.body, /Key safe code|Daughter, 07700/)
    const deliverers = await client.get(`/staff/home-library/rounds/${roundId}/sheet?copy=deliverer`)
    assert.match(deliverers.body, /Key safe code from the daughter/)
    assert.match(deliverers.body, /<strong>Emergency contact:<\/strong> Daughter, 07700 900456/)
    assert.match(deliverers.body, /hub-print-page/)

    const visit = (await hub['home-library'].visits.ofMember(memberId)).sort((a, b) =>
      a.due_on.localeCompare(b.due_on),
    )[0]
    assert.ok(visit)
    const doorstep = await client.get(`/staff/home-library/visits/${visit.id}`)
    assert.equal(doorstep.statusCode, 200)
    assert.match(doorstep.body, /Detective stories/)
    const tooMany = {
      outcome: 'done',
      title1: 'A',
      format1: 'large-print',
      title2: 'B',
      format2: 'large-print',
      title3: 'C',
      format3: 'large-print',
      title4: 'D',
      format4: 'large-print',
    }
    const refused = await client.post(`/staff/home-library/visits/${visit.id}`, tooMany)
    assert.equal(refused.statusCode, 400)
    assert.match(refused.body, /more items than this member has per visit/)
    const recorded = await client.post(`/staff/home-library/visits/${visit.id}`, {
      outcome: 'done',
      title1: 'The Hound of the Baskervilles',
      author1: 'Arthur Conan Doyle',
      format1: 'large-print',
      identifier1: '9780140437867',
      digitalMinutes: '25',
      digitalHelp: 'Video call with family',
    })
    assert.equal(recorded.statusCode, 303)
    assert.match((await client.follow(recorded)).body, /Visit recorded/)

    // The next visit warns before sending the same title again.
    const next = (await hub['home-library'].visits.ofMember(memberId)).find((v) => v.status === 'planned')
    assert.ok(next)
    await client.get(`/staff/home-library/visits/${next.id}`)
    const again = await client.post(`/staff/home-library/visits/${next.id}`, {
      outcome: 'done',
      title1: 'hound of the baskervilles',
      author1: 'Doyle, Arthur Conan',
      format1: 'large-print',
    })
    assert.equal(again.statusCode, 400)
    assert.match(again.body, /These titles were delivered before/)
    assert.match(again.body, /Send them again anyway/)

    assert.equal(await figure(), before + 1)
    const csv = await client.get(`/staff/home-library/figures.csv?${onToday}`)
    assert.equal(csv.statusCode, 200)
    assert.match(String(csv.headers['content-type']), /text\/csv/)
    assert.ok(csv.body.startsWith('\ufeffBorough,Measure'))
    assert.match(csv.body, new RegExp(`Kensington and Chelsea,Active members,${londonToday()},${before + 1}`))
  })

  test('a tablet lent from the member page: a missing due date is asked again with the answers kept; then it is on loan', async () => {
    const deviceStaff = devicesCoordinator([rbkc])
    const [library] = await hub.devices.librariesInScope(deviceStaff)
    assert.ok(library)
    const deviceId = await hub.devices.addDevice(deviceStaff, laptop(library.id, { kind: 'tablet' }), CTX)
    await hub.devices.recordWipe(deviceStaff, deviceId, WIPE, CTX)
    await hub.devices.markReady(deviceStaff, deviceId, CTX)
    const tag = (await hub.devices.getDevice(deviceStaff, deviceId)).device.asset_tag
    const memberId = await hub['home-library'].members.add(
      staffIn([rbkc]),
      { ...memberAnswers(), name: 'Tobias Tablet', borough: rbkc, phone: '', postcode: '' },
      CTX,
    )
    const { client } = await signedInClient(hub, { roles: ['home-library-coordinator'], boroughs: ['rbkc'] })
    const page = await client.get(`/staff/home-library/members/${memberId}`)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Date it is due back/)
    const answers = {
      kind: 'lent-tablet',
      device: tag,
      help: 'Showed him BorrowBox',
      agreedName: 'Tobias Tablet',
      items: 'charger',
    }
    const missing = await client.post(`/staff/home-library/members/${memberId}/devices`, answers)
    assert.equal(missing.statusCode, 400)
    assert.match(missing.body, /Enter the date the tablet is due back/)
    assert.match(missing.body, /value="Tobias Tablet"/)
    const lent = await client.post(`/staff/home-library/members/${memberId}/devices`, {
      ...answers,
      ...dateInputValues('dueOn', londonToday()),
    })
    assert.equal(lent.statusCode, 303)
    assert.equal((await hub.devices.getDevice(deviceStaff, deviceId)).device.status, 'on-loan')
    assert.match((await client.follow(lent)).body, new RegExp(tag))
  })

  test('access notes are hidden from every other role; the other borough answers 404', async () => {
    const memberId = await hub['home-library'].members.add(
      staffIn([rbkc]),
      {
        basis: 'carer',
        evidence: 'Carer',
        deliveryDay: 3,
        dayPart: 'afternoon',
        frequency: 'fortnightly',
        startsOn: londonToday(),
        maxItems: 2,
        formats: ['magazine'],
        likes: '',
        dislikes: '',
        accessNotes: 'Beware of the parrot',
        emergencyContact: 'Son, 07700 900789',
        communication: [],
        digitalSupport: 'no',
        name: 'Polly Carer',
        borough: rbkc,
        phone: '',
        postcode: '',
      },
      CTX,
    )
    const manager = await signedInClient(hub, { roles: ['manager'], boroughs: ['rbkc'] })
    assert.equal((await manager.client.get(`/staff/home-library/members/${memberId}/access`)).statusCode, 403)
    assert.equal((await manager.client.get(`/staff/home-library/members/${memberId}`)).statusCode, 403)
    assert.equal((await manager.client.get('/staff/home-library/figures')).statusCode, 200)
    const other = await signedInClient(hub, { roles: ['home-library-coordinator'], boroughs: ['wcc'] })
    assert.equal((await other.client.get(`/staff/home-library/members/${memberId}`)).statusCode, 404)
    assert.equal((await other.client.get(`/staff/home-library/members/${memberId}/access`)).statusCode, 404)
    const audit = await hub.database.db
      .selectFrom('audit_events')
      .select('fields_json')
      .where('record_id', '=', memberId)
      .execute()
    assert.doesNotMatch(JSON.stringify(audit), /parrot/)
  })

  test('dates are asked as day, month and year: a wrong one links to its day field and what was typed is kept', async () => {
    const memberId = await hub['home-library'].members.add(
      staffIn([rbkc]),
      { ...memberAnswers(), name: 'Dora Dates', borough: rbkc, phone: '', postcode: '' },
      CTX,
    )
    const { client } = await signedInClient(hub, { roles: ['home-library-coordinator'], boroughs: ['rbkc'] })
    const summaryLinks = (body: string) =>
      [...body.matchAll(/govuk-error-summary__list[\s\S]*?<\/ul>/g)].join('')

    const edit = await client.get(`/staff/home-library/members/${memberId}/edit`)
    assert.match(edit.body, /name="startsOn-day" type="text" value="1"/)
    assert.match(edit.body, /name="startsOn-month" type="text" value="12"/)
    assert.match(edit.body, /name="startsOn-year" type="text" value="2026"/)
    assert.doesNotMatch(edit.body, /type="date"/)
    const wrong = await client.post(`/staff/home-library/members/${memberId}`, {
      basis: 'housebound',
      evidence: 'Spoke to them',
      deliveryDay: '2',
      dayPart: 'morning',
      frequency: 'weekly',
      maxItems: '3',
      formats: 'large-print',
      digitalSupport: 'no',
      'startsOn-day': '31',
      'startsOn-month': '2',
      'startsOn-year': '2027',
      'reviewOn-day': '1',
      'reviewOn-month': '13',
      'reviewOn-year': '2027',
    })
    assert.equal(wrong.statusCode, 400)
    const links = summaryLinks(wrong.body)
    assert.match(links, /href="#reviewOn-day">Enter the review date as a real date, for example 31 3 2027/)
    assert.match(links, /href="#startsOn-day">Enter the first visit date as a real date/)
    assert.ok(links.indexOf('#reviewOn-day') < links.indexOf('#startsOn-day'), 'in the order of the page')
    assert.match(wrong.body, /name="startsOn-day" type="text" value="31"/)
    assert.match(wrong.body, /name="reviewOn-month" type="text" value="13"/)
    assert.match(wrong.body, /govuk-input--error" id="startsOn-day"/)

    const visit = await client.post(`/staff/home-library/members/${memberId}/visits`, {
      'day-day': '2',
      'day-month': 'March',
      'day-year': '2027',
    })
    assert.equal(visit.statusCode, 400)
    assert.match(summaryLinks(visit.body), /href="#day-day">Enter the visit date as a real date/)
    assert.match(visit.body, /name="day-month" type="text" value="March"/)
    const paused = await client.post(`/staff/home-library/members/${memberId}/status`, {
      status: 'paused',
      'pausedUntil-day': '40',
      'pausedUntil-month': '1',
      'pausedUntil-year': '2027',
    })
    assert.equal(paused.statusCode, 400)
    assert.match(summaryLinks(paused.body), /href="#pausedUntil-day"/)
    const back = await client.post(`/staff/home-library/members/${memberId}/status`, {
      status: 'paused',
      ...dateInputValues('pausedUntil', '2027-01-15'),
    })
    assert.equal(back.statusCode, 303)
    assert.equal(
      (await hub['home-library'].members.get(staffIn([rbkc]), memberId, CTX)).paused_until,
      '2027-01-15',
    )

    const figures = await client.get(
      '/staff/home-library/figures?on-day=30&on-month=2&on-year=2026&year=2026',
    )
    assert.equal(figures.statusCode, 400)
    assert.match(summaryLinks(figures.body), /href="#on-day">Enter the date as a real date/)
    assert.match(figures.body, /name="on-day" type="text" value="30"/)
  })
})
