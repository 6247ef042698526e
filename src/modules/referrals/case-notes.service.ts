import { requirePermission, type StaffUser } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { nowIso } from '#platform/clock.ts'
import type { Platform } from '#platform/platform.ts'
import type { PersonService } from '../people/index.ts'
import { caseRecords } from './case-records.ts'
import { referralRepository as repo } from './referral.repository.ts'

/** What staff add to a case besides moving its requests: contact attempts, notes, and its person's duplicates. */
export function caseNotesService(platform: Platform, deps: { people: PersonService }) {
  const { database, audit } = platform
  const { db } = database
  const { people } = deps
  const { caseInScope, event } = caseRecords(db)

  return {
    async logContactAttempt(
      user: StaffUser,
      input: { referralId: string; method: string; result: string; note: string },
      ctx: AuditContext,
    ): Promise<void> {
      requirePermission(user, 'referrals.triage')
      await db.transaction().execute(async (tx) => {
        const referral = await caseInScope(user, input.referralId, tx)
        await event(tx, user, {
          referral_id: referral.id,
          kind: 'contact-attempt',
          detail_json: { method: input.method, result: input.result },
          note: input.note || null,
        })
        await repo.updateReferral(tx, referral.id, { updated_at: nowIso() })
        await audit.record(tx, ctx, {
          action: 'referral.contact-attempt',
          recordType: 'referral',
          recordId: referral.id,
          fields: ['method', 'result', ...(input.note ? ['note'] : [])],
        })
      })
    },

    /** An internal note: staff only, never shown to the referrer or the resident. */
    async addNote(
      user: StaffUser,
      input: { referralId: string; note: string },
      ctx: AuditContext,
    ): Promise<void> {
      requirePermission(user, 'referrals.triage')
      await db.transaction().execute(async (tx) => {
        const referral = await caseInScope(user, input.referralId, tx)
        await event(tx, user, {
          referral_id: referral.id,
          kind: 'note',
          note: input.note,
        })
        await audit.record(tx, ctx, {
          action: 'referral.note-added',
          recordType: 'referral',
          recordId: referral.id,
          fields: ['note'],
        })
      })
    },

    /** Staff say the case's person and a suggested record are one: the older record is kept. */
    async mergePerson(user: StaffUser, input: { referralId: string; otherId: string }, ctx: AuditContext) {
      requirePermission(user, 'referrals.triage')
      const referral = await caseInScope(user, input.referralId)
      await people.merge(user, { keepId: input.otherId, mergeId: referral.person_id }, ctx)
    },

    async markDistinct(user: StaffUser, input: { referralId: string; otherId: string }, ctx: AuditContext) {
      requirePermission(user, 'referrals.triage')
      const referral = await caseInScope(user, input.referralId)
      await people.markDistinct(user, { aId: referral.person_id, bId: input.otherId }, ctx)
    },
  }
}
