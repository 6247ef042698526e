import { z } from 'zod'
import { listBoroughs } from '#platform/boroughs.ts'
import type { PeriodicJob } from '#platform/jobs.ts'
import { defineModule, type ServiceOf } from '#platform/module.ts'
import type { AccountService } from '../accounts/index.ts'
import type { DirectoryService } from '../directory/index.ts'
import type { HomeLibraryService } from '../home-library/index.ts'
import type { SessionsModuleService } from '../sessions/index.ts'
import { applicationService } from './application.service.ts'
import { applyRoutes } from './apply.routes.ts'
import { volunteersDashboard } from './dashboard.ts'
import { seedDemoVolunteers } from './demo.ts'
import { hoursRoutes } from './hours.routes.ts'
import { hoursService } from './hours.service.ts'
import { migration as m202612020130 } from './migrations/202612020130_volunteers_tables.ts'
import { migration as m202612020145 } from './migrations/202612020145_volunteers_rota.ts'
import { migration as m202612020200 } from './migrations/202612020200_volunteers_hours.ts'
import { migration as m202612031200 } from './migrations/202612031200_volunteers_understaffed_due.ts'
import { rotaRoutes } from './rota.routes.ts'
import { rotaService } from './rota.service.ts'
import { staffRoutes } from './staff.routes.ts'
import { trainingService } from './training.service.ts'
import { volunteerMessages } from './volunteer.messages.ts'
import { volunteerService } from './volunteer.service.ts'
import { volunteersPersonalData } from './volunteers.personal-data.ts'

const permissions = {
  'volunteers.view': {
    description: 'See volunteers of your boroughs and where each is in the pipeline',
    roles: ['volunteer-coordinator', 'manager'],
  },
  'volunteers.manage': {
    description: 'Move volunteers along the pipeline and link their accounts; told of new applications',
    roles: ['volunteer-coordinator'],
  },
  'volunteers.checks': {
    description:
      "See and record volunteers' DBS checks and references (criminal-offence data; each view is audited)",
    roles: ['volunteer-coordinator'],
  },
  'volunteers.own': {
    description: 'A volunteer: their own shifts, hours, training and details',
    roles: ['volunteer'],
  },
}

declare module '#platform/access.ts' {
  interface PermissionNames extends Record<keyof typeof permissions, true> {}
}

/**
 * Volunteer digital helpers: applying at /volunteer, the pipeline from application to active, their
 * checks (status, numbers and dates only), and whether a volunteer may go out on a Home Library round.
 */
export const volunteersModule = defineModule({
  name: 'volunteers',
  folder: 'src/modules/volunteers',
  permissions,
  migrations: {
    '202612020130_volunteers_tables': m202612020130,
    '202612020145_volunteers_rota': m202612020145,
    '202612020200_volunteers_hours': m202612020200,
    '202612031200_volunteers_understaffed_due': m202612031200,
  },
  messages: volunteerMessages,
  settings: z.object({
    VOLUNTEERS_WAITING_DAYS: z.coerce
      .number()
      .int()
      .min(1)
      .max(60)
      .default(7)
      .describe("Days an application may wait at 'applied' before the borough's coordinators are reminded"),
  }),
  personalData: volunteersPersonalData,
  uses: ['directory', 'accounts', 'sessions', 'home-library'],
  create({ platform, settings, service }) {
    const accounts = service<AccountService>('accounts')
    const applications = applicationService(platform, {
      accounts,
      directory: service<DirectoryService>('directory'),
    })
    const volunteers = volunteerService(platform, { accounts, waitingDays: settings.VOLUNTEERS_WAITING_DAYS })
    const homeLibrary = service<HomeLibraryService>('home-library')
    const training = trainingService(platform, { accounts })
    const rota = rotaService(platform, {
      accounts,
      sessions: service<SessionsModuleService>('sessions'),
      directory: service<DirectoryService>('directory'),
      rounds: homeLibrary.rounds,
      training,
    })
    const hours = hoursService(platform)
    homeLibrary.rounds.checkDeliverersWith((userId) => volunteers.delivererRefusal(userId))
    return {
      service: { applications, volunteers, rota, training, hours },
      staffNav: [
        { href: '/staff/volunteers', text: 'Volunteers', access: 'volunteers.view' },
        { href: '/staff/volunteers/rota', text: 'Volunteer rota', access: 'volunteers.view' },
        { href: '/staff/volunteers/figures', text: 'Volunteer figures', access: 'volunteers.view' },
        { href: '/staff/volunteering', text: 'My volunteering', access: 'volunteers.own' },
      ],
      dashboard: (user) => volunteersDashboard(platform.database.db, user),
      loadReferenceData: () => training.loadCourses(),
      seedDemo: () =>
        seedDemoVolunteers(platform, {
          accounts,
          directory: service<DirectoryService>('directory'),
          applications,
          volunteers,
          rota,
          training,
        }),
      routes(app) {
        applyRoutes(app, applications, { cookieSecure: platform.config.cookieSecure })
        staffRoutes(app, volunteers, training)
        rotaRoutes(app, { rota, training, hours, volunteers }, () => listBoroughs(platform.database.db))
        hoursRoutes(app, hours)
      },
      jobs: [
        {
          name: 'volunteers.waiting',
          everyMinutes: 24 * 60,
          run: (now) => volunteers.remindWaiting(now).then(() => {}),
        },
        {
          name: 'volunteers.training-expiring',
          everyMinutes: 24 * 60,
          run: () => training.remindTraining().then(() => {}),
        },
        {
          name: 'volunteers.understaffed',
          everyMinutes: 60,
          run: (now) => rota.remindUnderstaffed(now).then(() => {}),
        },
        { name: 'volunteers.purge-drafts', everyMinutes: 60, run: () => applications.purgeDrafts() },
      ] satisfies PeriodicJob[],
    }
  },
})

export type VolunteersModuleService = ServiceOf<typeof volunteersModule>
