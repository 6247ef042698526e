import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { nowIso } from '#platform/clock.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import { APP_ROOT, type TestHub, testHub } from '#tests/support/hub.ts'
import { boroughId } from '#tests/support/users.ts'
import { directoryRepository } from './directory.repository.ts'
import { page, pageJson } from './openreferral.presenter.ts'
import { buildPlace, buildService } from './testing.ts'

const FIXTURES = path.join(APP_ROOT, 'tests/fixtures/openreferral-uk')
const schema = (file: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8'))

// The published schemas carry Table Schema keywords (name, core, constraints...) that ajv does not know:
// strict mode off, so they are ignored rather than refused. Nothing in them is edited.
const ajv = new Ajv({ strict: false, allErrors: true })
addFormats.default(ajv)
const openapi = schema('openapi.json')
// taxonomy.json refers to its terms by the relative name "taxonomy_term.json"
ajv.addSchema(schema('taxonomy_term.json'), 'taxonomy_term.json')
const validators = {
  page: ajv.compile({
    ...openapi.components.schemas.Page,
    required: Object.keys(openapi.components.schemas.Page.properties),
  }),
  service: ajv.compile(schema('compiled/service.json')),
  serviceList: ajv.compile(schema('compiled/service_list.json')),
  sal: ajv.compile(schema('compiled/service_at_location.json')),
  salList: ajv.compile(schema('compiled/service_at_location_list.json')),
  taxonomy: ajv.compile(schema('taxonomy.json')),
  term: ajv.getSchema('taxonomy_term.json') as ValidateFunction,
}

function valid(validate: ValidateFunction, value: unknown, what: string) {
  assert.ok(validate(value), `${what}: ${ajv.errorsText(validate.errors)}`)
}

/** Optional fields are left out, never sent as null. */
function assertNoNulls(value: unknown, where = '$') {
  if (value === null) assert.fail(`null at ${where}`)
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) assertNoNulls(v, `${where}[${i}]`)
  } else if (typeof value === 'object')
    for (const [k, v] of Object.entries(value as object)) assertNoNulls(v, `${where}.${k}`)
}

test('the schema check can fail: the copied schemas refuse a malformed service', () => {
  const good = { id: '01a224c9-4ef3-7004-b44a-7caa37af65ca', name: 'IT clinic', status: 'active' }
  assert.ok(validators.service(good))
  assert.ok(!validators.service({ ...good, status: 'open' }))
  assert.ok(!validators.service({ ...good, id: 'clinic-1' }))
  assert.ok(!validators.serviceList({ id: good.id, status: 'active' }))
  assert.ok(!validators.page({ total_items: 1 }))
})

test("a page written from its items' JSON is JSON.stringify's text of the page", () => {
  const items = [
    { id: 'a', name: 'Caf\u00e9 "Nova" \\ \u2028' },
    { id: 'b', tags: [1, null, { x: true }] },
    {},
  ]
  for (const [contents, total, pageNumber, perPage] of [
    [items, 3, 1, 50],
    [items.slice(0, 1), 101, 3, 1],
    [[], 0, 1, 50],
    [[], 7, 9, 5],
  ] as const) {
    assert.equal(
      pageJson(
        contents.map((c) => JSON.stringify(c)),
        total,
        pageNumber,
        perPage,
      ),
      JSON.stringify(page([...contents], total, pageNumber, perPage)),
    )
  }
})

