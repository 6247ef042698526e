import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { newId } from '#platform/ids.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import { anotherProcess, type TestHub, testHub } from '#tests/support/hub.ts'
import { signedInClient } from '#tests/support/users.ts'
import { directorySearch, type IndexedService, type SearchIndex, searchIndex } from './directory.search.ts'
import { directorySnapshots } from './directory.snapshot.ts'
import { METRES_PER_DEGREE, metresPerDegreeLongitude } from './postcodes.ts'
import { servicesRepository } from './services.repository.ts'

describe('searching the directory in memory', () => {
  /** Services named s000, s001, ... each at the places given (indexes into `places`). */
  function index(places: { latitude: number; longitude: number }[], at: number[][]): SearchIndex {
    const services = at.map(
      (placeNos, rank): IndexedService => ({
        id: `id-${rank}`,
        rank,
        nameLower: `s${String(rank).padStart(3, '0')}`,
        descriptionLower: '',
        organisationId: 'org',
        updatedAt: '2026-01-01T00:00:00.000Z',
        minimumAge: null,
        maximumAge: null,
        boroughId: null,
        termIds: [],
        taxonomyIds: new Set(),
        places: placeNos.map((placeNo) => ({
          salId: `sal-${rank}-${placeNo}`,
          locationId: `loc-${placeNo}`,
          placeNo,
          locationName: `place ${placeNo}`,
          boroughId: 'b',
          features: new Set(),
          hours: [],
        })),
        schedules: [],
      }),
    )
    return searchIndex(services, places)
  }

  test('nearest first, ties in name order, services with no place last; every page continues the last', () => {
    const place = fc.record({
      latitude: fc.integer({ min: 0, max: 20 }).map((n) => 51.5 + n / 1000),
      longitude: fc.integer({ min: 0, max: 20 }).map((n) => -0.2 + n / 1000),
    })
    const world = fc
      .array(place, { minLength: 1, maxLength: 12 })
      .chain((places) =>
        fc.tuple(
          fc.constant(places),
          fc.array(fc.array(fc.nat(places.length - 1), { maxLength: 3 }), { minLength: 1, maxLength: 120 }),
          fc.integer({ min: 1, max: 40 }),
        ),
      )
    fc.assert(
      fc.property(world, ([places, at, perPage]) => {
        const idx = index(places, at)
        const near = { point: { latitude: 51.51, longitude: -0.19 } }
        const all = directorySearch.pageServiceIds(idx, { near }, at.length, 0)
        assert.equal(all.total, at.length)
        // Worked out the slow way: each service's nearest distance, nulls last, then rank.
        const expected = idx.services
          .map((s) => ({
            id: s.id,
            d: s.places.length
              ? Math.min(
                  ...s.places.map((p) => {
                    const { latitude, longitude } = places[p.placeNo] as (typeof places)[number]
                    const dy = (latitude - near.point.latitude) * METRES_PER_DEGREE
                    const dx = (longitude - near.point.longitude) * metresPerDegreeLongitude(51.51)
                    return dy * dy + dx * dx
                  }),
                )
              : null,
            rank: s.rank,
          }))
          .sort((a, b) =>
            a.d === null || b.d === null
              ? (a.d === null ? 1 : 0) - (b.d === null ? 1 : 0) || a.rank - b.rank
              : Math.round(a.d) - Math.round(b.d) || a.rank - b.rank,
          )
        assert.deepEqual(
          all.rows.map((r) => r.id),
          expected.map((e) => e.id),
        )
        // Small pages take the one-pass route, big ones the sort: both give the same order.
        const paged = []
        for (let offset = 0; offset < at.length; offset += perPage)
          paged.push(...directorySearch.pageServiceIds(idx, { near }, perPage, offset).rows)
        assert.deepEqual(paged, all.rows)
      }),
      { numRuns: 200 },
    )
  })
})

