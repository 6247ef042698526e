import { z } from 'zod'
import { flag } from '#platform/config.ts'
import { defineModule, type ServiceOf } from '#platform/module.ts'
import { directoryDashboard } from './dashboard.ts'
import { seedDirectoryDemo } from './demo.ts'
import { directoryMessages } from './directory.messages.ts'
import { directoryPersonalData } from './directory.personal-data.ts'
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
import { migration as m0003 } from './migrations/0003_directory.ts'
import { migration as m0004 } from './migrations/0004_directory_services.ts'
import { migration as m0020 } from './migrations/0020_directory_version.ts'
import { migration as m0036 } from './migrations/0036_import_per_borough.ts'
import { migration as m0040 } from './migrations/0040_capacity_version.ts'
import { migration as m202612012310 } from './migrations/202612012310_directory_feature_checked.ts'
import { DIRECTORY_TABLES } from './migrations/directory-facing.ts'
import { openReferralRoutes } from './openreferral.routes.ts'
import { openReferralService } from './openreferral.service.ts'

const permissions = {
  'directory.edit': {
    description: 'Keep libraries, services and access features up to date; import and export the directory',
    roles: ['directory-editor'],
  },
}

declare module '#platform/access.ts' {
  interface PermissionNames extends Record<keyof typeof permissions, true> {}
}

/** Organisations, libraries and other places, services, and the public pages and API that find them. */
export const directoryModule = defineModule({
  name: 'directory',
  folder: 'src/modules/directory',
  permissions,
  migrations: {
    '0003_directory': m0003,
    '0004_directory_services': m0004,
    '0020_directory_version': m0020,
    '0036_import_per_borough': m0036,
    '0040_capacity_version': m0040,
    '202612012310_directory_feature_checked': m202612012310,
  },
  messages: directoryMessages,
  settings: z.object({
    IMPORT_ALLOW_PRIVATE_HOSTS: flag
      .default(false)
      .describe('Lets a directory import read feeds over http: and on private or local addresses'),
    HELP_PHONE: z
      .string()
      .max(30)
      .optional()
      .describe(
        'The phone number residents can call to ask for help, on the home page; without it, the page sends people to a library',
      ),
  }),
  personalData: directoryPersonalData,
  directoryTables: DIRECTORY_TABLES,
  create({ platform, settings }) {
    const snapshots = directorySnapshots(platform.database.db)
    const directory = directoryService(platform, snapshots)
    const admin = directoryAdminService(platform)
    const keeping = keepingTrueService(platform)
    const openReferral = openReferralService(platform, snapshots)
    const importer = directoryImporter(platform, { allowPrivateHosts: settings.IMPORT_ALLOW_PRIVATE_HOSTS })
    return {
      /** Organisations (partners too) and capacity reports for other modules; imports for the command line. */
      service: { ...directory, importer },
      staffNav: [{ href: '/staff/directory', text: 'Directory', access: 'directory.edit' }],
      dashboard: (user) => directoryDashboard(user, admin, keeping),
      loadReferenceData: () => directory.loadReferenceData(),
      /** Fictional partners (a homelessness charity, a hospital discharge team, adult learning). */
      seedDemo: () => seedDirectoryDemo(platform, directory),
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
      routes(app) {
        homeRoutes(app, directory, { helpPhone: settings.HELP_PHONE })
        findHelpRoutes(app, directory, keeping)
        directoryAdminRoutes(app, admin)
        keepingTrueRoutes(app, keeping)
        importExportRoutes(app, platform, importer)
        openReferralRoutes(app, openReferral)
      },
    }
  },
})

export type DirectoryService = ServiceOf<typeof directoryModule>

/** For another module's migration: a table of its that the directory shows moves the directory's version. */
export { directoryFacing } from './migrations/directory-facing.ts'

/** Postcode centroids and distances, for another module's "nearest first". */
export { distanceMetres, postcodeCentroid } from './postcodes.ts'
