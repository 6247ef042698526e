import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { TestClient } from '#tests/support/client.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { signedInClient } from '#tests/support/users.ts'

const YEAR = new Date().getUTCFullYear() + 1

function errors(html: string): { href: string; text: string }[] {
  const summary = html.slice(
    html.indexOf('govuk-error-summary'),
    html.indexOf('</ul>', html.indexOf('govuk-error-summary')),
  )
  return [...summary.matchAll(/<a href="(#[^"]*)">([^<]*)<\/a>/g)].map((m) => ({
    href: m[1] as string,
    text: m[2] as string,
  }))
}

for (const dialect of DIALECTS) {
  describe(`changing sessions through the pages on ${dialect}`, () => {
    let hub: TestHub
    let staff: TestClient
    let sessionUrl: string
    let dateUrl: string

    before(async () => {
      hub = await testHub(dialect)
      ;({ client: staff } = await signedInClient(hub, {
        roles: ['volunteer-coordinator'],
        boroughs: ['rbkc'],
      }))
      const boroughId = (await hub.sessions.boroughs()).find((b) => b.code === 'rbkc')?.id as string
      const library = (await hub.directory.listLibraries()).find((l) => l.borough_id === boroughId)
      await staff.get('/staff/sessions/new')
      const made = await staff.post('/staff/sessions/new', {
        title: 'Laptop clinic',
        kind: 'drop-in',
        boroughId,
        venue: 'place',
        locationId: library?.id as string,
        language: 'English',
        description: '',
        capacity: '2',
        'start-day': '2',
        'start-month': '3',
        'start-year': String(YEAR),
        startTime: '10:00',
        endTime: '12:00',
        days: ['TU'],
        'until-day': '30',
        'until-month': '3',
        'until-year': String(YEAR),
      })
      assert.equal(made.statusCode, 303, JSON.stringify(errors(made.body)))
      sessionUrl = made.headers.location as string
      const page = await staff.get(sessionUrl)
      dateUrl = /href="(\/staff\/sessions\/dates\/[^"?]+)"/.exec(page.body)?.[1] as string
    })
    after(() => hub.close())

    test('one date: a day that does not exist links to the day field with every answer kept; a real change is saved', async () => {
      const page = await staff.get(`${dateUrl}/change`)
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /name="date-day"[^>]*value="2"/)
      assert.match(page.body, /name="startTime"[^>]*value="10:00"/)
      const form = {
        'date-day': '31',
        'date-month': '2',
        'date-year': String(YEAR),
        startTime: '14:00',
        endTime: '15:30',
        capacity: '3',
        facilitatorId: '',
        reason: 'Room booked for an exam',
      }
      const refused = await staff.post(`${dateUrl}/change`, { ...form, locationId: '' })
      assert.equal(refused.statusCode, 400)
      assert.deepEqual(errors(refused.body), [
        { href: '#date-day', text: 'Enter a real date, like 12 1 2027' },
      ])
      assert.match(refused.body, /name="date-day"[^>]*value="31"/)
      assert.match(refused.body, /Room booked for an exam<\/textarea>/)
      const library = /<option value="([^"]+)" selected>/.exec(page.body)?.[1] as string
      const noReason = await staff.post(`${dateUrl}/change`, {
        ...form,
        'date-day': '3',
        reason: '',
        locationId: library,
      })
      assert.deepEqual(errors(noReason.body), [{ href: '#reason', text: 'Say why it is changing' }])
      const saved = await staff.post(`${dateUrl}/change`, {
        ...form,
        'date-day': '3',
        'date-month': '3',
        locationId: library,
      })
      assert.equal(saved.statusCode, 303, JSON.stringify(errors(saved.body)))
      const date = await staff.follow(saved)
      assert.match(date.body, /Change saved/)
      assert.match(date.body, /Wednesday 3 March \d{4}, 2pm to 3:30pm/)
      assert.match(date.body, /Changed because: Room booked for an exam/)
    })

    test('the series: the reason is asked for, and the change applies to the dates to come', async () => {
      const page = await staff.get(`${sessionUrl}/edit`)
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /name="title"[^>]*value="Laptop clinic"/)
      const library = /<option value="([^"]+)" selected>/.exec(page.body)?.[1] as string
      const form = {
        title: 'Laptop and tablet clinic',
        locationId: library,
        capacity: '1',
        startTime: '11:00',
        endTime: '12:00',
        facilitatorId: '',
      }
      const refused = await staff.post(`${sessionUrl}/edit`, form)
      assert.equal(refused.statusCode, 400)
      assert.deepEqual(errors(refused.body), [{ href: '#reason', text: 'Say why it is changing' }])
      assert.match(refused.body, /value="Laptop and tablet clinic"/)
      const saved = await staff.post(`${sessionUrl}/edit`, { ...form, reason: 'Shorter sessions' })
      assert.equal(saved.statusCode, 303, JSON.stringify(errors(saved.body)))
      const after = await staff.follow(saved)
      assert.match(after.body, /Laptop and tablet clinic/)
      assert.match(after.body, /Tuesday 9 March \d{4}, 11am to 12pm/)
      assert.match(
        after.body,
        /Wednesday 3 March \d{4}, 2pm to 3:30pm/,
        'the date changed alone keeps its time',
      )
      const history = await staff.get(`${sessionUrl}/edit`)
      assert.match(history.body, /Shorter sessions/)
      assert.match(history.body, /Room booked for an exam/)
    })
  })
}
