/**
 * Staff pages count in words through the locale's plural forms, and the audit is paginated and filtered
 * by dates asked as day, month and year.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { signedInClient } from '#tests/support/users.ts'

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')

describe('staff words and the audit', () => {
  let hub: TestHub
  before(async () => {
    hub = await testHub('sqlite')
  })
  after(() => hub.close())

  test('"1 account", not "1 accounts"', async () => {
    const { client } = await signedInClient(hub, { roles: ['administrator'], boroughs: 'all' })
    assert.match(text((await client.get('/staff/users')).body), / 1 account Name /)
  })

  test('the audit goes page by page, keeps its filter, and reads dates from day, month and year', async () => {
    const { client, user } = await signedInClient(hub, { roles: ['administrator'], boroughs: 'all' })
    const ctx = { userId: user.id, actor: 'staff', ip: null, requestId: null }
    for (let i = 0; i < 60; i++)
      await hub.platform.audit.record(hub.database.db, ctx, {
        action: 'user.viewed',
        recordType: 'user',
        recordId: user.id,
      })
    const today = new Date()
    const [d, m, y] = [today.getUTCDate(), today.getUTCMonth() + 1, today.getUTCFullYear()]
    const first = await client.get(
      `/staff/audit?user=${user.id}&from-day=${d}&from-month=${m}&from-year=${y}`,
    )
    assert.equal(first.statusCode, 200)
    assert.match(text(first.body), /6\d events/)
    assert.match(text(first.body), /Opened someone’s account/)
    const next = first.body.match(
      /<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next">/,
    )?.[1]
    assert.ok(next, 'a link to the next page')
    const second = await client.get(next.replaceAll('&amp;', '&'))
    assert.equal(second.statusCode, 200)
    assert.match(second.body, /rel="prev"/)
    assert.match(second.body, new RegExp(`name="from-year" type="text" value="${y}"`))
    const later = await client.get(`/staff/audit?from-day=1&from-month=1&from-year=${y + 1}`)
    assert.match(text(later.body), / 0 events /)
    const wrong = await client.get('/staff/audit?from-day=31&from-month=2&from-year=2026')
    assert.equal(wrong.statusCode, 400)
    assert.match(wrong.body, /href="#from-day">Enter the from date as a real date/)
  })

  test('the audit counts a thousand rows ahead, says "more than" beyond, and pages on', async () => {
    const { client, user } = await signedInClient(hub, { roles: ['administrator'], boroughs: 'all' })
    const ctx = { userId: user.id, actor: 'staff', ip: null, requestId: null }
    const viewed = { action: 'user.viewed', recordType: 'user', recordId: user.id }
    await hub.platform.audit.recordAll(hub.database.db, ctx, Array(1040).fill(viewed))
    const first = await client.get(`/staff/audit?user=${user.id}`)
    assert.match(text(first.body), /More than 1,000 events/)
    assert.match(text(first.body), /Page 1 of more than 20/)
    const last = await client.get(`/staff/audit?user=${user.id}&page=21`)
    assert.equal(last.statusCode, 200)
    assert.match(text(last.body), / 1,04\d events /)
    assert.match(text(last.body), /Page 21 of 21/)
    assert.match(last.body, /rel="prev"/)
    assert.doesNotMatch(last.body, /rel="next"/)
  })
})
