import { listBoroughs } from '#platform/boroughs.ts'
import type { Db } from '#platform/database.ts'
import { groupBy } from '#platform/group-by.ts'
import { Lru } from '#platform/lru.ts'
import {
  type FullService,
  loadPlaces,
  loadServiceDetails,
  type Place,
  type ServiceDetails,
} from './directory.read.ts'
import { directoryRepository } from './directory.repository.ts'
import { type IndexedPlace, type IndexedService, type SearchIndex, searchIndex } from './directory.search.ts'
import type { ServiceCapacityTable } from './directory.tables.ts'
import { FEATURES_TAXONOMY, NEEDS_TAXONOMY } from './reference-taxonomy.ts'
import type { WeeklyTime } from './schedules.ts'
import { servicesRepository as repo } from './services.repository.ts'

/** Live capacity of every service that reports it, as of one value of its own counter (migration 0040). */
export class Capacities {
  private readonly byService: Map<string, ServiceCapacityTable[]>

  constructor(
    readonly version: number,
    rows: readonly ServiceCapacityTable[],
  ) {
    this.byService = groupBy(rows, (r) => r.service_id)
  }

  of(serviceId: string): ServiceCapacityTable[] {
    return this.byService.get(serviceId) ?? []
  }
}

/**
 * Services kept in full, and what the Open Referral API makes of each: some 10 KB a service on the heap,
 * so the 5,000 of a London directory would hold 50 MB for good. Residents' searches of every need near
 * every district show some 1,750 of them, which fit; with 500 kept a search cost twice the CPU.
 */
const MOST_SERVICES_KEPT = 2_000

/**
 * The published directory, held in memory by each app process. Searching 5,000 services in SQL cost
 * about 12 ms a request (a subquery per term and a distance per place, for every service); in memory it
 * is well under one. The database keeps a change counter that triggers move at every change to a
 * directory table (migration 0020), so each request asks for it (one tiny query, shared by the requests
 * that come while one is under way) and the first request after a change, in any process, rebuilds.
 * Services and places shown in full are loaded on first use and kept (the most shown, up to
 * MOST_SERVICES_KEPT) until the next change. A new day rebuilds too: places show the coming exceptions
 * from today.
 * Live capacity, reported at every booking, has a counter of its own (migration 0040): when only that
 * moves, the snapshot stays and takes the new figures.
 */
export class DirectorySnapshot {
  private readonly fullById = new Lru<string, ServiceDetails>(MOST_SERVICES_KEPT)
  private readonly placeById = new Map<string, Place>()
  private readonly made = new Lru<string, unknown>(2 * MOST_SERVICES_KEPT)
  private live = new Capacities(-1, [])

  constructor(
    private readonly db: Db,
    readonly version: number,
    readonly day: string,
    /** the active services, ready to search */
    readonly index: SearchIndex,
    /** what a search chooses from: the needs and access features (in their order), and the boroughs */
    readonly choices: Choices,
    private readonly listings: ReadonlyMap<string, Listing>,
  ) {}

  /** What a list of results shows of an active service, without loading it in full; unknown ids left out. */
  listed(ids: readonly string[]): Listing[] {
    return ids.flatMap((id) => this.listings.get(id) ?? [])
  }

  /** Services by id, in the order given, with everything about them; unknown ids are left out. */
  async fullServices(ids: readonly string[]): Promise<FullService[]> {
    return (await this.serviceDetails(ids)).map((s) => ({ ...s, capacities: this.live.of(s.id) }))
  }

  /** The same but for live capacity: the objects kept, not copies. Unknown ids are left out. */
  async serviceDetails(ids: readonly string[]): Promise<ServiceDetails[]> {
    const loaded = new Map<string, ServiceDetails>()
    const missing = [...new Set(ids.filter((id) => !this.fullById.has(id)))]
    if (missing.length)
      for (const s of await loadServiceDetails(this.db, missing)) {
        loaded.set(s.id, s)
        this.fullById.set(s.id, s)
      }
    // Those just loaded from the list in hand: a long list may have pushed its first out of the cache.
    return ids.flatMap((id) => loaded.get(id) ?? this.fullById.get(id) ?? [])
  }

  /** The live capacity shown, and the value of its counter. */
  get capacities(): Capacities {
    return this.live
  }

  /** Takes newer capacity figures in place; older ones (a slower request's) are ignored. */
  takeCapacities(next: Capacities): void {
    if (next.version > this.live.version) this.live = next
  }

  /**
   * Something made from the snapshot's data (a service as the API shows it), made once per change of the
   * directory: not for anything showing live capacity, which changes in between.
   */
  memo<T>(key: string, make: () => T): T {
    let made = this.made.get(key) as T | undefined
    if (made === undefined) {
      made = make()
      this.made.set(key, made)
    }
    return made
  }

  async places(ids: readonly string[]): Promise<Map<string, Place>> {
    const missing = [...new Set(ids.filter((id) => !this.placeById.has(id)))]
    if (missing.length) for (const [id, p] of await loadPlaces(this.db, missing)) this.placeById.set(id, p)
    return new Map(
      ids.flatMap((id) => (this.placeById.has(id) ? [[id, this.placeById.get(id) as Place]] : [])),
    )
  }
}

/** An active service as a list of results shows it, with its places in name order. */
export interface Listing {
  id: string
  name: string
  description: string
  organisation: { name: string }
  how_to_get: string
  places: readonly IndexedPlace[]
}

export interface Choices {
  needs: Awaited<ReturnType<typeof directoryRepository.termsOfTaxonomy>>
  features: Awaited<ReturnType<typeof directoryRepository.termsOfTaxonomy>>
  boroughs: Awaited<ReturnType<typeof listBoroughs>>
}

