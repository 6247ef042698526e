import { defineModule, type ServiceOf } from '#platform/module.ts'
import type { DirectoryService } from '../directory/index.ts'
import { accountMessages } from './account.messages.ts'
import { accountPersonalData } from './account.personal-data.ts'
import { accountService } from './account.service.ts'
import { accountsDashboard } from './dashboard.ts'
import { migration as m0002 } from './migrations/0002_accounts.ts'
import { migration as m0013 } from './migrations/0013_user_organisation.ts'
import { migration as m202612021420 } from './migrations/202612021420_accounts_access_version.ts'
import { passwordRoutes } from './password.routes.ts'
import { ROLES } from './roles.ts'
import { sessionCookie } from './session-cookie.ts'
import { signInRoutes } from './sign-in.routes.ts'
import { usersRoutes } from './users.routes.ts'

const permissions = {
  'users.manage': {
    description: 'Invite staff, give them roles and boroughs, and disable their accounts',
    roles: ['administrator'],
  },
}

declare module '#platform/access.ts' {
  interface PermissionNames extends Record<keyof typeof permissions, true> {}
}

/** Staff and volunteer accounts, roles and borough scope, sign-in, and partner API keys. */
export const accountsModule = defineModule({
  name: 'accounts',
  folder: 'src/modules/accounts',
  permissions,
  roles: ROLES,
  migrations: {
    '0002_accounts': m0002,
    '0013_user_organisation': m0013,
    '202612021420_accounts_access_version': m202612021420,
  },
  messages: accountMessages,
  personalData: accountPersonalData,
  uses: ['directory'],
  create({ platform, service, shippedRoles }) {
    const accounts = accountService(platform, {
      directory: service<DirectoryService>('directory'),
      roles: shippedRoles,
    })
    const cookie = sessionCookie({
      secure: platform.config.cookieSecure,
      absoluteHours: platform.config.SESSION_ABSOLUTE_HOURS,
    })
    return {
      service: accounts,
      staffNav: [{ href: '/staff/users', text: 'Users', access: 'users.manage' }],
      loadReferenceData: () => accounts.loadReferenceData(),
      dashboard: (user) => accountsDashboard(user, accounts.listRoles),
      userNames: (ids) => accounts.names(ids),
      jobs: [{ name: 'purge-sign-in-attempts', everyMinutes: 60, run: () => accounts.purgeOldAttempts() }],
      async signedIn(request) {
        const token = cookie.read(request)
        return token ? accounts.resumeSession(token) : null
      },
      routes(app) {
        signInRoutes(app, accounts, cookie)
        passwordRoutes(app, accounts)
        usersRoutes(app, accounts)
      },
    }
  },
})

export type AccountService = ServiceOf<typeof accountsModule>
