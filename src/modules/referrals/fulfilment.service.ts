import { inScope, type StaffUser } from '#platform/access.ts'
import { nowIso } from '#platform/clock.ts'
import type { Tx } from '#platform/database.ts'
import { Invalid } from '#platform/errors.ts'
import { isUuid, newId } from '#platform/ids.ts'
import type { Platform } from '#platform/platform.ts'
import { referralRepository as repo } from './referral.repository.ts'
import {
  FINISHED_STATES,
  formatReference,
  type NeedKind,
  parseReference,
  referralStatus,
  TRANSITIONS,
} from './referral.ts'

/**
 * How another module fulfils a referral's request (a device lent, a SIM given) without reading its tables:
 * it asks for the open request by the referral's reference, and tells when the help was given by an event.
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

    /**
     * Inside the publisher's transaction: the help was given, so the request's outcome is recorded. A request
     * that cannot move there yet (still in triage) keeps its state and its history says what happened.
     */
    async requestFulfilled(tx: Tx, needId: string, what: string) {
      const need = await repo.needById(tx, needId)
      if (!need) return
      const moves = TRANSITIONS[need.status].includes('outcome-recorded')
      const at = nowIso()
      if (moves)
        await repo.updateNeed(tx, need.id, {
          status: 'outcome-recorded',
          outcome: 'got-help',
          updated_at: at,
        })
      await repo.insertEvent(tx, {
        id: newId(),
        referral_id: need.referral_id,
        need_id: need.id,
        kind: 'status',
        from_status: need.status,
        to_status: moves ? 'outcome-recorded' : need.status,
        outcome: moves ? 'got-help' : null,
        detail_json: { fulfilled: what },
        note: null,
        user_id: null,
        user_name: null,
        at,
      })
      const needs = await repo.needsOf(tx, [need.referral_id])
      await repo.updateReferral(tx, need.referral_id, {
        status: referralStatus(needs.map((n) => n.status)),
        updated_at: at,
      })
    },
  }
}
