import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { londonToday } from '#platform/london.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { signedInClient } from '#tests/support/users.ts'
import { anIccid } from './testing.ts'

/** The device coordinator's pages through the real app, forms with their CSRF tokens as a browser sends. */
describe('device pages', () => {
  let hub: TestHub
  let library: string
  before(async () => {
    hub = await testHub('sqlite')
    library = (await hub.directory.listLibraries()).find((l) => l.code === 'church-street')?.id as string
  })
  after(() => hub.close())

  const due = (day: string, month: string, year: string) => ({
    'dueOn-day': day,
    'dueOn-month': month,
    'dueOn-year': year,
  })
  const errorsOf = (html: string) =>
    [...html.matchAll(/<a href="#([^"]+)">([^<]*)<\/a>/g)].map((m) => `${m[1]}: ${m[2]}`)

  test('a donation comes in, a laptop is wiped, lent at the desk, handed over and taken back', async () => {
    const { client } = await signedInClient(hub, { roles: ['device-coordinator'], boroughs: ['wcc'] })
    assert.equal((await client.get('/staff/devices')).statusCode, 200)
    await client.get('/staff/devices/donations/new')
    let res = await client.post('/staff/devices/donations/new', {
      library,
      donorKind: 'organisation',
      donorName: 'Acme Ltd',
      donorEmail: '',
      'receivedOn-day': '1',
      'receivedOn-month': '12',
      'receivedOn-year': '2026',
      description: '3 laptops',
    })
    assert.equal(res.statusCode, 303, errorsOf(res.body).join())
    const donationPage = res.headers.location as string
    const donation = donationPage.split('/').pop() as string

    await client.get(`/staff/devices/new?donation=${donation}`)
    const answers = {
      kind: 'phone',
      makeModel: 'Samsung Galaxy A14',
      serial: 'R58T11',
      identifier: '490154203237517',
      source: 'donated',
      donation,
      condition: 'good',
      library,
    }
    res = await client.post('/staff/devices/new', answers)
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorsOf(res.body), ['identifier: That IMEI is not right: check the 15 digits again'])
    assert.match(res.body, /value="Samsung Galaxy A14"/, 'answers kept')
    assert.match(res.body, /value="490154203237517"/)
    // A length error names its field, in the order of the form.
    res = await client.post('/staff/devices/new', {
      ...answers,
      makeModel: 'x'.repeat(201),
      serial: 'y'.repeat(101),
    })
    assert.deepEqual(errorsOf(res.body), [
      'makeModel: Make and model must be 200 characters or fewer',
      'serial: Serial number must be 100 characters or fewer',
    ])

    res = await client.post('/staff/devices/new', {
      ...answers,
      kind: 'laptop',
      makeModel: 'Dell Latitude 5490',
      identifier: '',
    })
    assert.equal(res.statusCode, 303, errorsOf(res.body).join())
    const page = res.headers.location as string
    res = await client.post('/staff/devices/new', { ...answers, kind: 'laptop', identifier: '' })
    assert.deepEqual(errorsOf(res.body), ['serial: A device with that serial number is already in stock'])

    res = await client.get(page)
    assert.match(res.body, /Received/)
    res = await client.post(`${page}/ready`, {})
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /Record a data wipe first/)

    await client.get(`${page}/wipe`)
    res = await client.post(`${page}/wipe`, {
      method: 'Purge',
      standard: 'NIST SP 800-88 Rev. 1',
      tool: 'Blancco Drive Eraser 7',
      wipedBy: 'Sam Tech',
      'wipedOn-day': '1',
      'wipedOn-month': '12',
      'wipedOn-year': '2026',
      certificateRef: 'BLC-1',
    })
    assert.equal(res.statusCode, 303, errorsOf(res.body).join())
    await client.get(page)
    assert.equal((await client.post(`${page}/ready`, {})).statusCode, 303)

    await client.get(`${page}/allocate`)
    const desk = { kind: 'loan', via: 'desk', personName: 'Ada Obi' }
    res = await client.post(`${page}/allocate`, { ...desk, ...due('1', '1', '2020') })
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorsOf(res.body), ['dueOn-day: The due date must be today or later'])
    assert.match(res.body, /value="Ada Obi"/)
    // Not a real date: refused, the error links to the day, and what was typed is kept.
    res = await client.post(`${page}/allocate`, { ...desk, ...due('31', '2', '2027') })
    assert.deepEqual(errorsOf(res.body), [
      'dueOn-day: Enter the due date as a real date, for example 1 3 2027',
    ])
    assert.match(res.body, /id="dueOn-day" name="dueOn-day" type="text" value="31"/)
    assert.match(res.body, /id="dueOn-month" name="dueOn-month" type="text" value="2"/)
    assert.match(res.body, /govuk-input--error/)
    const [year, month, day] = londonToday().split('-')
    res = await client.post(`${page}/allocate`, { ...desk, ...due(String(day), String(month), String(year)) })
    assert.equal(res.statusCode, 303, errorsOf(res.body).join())

    await client.get(`${page}/hand-over`)
    res = await client.post(`${page}/hand-over`, { agreedName: 'Ada Obi', items: 'charger' })
    assert.deepEqual(errorsOf(res.body), ['accepted: The resident must accept the agreement'])
    assert.match(res.body, /value="charger" checked/)
    res = await client.post(`${page}/hand-over`, {
      agreedName: 'Ada Obi',
      accepted: 'yes',
      items: ['charger', 'case'],
    })
    assert.equal(res.statusCode, 303, errorsOf(res.body).join())
    res = await client.get(page)
    assert.match(res.body, /On loan/)
    assert.match(res.body, /accepted by Ada Obi/)

    res = await client.get('/staff/devices/loans')
    assert.equal(res.statusCode, 200)

    await client.get(`${page}/return`)
    res = await client.post(`${page}/return`, { condition: 'fair', items: ['charger'] })
    assert.equal(res.statusCode, 303, errorsOf(res.body).join())
    res = await client.post(`${page}/return`, { condition: 'fair' })
    assert.equal(res.statusCode, 400, 'a device that is not out cannot come back')

    res = await client.get(donationPage)
    assert.match(res.body, /Reused by a resident/)
    assert.doesNotMatch(res.body, /Ada Obi/, 'the donor report names no resident')

    res = await client.get('/staff/devices/figures')
    assert.equal(res.statusCode, 200)
    assert.match(res.body, /name="since-day" type="text" value="1"/, 'counted from a first of the month')
    res = await client.get('/staff/devices/figures?since-day=30&since-month=2&since-year=2026')
    assert.equal(res.statusCode, 400)
    assert.deepEqual(errorsOf(res.body), [
      'since-day: Enter the first day to count from as a real date, for example 1 12 2025',
    ])
    assert.match(res.body, /name="since-day" type="text" value="30"/)
    res = await client.get(`/staff/devices/figures?since-day=1&since-month=1&since-year=${Number(year) + 1}`)
    assert.equal(res.statusCode, 200)
    assert.match(
      res.body,
      /By month, borough and type<\/h2>\s*<p class="govuk-body">None yet/,
      'nothing counted from a day to come',
    )
    assert.match(
      res.body,
      new RegExp(`figures.csv\\?since-day=1&amp;since-month=1&amp;since-year=${Number(year) + 1}`),
    )
    res = await client.get('/staff/devices/figures.csv')
    assert.equal(res.statusCode, 200)
    assert.match(String(res.headers['content-type']), /^text\/csv/)
    assert.match(res.body, /^\uFEFFMonth,Borough,Type/)
    assert.match(res.body, /,Westminster,Laptop,/)
    assert.match(
      res.body,
      /\r\n\r\n"Follow-ups: is it used, and what for",Count\r\nHandovers followed up,0\r\n/,
    )

    res = await client.get(`${page}/label`)
    assert.equal(res.statusCode, 200)
    assert.match(res.body, /<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*viewBox/)
    assert.doesNotMatch(res.body, /(src|href)="https?:/, 'nothing from another origin')
  })

  test('a voucher code shows only to device roles, after asking, and each look is audited', async () => {
    const staff = await signedInClient(hub, { roles: ['device-coordinator'], boroughs: ['wcc'] })
    await staff.client.get('/staff/devices/new')
    let res = await staff.client.post('/staff/devices/new', {
      kind: 'sim',
      makeModel: 'National Databank SIM',
      identifier: anIccid(),
      source: 'national-scheme',
      condition: 'new',
      library,
      network: 'Three',
      allowance: '20GB a month',
      'activatedOn-day': '1',
      'activatedOn-month': '12',
      'activatedOn-year': '2026',
      'expiresOn-day': '1',
      'expiresOn-month': '6',
      'expiresOn-year': '2027',
      voucherCode: 'SECRET-VOUCHER-9',
    })
    assert.equal(res.statusCode, 303, errorsOf(res.body).join())
    const page = res.headers.location as string
    res = await staff.client.get(page)
    assert.doesNotMatch(res.body, /SECRET-VOUCHER-9/)
    res = await staff.client.post(`${page}/voucher`, {})
    assert.equal(res.statusCode, 200)
    assert.match(res.body, /SECRET-VOUCHER-9/)

    const manager = await signedInClient(hub, { roles: ['manager'], boroughs: ['wcc'] })
    res = await manager.client.get(page)
    assert.equal(res.statusCode, 200)
    assert.doesNotMatch(res.body, /SECRET-VOUCHER-9|Show the voucher code/)
    res = await manager.client.post(`${page}/voucher`, {})
    assert.equal(res.statusCode, 403)
    const views = await hub.database.db
      .selectFrom('audit_events')
      .select('id')
      .where('action', '=', 'device.voucher-viewed')
      .execute()
    assert.equal(views.length, 1)
  })
})