for (const dialect of DIALECTS) {
  describe(`Open Referral UK API on ${dialect}`, () => {
    let hub: TestHub
    const ids: Record<string, string> = {}

    async function get(url: string) {
      const res = await hub.app.inject(`/api/openreferral${url}`)
      assert.notEqual(res.statusCode, 500, `${url} answered 500: ${res.body}`)
      return { status: res.statusCode, body: res.json(), headers: res.headers }
    }
    async function names(url: string): Promise<string[]> {
      const { status, body } = await get(url)
      assert.equal(status, 200, JSON.stringify(body))
      return body.contents.map(
        (s: { name?: string; service?: { name: string } }) => s.name ?? s.service?.name,
      )
    }

    before(async () => {
      hub = await testHub(dialect)
      const db = hub.database.db
      const org = await hub.directory.findOrCreatePartnerOrganisation(
        { name: 'Filter Test Trust', email: 'team@filter.example', website: 'https://filter.example' },
        { userId: null, actor: 'cli', ip: null, requestId: null },
      )
      ids.org = org.id
      const terms = await directoryRepository.termsQuery(db).execute()
      const term = (code: string) => terms.find((t) => t.code === code)?.id as string
      ids.coding = term('coding')
      ids.devices = term('devices')
      ids.needsTaxonomy = terms.find((t) => t.code === 'coding')?.taxonomy_id as string
      const rbkc = await boroughId(hub, 'rbkc')
      // Kensal Rise-ish (W10) and Pimlico-ish (SW1V): far apart, so distance filters can tell them apart.
      const north = await buildPlace(db, {
        organisationId: org.id,
        boroughId: rbkc,
        name: 'Zeta North Hall',
        latitude: 51.5225,
        longitude: -0.2105,
        featureTermIds: [term('hearing-loop'), term('step-free')],
        hours: [{ weekday: 1, opens_at: '09:00', closes_at: '17:00' }],
      })
      const south = await buildPlace(db, {
        organisationId: org.id,
        boroughId: rbkc,
        name: 'Zeta South Hall',
        latitude: 51.4901,
        longitude: -0.1381,
        featureTermIds: [term('step-free')],
        hours: [{ weekday: 2, opens_at: '09:00', closes_at: '17:00' }],
      })
      ids.zetaCoding = await buildService(db, {
        organisation_id: org.id,
        name: 'Zeta coding for teens',
        minimum_age: 12,
        maximum_age: 16,
        url: 'https://filter.example/coding',
        email: 'coding@filter.example',
        termIds: [ids.coding],
        placeIds: [north],
        schedule: [{ weekday: 3, opens_at: '16:00', closes_at: '18:00' }],
      })
      ids.zetaLaptops = await buildService(db, {
        organisation_id: org.id,
        name: 'Zeta laptops',
        minimum_age: 18,
        termIds: [ids.devices],
        placeIds: [south],
        updated_at: '2020-01-01T00:00:00.000Z',
        created_at: '2020-01-01T00:00:00.000Z',
      })
      ids.zetaGone = await buildService(db, {
        organisation_id: org.id,
        name: 'Zeta closed down',
        status: 'defunct',
      })
      await hub.directory.reportCapacity({
        service: ids.zetaLaptops,
        unit: 'laptops',
        available: 3,
        maximum: 10,
      })
    })
    after(() => hub.close())

    test('the root says which version and profile it serves, with CORS open', async () => {
      const { status, body, headers } = await get('/')
      assert.equal(status, 200)
      assert.equal(body.version, '3.0')
      assert.equal(headers['access-control-allow-origin'], '*')
    })

    test('GET /services is a v3 page of services valid against the UK profile', async () => {
      const { status, body, headers } = await get('/services?per_page=5')
      assert.equal(status, 200)
      assert.equal(headers['access-control-allow-origin'], '*')
      valid(validators.page, body, 'page')
      assert.equal(body.size, 5)
      assert.equal(body.page_number, 1)
      assert.equal(body.first_page, true)
      assert.ok(body.total_items >= 11)
      for (const s of body.contents) valid(validators.serviceList, s, s.name)
      assertNoNulls(body)
    })

    test('GET /services/{id} and full=true give whole services valid against compiled/service.json', async () => {
      const { status, body } = await get(`/services/${ids.zetaLaptops}`)
      assert.equal(status, 200)
      valid(validators.service, body, 'service')
      assertNoNulls(body)
      assert.equal(body.organization.id, ids.org)
      assert.equal(body.service_at_locations[0].location.accessibility[0].description, 'Step-free access')
      assert.deepEqual(
        body.capacities.map((c: { unit: { name: string }; available: number }) => [c.unit.name, c.available]),
        [['laptops', 3]],
      )
      const full = await get('/services?full=true&per_page=20')
      for (const s of full.body.contents) valid(validators.service, s, s.name)
      assertNoNulls(full.body)
      // every reference service (with its places, hours and features) is valid too
      assert.ok(
        full.body.contents.some(
          (s: { service_at_locations?: unknown[] }) => (s.service_at_locations ?? []).length > 5,
        ),
      )
    })

    test('service_at_locations, list and one, are valid', async () => {
      const list = await get('/service_at_locations?per_page=10')
      assert.equal(list.status, 200)
      valid(validators.page, list.body, 'page')
      for (const s of list.body.contents) valid(validators.salList, s, s.id)
      assertNoNulls(list.body)
      const one = await get(`/service_at_locations/${list.body.contents[0].id}`)
      assert.equal(one.status, 200)
      valid(validators.sal, one.body, 'service_at_location')
      assertNoNulls(one.body)
      assert.equal(one.body.service_id, list.body.contents[0].service_id)
      const full = await get('/service_at_locations?per_page=3&full=true')
      for (const s of full.body.contents) valid(validators.sal, s, s.id)
    })

    test('taxonomies and taxonomy terms, lists and one of each, are valid', async () => {
      const taxonomies = await get('/taxonomies')
      valid(validators.page, taxonomies.body, 'page')
      for (const t of taxonomies.body.contents) valid(validators.taxonomy, t, t.name)
      const one = await get(`/taxonomies/${ids.needsTaxonomy}`)
      valid(validators.taxonomy, one.body, 'taxonomy')
      const terms = await get(`/taxonomy_terms?per_page=100&taxonomy_id=${ids.needsTaxonomy}`)
      valid(validators.page, terms.body, 'page')
      for (const t of terms.body.contents) valid(validators.term, t, t.name)
      assert.ok(
        terms.body.contents.every((t: { taxonomy_id: string }) => t.taxonomy_id === ids.needsTaxonomy),
      )
      assert.ok(terms.body.contents.some((t: { id: string }) => t.id === ids.coding))
      const term = await get(`/taxonomy_terms/${ids.coding}`)
      valid(validators.term, term.body, 'term')
      assert.equal(term.body.name, 'Coding')
    })

    test('each filter returns what it should', async () => {
      assert.deepEqual(await names('/services?search=zeta'), ['Zeta coding for teens', 'Zeta laptops'])
      assert.deepEqual(await names('/services?search=ZETA%20LAP'), ['Zeta laptops'])
      assert.deepEqual(await names(`/services?search=zeta&taxonomy_term_id=${ids.coding}`), [
        'Zeta coding for teens',
      ])
      assert.deepEqual(await names(`/services?search=zeta&taxonomy_term_id=${ids.coding},${ids.devices}`), [
        'Zeta coding for teens',
        'Zeta laptops',
      ])
      assert.ok((await names(`/services?taxonomy_id=${ids.needsTaxonomy}`)).includes('Zeta laptops'))
      assert.deepEqual(await names(`/services?organization_id=${ids.org}`), [
        'Zeta coding for teens',
        'Zeta laptops',
      ])
      const since = new Date(Date.now() - 3_600_000).toISOString()
      const recent = await names(`/services?organization_id=${ids.org}&modified_after=${since}`)
      assert.deepEqual(recent, ['Zeta coding for teens'])
      assert.deepEqual(await names(`/services?organization_id=${ids.org}&minimum_age=15`), ['Zeta laptops'])
      assert.deepEqual(await names(`/services?organization_id=${ids.org}&maximum_age=16`), [
        'Zeta coding for teens',
      ])
      // day and times: the coding club's own schedule (Wednesday 16:00-18:00) ...
      assert.deepEqual(await names(`/services?organization_id=${ids.org}&day=WE`), ['Zeta coding for teens'])
      assert.deepEqual(
        await names(`/services?organization_id=${ids.org}&day=WE&start_time=15:00&end_time=18:00`),
        ['Zeta coding for teens'],
      )
      assert.deepEqual(await names(`/services?organization_id=${ids.org}&day=WE&start_time=16:30`), [])
      // ... and the laptops, which have no schedule of their own, run when their place is open (Tuesday)
      assert.deepEqual(await names(`/services?organization_id=${ids.org}&day=Tuesday`), ['Zeta laptops'])
      assert.deepEqual(await names(`/services?organization_id=${ids.org}&day=MO`), [])
      // postcode and proximity: W10 is beside the north hall, 6 km from the south one
      assert.deepEqual(
        await names(`/services?organization_id=${ids.org}&postcode=W10%204NE&proximity=1500`),
        ['Zeta coding for teens'],
      )
      assert.deepEqual(await names(`/services?organization_id=${ids.org}&postcode=SW1V%202PU`), [
        'Zeta laptops',
        'Zeta coding for teens',
      ])
      assert.deepEqual(await names(`/service_at_locations?search=zeta&postcode=SW1V&proximity=2000`), [
        'Zeta laptops',
      ])
      // combined with AND
      assert.deepEqual(
        await names(
          `/services?search=zeta&taxonomy_term_id=${ids.devices}&day=TU&minimum_age=18&postcode=SW1V`,
        ),
        ['Zeta laptops'],
      )
      // not published: defunct services
      assert.equal((await get(`/services/${ids.zetaGone}`)).status, 404)
    })

    test('minimal gives ids and last change only', async () => {
      const { status, body } = await get(`/services?organization_id=${ids.org}&minimal=true`)
      assert.equal(status, 200)
      valid(validators.page, body, 'page')
      assert.equal(body.total_items, 2)
      for (const s of body.contents) assert.deepEqual(Object.keys(s).sort(), ['id', 'last_modified'])
    })

    test('paging: pages add up and a page past the end is empty, not an error', async () => {
      const first = await get('/services?per_page=4&page=1')
      const second = await get('/services?per_page=4&page=2')
      assert.equal(first.body.total_pages, Math.ceil(first.body.total_items / 4))
      const overlap = first.body.contents.filter((a: { id: string }) =>
        second.body.contents.some((b: { id: string }) => b.id === a.id),
      )
      assert.equal(overlap.length, 0)
      const past = await get('/services?page=999')
      assert.equal(past.status, 200)
      assert.equal(past.body.empty, true)
      assert.equal(past.body.last_page, true)
    })

    test('bad input is a clear 400 or a clamped value, never a 500', async () => {
      const cases: [string, number, string?][] = [
        ['/services?colour=red', 400, 'colour'],
        ['/services?page=0', 400, 'page'],
        ['/services?page=-3', 400, 'page'],
        ['/services?page=abc', 400, 'page'],
        ['/services?page=99999999999', 400, 'page'],
        ['/services?per_page=0', 400, 'per_page'],
        ['/services?per_page=ten', 400, 'per_page'],
        ['/services?page=1&page=2', 400, 'page'],
        ['/services?taxonomy_term_id=nope', 400, 'taxonomy_term_id'],
        ['/services?organization_id=1%27%20or%201=1', 400, 'organization_id'],
        ['/services?day=Funday', 400, 'day'],
        ['/services?start_time=25:00', 400, 'start_time'],
        ['/services?modified_after=yesterday', 400, 'modified_after'],
        ['/services?proximity=500', 400, 'proximity'],
        ['/services?postcode=ZZ99%209ZZ', 400, 'postcode'],
        ['/services?minimum_age=old', 400, 'minimum_age'],
        ['/services?minimal=yes', 400, 'minimal'],
        ['/services/not-a-uuid', 400, 'id'],
        ['/service_at_locations/123', 400, 'id'],
        ['/taxonomies/abc', 400, 'id'],
        ['/taxonomy_terms?taxonomy_id=abc', 400, 'taxonomy_id'],
        ['/taxonomies?search=x', 400, 'search'],
        [`/services/${'0'.repeat(8)}-0000-7000-8000-${'0'.repeat(12)}`, 404],
        [`/taxonomy_terms/${'0'.repeat(8)}-0000-7000-8000-${'0'.repeat(12)}`, 404],
        ['/nowhere', 404],
      ]
      for (const [url, status, field] of cases) {
        const res = await get(url)
        assert.equal(res.status, status, `${url}: ${JSON.stringify(res.body)}`)
        assert.equal(typeof res.body.error, 'string', url)
        if (field) assert.equal(res.body.field, field, url)
        assert.equal(res.headers['access-control-allow-origin'], '*', url)
      }
      const huge = await get('/services?per_page=1000000')
      assert.equal(huge.status, 200)
      assert.ok(huge.body.size <= 100)
      assert.equal(huge.body.total_pages, Math.ceil(huge.body.total_items / 100))
    })

    test('a browser preflight is answered for any origin', async () => {
      const res = await hub.app.inject({ method: 'OPTIONS', url: '/api/openreferral/services' })
      assert.equal(res.statusCode, 204)
      assert.equal(res.headers['access-control-allow-origin'], '*')
      assert.match(String(res.headers['access-control-allow-methods']), /GET/)
    })

    test('last_modified follows changes', async () => {
      const before = (await get(`/services/${ids.zetaCoding}`)).body.last_modified
      await hub.database.db
        .updateTable('services')
        .set({ updated_at: nowIso() })
        .where('id', '=', ids.zetaCoding as string)
        .execute()
      const after = (await get(`/services/${ids.zetaCoding}`)).body.last_modified
      assert.ok(after > before)
    })
  })
}
