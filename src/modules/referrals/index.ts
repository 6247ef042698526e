import type { FastifyInstance } from 'fastify'
import type { NavItem } from '#platform/http.ts'
import type { PeriodicJob } from '#platform/jobs.ts'
import type { Platform } from '#platform/platform.ts'
import type { AccountService } from '../accounts/account.service.ts'
import type { DirectoryService } from '../directory/directory.service.ts'
import type { PersonService } from '../people/person.service.ts'
import { apiRoutes } from './api.routes.ts'
import { seedDemoReferrals } from './demo.ts'
import { partnerRoutes } from './partner.routes.ts'
import { referRoutes } from './refer.routes.ts'
import { referralService } from './referral.service.ts'
import { digestDue } from './referral.ts'
import { loadRules } from './rules.ts'
import { staffRoutes } from './staff.routes.ts'
import { trackRoutes } from './track.routes.ts'
import { triageService } from './triage.service.ts'

/**
 * Referrals: the public journey (/refer), the partner API, staff triage, the closed loop and /track.
 * The rules that are data (postcodes, routing, eligibility, service levels) are read from data/ at start.
 */
export function referralsModule(
  platform: Platform,
  deps: { accounts: AccountService; people: PersonService; directory: DirectoryService },
) {
  const rules = loadRules(platform.config.APP_ROOT)
  const referrals = referralService(platform, {
    people: deps.people,
    rules,
    async organisationName(id) {
      return (await deps.directory.findOrganisation(id))?.name ?? null
    },
  })
  const triage = triageService(platform, {
    accounts: deps.accounts,
    people: deps.people,
    rules,
    referrals,
    staleWorkingDays: platform.config.REFERRAL_STALE_WORKING_DAYS,
  })
  deps.people.onMerge((tx, fromId, toId) => triage.followMerge(tx, fromId, toId))
  const staffNav: NavItem[] = [
    { href: '/staff/referrals', text: 'Referrals', access: 'referrals.view' },
    { href: '/staff/my-referrals', text: 'Your referrals', access: 'referrals.submit' },
  ]
  const service = { ...referrals, ...triage, rules }
  return {
    service,
    staffNav,
    async loadReferenceData() {
      // Checks the rule files against the boroughs now in the database: a wrong file stops the start.
      const known = await referrals.boroughs()
      loadRules(platform.config.APP_ROOT, known.codes)
    },
    routes(app: FastifyInstance) {
      referRoutes(app, referrals, rules, { cookieSecure: platform.config.cookieSecure })
      trackRoutes(app, platform, referrals)
      staffRoutes(app, triage, rules)
      partnerRoutes(app, referrals)
      apiRoutes(app, referrals, deps.accounts)
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
    seedDemo: () => seedDemoReferrals(platform, referrals, triage),
  }
}

export type ReferralsModuleService = ReturnType<typeof referralsModule>['service']