const today = () => new Date().toISOString().slice(0, 10)

type Versions = Awaited<ReturnType<typeof repo.versions>>

/** One holder per process: `current()` gives the snapshot for the directory as it is now. */
export function directorySnapshots(db: Db) {
  let built: { version: number; day: string; snapshot: Promise<DirectorySnapshot> } | null = null
  let live: { version: number; capacities: Promise<Capacities> } | null = null
  // A request must see every change committed before it came, so the counters are read after it came;
  // but one read can serve every request that came before it started. A request that comes while a read
  // is under way (a round trip, on PostgreSQL) waits for the next, which starts when that one is back and
  // serves all that came meanwhile: under load, one read for many requests instead of one each.
  let reading: Promise<Versions> | null = null
  let queued: Promise<Versions> | null = null
  const readVersions = (): Promise<Versions> => {
    if (!reading) {
      const mine = repo.versions(db)
      const done = () => {
        if (reading === mine) reading = null
      }
      mine.then(done, done)
      reading = mine
      return mine
    }
    queued ??= reading.then(
      () => next(),
      () => next(),
    )
    return queued
  }
  // Any read started once the one waited for was back came after the requests waiting.
  const next = () => {
    queued = null
    return reading ?? readVersions()
  }
  return {
    async current(): Promise<DirectorySnapshot> {
      const [versions, day] = [await readVersions(), today()]
      // Only forwards: a request that read a counter a moment before another's must not load back.
      if (!live || versions.capacity > live.version) {
        const version = versions.capacity
        const capacities = repo.allCapacities(db).then((rows) => new Capacities(version, rows))
        const mine = { version, capacities }
        live = mine
        capacities.catch(() => {
          if (live === mine) live = null
        })
      }
      const version = versions.directory
      if (!built || version > built.version || day !== built.day) {
        const snapshot = buildSnapshot(db, version, day)
        const mine = { version, day, snapshot }
        built = mine
        snapshot.catch(() => {
          if (built === mine) built = null
        })
      }
      const [snapshot, capacities] = await Promise.all([built.snapshot, live.capacities])
      snapshot.takeCapacities(capacities)
      return snapshot
    },
  }
}

export type DirectorySnapshots = ReturnType<typeof directorySnapshots>

async function buildSnapshot(db: Db, version: number, day: string): Promise<DirectorySnapshot> {
  const [rows, needs, features, boroughs] = await Promise.all([
    repo.searchIndexRows(db),
    directoryRepository.termsOfTaxonomy(db, NEEDS_TAXONOMY.code),
    directoryRepository.termsOfTaxonomy(db, FEATURES_TAXONOMY.code),
    listBoroughs(db),
  ])

  // Only the times: the rows carry ids and owners a search has no use for.
  const slot = (s: WeeklyTime): WeeklyTime => ({
    weekday: s.weekday,
    opens_at: s.opens_at,
    closes_at: s.closes_at,
  })
  const termsOf = groupBy(rows.terms, (t) => t.service_id)
  const placesOf = groupBy(rows.places, (p) => p.service_id)
  const featuresAt = groupBy(rows.features, (f) => f.location_id)
  const ownTimes = groupBy(
    rows.schedules.filter((s) => s.service_id),
    (s) => s.service_id,
  )
  const hoursAt = groupBy(
    rows.schedules.filter((s) => s.location_id),
    (s) => s.location_id,
  )

  const places: SearchIndex['places'][number][] = []
  const placeNo = new Map<string, Omit<IndexedPlace, 'salId'>>()
  const placeAt = (p: (typeof rows.places)[number]): IndexedPlace => {
    let place = placeNo.get(p.location_id)
    if (!place) {
      place = {
        locationId: p.location_id,
        placeNo: places.push({ latitude: p.latitude, longitude: p.longitude }) - 1,
        locationName: p.name,
        boroughId: p.borough_id,
        features: new Set((featuresAt.get(p.location_id) ?? []).map((f) => f.term_id)),
        hours: (hoursAt.get(p.location_id) ?? []).map(slot),
      }
      placeNo.set(p.location_id, place)
    }
    return { ...place, salId: p.id }
  }

  // Name order, then id: what a search without a point lists by, and the tie-breaker with one.
  const sorted = [...rows.services].sort((a, b) =>
    a.name === b.name ? (a.id < b.id ? -1 : 1) : a.name < b.name ? -1 : 1,
  )
  const listings = new Map<string, Listing>()
  const services = sorted.map((s, rank): IndexedService => {
    const terms = termsOf.get(s.id) ?? []
    const at = (placesOf.get(s.id) ?? []).map(placeAt)
    listings.set(s.id, {
      id: s.id,
      name: s.name,
      description: s.description,
      organisation: { name: s.organisation_name },
      how_to_get: s.how_to_get,
      places: [...at].sort((a, b) =>
        a.locationName < b.locationName ? -1 : a.locationName > b.locationName ? 1 : 0,
      ),
    })
    return {
      id: s.id,
      rank,
      nameLower: s.name.toLowerCase(),
      descriptionLower: s.description.toLowerCase(),
      organisationId: s.organisation_id,
      updatedAt: s.updated_at,
      minimumAge: s.minimum_age,
      maximumAge: s.maximum_age,
      boroughId: s.borough_id,
      termIds: terms.map((t) => t.term_id),
      taxonomyIds: new Set(terms.map((t) => t.taxonomy_id)),
      places: at,
      schedules: (ownTimes.get(s.id) ?? []).map(slot),
    }
  })
  return new DirectorySnapshot(
    db,
    version,
    day,
    searchIndex(services, places),
    { needs, features, boroughs },
    listings,
  )
}
