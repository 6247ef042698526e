import { METRES_PER_DEGREE, metresPerDegreeLongitude, type Point } from './postcodes.ts'
import type { WeeklyTime } from './schedules.ts'

/**
 * Everything a search of services can ask, combined with AND. The Open Referral API and /find-help both
 * build one of these and run it over the active services held in memory (directory.snapshot.ts).
 */
export interface ServiceFilter {
  /** words in the name or description */
  search?: string
  /** services with any of these terms */
  termIds?: string[]
  /** services with any term of this taxonomy */
  taxonomyId?: string
  organisationId?: string
  /** ISO timestamp: changed on or after */
  modifiedAfter?: string
  /** services offered in this borough (its own, or shared ones that are there or have no place) */
  boroughId?: string
  /** offered at a place that has every one of these access features */
  featureTermIds?: string[]
  /** 1 Monday ... 7 Sunday */
  day?: number
  /** Open Referral: a session that starts at or after `startTime` and ends at or before `endTime` */
  startTime?: string
  endTime?: string
  /** /find-help: running at this time (HH:MM) on `day` */
  openAt?: string
  /** Open Referral: minimum_age at least this */
  minimumAge?: number
  /** Open Referral: maximum_age at most this */
  maximumAge?: number
  /** nearest first; with `withinMetres`, only places that close */
  near?: { point: Point; withinMetres?: number }
}

/** A service at one place, with what a search asks of the place. */
export interface IndexedPlace {
  salId: string
  locationId: string
  /** the place's number in `SearchIndex.places` */
  placeNo: number
  locationName: string
  boroughId: string
  features: ReadonlySet<string>
  hours: readonly WeeklyTime[]
}

/** What a search needs to know of one active service. */
export interface IndexedService {
  id: string
  /** its position in `SearchIndex.services`, which are in name order */
  rank: number
  nameLower: string
  descriptionLower: string
  organisationId: string
  updatedAt: string
  minimumAge: number | null
  maximumAge: number | null
  boroughId: string | null
  taxonomyIds: ReadonlySet<string>
  places: readonly IndexedPlace[]
  /** every time of the service's own, at one place or not */
  schedules: readonly WeeklyTime[]
}

/** The active services, ready to search. Built once per change of the directory (directory.snapshot.ts). */
export interface SearchIndex {
  /** in name order, then id */
  services: readonly IndexedService[]
  /** a term's id to the ranks of the services that have it */
  byTerm: ReadonlyMap<string, readonly number[]>
  /** every place a service is at, once, by `placeNo` */
  places: readonly { latitude: number | null; longitude: number | null }[]
}

/** Squared metres between two points, by a flat approximation (good over a city). */
function squaredMetres(from: Point, kx: number, latitude: number, longitude: number): number {
  const dy = (latitude - from.latitude) * METRES_PER_DEGREE
  const dx = (longitude - from.longitude) * kx
  return dy * dy + dx * dx
}

/** Each place's squared distance from the point, by `placeNo`; NaN for a place with no coordinates. */
function distancesFrom(index: SearchIndex, point: Point): Float64Array {
  const kx = metresPerDegreeLongitude(point.latitude)
  return Float64Array.from(index.places, (p) =>
    p.latitude === null || p.longitude === null
      ? Number.NaN
      : squaredMetres(point, kx, p.latitude, p.longitude),
  )
}

function slotMatches(slot: WeeklyTime, f: ServiceFilter): boolean {
  if (f.day && slot.weekday !== f.day) return false
  if (f.startTime && slot.opens_at < f.startTime) return false
  if (f.endTime && slot.closes_at > f.endTime) return false
  if (f.openAt && !(slot.opens_at <= f.openAt && slot.closes_at > f.openAt)) return false
  return true
}

/** A filter made ready to test many services: lower-cased words, each place's distance. */
function prepare(index: SearchIndex, filter: ServiceFilter) {
  const near = filter.near
  return {
    filter,
    words: filter.search?.trim().toLowerCase() || null,
    features: filter.featureTermIds ?? [],
    distances: near ? distancesFrom(index, near.point) : null,
    within2: near?.withinMetres === undefined ? null : near.withinMetres * near.withinMetres,
    byTime: Boolean(filter.day || filter.startTime || filter.endTime || filter.openAt),
  }
}
type Prepared = ReturnType<typeof prepare>

/** A place that has every feature asked for and, if a distance is set, is that close. */
function placeSuits(place: IndexedPlace, p: Prepared): boolean {
  for (const feature of p.features) if (!place.features.has(feature)) return false
  if (p.within2 !== null) {
    // NaN (no coordinates) is never within.
    if (!p.distances || !((p.distances[place.placeNo] as number) <= p.within2)) return false
  }
  return true
}

/** Services with any of the terms (by their lists, not by testing each service), else all. */
function candidates(index: SearchIndex, termIds: string[] | undefined): readonly IndexedService[] {
  if (!termIds?.length) return index.services
  const marked = new Uint8Array(index.services.length)
  for (const id of termIds) for (const rank of index.byTerm.get(id) ?? []) marked[rank] = 1
  const found: IndexedService[] = []
  for (let rank = 0; rank < marked.length; rank++)
    if (marked[rank]) found.push(index.services[rank] as IndexedService)
  return found
}

