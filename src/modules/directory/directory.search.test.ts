import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import {
  directorySearch,
  type IndexedService,
  type SearchIndex,
  type ServiceFilter,
  searchIndex,
} from './directory.search.ts'
import { METRES_PER_DEGREE, metresPerDegreeLongitude } from './postcodes.ts'
import type { WeeklyTime } from './schedules.ts'

/**
 * The search combines precomputed sets of services; this is what it must answer, worked out the plain
 * way: every service asked every question of the filter, then sorted.
 */
function expected(index: SearchIndex, f: ServiceFilter) {
  const point = f.near?.point
  const d2 = (placeNo: number) => {
    const { latitude, longitude } = index.places[placeNo] as SearchIndex['places'][number]
    if (!point || latitude === null || longitude === null) return Number.NaN
    const dy = (latitude - point.latitude) * METRES_PER_DEGREE
    const dx = (longitude - point.longitude) * metresPerDegreeLongitude(point.latitude)
    return dy * dy + dx * dx
  }
  const within = f.near?.withinMetres
  const words = f.search?.trim().toLowerCase()
  const slotFits = (t: WeeklyTime) =>
    (!f.day || t.weekday === f.day) &&
    (!f.startTime || t.opens_at >= f.startTime) &&
    (!f.endTime || t.closes_at <= f.endTime) &&
    (!f.openAt || (t.opens_at <= f.openAt && t.closes_at > f.openAt))
  const found = index.services.filter((s) => {
    const places = s.places.filter(
      (p) =>
        (f.featureTermIds ?? []).every((x) => p.features.has(x)) &&
        (within === undefined || d2(p.placeNo) <= within * within),
    )
    const times = s.schedules.length ? s.schedules : s.places.flatMap((p) => p.hours)
    return (
      (!f.termIds?.length || s.termIds.some((t) => f.termIds?.includes(t))) &&
      (!words || s.nameLower.includes(words) || s.descriptionLower.includes(words)) &&
      (!f.organisationId || s.organisationId === f.organisationId) &&
      (!f.modifiedAfter || s.updatedAt >= f.modifiedAfter) &&
      (f.minimumAge === undefined || (s.minimumAge !== null && s.minimumAge >= f.minimumAge)) &&
      (f.maximumAge === undefined || (s.maximumAge !== null && s.maximumAge <= f.maximumAge)) &&
      (!f.taxonomyId || s.taxonomyIds.has(f.taxonomyId)) &&
      (!f.boroughId ||
        s.boroughId === f.boroughId ||
        (s.boroughId === null && (!s.places.length || s.places.some((p) => p.boroughId === f.boroughId)))) &&
      (!(f.featureTermIds?.length || within !== undefined) || places.length > 0) &&
      (!(f.day || f.startTime || f.endTime || f.openAt) || times.some(slotFits))
    )
  })
  const nearest = (s: IndexedService) => {
    const ds = s.places.map((p) => d2(p.placeNo)).filter((d) => !Number.isNaN(d))
    return ds.length ? Math.min(...ds) : null
  }
  const ordered = point
    ? [...found].sort((a, b) => {
        const [da, db] = [nearest(a), nearest(b)]
        if (da === null || db === null)
          return (da === null ? 1 : 0) - (db === null ? 1 : 0) || a.rank - b.rank
        return Math.round(da) - Math.round(db) || a.rank - b.rank
      })
    : found
  return { found, ordered, nearest, d2 }
}

const TERMS = ['t1', 't2', 't3', 't4']
const FEATURES = ['f1', 'f2', 'f3']
const BOROUGHS = ['b1', 'b2']
const TIMES = ['08:00', '09:00', '12:00', '17:00', '19:00']

const slot = fc
  .record({
    weekday: fc.integer({ min: 1, max: 7 }),
    opens_at: fc.constantFrom(...TIMES.slice(0, 3)),
    closes_at: fc.constantFrom(...TIMES.slice(2)),
  })
  .filter((t) => t.opens_at < t.closes_at)

const world = fc.record({
  places: fc.array(
    fc.record({
      // Some places share a spot; some have no coordinates.
      latitude: fc.option(
        fc.integer({ min: 0, max: 3 }).map((n) => 51.5 + n / 500),
        { freq: 6 },
      ),
      longitude: fc.integer({ min: 0, max: 3 }).map((n) => -0.2 + n / 500),
      boroughId: fc.constantFrom(...BOROUGHS),
      features: fc.subarray(FEATURES),
      hours: fc.array(slot, { maxLength: 3 }),
    }),
    { minLength: 1, maxLength: 10 },
  ),
  services: fc.array(
    fc.record({
      at: fc.uniqueArray(fc.nat(9), { maxLength: 3 }),
      terms: fc.subarray(TERMS),
      boroughId: fc.option(fc.constantFrom(...BOROUGHS)),
      words: fc.constantFrom('drop-in help', 'tablet loans', 'coding club', 'help online'),
      organisationId: fc.constantFrom('o1', 'o2'),
      updatedAt: fc.constantFrom('2026-01-01T00:00:00.000Z', '2026-06-01T00:00:00.000Z'),
      minimumAge: fc.option(fc.integer({ min: 0, max: 20 })),
      maximumAge: fc.option(fc.integer({ min: 10, max: 99 })),
      schedules: fc.array(slot, { maxLength: 2 }),
    }),
    { maxLength: 60 },
  ),
})

const point = { latitude: 51.503, longitude: -0.197 }

