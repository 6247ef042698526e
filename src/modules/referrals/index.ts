import { z } from 'zod'
import type { PeriodicJob } from '#platform/jobs.ts'
import { defineModule, type ServiceOf } from '#platform/module.ts'
import type { AccountService } from '../accounts/index.ts'
import type { DirectoryService } from '../directory/index.ts'
import type { PersonService } from '../people/index.ts'
import { apiRoutes } from './api.routes.ts'
import { referralsDashboard } from './dashboard.ts'
import { seedDemoReferrals } from './demo.ts'
import { disclosureGate } from './disclosure.ts'
import { fulfilmentService } from './fulfilment.service.ts'
import { migration as m0011 } from './migrations/0011_referrals.ts'
import { migration as m0012 } from './migrations/0012_referral_queue_indexes.ts'
import { migration as m0014 } from './migrations/0014_referral_queue_needs.ts'
import { migration as m0015 } from './migrations/0015_partial_indexes.ts'
import { migration as m202612012300 } from './migrations/202612012300_referrals_tracking_words.ts'
import { migration as m202612021420 } from './migrations/202612021420_referrals_search_words.ts'
import { migration as m202612022230 } from './migrations/202612022230_referrals_search_words_order.ts'
import { migration as m202612031000 } from './migrations/202612031000_referral_needs_team_stale.ts'
import { partnerRoutes } from './partner.routes.ts'
import { referRoutes } from './refer.routes.ts'
import { referralMessages } from './referral.messages.ts'
import { referralPersonalData } from './referral.personal-data.ts'
import { referralService } from './referral.service.ts'
import { digestDue } from './referral.ts'
import { loadRules } from './rules.ts'
import { staffRoutes } from './staff.routes.ts'
import { trackRoutes } from './track.routes.ts'
import { triageService } from './triage.service.ts'

const permissions = {
  'referrals.view': {
    description: 'See the referrals of your boroughs',
    roles: ['manager', 'triage-officer'],
  },
  'referrals.triage': {
    description: 'Triage referrals, contact residents, route and close requests',
    roles: ['triage-officer'],
  },
  'referrals.assign': {
    description: 'Give a case to an officer, or take it back',
    roles: ['manager', 'triage-officer'],
  },
  'referrals.submit': {
    description: "Refer residents for a partner organisation and follow those referrals' status",
    roles: ['partner-referrer'],
  },
}

declare module '#platform/access.ts' {
  interface PermissionNames extends Record<keyof typeof permissions, true> {}
}

declare module '#platform/events.ts' {
  interface HubEvents {
    /** Triage accepted a request for a team: the module that gives that help takes it from here. */
    'referrals.request-routed': {
      needId: string
      referralId: string
      kind: string
      personId: string
      boroughId: string
      residentName: string
      details: Record<string, unknown>
    }
  }
}

/**
 * Referrals: the public journey (/refer), the partner API, staff triage, the closed loop and /track.
 * The rules that are data (postcodes, routing, eligibility, service levels) are read from data/ at start.
 */
