import { requirePermission, type StaffUser } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { nowIso } from '#platform/clock.ts'
import { Invalid } from '#platform/errors.ts'
import type { Platform } from '#platform/platform.ts'
import type { AccountService } from '../accounts/index.ts'
import type { PersonService } from '../people/index.ts'
import { caseRecords } from './case-records.ts'
import { referralRepository as repo } from './referral.repository.ts'
import type { ReferralService } from './referral.service.ts'
import { type ReferralRules, teamFor } from './rules.ts'

/** Who holds a case: the officer it is assigned to, and the borough it belongs to. */
export function caseOwnershipService(
  platform: Platform,
  deps: {
    people: PersonService
    rules: ReferralRules
    referrals: Pick<ReferralService, 'boroughs'>
    accounts: Pick<AccountService, 'triageOfficers'>
  },
) {
  const { database, audit } = platform
  const { db } = database
  const { rules, people, referrals, accounts } = deps
  const { caseInScope, event } = caseRecords(db)

  return {
    /**
     * Gives the case to an officer (an account id, or `me`) or to nobody (`none`). The officer must be
     * active, triage referrals, and work in the case's borough, whatever the form sent.
     */
    async assign(
      user: StaffUser,
      input: { referralId: string; to: string },
      ctx: AuditContext,
    ): Promise<void> {
      requirePermission(user, 'referrals.assign')
      const before = await caseInScope(user, input.referralId)
      const officerId = input.to === 'me' ? user.id : input.to === 'none' ? null : input.to
      let officer: { id: string; name: string } | null = null
      if (officerId !== null) {
        // Asked before the transaction: the accounts service reads through its own connection.
        const officers = await accounts.triageOfficers(user, [before.borough_id])
        officer = officers.find((o) => o.id === officerId) ?? null
        if (!officer) throw new Invalid('triage.refusal.officer', 'to')
      }
      await db.transaction().execute(async (tx) => {
        const referral = await caseInScope(user, input.referralId, tx)
        // Transferred meanwhile: the officer was checked against the borough it had.
        if (officer && referral.borough_id !== before.borough_id)
          throw new Invalid('triage.refusal.officer', 'to')
        await repo.updateReferral(tx, referral.id, {
          assigned_user_id: officer?.id ?? null,
          assigned_name: officer?.name ?? null,
          updated_at: nowIso(),
        })
        await event(tx, user, {
          referral_id: referral.id,
          kind: 'assigned',
          detail_json: { to: officer?.name ?? '' },
        })
        await audit.record(tx, ctx, {
          action: 'referral.assigned',
          recordType: 'referral',
          recordId: referral.id,
          fields: ['assigned_to'],
        })
      })
    },

    /**
     * Sends the case to another borough with a reason: its open needs go to that borough's teams, the
     * person record follows, and the case leaves the queue of officers scoped to this borough only.
     */
    async transfer(
      user: StaffUser,
      input: { referralId: string; borough: string; reason: string },
      ctx: AuditContext,
    ) {
      requirePermission(user, 'referrals.triage')
      const known = await referrals.boroughs()
      const target = known.byCode.get(input.borough)
      if (!target) throw new Invalid('triage.refusal.borough', 'borough')
      await db.transaction().execute(async (tx) => {
        const referral = await caseInScope(user, input.referralId, tx)
        if (referral.borough_id === target.id) throw new Invalid('triage.refusal.sameBorough', 'borough')
        for (const need of await repo.needsOf(tx, [referral.id]))
          await repo.updateNeed(tx, need.id, { team_code: teamFor(rules, input.borough, need.kind).code })
        await repo.updateReferral(tx, referral.id, {
          borough_id: target.id,
          assigned_user_id: null,
          assigned_name: null,
          updated_at: nowIso(),
        })
        await people.moveToBorough(tx, referral.person_id, target.id, ctx)
        await event(tx, user, {
          referral_id: referral.id,
          kind: 'transferred',
          detail_json: { from: known.byId.get(referral.borough_id)?.code ?? '', to: input.borough },
          note: input.reason,
        })
        await audit.record(tx, ctx, {
          action: 'referral.transferred',
          recordType: 'referral',
          recordId: referral.id,
          fields: ['borough', 'reason'],
        })
      })
    },
  }
}
