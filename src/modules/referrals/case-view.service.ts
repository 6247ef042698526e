import { requirePermission, type StaffUser } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import type { Platform } from '#platform/platform.ts'
import type { AccountService } from '../accounts/index.ts'
import type { PersonService } from '../people/index.ts'
import { caseRecords } from './case-records.ts'
import { referralRepository as repo } from './referral.repository.ts'
import type { ReferralService } from './referral.service.ts'
import { allowedNext, formatReference, isStale } from './referral.ts'
import type { ReferralRules } from './rules.ts'

/** One case as staff see it: the referral, its requests and what may come next, its history, its person. */
export function caseViewService(
  platform: Platform,
  deps: {
    people: PersonService
    rules: ReferralRules
    referrals: Pick<ReferralService, 'boroughs'>
    accounts: Pick<AccountService, 'triageOfficers'>
    staleBefore(): string
  },
) {
  const { database } = platform
  const { db } = database
  const { rules, people, referrals, accounts, staleBefore } = deps
  const { caseInScope } = caseRecords(db)

  return {
    /**
     * Everything about one case. The view is audited, and so are its person and each duplicate shown,
     * in one insert and one commit (see PersonService.view).
     */
    async getCase(user: StaffUser, id: string, ctx: AuditContext) {
      requirePermission(user, 'referrals.view')
      const referral = await caseInScope(user, id)
      const viewed = { action: 'referral.viewed', recordType: 'referral', recordId: referral.id }
      const [needs, events, { person, duplicates }, known, officers] = await Promise.all([
        repo.needsOf(db, [referral.id]),
        repo.eventsOf(db, referral.id),
        people.view(user, referral.person_id, ctx, [viewed]),
        referrals.boroughs(),
        accounts.triageOfficers(user, [referral.borough_id]),
      ])
      const cutoff = staleBefore()
      return {
        referral: { ...referral, displayReference: formatReference(referral.reference) },
        borough: known.byId.get(referral.borough_id),
        /** Boroughs by code, by name: the history says where a case was transferred. */
        boroughNames: Object.fromEntries([...known.byCode.entries()].map(([code, b]) => [code, b.name])),
        otherBoroughs: [...known.byCode.entries()]
          .filter(([, b]) => b.id !== referral.borough_id)
          .map(([code, b]) => ({ code, name: b.short_name })),
        needs: needs.map((n) => ({
          ...n,
          team: rules.teams.find((t) => t.code === n.team_code),
          next: allowedNext(n.status),
          isStale: isStale(n, cutoff),
        })),
        events,
        person,
        duplicates,
        /** Who the case can be given to: officers who triage in its borough. */
        officers,
        contactAttempts: events.filter((e) => e.kind === 'contact-attempt').length,
        minContactAttempts: rules.minContactAttempts,
      }
    },
  }
}
