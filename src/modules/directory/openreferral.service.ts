import { NotFound } from '#platform/errors.ts'
import { isUuid } from '#platform/ids.ts'
import type { Platform } from '#platform/platform.ts'
import { loadFullServices, loadPlaces, loadServiceSummaries } from './directory.read.ts'
import { directoryRepository as repo } from './directory.repository.ts'
import {
  page,
  presentFullService,
  presentFullServiceAtLocation,
  presentServiceAtLocationSummary,
  presentServiceSummary,
  presentTaxonomy,
  presentTerm,
} from './openreferral.presenter.ts'
import type { ServiceQuery } from './openreferral.query.ts'
import { searchRepository as search } from './search.repository.ts'
import { servicesRepository as services } from './services.repository.ts'

/** The public, read-only use cases behind /api/openreferral. Defunct and inactive services are not published. */
export function openReferralService(platform: Platform) {
  const { db } = platform.database

  function requireId(id: string): string {
    if (!isUuid(id)) throw new NotFound('Not found: ids are UUIDs')
    return id.toLowerCase()
  }

  return {
    async services(q: ServiceQuery) {
      if (q.minimal) {
        const [rows, { total }] = await Promise.all([
          search.minimal(db, q.filter, q.perPage, q.offset),
          search.pageServiceIds(db, q.filter, 0, 0),
        ])
        return page(
          rows.map((r) => ({ id: r.id, last_modified: r.updated_at })),
          total,
          q.page,
          q.perPage,
        )
      }
      const { rows, total } = await search.pageServiceIds(db, q.filter, q.perPage, q.offset)
      const ids = rows.map((r) => r.id)
      const contents = q.full
        ? (await loadFullServices(db, ids)).map(presentFullService)
        : (await loadServiceSummaries(db, ids)).map(presentServiceSummary)
      return page(contents, total, q.page, q.perPage)
    },

    async service(id: string) {
      const [service] = await loadFullServices(db, [requireId(id)])
      if (!service || service.status !== 'active') throw new NotFound()
      return presentFullService(service)
    },

    async serviceAtLocations(q: ServiceQuery) {
      const { rows, total } = await search.pageServiceAtLocations(db, q.filter, q.perPage, q.offset)
      if (q.full) {
        const full = await loadFullServices(db, [...new Set(rows.map((r) => r.service_id))])
        const byId = new Map(full.map((s) => [s.id, s]))
        const contents = rows.map((r) => presentFullServiceAtLocation(r.id, byId.get(r.service_id) as never))
        return page(contents, total, q.page, q.perPage)
      }
      const [summaries, places] = await Promise.all([
        loadServiceSummaries(db, [...new Set(rows.map((r) => r.service_id))]),
        loadPlaces(
          db,
          rows.map((r) => r.location_id),
        ),
      ])
      const byId = new Map(summaries.map((s) => [s.id, s]))
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
      const [service] = await loadFullServices(db, [sal.service_id])
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
