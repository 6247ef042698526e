import type { FastifyInstance } from 'fastify'
import type { NavItem } from '#platform/http.ts'
import type { Platform } from '#platform/platform.ts'
import { directoryService } from './directory.service.ts'
import { homeRoutes } from './home.routes.ts'

/** Organisations, libraries and other places, services, and the public pages that find them. */
export function directoryModule(platform: Platform) {
  const service = directoryService(platform)
  const staffNav: NavItem[] = []
  return {
    service,
    staffNav,
    loadReferenceData: () => service.loadReferenceData(),
    routes(app: FastifyInstance) {
      homeRoutes(app, service)
    },
  }
}
