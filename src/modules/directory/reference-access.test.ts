import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { TestClient } from '#tests/support/client.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { signedInClient } from '#tests/support/users.ts'
import { LIBRARY_ACCESS } from './reference-access.ts'
import { LIBRARIES } from './reference-data.ts'
import { ACCESS_FEATURES } from './reference-taxonomy.ts'

test('every library has its access features, each a word of the vocabulary', () => {
  const vocabulary = new Set(ACCESS_FEATURES.map((f) => f.code))
  for (const l of LIBRARIES) {
    const access = LIBRARY_ACCESS[l.code]
    assert.ok(access, `${l.code} has access features`)
    assert.match(access.checked, /^\d{4}-\d{2}-\d{2}$/)
    for (const f of access.features) assert.ok(vocabulary.has(f), `${l.code}: ${f}`)
  }
})

for (const dialect of DIALECTS) {
  describe(`access features on first start, on ${dialect}`, () => {
    let hub: TestHub
    before(async () => {
      hub = await testHub(dialect)
    })
    after(() => hub.close())

    test('"Westminster, hearing loop, open on Saturday" finds help on a fresh install', async () => {
      const res = await new TestClient(hub.app).get('/find-help?borough=wcc&feature=hearing-loop&day=6')
      assert.equal(res.statusCode, 200)
      assert.doesNotMatch(res.body, /We could not find a service that matches/)
      assert.match(res.body, /services? found/)
    })

    test('a place page says when each feature was last checked, and an editor corrects them in the Hub', async () => {
      const db = hub.database.db
      const maidaVale = await db
        .selectFrom('locations')
        .select('id')
        .where('code', '=', 'maida-vale')
        .executeTakeFirstOrThrow()
      const page = await new TestClient(hub.app).get(`/find-help/places/${maidaVale.id}`)
      assert.match(page.body, /Hearing loop <span[^>]*>\(checked 1 December 2026\)/)

      // Checked some time ago: a save that leaves it as it was keeps that date.
      const toilet = await db
        .selectFrom('taxonomy_terms')
        .select('id')
        .where('code', '=', 'accessible-toilet')
        .executeTakeFirstOrThrow()
      await db
        .updateTable('location_features')
        .set({ checked_on: '2026-06-01' })
        .where('location_id', '=', maidaVale.id)
        .where('term_id', '=', toilet.id)
        .execute()
      const { client: editor } = await signedInClient(hub, { roles: ['directory-editor'], boroughs: ['wcc'] })
      const form = await editor.get(`/staff/directory/places/${maidaVale.id}`)
      assert.equal(form.statusCode, 200)
      assert.match(form.body, /Last checked 1 December 2026/)
      // Keep what the form shows, add step-free access, drop the hearing loop.
      const terms = await db
        .selectFrom('taxonomy_terms')
        .select(['id', 'code'])
        .where('code', 'in', ['step-free', 'hearing-loop'])
        .execute()
      const id = (code: string) => terms.find((t) => t.code === code)?.id as string
      const values = Object.fromEntries(
        [
          ...form.body.matchAll(
            /<input class="govuk-input[^"]*" id="([^"]+)" name="([^"]+)" type="[^"]*"(?: [^>]*)?value="([^"]*)"/g,
          ),
        ].map((m) => [m[2], m[3]]),
      )
      const ticked = [...form.body.matchAll(/name="features" type="checkbox" value="([^"]+)" checked/g)]
        .map((m) => m[1] as string)
        .filter((f) => f !== id('hearing-loop'))
      const borough = form.body.match(/name="borough"[\s\S]*?<option value="([^"]+)" selected/)?.[1]
      const organisation = form.body.match(/name="organisation"[\s\S]*?<option value="([^"]+)" selected/)?.[1]
      const description = form.body.match(/name="description"[^>]*>([^<]*)</)?.[1] ?? ''
      const res = await editor.post(`/staff/directory/places/${maidaVale.id}`, {
        ...values,
        description,
        borough: borough as string,
        organisation: organisation as string,
        features: [...ticked, id('step-free')],
      })
      assert.equal(res.statusCode, 303, res.body.match(/govuk-error-summary__list[\s\S]*?<\/ul>/)?.[0])
      const rows = await db
        .selectFrom('location_features')
        .innerJoin('taxonomy_terms', 'taxonomy_terms.id', 'location_features.term_id')
        .select(['taxonomy_terms.code', 'location_features.checked_on'])
        .where('location_id', '=', maidaVale.id)
        .execute()
      const byCode = new Map(rows.map((r) => [r.code, r.checked_on]))
      assert.equal(byCode.has('hearing-loop'), false)
      assert.equal(byCode.get('step-free'), new Date().toISOString().slice(0, 10))
      assert.equal(byCode.get('accessible-toilet'), '2026-06-01')
    })
  })
}
