import { Lru } from '#platform/lru.ts'
import { METRES_PER_DEGREE, metresPerDegreeLongitude, type Point } from './postcodes.ts'
import { type RankSet, rankSet } from './rank-set.ts'
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
  termIds: readonly string[]
  taxonomyIds: ReadonlySet<string>
  places: readonly IndexedPlace[]
  /** every time of the service's own, at one place or not */
  schedules: readonly WeeklyTime[]
}

/** The active services, ready to search, with the sets a search combines. Made by `searchIndex`. */
export interface SearchIndex {
  /** in name order, then id */
  services: readonly IndexedService[]
  /** every place a service is at, once, by `placeNo` */
  places: readonly { latitude: number | null; longitude: number | null }[]
  /** a term's id to the services that have it */
  byTerm: ReadonlyMap<string, RankSet>
  /** a borough's id to the services offered there (as `ServiceFilter.boroughId` says) */
  byBorough: ReadonlyMap<string, RankSet>
  /** the services of the whole partnership with no place: offered in any borough, even one not above */
  everywhere: RankSet
  /** an access feature's term id to the services at a place that has it */
  byFeature: ReadonlyMap<string, RankSet>
  /** by weekday, 1 Monday ... 7 Sunday: the services that run some time that day */
  byDay: readonly RankSet[]
  /** the services at a place with coordinates: those a search from a point orders by distance */
  located: RankSet
  /** by `placeNo`: the ranks of the services there, in order */
  servicesAt: readonly (readonly number[])[]
}

/** The index of services given in name order (their ranks) at the places given. */
export function searchIndex(services: readonly IndexedService[], places: SearchIndex['places']): SearchIndex {
  const n = services.length
  const setOf = <K>(map: Map<K, RankSet>, key: K) => {
    let set = map.get(key)
    if (!set) {
      set = rankSet.empty(n)
      map.set(key, set)
    }
    return set
  }
  const byTerm = new Map<string, RankSet>()
  const byBorough = new Map<string, RankSet>()
  const byFeature = new Map<string, RankSet>()
  const byDay = Array.from({ length: 8 }, () => rankSet.empty(n))
  const everywhere = rankSet.empty(n)
  const located = rankSet.empty(n)
  const servicesAt: number[][] = places.map(() => [])
  const boroughs = new Set(services.flatMap((s) => [s.boroughId, ...s.places.map((p) => p.boroughId)]))
  for (const s of services) {
    for (const term of s.termIds) rankSet.add(setOf(byTerm, term), s.rank)
    if (s.boroughId === null && !s.places.length) rankSet.add(everywhere, s.rank)
    for (const borough of boroughs)
      if (borough !== null && inBorough(s, borough)) rankSet.add(setOf(byBorough, borough), s.rank)
    for (const place of s.places) {
      for (const feature of place.features) rankSet.add(setOf(byFeature, feature), s.rank)
      const at = servicesAt[place.placeNo] as number[]
      if (at[at.length - 1] !== s.rank) at.push(s.rank)
      const { latitude, longitude } = places[place.placeNo] as SearchIndex['places'][number]
      if (latitude !== null && longitude !== null) rankSet.add(located, s.rank)
    }
    for (const slot of runsAt(s)) rankSet.add(byDay[slot.weekday] as RankSet, s.rank)
  }
  return { services, places, byTerm, byBorough, everywhere, byFeature, byDay, located, servicesAt }
}

/** A service of the whole partnership is in a borough if it has no place, or a place there. */
function inBorough(s: IndexedService, borough: string): boolean {
  if (s.boroughId !== null) return s.boroughId === borough
  return !s.places.length || s.places.some((place) => place.boroughId === borough)
}