function matches(s: IndexedService, p: Prepared): boolean {
  const f = p.filter
  if (p.words && !s.nameLower.includes(p.words) && !s.descriptionLower.includes(p.words)) return false
  if (f.organisationId && s.organisationId !== f.organisationId) return false
  if (f.modifiedAfter && s.updatedAt < f.modifiedAfter) return false
  if (f.minimumAge !== undefined && (s.minimumAge === null || s.minimumAge < f.minimumAge)) return false
  if (f.maximumAge !== undefined && (s.maximumAge === null || s.maximumAge > f.maximumAge)) return false
  if (f.taxonomyId && !s.taxonomyIds.has(f.taxonomyId)) return false
  const borough = f.boroughId
  if (borough && s.boroughId !== borough) {
    // A service of the whole partnership is in a borough if it has no place, or a place there.
    if (s.boroughId !== null) return false
    if (s.places.length && !s.places.some((place) => place.boroughId === borough)) return false
  }
  if ((p.features.length || p.within2 !== null) && !s.places.some((place) => placeSuits(place, p)))
    return false
  if (p.byTime) {
    // A service with times of its own runs then; one without runs whenever a place it is at is open.
    const runs = s.schedules.length
      ? s.schedules.some((slot) => slotMatches(slot, f))
      : s.places.some((place) => place.hours.some((slot) => slotMatches(slot, f)))
    if (!runs) return false
  }
  return true
}

function search(index: SearchIndex, filter: ServiceFilter) {
  const p = prepare(index, filter)
  return { p, found: candidates(index, filter.termIds).filter((s) => matches(s, p)) }
}

/** Squared distance to the service's nearest place with coordinates, or null. */
function nearest(s: IndexedService, distances: Float64Array): number | null {
  let best = Number.POSITIVE_INFINITY
  for (const place of s.places) {
    const d = distances[place.placeNo] as number
    if (d < best) best = d
  }
  return best === Number.POSITIVE_INFINITY ? null : best
}

/**
 * The first `count` matching services nearest first, ties in name order, those with no place last.
 * Thousands of services order in a fraction of a millisecond as plain numbers: each key is the distance
 * in whole square metres times the number of services, plus the service's rank, so ordering the keys
 * orders by distance and then by name, and the rank comes back as the remainder.
 */
function nearestFirst(
  index: SearchIndex,
  found: readonly IndexedService[],
  distances: Float64Array,
  count: number,
): IndexedService[] {
  const n = index.services.length
  const keys = new Float64Array(found.length)
  const placeless: IndexedService[] = []
  let k = 0
  for (const s of found) {
    const d = nearest(s, distances)
    if (d === null) placeless.push(s)
    else keys[k++] = Math.round(d) * n + s.rank
  }
  const near = Array.from(
    smallest(keys.subarray(0, k), count),
    (key) => index.services[key % n] as IndexedService,
  )
  return near.concat(placeless.slice(0, count - near.length))
}

/** The `count` smallest keys in order. A page near the start needs only one pass, not a whole sort. */
function smallest(keys: Float64Array, count: number): Float64Array {
  if (count * 8 >= keys.length) return keys.sort().subarray(0, count)
  const top = new Float64Array(count)
  let size = 0
  for (const key of keys) {
    if (size === count && key >= (top[count - 1] as number)) continue
    // Insert in order, the largest falling off the end when full.
    let i = size < count ? size++ : count - 1
    while (i > 0 && (top[i - 1] as number) > key) {
      top[i] = top[i - 1] as number
      i--
    }
    top[i] = key
  }
  return top.subarray(0, size)
}

export interface ServiceHit {
  id: string
  /** squared metres to the nearest place, when the filter has a point */
  distance2: number | null
}

export const directorySearch = {
  /** One page of matching services, nearest first when a point is given, else by name. */
  pageServiceIds(index: SearchIndex, filter: ServiceFilter, limit: number, offset: number) {
    const { p, found } = search(index, filter)
    const distances = p.distances
    const ordered = distances ? nearestFirst(index, found, distances, offset + limit) : found
    const rows: ServiceHit[] = ordered.slice(offset, offset + limit).map((s) => ({
      id: s.id,
      distance2: distances ? nearest(s, distances) : null,
    }))
    return { rows, total: found.length }
  },

  /** One page of services-at-places: a matching service at a place that suits the filter too. */
  pageServiceAtLocations(index: SearchIndex, filter: ServiceFilter, limit: number, offset: number) {
    const { p, found } = search(index, filter)
    const rows: { id: string; service_id: string; location_id: string; name: string; d: number }[] = []
    for (const s of found) {
      for (const place of s.places) {
        if (!placeSuits(place, p)) continue
        if (filter.boroughId && place.boroughId !== filter.boroughId) continue
        const d = p.distances ? (p.distances[place.placeNo] as number) : 0
        rows.push({
          id: place.salId,
          service_id: s.id,
          location_id: place.locationId,
          name: place.locationName,
          d,
        })
      }
    }
    // Nearest first (no coordinates last), then by the place's name, then by id.
    const byDistance = (a: number, b: number) =>
      Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : Number.isNaN(b) ? -1 : a - b
    const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
    rows.sort((a, b) => byDistance(a.d, b.d) || text(a.name, b.name) || text(a.id, b.id))
    return {
      rows: rows
        .slice(offset, offset + limit)
        .map(({ id, service_id, location_id }) => ({ id, service_id, location_id })),
      total: rows.length,
    }
  },

  /** Ids and last change of every matching service, by id: Open Referral's `minimal`. */
  minimal(index: SearchIndex, filter: ServiceFilter, limit: number, offset: number) {
    const found = search(index, filter).found.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    return {
      rows: found.slice(offset, offset + limit).map((s) => ({ id: s.id, updated_at: s.updatedAt })),
      total: found.length,
    }
  },
}