export const referralsModule = defineModule({
  name: 'referrals',
  folder: 'src/modules/referrals',
  permissions,
  migrations: {
    '0011_referrals': m0011,
    '0012_referral_queue_indexes': m0012,
    '0014_referral_queue_needs': m0014,
    '0015_partial_indexes': m0015,
    '202612012300_referrals_tracking_words': m202612012300,
    '202612021420_referrals_search_words': m202612021420,
    '202612022230_referrals_search_words_order': m202612022230,
    '202612031000_referral_needs_team_stale': m202612031000,
  },
  messages: referralMessages,
  settings: z.object({
    REFERRAL_STALE_WORKING_DAYS: z.coerce
      .number()
      .int()
      .min(1)
      .max(60)
      .default(5)
      .describe('A request not updated for this many working days is flagged and listed in the daily email'),
  }),
  personalData: referralPersonalData,
  events: {
    publishes: ['referrals.request-routed'],
    listens: [
      'people.merged',
      'devices.handed-over',
      'sessions.booked',
      'sessions.attended',
      'home-library.member-joined',
    ],
  },
  uses: ['directory', 'accounts', 'people'],
  create({ platform, settings, events, service }) {
    const accounts = service<AccountService>('accounts')
    const people = service<PersonService>('people')
    const directory = service<DirectoryService>('directory')
    const rules = loadRules(platform.config.APP_ROOT)
    // A later module (the partnership's agreements) registers the check of each disclosure to a partner.
    const disclosures = disclosureGate()
    const referrals = referralService(platform, {
      people,
      rules,
      disclosures,
      async organisationName(id) {
        return (await directory.findOrganisation(id))?.name ?? null
      },
    })
    const triage = triageService(platform, {
      accounts,
      people,
      rules,
      referrals,
      staleWorkingDays: settings.REFERRAL_STALE_WORKING_DAYS,
      events,
      disclosures,
    })
    events.on('people.merged', (tx, { fromId, toId }) => triage.followMerge(tx, fromId, toId))
    const fulfilment = fulfilmentService(platform)
    events.on('devices.handed-over', async (tx, { referralNeedId, kind }) => {
      if (!referralNeedId) return
      await triage.moveRequestOn(tx, referralNeedId, [{ to: 'outcome-recorded', outcome: 'got-help' }], {
        module: 'devices',
        note: kind === 'gift' ? 'Given a device or SIM card' : 'Lent a device or SIM card',
      })
    })
    events.on('sessions.booked', async (tx, { needId }) => {
      if (needId) await triage.moveRequestOn(tx, needId, [{ to: 'scheduled' }], { module: 'sessions' })
    })
    events.on('sessions.attended', async (tx, { needId, first }) => {
      if (!needId) return
      const outcome = first ? [{ to: 'outcome-recorded' as const, outcome: 'got-help' as const }] : []
      await triage.moveRequestOn(tx, needId, [{ to: 'in-progress' }, ...outcome], { module: 'sessions' })
    })
    events.on('home-library.member-joined', (tx, { needId }) =>
      triage.moveRequestOn(tx, needId, [{ to: 'in-progress' }], {
        module: 'home-library',
        note: 'Joined the Home Library Service',
      }),
    )
    return {
      service: {
        ...referrals,
        ...triage,
        ...fulfilment,
        rules,
        registerDisclosureCheck: disclosures.registerDisclosureCheck,
      },
      staffNav: [
        { href: '/staff/referrals', text: 'Referrals', access: 'referrals.view' },
        { href: '/staff/my-referrals', text: 'Your referrals', access: 'referrals.submit' },
      ],
      dashboard: (user) => referralsDashboard(user, triage),
      async loadReferenceData() {
        // Checks the rule files against the boroughs now in the database: a wrong file stops the start.
        const known = await referrals.boroughs()
        loadRules(platform.config.APP_ROOT, known.codes)
      },
      routes(app) {
        referRoutes(app, referrals, rules, { cookieSecure: platform.config.cookieSecure })
        trackRoutes(app, platform, referrals)
        staffRoutes(app, triage, rules)
        partnerRoutes(app, referrals)
        apiRoutes(app, referrals, accounts)
      },
      /** Run by the worker (`npm run hub -- worker`, or in-process with WORKER=in-process). */
      jobs: [
        {
          // Checked hourly; sends at most once a day per team (see sendStaleDigest), on working days from 7am.
          name: 'referrals.stale-digest',
          everyMinutes: 60,
          async run() {
            if (digestDue(new Date(), rules.bankHolidays)) await triage.sendStaleDigest()
          },
        },
        { name: 'referrals.purge-journeys', everyMinutes: 30, run: () => referrals.purgeJourneys() },
      ] satisfies PeriodicJob[],
      seedDemo: () =>
        seedDemoReferrals(
          platform,
          referrals,
          triage,
          async (code) => (await directory.findOrganisation(code)) ?? null,
        ),
    }
  },
})

export type ReferralsModuleService = ServiceOf<typeof referralsModule>

/** The seam a later module registers into to decide each disclosure of a resident's data to a partner. */
export type { Disclosure, DisclosureCheck, DisclosureVerdict } from './disclosure.ts'
/** The reference format (XXXX-XXXX, no 0/O or 1/I) for other modules' references: a booking's. */
export { formatReference, newReference, parseReference } from './referral.ts'
