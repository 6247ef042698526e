import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { STATUSES } from './volunteer.ts'

describe('Volunteers demo data', () => {
  let hub: TestHub
  before(async () => {
    hub = await testHub('sqlite')
  })
  after(() => hub.close())

  test('volunteers at every step in both boroughs, a lapsed check, training running out, a month of shifts, a year of hours; nothing more the second time', async () => {
    await hub.seedDemo()
    const { db } = hub.database
    const people = await db
      .selectFrom('volunteers as v')
      .innerJoin('boroughs as b', 'b.id', 'v.borough_id')
      .select(['v.id', 'v.status', 'b.code'])
      .execute()
    for (const code of ['rbkc', 'wcc'])
      for (const status of STATUSES)
        assert.ok(
          people.some((p) => p.code === code && p.status === status),
          `${code} has someone ${status}`,
        )
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date())
    const checks = await db.selectFrom('volunteer_checks').select('renews_on').execute()
    assert.ok(
      checks.some((c) => c.renews_on <= today),
      'a lapsed check',
    )
    const soon = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)
    const training = await db.selectFrom('volunteer_training').select('expires_on').execute()
    assert.ok(
      training.some((t) => t.expires_on && t.expires_on > today && t.expires_on <= soon),
      'training running out',
    )
    const shifts = await db.selectFrom('volunteer_shifts').select(['starts_at', 'places_taken']).execute()
    assert.ok(shifts.length >= 24)
    assert.ok(shifts.some((s) => s.places_taken > 0))
    const hours = await db
      .selectFrom('volunteer_hours')
      .select('worked_on')
      .where('status', '=', 'approved')
      .execute()
    const days = hours.map((h) => h.worked_on).sort()
    assert.ok(Date.parse(days.at(-1) ?? '') - Date.parse(days[0] ?? '') > 300 * 86_400_000, 'a year of hours')
    await hub.seedDemo()
    assert.equal((await db.selectFrom('volunteers').select('id').execute()).length, people.length)
  })
})
