import { inScope, type StaffUser } from '#platform/access.ts'
import { Invalid } from '#platform/errors.ts'
import { isUuid } from '#platform/ids.ts'
import type { Platform } from '#platform/platform.ts'
import { referralRepository as repo } from './referral.repository.ts'
import { FINISHED_STATES, formatReference, type NeedKind, parseReference } from './referral.ts'

/**
 * How another module fulfils a referral's request (a device lent, a SIM given) without reading its tables:
 * it asks for the open request by the referral's reference, and tells when the help was given by an event
 * (which moves the request on through the triage service's `moveRequestOn`).
 */
export function fulfilmentService(platform: Platform) {
  const { db } = platform.database

  return {
    /**
     * The open request of one of `kinds` on the referral with this reference, in the caller's boroughs: whose
     * it is and when it was asked for. The caller has checked its own permission.
     */
    async openRequest(user: StaffUser, referenceInput: string, kinds: readonly NeedKind[]) {
      const reference = parseReference(referenceInput)
      const referral = reference ? await repo.findByReference(db, reference) : undefined
      // Another borough's referral is as unknown as one that does not exist.
      if (!referral || !inScope(user, referral.borough_id))
        throw new Invalid('fulfil.referralUnknown', 'reference')
      const need = (await repo.needsOf(db, [referral.id])).find(
        (n) => kinds.includes(n.kind) && !FINISHED_STATES.includes(n.status),
      )
      if (!need) throw new Invalid('fulfil.referralNoRequest', 'reference')
      return {
        needId: need.id,
        personId: referral.person_id,
        boroughId: referral.borough_id,
        askedAt: need.created_at,
      }
    },

    /**
     * The open request with this id (a case page links to another module's booking with it), of one of
     * `kinds`, in the caller's boroughs: whose it is, the name given on the referral, and its reference. The
     * caller has checked its own permission; anything else is as unknown as a request that does not exist.
     */
    async openRequestById(user: StaffUser, needId: string, kinds: readonly NeedKind[]) {
      const need = isUuid(needId) ? await repo.needById(db, needId) : undefined
      const referral = need ? await repo.findById(db, need.referral_id) : undefined
      if (!need || !referral || !inScope(user, referral.borough_id)) return undefined
      if (!kinds.includes(need.kind) || FINISHED_STATES.includes(need.status)) return undefined
      return {
        needId: need.id,
        personId: referral.person_id,
        boroughId: referral.borough_id,
        residentName: referral.resident_name,
        reference: formatReference(referral.reference),
      }
    },
  }
}
