import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { NEED_STATES } from './referral.ts'

describe('seed-demo', () => {
  let hub: TestHub
  before(async () => {
    hub = await testHub('sqlite')
  })
  after(() => hub.close())

  test('adds referrals in every state in both boroughs, and adds nothing the second time', async () => {
    await hub.seedDemo()
    const rows = await hub.database.db
      .selectFrom('referral_needs as n')
      .innerJoin('referrals as r', 'r.id', 'n.referral_id')
      .innerJoin('boroughs as b', 'b.id', 'r.borough_id')
      .select(['n.status', 'b.code'])
      .execute()
    for (const code of ['rbkc', 'wcc'])
      for (const state of NEED_STATES)
        assert.ok(
          rows.some((r) => r.code === code && r.status === state),
          `${code} has a ${state} request`,
        )
    const count = rows.length
    await hub.seedDemo()
    const again = await hub.database.db.selectFrom('referral_needs').select('id').execute()
    assert.equal(again.length, count)
  })
})