/** What /find-help asks: what the index's sets answer alone. */
const setsOnly: fc.Arbitrary<ServiceFilter> = fc.record(
  {
    termIds: fc.subarray([...TERMS, 'unknown']),
    boroughId: fc.constantFrom(...BOROUGHS, 'b3'),
    featureTermIds: fc.subarray([...FEATURES, 'unknown'], { maxLength: 2 }),
    day: fc.integer({ min: 1, max: 7 }),
    near: fc.constant({ point }),
  },
  { requiredKeys: [] },
)

/** Every question a filter can ask. */
const questions = {
  search: fc.constantFrom('help', ' CLUB ', 'loans', 'x'),
  termIds: fc.subarray([...TERMS, 'unknown']),
  taxonomyId: fc.constantFrom('tx1', 'tx2'),
  organisationId: fc.constantFrom('o1', 'o2'),
  modifiedAfter: fc.constant('2026-03-01T00:00:00.000Z'),
  boroughId: fc.constantFrom(...BOROUGHS, 'b3'),
  featureTermIds: fc.subarray([...FEATURES, 'unknown']),
  day: fc.integer({ min: 1, max: 7 }),
  startTime: fc.constantFrom(...TIMES),
  endTime: fc.constantFrom(...TIMES),
  openAt: fc.constantFrom('08:30', '12:00', '18:00'),
  minimumAge: fc.integer({ min: 0, max: 20 }),
  maximumAge: fc.integer({ min: 10, max: 99 }),
  near: fc.record(
    { point: fc.constant(point), withinMetres: fc.integer({ min: 100, max: 1500 }) },
    { requiredKeys: ['point'] },
  ),
}

/** What the sets answer and one question more; or any questions at all, as the Open Referral API asks. */
const filter: fc.Arbitrary<ServiceFilter> = fc.oneof(
  setsOnly,
  fc
    .tuple(setsOnly, fc.oneof(...Object.entries(questions).map(([k, v]) => v.map((x) => ({ [k]: x })))))
    .map(([sets, one]) => ({ ...sets, ...one })),
  fc.record(questions, { requiredKeys: [] }),
)

type World = typeof world extends fc.Arbitrary<infer T> ? T : never

function build(w: World): SearchIndex {
  const places = w.places.map((p) => ({ latitude: p.latitude, longitude: p.longitude }))
  // Names in rank order, as the snapshot sorts them.
  const services = w.services.map(
    (s, rank): IndexedService => ({
      id: `id-${String(1000 - rank)}`,
      rank,
      nameLower: `s${String(rank).padStart(3, '0')} ${s.words}`,
      descriptionLower: s.words,
      organisationId: s.organisationId,
      updatedAt: s.updatedAt,
      minimumAge: s.minimumAge,
      maximumAge: s.maximumAge,
      boroughId: s.boroughId,
      termIds: s.terms,
      taxonomyIds: new Set(s.terms.length ? ['tx1'] : []),
      places: s.at
        .filter((placeNo) => placeNo < places.length)
        .map((placeNo) => {
          const p = w.places[placeNo] as (typeof w.places)[number]
          return {
            salId: `sal-${rank}-${placeNo}`,
            locationId: `loc-${placeNo}`,
            placeNo,
            locationName: `place ${placeNo % 3}`,
            boroughId: p.boroughId,
            features: new Set(p.features),
            hours: p.hours,
          }
        }),
      schedules: s.schedules,
    }),
  )
  return searchIndex(services, places)
}

test('every filter, page and order is what asking each service in turn gives', () => {
  fc.assert(
    fc.property(world, filter, fc.integer({ min: 1, max: 25 }), fc.nat(30), (w, f, limit, offset) => {
      const index = build(w)
      const { found, ordered, nearest } = expected(index, f)
      const ids = directorySearch.pageServiceIds(index, f, limit, offset)
      assert.equal(ids.total, found.length)
      assert.deepEqual(
        ids.rows,
        ordered.slice(offset, offset + limit).map((s) => ({
          id: s.id,
          distance2: f.near ? nearest(s) : null,
        })),
      )
      const minimal = directorySearch.minimal(index, f, limit, offset)
      const byId = [...found].sort((a, b) => (a.id < b.id ? -1 : 1))
      assert.equal(minimal.total, found.length)
      assert.deepEqual(
        minimal.rows,
        byId.slice(offset, offset + limit).map((s) => ({ id: s.id, updated_at: s.updatedAt })),
      )
    }),
    { numRuns: 1500 },
  )
})

test('services at places: the matching services at each place that suits, nearest first', () => {
  fc.assert(
    fc.property(world, filter, fc.integer({ min: 1, max: 25 }), fc.nat(30), (w, f, limit, offset) => {
      const index = build(w)
      const { found, d2 } = expected(index, f)
      const within = f.near?.withinMetres
      const rows = found.flatMap((s) =>
        s.places
          .filter(
            (p) =>
              (f.featureTermIds ?? []).every((x) => p.features.has(x)) &&
              (within === undefined || d2(p.placeNo) <= within * within) &&
              (!f.boroughId || p.boroughId === f.boroughId),
          )
          .map((p) => ({
            id: p.salId,
            service_id: s.id,
            location_id: p.locationId,
            name: p.locationName,
            d: d2(p.placeNo),
          })),
      )
      const d = (x: number) => (Number.isNaN(x) ? Number.POSITIVE_INFINITY : x)
      rows.sort(
        (a, b) =>
          (f.near ? d(a.d) - d(b.d) : 0) ||
          (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
          (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      )
      const page = directorySearch.pageServiceAtLocations(index, f, limit, offset)
      assert.equal(page.total, rows.length)
      assert.deepEqual(
        page.rows,
        rows
          .slice(offset, offset + limit)
          .map(({ id, service_id, location_id }) => ({ id, service_id, location_id })),
      )
    }),
    { numRuns: 500 },
  )
})
