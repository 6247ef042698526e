/**
 * The staff home is a dashboard made of every module's part: what each person can do, what waits for
 * them, and how to get or give other roles. On both databases (the counts are queries).
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { SELF, walk } from '#modules/referrals/testing.ts'
import { TestClient } from '#tests/support/client.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { signedInClient } from '#tests/support/users.ts'

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')

for (const kind of DIALECTS) {
  describe(`the staff home (${kind})`, () => {
    let hub: TestHub
    before(async () => {
      hub = await testHub(kind)
    })
    after(() => hub.close())

    test('the first administrator is told how to give themselves and others the other roles', async () => {
      const { client, user } = await signedInClient(hub, { roles: ['administrator'], boroughs: 'all' })
      const page = await client.get('/staff')
      assert.equal(page.statusCode, 200)
      const words = text(page.body)
      assert.match(words, /Your role: Administrator\./)
      assert.match(
        page.body,
        new RegExp(`<a class="govuk-link" href="/staff/users/${user.id}">Give yourself another role`),
      )
      assert.match(words, /Give someone else a role: open Users/)
      assert.match(words, /Nothing is waiting for you\./)
      assert.match(page.body, /href="\/staff\/users">Users<\/a>/)
      assert.match(page.body, /href="\/staff\/audit">Audit<\/a>/)
      assert.doesNotMatch(page.body, /href="\/staff\/referrals"/, 'no page they cannot open')
    })

    test("a triage officer sees their borough's new requests; another borough's officer does not", async () => {
      const resident = new TestClient(hub.app, '10.2.0.1')
      await walk(resident, SELF)
      await resident.get('/refer/check')
      await resident.post('/refer/check', {})
      const rbkc = await signedInClient(hub, { roles: ['triage-officer'], boroughs: ['rbkc'] })
      const mine = text((await rbkc.client.get('/staff')).body)
      assert.match(mine, /2 new requests to triage/)
      assert.match(mine, /To do more, ask an administrator/)
      assert.match(mine, /Your role: Triage officer\./)
      const wcc = await signedInClient(hub, { roles: ['triage-officer'], boroughs: ['wcc'] })
      const theirs = text((await wcc.client.get('/staff')).body)
      assert.doesNotMatch(theirs, /new request/)
      assert.match(theirs, /Nothing is waiting for you\./)
    })

    test('a directory editor sees listings to review', async () => {
      const { client } = await signedInClient(hub, { roles: ['directory-editor'], boroughs: 'all' })
      await hub.database.db.updateTable('locations').set({ assured_date: null }).execute()
      await hub.database.db.updateTable('services').set({ assured_date: '2026-12-01' }).execute()
      const places = await hub.database.db.selectFrom('locations').select('id').execute()
      const words = text((await client.get('/staff')).body)
      assert.match(words, new RegExp(`${places.length} listings to review: not checked for 6 months`))
      assert.match(words, /Directory Keep the services/)
    })
  })
}
