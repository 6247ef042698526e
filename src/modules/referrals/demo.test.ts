import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { signedInClient } from '#tests/support/users.ts'
import { isStale, NEED_STATES, referralStatus } from './referral.ts'

for (const kind of DIALECTS) {
  describe(`seed-demo (${kind})`, () => {
    let hub: TestHub
    let lines: string[]
    before(async () => {
      hub = await testHub(kind)
      lines = await hub.seedDemo()
    })
    after(() => hub.close())

    test('adds referrals in every state in both boroughs, and adds nothing the second time', async () => {
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

    test("each referral's search words carry its borough and date, also of those moved back in time", async () => {
      const db = hub.database.db
      const referrals = await db.selectFrom('referrals').select(['id', 'borough_id', 'created_at']).execute()
      const words = await db
        .selectFrom('referral_search_words')
        .select(['referral_id', 'borough_id', 'created_at'])
        .execute()
      assert.ok(
        referrals.some((r) => Date.parse(r.created_at) < Date.now() - 86_400_000),
        'some moved back',
      )
      for (const r of referrals) {
        const own = words.filter((w) => w.referral_id === r.id)
        assert.ok(own.length, `referral ${r.id} has words`)
        for (const w of own) assert.deepEqual([w.borough_id, w.created_at], [r.borough_id, r.created_at])
      }
    })

    test('says what it added: the organisations, requests by state, and accounts to try', () => {
      const out = lines.join('\n')
      assert.match(out, /demo-harbour-trust: Harbour Street Trust, wcc/)
      assert.match(out, /In triage: 4/)
      assert.match(out, /Declined: \d+/)
      assert.match(
        out,
        /create-user .* --role partner-referrer --borough wcc --organisation demo-harbour-trust/,
      )
    })

    test('every referral agrees with its requests; nothing changed today is flagged as not updated', async () => {
      const db = hub.database.db
      const referrals = await db.selectFrom('referrals').select(['id', 'status']).execute()
      const needs = await db.selectFrom('referral_needs').selectAll().execute()
      const events = await db.selectFrom('referral_events').select(['referral_id', 'at']).execute()
      const today = new Date().toISOString().slice(0, 10)
      const staleBefore = await hub.referrals.staleBefore()
      for (const r of referrals) {
        const own = needs.filter((n) => n.referral_id === r.id)
        assert.equal(r.status, referralStatus(own.map((n) => n.status)), `referral ${r.id}`)
        const changedToday = events.some((e) => e.referral_id === r.id && e.at.slice(0, 10) === today)
        if (changedToday) assert.ok(!own.some((n) => isStale(n, staleBefore)), 'changed today, yet flagged')
      }
      assert.ok(
        needs.some((n) => isStale(n, staleBefore)),
        'some cases have waited too long',
      )
    })

    test("a partner account made for a demo organisation sees that organisation's demo referrals", async () => {
      const org = await hub.directory.findOrganisation('demo-harbour-trust')
      assert.ok(org)
      const { client } = await signedInClient(hub, {
        roles: ['partner-referrer'],
        boroughs: ['wcc'],
        organisationId: org.id,
      })
      const page = await client.get('/staff/my-referrals')
      assert.equal(page.statusCode, 200)
      const shown = [...page.body.matchAll(/class="hub-reference">([A-Z2-9]{4}-[A-Z2-9]{4})</g)]
      assert.ok(shown.length >= 5, `the partner sees their referrals (${shown.length})`)
    })
  })
}
