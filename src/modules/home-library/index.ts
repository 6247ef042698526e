import { z } from 'zod'
import { defineModule, type ServiceOf } from '#platform/module.ts'
import type { AccountService } from '../accounts/index.ts'
import type { PersonService } from '../people/index.ts'
import type { ReferralsModuleService } from '../referrals/index.ts'
import { seedDemoHomeLibrary } from './demo.ts'
import { depositRoutes } from './deposit.routes.ts'
import { depositService } from './deposit.service.ts'
import { figuresRoutes } from './figures.routes.ts'
import { figuresService } from './figures.service.ts'
import { homeLibraryPersonalData } from './home-library.personal-data.ts'
import { memberRoutes } from './member.routes.ts'
import { memberService } from './member.service.ts'
import { migration as m202612012250 } from './migrations/202612012250_home_library_tables.ts'
import { migration as m202612020000 } from './migrations/202612020000_home_library_deposits.ts'
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
    /**
     * A tablet was lent to a member at home. The devices module, when it is built, listens and makes the
     * loan from its stock in the same transaction (throwing refuses it, and nothing is saved).
     */
    'home-library.device-lent': {
      helpId: string
      memberId: string
      personId: string
      boroughId: string
      device: string
    }
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
  },
  settings: z.object({
    HOME_LIBRARY_REVIEW_REMINDER_DAYS: z.coerce
      .number()
      .int()
      .min(1)
      .max(90)
      .default(14)
      .describe("Days before a temporary member's review date that it is listed as due"),
  }),
  personalData: homeLibraryPersonalData,
  events: {
    publishes: ['home-library.member-joined', 'home-library.device-lent'],
    listens: ['people.merged', 'referrals.request-routed'],
  },
  uses: ['accounts', 'people', 'referrals'],
  create({ platform, settings, events, service }) {
    const accounts = service<AccountService>('accounts')
    const people = service<PersonService>('people')
    // Visits skip the bank holidays the referrals module keeps as data.
    const { bankHolidays } = service<ReferralsModuleService>('referrals').rules
    const members = memberService(platform, { people, events, bankHolidays })
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
      seedDemo: () => seedDemoHomeLibrary(platform, { rounds, accounts, people, deposits, bankHolidays }),
    }
  },
})

export type HomeLibraryService = ServiceOf<typeof homeLibraryModule>