/** A service with times of its own runs then; one without runs whenever a place it is at is open. */
function runsAt(s: IndexedService): readonly WeeklyTime[] {
  return s.schedules.length ? s.schedules : s.places.flatMap((place) => place.hours)
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
  const distances = new Float64Array(index.places.length)
  for (let placeNo = 0; placeNo < distances.length; placeNo++) {
    const { latitude, longitude } = index.places[placeNo] as SearchIndex['places'][number]
    distances[placeNo] =
      latitude === null || longitude === null ? Number.NaN : squaredMetres(point, kx, latitude, longitude)
  }
  return distances
}

/**
 * What a search from a point makes of the places alone: each place's squared distance, by `placeNo`,
 * and the places with coordinates nearest first, each as its distance in whole square metres times the
 * number of places, plus its number (so ordering the keys orders the places, and the number comes back
 * as the remainder).
 */
interface FromPoint {
  distances: Float64Array
  ordered: Float64Array
}

/**
 * Kept per index for the points searched from most: a resident's postcode comes to its district's
 * centre, so the boroughs and their neighbours give a few hundred points at most. 16 bytes a place each
 * (8 KB for 500 places), 64 kept.
 */
const fromPoints = new WeakMap<SearchIndex, Lru<string, FromPoint>>()

function fromPoint(index: SearchIndex, point: Point): FromPoint {
  let kept = fromPoints.get(index)
  if (!kept) {
    kept = new Lru(64)
    fromPoints.set(index, kept)
  }
  const key = `${point.latitude} ${point.longitude}`
  let found = kept.get(key)
  if (!found) {
    const distances = distancesFrom(index, point)
    const placeCount = distances.length
    const keys = new Float64Array(placeCount)
    let k = 0
    for (let placeNo = 0; placeNo < placeCount; placeNo++) {
      const d = distances[placeNo] as number
      if (!Number.isNaN(d)) keys[k++] = Math.round(d) * placeCount + placeNo
    }
    found = { distances, ordered: keys.slice(0, k).sort() }
    kept.set(key, found)
  }
  return found
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
  const from = near ? fromPoint(index, near.point) : null
  return {
    filter,
    words: filter.search?.trim().toLowerCase() || null,
    features: filter.featureTermIds ?? [],
    distances: from?.distances ?? null,
    ordered: from?.ordered ?? null,
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

/**
 * Whether the sets of the index answer the filter exactly: its terms, its borough, one access feature
 * and a day with no time. Anything else is then checked service by service, among those the sets leave.
 */
function setsAnswer(p: Prepared): boolean {
  const f = p.filter
  return (
    !p.words &&
    !f.organisationId &&
    !f.modifiedAfter &&
    f.minimumAge === undefined &&
    f.maximumAge === undefined &&
    !f.taxonomyId &&
    p.features.length <= 1 &&
    p.within2 === null &&
    !f.startTime &&
    !f.endTime &&
    !f.openAt
  )
}

function matches(s: IndexedService, p: Prepared): boolean {
  const f = p.filter
  if (p.words && !s.nameLower.includes(p.words) && !s.descriptionLower.includes(p.words)) return false
  if (f.organisationId && s.organisationId !== f.organisationId) return false
  if (f.modifiedAfter && s.updatedAt < f.modifiedAfter) return false
  if (f.minimumAge !== undefined && (s.minimumAge === null || s.minimumAge < f.minimumAge)) return false
  if (f.maximumAge !== undefined && (s.maximumAge === null || s.maximumAge > f.maximumAge)) return false
  if (f.taxonomyId && !s.taxonomyIds.has(f.taxonomyId)) return false
  if (f.boroughId && !inBorough(s, f.boroughId)) return false
  if ((p.features.length || p.within2 !== null) && !s.places.some((place) => placeSuits(place, p)))
    return false
  if (p.byTime && !runsAt(s).some((slot) => slotMatches(slot, f))) return false
  return true
}

/** The matching services: each filter's set combined, then what the sets cannot say asked of those left. */
function search(index: SearchIndex, filter: ServiceFilter) {
  const p = prepare(index, filter)
  const n = index.services.length
  let found: RankSet
  if (filter.termIds?.length) {
    found = rankSet.empty(n)
    for (const id of filter.termIds) {
      const withTerm = index.byTerm.get(id)
      if (withTerm) rankSet.addAll(found, withTerm)
    }
  } else found = rankSet.all(n)
  if (filter.boroughId) rankSet.keepOnly(found, index.byBorough.get(filter.boroughId) ?? index.everywhere)
  for (const feature of p.features) rankSet.keepOnly(found, index.byFeature.get(feature))
  if (filter.day) rankSet.keepOnly(found, index.byDay[filter.day])
  if (!setsAnswer(p))
    for (const rank of rankSet.ranks(found))
      if (!matches(index.services[rank] as IndexedService, p)) rankSet.remove(found, rank)
  return { p, found }
}

/** The matching services in name order. */
function inOrder(index: SearchIndex, found: RankSet): IndexedService[] {
  return rankSet.ranks(found).map((rank) => index.services[rank] as IndexedService)
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
 * The first `count` matching services nearest first (by whole square metres), ties in name order, those
 * with no place that has coordinates last, in name order. The places are ordered, not the services:
 * a few hundred places, nearest first (`ordered`, see FromPoint), each giving the matching services there
 * not already taken, until the page is full. A service is first met at its nearest place.
 */
function nearestFirst(index: SearchIndex, found: RankSet, ordered: Float64Array, count: number): number[] {
  const placeCount = index.places.length
  const taken = rankSet.empty(index.services.length)
  const near: number[] = []
  for (let i = 0; i < ordered.length && near.length < count; ) {
    // All the places at one distance, then their services in name order.
    const distance = Math.floor((ordered[i] as number) / placeCount)
    const first = near.length
    for (; i < ordered.length && Math.floor((ordered[i] as number) / placeCount) === distance; i++) {
      for (const rank of index.servicesAt[(ordered[i] as number) % placeCount] as number[]) {
        if (rankSet.has(found, rank) && !rankSet.has(taken, rank)) {
          rankSet.add(taken, rank)
          near.push(rank)
        }
      }
    }
    // Most places are alone at their distance, with one matching service or none: nothing to sort.
    if (near.length - first > 1) sortFrom(near, first)
  }
  if (near.length >= count) return near.slice(0, count)
  const placeless = found.map((word, i) => word & ~(index.located[i] as number))
  return near.concat(rankSet.ranks(placeless, 0, count - near.length))
}

/** Sorts `list` from `first` on, in place: a few ranks by insertion, with no copy; many by sorting a copy. */
function sortFrom(list: number[], first: number): void {
  if (list.length - first > 32) {
    const sorted = list.slice(first).sort((a, b) => a - b)
    for (let i = 0; i < sorted.length; i++) list[first + i] = sorted[i] as number
    return
  }
  for (let i = first + 1; i < list.length; i++) {
    const rank = list[i] as number
    let j = i
    for (; j > first && (list[j - 1] as number) > rank; j--) list[j] = list[j - 1] as number
    list[j] = rank
  }
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
    const page = p.ordered
      ? nearestFirst(index, found, p.ordered, offset + limit).slice(offset)
      : rankSet.ranks(found, offset, limit)
    const rows: ServiceHit[] = page.map((rank) => {
      const s = index.services[rank] as IndexedService
      return { id: s.id, distance2: distances ? nearest(s, distances) : null }
    })
    return { rows, total: rankSet.count(found) }
  },

  /** One page of services-at-places: a matching service at a place that suits the filter too. */
  pageServiceAtLocations(index: SearchIndex, filter: ServiceFilter, limit: number, offset: number) {
    const { p, found } = search(index, filter)
    const rows: { id: string; service_id: string; location_id: string; name: string; d: number }[] = []
    for (const s of inOrder(index, found)) {
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
    const found = inOrder(index, search(index, filter).found).sort((a, b) =>
      a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
    )
    return {
      rows: found.slice(offset, offset + limit).map((s) => ({ id: s.id, updated_at: s.updatedAt })),
      total: found.length,
    }
  },
}
