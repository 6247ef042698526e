import type { AuditContext } from '#platform/audit.ts'
import { listBoroughs } from '#platform/boroughs.ts'
import { nowIso } from '#platform/clock.ts'
import type { Executor } from '#platform/database.ts'
import { Invalid, NotFound } from '#platform/errors.ts'
import { isUuid, newId } from '#platform/ids.ts'
import type { Platform } from '#platform/platform.ts'
import { loadPlaces } from './directory.read.ts'
import { directoryRepository as repo } from './directory.repository.ts'
import { directorySearch, type ServiceFilter } from './directory.search.ts'
import type { DirectorySnapshot, DirectorySnapshots } from './directory.snapshot.ts'
import { distanceMetres, postcodeCentroid } from './postcodes.ts'
import { loadDirectoryReferenceData } from './reference-loader.ts'
import { servicesRepository as services } from './services.repository.ts'

/** A place a service is at that suits a search, as its result shows it. */
interface SuitablePlace {
  name: string
  borough: string
  distanceMetres: number | null
}

/** Nearest first, those with no distance last; then by name. */
function nearerFirst(a: SuitablePlace, b: SuitablePlace): number {
  return (a.distanceMetres ?? Infinity) - (b.distanceMetres ?? Infinity) || a.name.localeCompare(b.name)
}

export interface PartnerOrganisationInput {
  name: string
  description?: string
  email?: string
  phone?: string
  website?: string
  /** borough code, or none for a partner of the whole partnership */
  borough?: string
  code?: string
}

