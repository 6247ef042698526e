import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { londonToday } from '#platform/london.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { DEVICE_STATES } from './device.ts'
import { coordinator } from './testing.ts'

describe('seed-demo for devices', () => {
  let hub: TestHub
  before(async () => {
    hub = await testHub('sqlite')
  })
  after(() => hub.close())

  test('devices in every state in both boroughs, an overdue loan, a SIM near its end; nothing more the second time', async () => {
    await hub.seedDemo()
    const rows = await hub.database.db
      .selectFrom('devices as d')
      .innerJoin('boroughs as b', 'b.id', 'd.borough_id')
      .select(['d.status', 'b.code'])
      .execute()
    for (const code of ['rbkc', 'wcc'])
      for (const state of DEVICE_STATES)
        assert.ok(
          rows.some((r) => r.code === code && r.status === state),
          `${code} has a device ${state}`,
        )
    const staff = coordinator('all')
    assert.ok(
      (await hub.devices.loansDue(staff)).some((l) => (l.due_on ?? '') < londonToday()),
      'an overdue loan',
    )
    const soon = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10)
    assert.ok((await hub.devices.simsExpiring(staff, soon)).length >= 2)
    await hub.seedDemo()
    assert.equal((await hub.database.db.selectFrom('devices').select('id').execute()).length, rows.length)
  })
})
