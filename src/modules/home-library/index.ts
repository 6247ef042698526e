import { z } from 'zod'
import { defineModule, type ServiceOf } from '#platform/module.ts'
import type { AccountService } from '../accounts/index.ts'
import type { DevicesModuleService } from '../devices/index.ts'
import type { PersonService } from '../people/index.ts'
import type { ReferralsModuleService } from '../referrals/index.ts'
import { seedDemoHomeLibrary } from './demo.ts'
import { depositRoutes } from './deposit.routes.ts'
import { depositService } from './deposit.service.ts'
import { figuresRoutes } from './figures.routes.ts'
import { figuresService } from './figures.service.ts'
import { homeLibraryMessages } from './home-library.messages.ts'
import { homeLibraryPersonalData } from './home-library.personal-data.ts'
import { memberRoutes } from './member.routes.ts'
import { memberService } from './member.service.ts'
import { migration as m202612012250 } from './migrations/202612012250_home_library_tables.ts'
import { migration as m202612020000 } from './migrations/202612020000_home_library_deposits.ts'
import { migration as m202612020140 } from './migrations/202612020140_home_library_figure_rollups.ts'
import { migration as m202612020150 } from './migrations/202612020150_home_library_review_reminders.ts'
import { migration as m202612020500 } from './migrations/202612020500_home_library_figure_counts.ts'
import { migration as m202612020800 } from './migrations/202612020800_home_library_items_out_titles.ts'
import { migration as m202612020810 } from './migrations/202612020810_home_library_figures_version.ts'
import { migration as m202612020830 } from './migrations/202612020830_home_library_sheet_version.ts'
import { sendReviewReminders } from './review-reminders.ts'
import { roundRoutes } from './round.routes.ts'
import { roundService } from './round.service.ts'
import { visitRoutes } from './visit.routes.ts'
import { visitService } from './visit.service.ts'

const permissions = {
  'home-library.view': {
    description: 'See Home Library members, rounds and visits of your boroughs',
    roles: ['home-library-coordinator'],
  },
  'home-library.manage': {
    description: 'Add and change Home Library members, rounds and visits',
    roles: ['home-library-coordinator'],
  },
  'home-library.access-notes': {
    description: "See Home Library members' access notes and emergency contacts (each view is audited)",
    roles: ['home-library-coordinator'],
  },
  'home-library.figures': {
    description: "See the Home Library Service's figures and download them",
    roles: ['home-library-coordinator', 'manager'],
  },
}

declare module '#platform/access.ts' {
  interface PermissionNames extends Record<keyof typeof permissions, true> {}
}

declare module '#platform/events.ts' {
  interface HubEvents {
    /** A referral's Home Library request became a member: the referral moves it on. */
    'home-library.member-joined': { needId: string; referralId: string; memberId: string }
  }
}

/**
 * The Home Library Service: members who cannot get to a library, their rounds and visits, the items they
 * have had, help with devices at home, and the figures the service reports.
 */
export const homeLibraryModule = defineModule({
  name: 'home-library',
  folder: 'src/modules/home-library',
  permissions,
  migrations: {
    '202612012250_home_library_tables': m202612012250,
    '202612020000_home_library_deposits': m202612020000,
    '202612020140_home_library_figure_rollups': m202612020140,
    '202612020150_home_library_review_reminders': m202612020150,
    '202612020500_home_library_figure_counts': m202612020500,
    '202612020800_home_library_items_out_titles': m202612020800,
    '202612020810_home_library_figures_version': m202612020810,
    '202612020830_home_library_sheet_version': m202612020830,
  },
  settings: z.object({
    HOME_LIBRARY_REVIEW_REMINDER_DAYS: z.coerce
      .number()
      .int()
      .min(1)
      .max(90)
      .default(14)
      .describe(
        "Days before a temporary member's review date that it is listed as due and staff are emailed",
      ),
  }),
  messages: homeLibraryMessages,
  personalData: homeLibraryPersonalData,
  events: {
    publishes: ['home-library.member-joined'],
    listens: ['people.merged', 'referrals.request-routed'],
  },
  uses: ['accounts', 'people', 'referrals', 'devices'],
  create({ platform, settings, events, service }) {
    const accounts = service<AccountService>('accounts')
    const people = service<PersonService>('people')
    // Visits skip the bank holidays the referrals module keeps as data.
    const { bankHolidays } = service<ReferralsModuleService>('referrals').rules
    // A tablet lent on a visit is a loan from the devices module's stock, in the visit's transaction.
    const devices = service<DevicesModuleService>('devices')
    const members = memberService(platform, { people, devices, events, bankHolidays })
    // A later module (volunteers) answers from the deliverer's checks: rounds.checkDeliverersWith.
    const rounds = roundService(platform, { accounts, bankHolidays })
    const visits = visitService(platform, { bankHolidays })
    const figures = figuresService(platform)
    const deposits = depositService(platform)
    events.on('referrals.request-routed', (tx, routed) => members.requestRouted(tx, routed))
    events.on('people.merged', (tx, { fromId, toId }) => members.followMerge(tx, fromId, toId))
    return {
      service: { members, rounds, visits, figures, deposits },
      staffNav: [
        { href: '/staff/home-library', text: 'Home Library', access: 'home-library.view' },
        { href: '/staff/home-library/figures', text: 'Home Library figures', access: 'home-library.figures' },
      ],
      routes(app) {
        memberRoutes(app, { members, rounds, visits }, settings.HOME_LIBRARY_REVIEW_REMINDER_DAYS)
        roundRoutes(app, { members, rounds })
        visitRoutes(app, { members, visits })
        figuresRoutes(app, figures)
        depositRoutes(app, { deposits, members })
      },
      jobs: [
        {
          // Hourly; each review date is reminded once, to the borough's Home Library staff.
          name: 'home-library.review-reminders',
          everyMinutes: 60,
          run: async () => {
            await sendReviewReminders(
              platform,
              (boroughId) => accounts.staffWith('home-library.manage', boroughId),
              settings.HOME_LIBRARY_REVIEW_REMINDER_DAYS,
            )
          },
        },
      ],
      seedDemo: () => seedDemoHomeLibrary(platform, { rounds, accounts, people, deposits, bankHolidays }),
    }
  },
})

export type HomeLibraryService = ServiceOf<typeof homeLibraryModule>
