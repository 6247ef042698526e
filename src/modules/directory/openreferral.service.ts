import { NotFound } from '#platform/errors.ts'
import { isUuid } from '#platform/ids.ts'
import type { Platform } from '#platform/platform.ts'
import { directoryRepository as repo } from './directory.repository.ts'
import { directorySearch as search } from './directory.search.ts'
import type { DirectorySnapshots } from './directory.snapshot.ts'
import {
  page,
  pageJson,
  presentFullService,
  presentFullServiceAtLocation,
  presentServiceAtLocationSummary,
  presentServiceDetails,
  presentServiceSummary,
  presentTaxonomy,
  presentTerm,
  withCapacities,
} from './openreferral.presenter.ts'
import type { ServiceQuery } from './openreferral.query.ts'
import { servicesRepository as services } from './services.repository.ts'

/** The public, read-only use cases behind /api/openreferral. Defunct and inactive services are not published. */
export function openReferralService(platform: Platform, snapshots: DirectorySnapshots) {
  const { db } = platform.database

  function requireId(id: string): string {
    if (!isUuid(id)) throw new NotFound('Not found: ids are UUIDs')
    return id.toLowerCase()
  }

  return {
    /** A page of services as JSON text (the lists are the API's busiest answers). */
    async services(q: ServiceQuery): Promise<string> {
      const directory = await snapshots.current()
      if (q.minimal) {
        const { rows, total } = search.minimal(directory.index, q.filter, q.perPage, q.offset)
        return JSON.stringify(
          page(
            rows.map((r) => ({ id: r.id, last_modified: r.updated_at })),
            total,
            q.page,
            q.perPage,
          ),
        )
      }
      const { rows, total } = search.pageServiceIds(directory.index, q.filter, q.perPage, q.offset)
      const details = await directory.serviceDetails(rows.map((r) => r.id))
      // Each service's JSON made once per change of the directory; live capacity added when there is some.
      const items = details.map((s) => {
        if (!q.full) return directory.memo(`summary ${s.id}`, () => JSON.stringify(presentServiceSummary(s)))
        const capacities = directory.capacities.of(s.id)
        const made = directory.memo(`full ${s.id}`, () => presentServiceDetails(s))
        if (capacities.length) return JSON.stringify(withCapacities(made, { ...s, capacities }))
        return directory.memo(`full json ${s.id}`, () => JSON.stringify(made))
      })
      return pageJson(items, total, q.page, q.perPage)
    },

    async service(id: string) {
      const [service] = await (await snapshots.current()).fullServices([requireId(id)])
      if (!service || service.status !== 'active') throw new NotFound()
      return presentFullService(service)
    },

    async serviceAtLocations(q: ServiceQuery) {
      const directory = await snapshots.current()
      const { rows, total } = search.pageServiceAtLocations(directory.index, q.filter, q.perPage, q.offset)
      const full = await directory.fullServices([...new Set(rows.map((r) => r.service_id))])
      const byId = new Map(full.map((s) => [s.id, s]))
      if (q.full) {
        const contents = rows.map((r) => presentFullServiceAtLocation(r.id, byId.get(r.service_id) as never))
        return page(contents, total, q.page, q.perPage)
      }
      const places = await directory.places(rows.map((r) => r.location_id))
      const contents = rows.map((r) =>
        presentServiceAtLocationSummary(
          r,
          byId.get(r.service_id) as never,
          places.get(r.location_id) as never,
        ),
      )
      return page(contents, total, q.page, q.perPage)
    },

    async serviceAtLocation(id: string) {
      const sal = await services.findServiceAtLocation(db, requireId(id))
      if (!sal) throw new NotFound()
      const [service] = await (await snapshots.current()).fullServices([sal.service_id])
      if (!service || service.status !== 'active') throw new NotFound()
      return presentFullServiceAtLocation(sal.id, service)
    },

    async taxonomies(p: { page: number; perPage: number; offset: number }) {
      const { rows, total } = await repo.pageTaxonomies(db, p.perPage, p.offset)
      return page(rows.map(presentTaxonomy), total, p.page, p.perPage)
    },

    async taxonomy(id: string) {
      const row = await repo.findTaxonomy(db, requireId(id))
      if (!row) throw new NotFound()
      return presentTaxonomy(row)
    },

    async taxonomyTerms(p: { page: number; perPage: number; offset: number; taxonomyId?: string }) {
      const { rows, total } = await repo.pageTerms(db, { taxonomyId: p.taxonomyId }, p.perPage, p.offset)
      return page(rows.map(presentTerm), total, p.page, p.perPage)
    },

    async taxonomyTerm(id: string) {
      const row = await repo.findTerm(db, requireId(id))
      if (!row) throw new NotFound()
      return presentTerm(row)
    },
  }
}

export type OpenReferralService = ReturnType<typeof openReferralService>
