import type { FastifyInstance } from 'fastify'
import type { NavItem } from '#platform/http.ts'
import type { Platform } from '#platform/platform.ts'
import { seedDirectoryDemo } from './demo.ts'
import { directoryService } from './directory.service.ts'
import { directorySnapshots } from './directory.snapshot.ts'
import { directoryAdminRoutes } from './directory-admin.routes.ts'
import { directoryAdminService } from './directory-admin.service.ts'
import { findHelpRoutes } from './find-help.routes.ts'
import { homeRoutes } from './home.routes.ts'
import { directoryImporter } from './import.ts'
import { importExportRoutes } from './import-export.routes.ts'
import { keepingTrueRoutes } from './keeping-true.routes.ts'
import { keepingTrueService } from './keeping-true.service.ts'
import { openReferralRoutes } from './openreferral.routes.ts'
import { openReferralService } from './openreferral.service.ts'

/** Organisations, libraries and other places, services, and the public pages and API that find them. */
export function directoryModule(platform: Platform) {
  const snapshots = directorySnapshots(platform.database.db)
  const service = directoryService(platform, snapshots)
  const admin = directoryAdminService(platform)
  const keeping = keepingTrueService(platform)
  const openReferral = openReferralService(platform, snapshots)
  const importer = directoryImporter(platform)
  const staffNav: NavItem[] = [{ href: '/staff/directory', text: 'Directory', access: 'directory.edit' }]
  return {
    /** What other modules use: organisations (partners too), capacity reports. */
    service,
    /** Open Referral import, for `npm run hub -- import-directory`. */
    importer,
    staffNav,
    loadReferenceData: () => service.loadReferenceData(),
    /** Fictional partners (a homelessness charity, a hospital discharge team, adult learning). */
    seedDemo: () => seedDirectoryDemo(platform, service),
    /** Checked daily; each owner is reminded of unreviewed listings at most once a month. */
    jobs: [
      {
        name: 'directory.review-reminders',
        everyMinutes: 24 * 60,
        run: async () => {
          await keeping.sendReviewReminders({ userId: null, actor: 'system', ip: null, requestId: null })
        },
      },
    ],
    routes(app: FastifyInstance) {
      homeRoutes(app, service)
      findHelpRoutes(app, service, keeping)
      directoryAdminRoutes(app, admin)
      keepingTrueRoutes(app, keeping)
      importExportRoutes(app, platform, importer)
      openReferralRoutes(app, openReferral)
    },
  }
}
