import type { FastifyInstance } from 'fastify'
import type { NavItem } from '#platform/http.ts'
import type { Platform } from '#platform/platform.ts'
import { accountService, type OrganisationDirectory } from './account.service.ts'
import { passwordRoutes } from './password.routes.ts'
import { sessionCookie } from './session-cookie.ts'
import { signInRoutes } from './sign-in.routes.ts'
import { usersRoutes } from './users.routes.ts'

/** Staff and volunteer accounts, roles and borough scope, sign-in, and partner API keys. */
export function accountsModule(platform: Platform, deps: { directory: OrganisationDirectory }) {
  const service = accountService(platform, deps)
  const cookie = sessionCookie({
    secure: platform.config.cookieSecure,
    absoluteHours: platform.config.SESSION_ABSOLUTE_HOURS,
  })
  const staffNav: NavItem[] = [{ href: '/staff/users', text: 'Users', access: 'users.manage' }]
  return {
    service,
    cookie,
    staffNav,
    loadReferenceData: () => service.loadReferenceData(),
    routes(app: FastifyInstance) {
      signInRoutes(app, service, cookie)
      passwordRoutes(app, service)
      usersRoutes(app, service)
    },
  }
}