for (const dialect of DIALECTS) {
  describe(`the directory held in memory, on ${dialect}`, () => {
    let hub: TestHub
    before(async () => {
      hub = await testHub(dialect)
    })
    after(() => hub.close())

    const names = async (url: string) =>
      [...(await hub.app.inject(url)).body.matchAll(/href="\/find-help\/services\/[^"]+">([^<]+)</g)].map(
        (m) => m[1],
      )

    test('a search kept rendered still gets a new CSP nonce each time; staff get their own page', async () => {
      const url = '/find-help?need=skills&postcode=W2+1AA'
      const [first, second] = [await hub.app.inject(url), await hub.app.inject(url)]
      const nonces = [first, second].map((page) => {
        const header = String(page.headers['content-security-policy']).match(/'nonce-([^']+)'/)?.[1]
        assert.ok(header)
        assert.match(page.body, new RegExp(`<script nonce="${header}">`))
        return header
      })
      assert.notEqual(nonces[0], nonces[1])
      assert.equal(
        second.body.replaceAll(nonces[1] as string, ''),
        first.body.replaceAll(nonces[0] as string, ''),
      )
      assert.equal(second.headers['cache-control'], 'no-store')
      const { client } = await signedInClient(hub, { roles: ['triage-officer'], boroughs: 'all' })
      const staff = await client.get(url)
      assert.match(staff.body, /Your account/)
      assert.doesNotMatch((await hub.app.inject(url)).body, /Your account/)
    })

    test('a capacity report keeps the snapshot and the directory version; every process shows it', async () => {
      const { db } = hub.database
      const clinic = await db
        .selectFrom('services')
        .select('id')
        .where('code', '=', 'it-clinic')
        .executeTakeFirstOrThrow()
      const page = `/find-help/services/${clinic.id}`
      const list = '/api/openreferral/services?full=true&per_page=50'
      const listed = async (process: TestHub) =>
        (await process.app.inject(list))
          .json()
          .contents.find((s: { id: string }) => s.id === clinic.id)
          ?.capacities?.map((c: { available: number }) => c.available)
      const held = directorySnapshots(db)
      const other = await anotherProcess(hub)
      try {
        const snapshot = await held.current()
        const versions = await servicesRepository.versions(db)
        const listings = await hub.directory.version()
        // Both processes have the page kept rendered, and the API's list made, before the report.
        for (const process of [hub, other]) {
          assert.doesNotMatch((await process.app.inject(page)).body, /places available/)
          assert.equal(await listed(process), undefined)
        }

        await hub.directory.reportCapacity({ service: 'it-clinic', unit: 'places', available: 4, maximum: 8 })
        const now = await servicesRepository.versions(db)
        assert.equal(now.directory, versions.directory)
        assert.ok(now.capacity > versions.capacity)
        // The snapshot is the same object, with the new figures; searches and listings keep their pages.
        assert.equal(await held.current(), snapshot)
        assert.deepEqual(
          (await snapshot.fullServices([clinic.id]))[0]?.capacities.map((c) => c.available),
          [4],
        )
        assert.equal(await hub.directory.version(), listings)
        for (const process of [other, hub]) {
          assert.match((await process.app.inject(page)).body, /4 of 8 places available/)
          assert.deepEqual(await listed(process), [4])
        }

        await hub.directory.reportCapacity({ service: 'it-clinic', unit: 'places', available: 0, maximum: 8 })
        assert.match((await other.app.inject(page)).body, /0 of 8 places available/)
        assert.deepEqual(await listed(other), [0])

        // An edit to the service itself still moves the directory's counter: a new snapshot.
        await db.updateTable('services').set({ name: 'IT help clinic' }).where('id', '=', clinic.id).execute()
        assert.ok((await servicesRepository.versions(db)).directory > versions.directory)
        const rebuilt = await held.current()
        assert.notEqual(rebuilt, snapshot)
        assert.deepEqual(
          (await rebuilt.fullServices([clinic.id]))[0]?.capacities.map((c) => c.available),
          [0],
        )
        assert.match((await other.app.inject(page)).body, /IT help clinic/)
      } finally {
        await other.close()
      }
    })

    test('requests that come while the counters are read share the next read, which sees changes made before they came', async () => {
      const { db } = hub.database
      const held = directorySnapshots(db)
      const first = await held.current()
      // The first read's answer is held back once the database has given it, as if still on its way.
      const versions = servicesRepository.versions
      let reads = 0
      let answered = () => {}
      let release = () => {}
      const heldBack = new Promise<void>((r) => {
        release = r
      })
      servicesRepository.versions = async (executor) => {
        const found = await versions(executor)
        if (++reads === 1) {
          answered()
          await heldBack
        }
        return found
      }
      try {
        const waiting = new Promise<void>((r) => {
          answered = r
        })
        const early = held.current()
        await waiting
        // Committed after the first read was answered, before these requests came: they must see it.
        await db.updateTable('services').set({ updated_at: new Date().toISOString() }).execute()
        const later = Array.from({ length: 10 }, () => held.current())
        release()
        assert.equal(await early, first)
        const seen = await Promise.all(later)
        for (const snapshot of seen) {
          assert.equal(snapshot, seen[0])
          assert.ok(snapshot.version > first.version)
        }
        assert.equal(reads, 2)
      } finally {
        servicesRepository.versions = versions
      }
    })

    test('a change made anywhere shows on the next request: an edit, a capacity report, plain SQL', async () => {
      const { db } = hub.database
      const lending = await db
        .selectFrom('services')
        .select('id')
        .where('code', '=', 'device-lending')
        .executeTakeFirstOrThrow()
      const another = directorySnapshots(db)
      const before = await another.current()
      assert.ok((await names('/find-help?need=devices')).includes('Borrow or keep a laptop or tablet'))

      // Another module reports capacity: the published service has it at once.
      await hub.directory.reportCapacity({ service: 'device-lending', unit: 'tablets', available: 3 })
      const api = await hub.app.inject(`/api/openreferral/services/${lending.id}`)
      assert.equal(api.json().capacities?.[0]?.available, 3)

      // A fix made by hand in the database, outside the Hub.
      await db.updateTable('services').set({ name: 'Borrow a tablet' }).where('id', '=', lending.id).execute()
      assert.ok((await names('/find-help?need=devices')).includes('Borrow a tablet'))

      // A place gains a hearing loop: searches by that feature find what runs there.
      const loop = await db
        .selectFrom('taxonomy_terms')
        .select('id')
        .where('code', '=', 'hearing-loop')
        .executeTakeFirstOrThrow()
      const paddington = await db
        .selectFrom('locations')
        .select('id')
        .where('code', '=', 'paddington')
        .executeTakeFirstOrThrow()
      await db.deleteFrom('location_features').where('term_id', '=', loop.id).execute()
      assert.deepEqual(await names('/find-help?need=coding&feature=hearing-loop'), [])
      await db
        .insertInto('location_features')
        .values({ id: newId(), location_id: paddington.id, term_id: loop.id, details: null })
        .execute()
      assert.deepEqual(await names('/find-help?need=coding&feature=hearing-loop'), ['Code Club'])

      // Withdrawn: gone from searches and from the API.
      await db.updateTable('services').set({ status: 'inactive' }).where('id', '=', lending.id).execute()
      assert.ok(!(await names('/find-help?need=devices')).includes('Borrow a tablet'))
      assert.equal((await hub.app.inject(`/api/openreferral/services/${lending.id}`)).statusCode, 404)

      // A second process, holding its own copy, sees every change too.
      const after = await another.current()
      assert.ok(after.version > before.version)
      assert.ok(!after.index.services.some((s) => s.id === lending.id))
    })
  })
}
