import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { STATUSES } from './member.ts'

describe('Home Library demo data', () => {
  let hub: TestHub
  before(async () => {
    hub = await testHub('sqlite')
  })
  after(() => hub.close())

  test('members of both boroughs in each status, rounds with volunteers, a year of visits and items; nothing more the second time', async () => {
    await hub.seedDemo()
    const { db } = hub.database
    const members = await db
      .selectFrom('home_library_members as m')
      .innerJoin('boroughs as b', 'b.id', 'm.borough_id')
      .select(['m.status', 'b.code'])
      .execute()
    for (const code of ['rbkc', 'wcc'])
      for (const status of STATUSES)
        assert.ok(
          members.some((m) => m.code === code && m.status === status),
          `${code} has a ${status} member`,
        )
    const rounds = await db
      .selectFrom('home_library_rounds as r')
      .innerJoin('user_roles as u', 'u.user_id', 'r.deliverer_user_id')
      .select(['r.id', 'u.role_code'])
      .execute()
    assert.ok(rounds.length >= 4)
    assert.ok(rounds.every((r) => r.role_code === 'volunteer'))
    const visits = await db.selectFrom('home_library_visits').select(['due_on', 'status']).execute()
    const days = visits.map((v) => v.due_on).sort()
    assert.ok(visits.some((v) => v.status === 'missed'))
    // A year of them: the first visit is over 300 days before the last.
    assert.ok(Date.parse(days.at(-1) ?? '') - Date.parse(days[0] ?? '') > 300 * 86_400_000)
    const items = await db.selectFrom('home_library_items').select('id').execute()
    assert.ok(items.length > visits.length)
    await hub.seedDemo()
    assert.equal((await db.selectFrom('home_library_members').select('id').execute()).length, members.length)
    assert.equal((await db.selectFrom('home_library_visits').select('id').execute()).length, visits.length)
  })
})
