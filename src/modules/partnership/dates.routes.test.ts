import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { dateInputValues } from '#platform/date-input.ts'
import type { TestClient } from '#tests/support/client.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { signedInClient } from '#tests/support/users.ts'
import { agreementInput, CTX, lead } from './testing.ts'

const P = '/staff/partnership'
/** The links of a page's error summary. */
const summaryLinks = (body: string) => /govuk-error-summary__list[\s\S]*?<\/ul>/.exec(body)?.[0] ?? ''
const idFrom = (location: unknown) => String(location).split('/').pop()?.split('#')[0] as string

describe('partnership dates are asked as day, month and year', () => {
  let hub: TestHub
  let client: TestClient
  let userId: string
  let organisationId: string

  before(async () => {
    hub = await testHub('sqlite')
    organisationId = (await hub.directory.findOrCreatePartnerOrganisation({ name: 'Dates Trust' }, CTX)).id
    ;({
      client,
      user: { id: userId },
    } = await signedInClient(hub, { roles: ['partnership-lead'], boroughs: 'all' }))
  })
  after(() => hub.close())

  test('a new agreement: a month of 13 comes back 400 linked to its day field, what was typed kept', async () => {
    const {
      organisationId: _,
      purposes,
      dataItems,
      startsOn,
      reviewOn,
      specialCategory: _category,
      specialCondition: _condition,
      signedOffBy,
      ...rest
    } = agreementInput(organisationId)
    const answers = {
      ...rest,
      signedOffBy: signedOffBy ?? '',
      purposes,
      dataItems,
      ...dateInputValues('startsOn', startsOn),
      'reviewOn-day': '31',
      'reviewOn-month': '13',
      'reviewOn-year': '2027',
    }
    const form = await client.get(`${P}/partners/${organisationId}/agreements/new`)
    assert.match(form.body, /name="reviewOn-day"/)
    assert.match(form.body, /For example, 27 3 2027/)
    assert.doesNotMatch(form.body, /2027-03-31/)
    const wrong = await client.post(`${P}/partners/${organisationId}/agreements`, answers)
    assert.equal(wrong.statusCode, 400)
    assert.match(summaryLinks(wrong.body), /href="#reviewOn-day">Enter the review date as a real date/)
    assert.match(wrong.body, /name="reviewOn-month" type="text" value="13"/)
    assert.match(wrong.body, /name="startsOn-day" type="text" value="1"/)

    // A refusal of the service (review before start) links to the day field too.
    const early = await client.post(`${P}/partners/${organisationId}/agreements`, {
      ...answers,
      ...dateInputValues('reviewOn', '2025-12-31'),
    })
    assert.equal(early.statusCode, 400)
    assert.match(
      summaryLinks(early.body),
      /href="#reviewOn-day">The review date must be the same as or after/,
    )

    const made = await client.post(`${P}/partners/${organisationId}/agreements`, {
      ...answers,
      ...dateInputValues('reviewOn', '2027-12-31'),
    })
    assert.equal(made.statusCode, 303)
    const id = idFrom(made.headers.location)
    const agreement = await hub.database.db
      .selectFrom('sharing_agreements')
      .select(['starts_on', 'review_on'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    assert.deepEqual(agreement, { starts_on: startsOn, review_on: '2027-12-31' })
  })

  test("an agreement's new review date: a month of 13 comes back 400 linked to its day field", async () => {
    const id = await hub.partnership.createAgreement(
      lead(),
      agreementInput(organisationId, { status: 'draft' }),
      CTX,
    )
    await client.get(`${P}/agreements/${id}`)
    const wrong = await client.post(`${P}/agreements/${id}/status`, {
      to: 'in-force',
      'reviewOn-day': '1',
      'reviewOn-month': '13',
      'reviewOn-year': '2030',
    })
    assert.equal(wrong.statusCode, 400)
    assert.match(summaryLinks(wrong.body), /href="#reviewOn-day"/)
    assert.match(wrong.body, /name="reviewOn-month" type="text" value="13"/)
  })

  test('a meeting, its action and its next meeting: wrong dates linked to their day fields, stored ones shown', async () => {
    await client.get(`${P}/meetings`)
    const wrong = await client.post(`${P}/meetings`, {
      title: 'Winter meeting',
      venue: 'Library',
      agenda: '',
      'heldOn-day': '3',
      'heldOn-month': '13',
      'heldOn-year': '2027',
    })
    assert.equal(wrong.statusCode, 400)
    assert.match(summaryLinks(wrong.body), /href="#heldOn-day">Enter the meeting&#39;s date as a real date/)
    assert.match(wrong.body, /name="heldOn-month" type="text" value="13"/)

    const made = await client.post(`${P}/meetings`, {
      title: 'Winter meeting',
      venue: 'Library',
      agenda: '',
      ...dateInputValues('heldOn', '2027-03-03'),
      ...dateInputValues('nextMeetingOn', '2027-06-02'),
    })
    assert.equal(made.statusCode, 303)
    const meetingId = idFrom(made.headers.location)
    const page = await client.get(`${P}/meetings/${meetingId}`)
    assert.match(page.body, /name="nextMeetingOn-day" type="text" value="2"/)
    assert.match(page.body, /name="nextMeetingOn-month" type="text" value="6"/)
    assert.match(page.body, /name="nextMeetingOn-year" type="text" value="2027"/)

    const action = { text: 'Book the hall', owners: `user:${userId}` }
    const badAction = await client.post(`${P}/meetings/${meetingId}/actions`, {
      ...action,
      'dueOn-day': '30',
      'dueOn-month': '13',
      'dueOn-year': '2027',
    })
    assert.equal(badAction.statusCode, 400)
    assert.match(summaryLinks(badAction.body), /href="#dueOn-day">Enter the due date as a real date/)
    assert.match(badAction.body, /name="dueOn-month" type="text" value="13"/)
    // The minutes' form still shows the stored next meeting while another form is sent back.
    assert.match(badAction.body, /name="nextMeetingOn-month" type="text" value="6"/)

    const badMinutes = await client.post(`${P}/meetings/${meetingId}/minutes`, {
      minutes: 'We met.',
      'nextMeetingOn-day': '2',
      'nextMeetingOn-month': '13',
      'nextMeetingOn-year': '2027',
    })
    assert.equal(badMinutes.statusCode, 400)
    assert.match(summaryLinks(badMinutes.body), /href="#nextMeetingOn-day"/)
    assert.match(badMinutes.body, /name="nextMeetingOn-month" type="text" value="13"/)

    const saved = await client.post(`${P}/meetings/${meetingId}/minutes`, {
      minutes: 'We met.',
      ...dateInputValues('nextMeetingOn', '2027-09-08'),
    })
    assert.equal(saved.statusCode, 303)
    const meeting = await hub.database.db
      .selectFrom('partnership_meetings')
      .select(['held_on', 'next_meeting_on'])
      .where('id', '=', meetingId)
      .executeTakeFirstOrThrow()
    assert.deepEqual(meeting, { held_on: '2027-03-03', next_meeting_on: '2027-09-08' })
  })
})