/** Use cases of the directory that read it or load it; editing lives in directory-admin.service.ts. */
export function directoryService(platform: Platform, snapshots: DirectorySnapshots) {
  const { db } = platform.database

  return {
    /** Libraries, services, taxonomy and the digital library: at every start, idempotent. */
    loadReferenceData: () => loadDirectoryReferenceData(db),

    listLibraries: () => repo.listLocations(db, 'library'),

    /** A place by its id, inside the caller's transaction when given one (a module reporting capacity there). */
    findLocation: (id: string, tx: Executor = db) => repo.findLocation(tx, id),

    /**
     * An organisation by its id, its code or its name (any case): how the command line names one. Inside
     * the caller's transaction when given one (the partnership checking a disclosure there).
     */
    async findOrganisation(idOrName: string, tx: Executor = db) {
      if (isUuid(idOrName)) return repo.findOrganisationById(tx, idOrName)
      return repo.findOrganisation(tx, idOrName)
    },

    /**
     * A partner organisation by name (any case), made if there is none: how the referrals module and
     * `hub create-api-key` get one. Audited when made.
     */
    async findOrCreatePartnerOrganisation(input: PartnerOrganisationInput, ctx: AuditContext) {
      const name = input.name.trim()
      if (!name) throw new Invalid('Enter the organisation’s name', 'name')
      const existing = await repo.findOrganisation(db, input.code ?? name)
      if (existing) return { ...existing, created: false }
      const boroughs = await listBoroughs(db)
      const borough = input.borough ? boroughs.find((b) => b.code === input.borough) : undefined
      if (input.borough && !borough) throw new Invalid('Choose a borough from the list', 'borough')
      const now = nowIso()
      const id = newId()
      await db.transaction().execute(async (tx) => {
        await repo.insertOrganisation(tx, {
          id,
          code: input.code ?? `partner-${id}`,
          kind: 'partner',
          name,
          description: input.description ?? '',
          website: input.website ?? null,
          email: input.email ?? null,
          phone: input.phone ?? null,
          borough_id: borough?.id ?? null,
          source: null,
          source_id: null,
          created_at: now,
          updated_at: now,
        })
        await platform.audit.record(tx, ctx, {
          action: 'directory.organisation.created',
          recordType: 'organisation',
          recordId: id,
        })
      })
      return {
        id,
        name,
        kind: 'partner',
        email: input.email ?? null,
        borough_id: borough?.id ?? null,
        created: true,
      }
    },

    listOrganisations: () => repo.listOrganisations(db),

    /**
     * Another module reports live capacity of a service it runs (devices free, next session places),
     * published as HSDS 3.1 `service_capacity`. `service` is the service's id or code.
     */
    /**
     * Live capacity of a service (places left, devices free), published with the change that caused it:
     * pass the caller's transaction and the figure commits, or not, with the booking or the loan.
     */
    async reportCapacity(
      input: { service: string; unit: string; available: number; maximum?: number; description?: string },
      tx: Executor = db,
    ) {
      const found = isUuid(input.service)
        ? await services.findService(tx, input.service)
        : await services.findServiceByCode(tx, input.service)
      if (!found) throw new NotFound(`No service ${input.service}`)
      if (!Number.isInteger(input.available) || input.available < 0)
        throw new Invalid('available must be 0 or more')
      await services.upsertCapacity(tx, {
        id: newId(),
        service_id: found.id,
        unit: input.unit,
        available: input.available,
        maximum: input.maximum ?? null,
        description: input.description ?? null,
        updated_at: nowIso(),
      })
    },

    /**
     * The published directory as it is now: one read of its change counters. A request that reads the
     * directory more than once (the page cache's key, then the page) reads this once and passes it on.
     */
    current: () => snapshots.current(),

    /** A public service page: active services only. */
    async getService(id: string, directory?: DirectorySnapshot) {
      if (!isUuid(id)) throw new NotFound()
      const [service] = await (directory ?? (await snapshots.current())).fullServices([id.toLowerCase()])
      if (!service || service.status === 'defunct') throw new NotFound()
      return service
    },

    /** A public place page: the place, its hours and features, and what runs there. */
    async getPlace(id: string) {
      if (!isUuid(id)) throw new NotFound()
      const place = (await loadPlaces(db, [id])).get(id)
      if (!place) throw new NotFound()
      const [organisation, servicesHere] = await Promise.all([
        repo.findOrganisationById(db, place.organisation_id),
        services.servicesAt(db, id),
      ])
      return { place, organisation, services: servicesHere }
    },

    /**
     * The /find-help search: codes from the form become a filter (unknown codes are ignored). Each service
     * comes as a list shows it (from the snapshot, not loaded in full), with the place that suits best:
     * one with the features asked for, in the borough, nearest first.
     */
    async findHelp(
      q: {
        need?: string
        borough?: string
        postcode?: string
        feature: string[]
        day?: string
        time?: string
      },
      limit: number,
      offset: number,
      published?: DirectorySnapshot,
    ) {
      const directory = published ?? (await snapshots.current())
      const { needs, features, boroughs } = directory.choices
      const filter: ServiceFilter = {}
      const need = needs.find((n) => n.code === q.need)
      if (need) filter.termIds = [need.id, ...needs.filter((n) => n.parent_id === need.id).map((n) => n.id)]
      const borough = boroughs.find((b) => b.code === q.borough)
      if (borough) filter.boroughId = borough.id
      const wanted = features.filter((f) => q.feature.includes(f.code))
      if (wanted.length) filter.featureTermIds = wanted.map((f) => f.id)
      const point = q.postcode ? postcodeCentroid(q.postcode) : null
      if (point) filter.near = { point }
      if (q.day) filter.day = Number(q.day)
      if (q.time) filter.openAt = q.time
      const { rows, total } = directorySearch.pageServiceIds(directory.index, filter, limit, offset)
      const boroughName = new Map(boroughs.map((b) => [b.id, b.short_name]))
      const { places: coordinates } = directory.index
      return {
        total,
        services: directory.listed(rows.map((r) => r.id)).map((s) => {
          // The suitable place nearest, else first by name: found in one pass, not by sorting them all.
          let best: SuitablePlace | null = null
          for (const p of s.places) {
            if (borough && p.boroughId !== borough.id) continue
            if (!wanted.every((f) => p.features.has(f.id))) continue
            const { latitude, longitude } = coordinates[p.placeNo] as (typeof coordinates)[number]
            const place: SuitablePlace = {
              name: p.locationName,
              borough: boroughName.get(p.boroughId) ?? '',
              distanceMetres:
                point && latitude !== null && longitude !== null
                  ? distanceMetres(point, { latitude, longitude })
                  : null,
            }
            if (!best || nearerFirst(place, best) < 0) best = place
          }
          const { id, name, description, organisation, how_to_get } = s
          return { id, name, description, organisation, how_to_get, best }
        }),
      }
    },

    listPlaces: () => repo.listLocations(db),
    listOnlineResources: () => repo.listOnlineResources(db),
    /** The needs and access features a search chooses from, in their order, and the boroughs. */
    searchChoices: async () => (await snapshots.current()).choices,

    /** Which state of the directory pages show: a new one at every change, and every day (coming closures). */
    async version(directory?: DirectorySnapshot) {
      const { version, day } = directory ?? (await snapshots.current())
      return `directory ${version} ${day}`
    },

    /** The same for a service's page, which shows live capacity too: a new one when that changes. */
    async serviceVersion(directory?: DirectorySnapshot) {
      const { version, day, capacities } = directory ?? (await snapshots.current())
      return `directory ${version} ${day} capacity ${capacities.version}`
    },
  }
}

export type DirectoryService = ReturnType<typeof directoryService>
