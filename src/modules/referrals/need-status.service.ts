import { requirePermission, type StaffUser } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { nowIso } from '#platform/clock.ts'
import type { Tx } from '#platform/database.ts'
import { Invalid, NotFound } from '#platform/errors.ts'
import type { ModuleEvents } from '#platform/events.ts'
import { isUuid, newId } from '#platform/ids.ts'
import type { Platform } from '#platform/platform.ts'
import { caseRecords } from './case-records.ts'
import { englishTranslator, referralNotices, referrerChannel } from './referral.notices.ts'
import { referralRepository as repo } from './referral.repository.ts'
import {
  allowedNext,
  decideTransition,
  type NeedState,
  type Outcome,
  referralStatus,
  type TransitionRequest,
  tellsReferrer,
} from './referral.ts'
import type { ReferralRules } from './rules.ts'

/**
 * Each request's state: moved by staff through the transition table, or by another module's event (a
 * booking made, a device handed over). The referral's overall status follows its requests.
 */
export function needStatusService(platform: Platform, deps: { rules: ReferralRules; events: ModuleEvents }) {
  const { database, audit, outbox, config } = platform
  const { db } = database
  const { rules } = deps
  const notices = referralNotices(
    outbox,
    englishTranslator(config.APP_ROOT),
    config.SERVICE_NAME,
    config.publicUrl,
  )
  const { caseInScope, event } = caseRecords(db)

  async function touch(tx: Tx, referralId: string): Promise<void> {
    const needs = await repo.needsOf(tx, [referralId])
    await repo.updateReferral(tx, referralId, {
      status: referralStatus(needs.map((n) => n.status)),
      updated_at: nowIso(),
    })
  }

  return {
    /** Moves one need to another state. The transition table decides; the page's buttons do not. */
    async changeNeed(
      user: StaffUser,
      input: { referralId: string; needId: string; note?: string } & TransitionRequest,
      ctx: AuditContext,
    ): Promise<void> {
      requirePermission(user, 'referrals.triage')
      await caseInScope(user, input.referralId)
      await db.transaction().execute(async (tx) => {
        const referral = await caseInScope(user, input.referralId, tx)
        if (!isUuid(input.needId)) throw new NotFound()
        const need = await repo.lockNeed(tx, database.dialect, referral.id, input.needId)
        if (!need) throw new NotFound()
        const attempts = await repo.countContactAttempts(tx, referral.id)
        const decision = decideTransition(need.status, input, {
          contactAttempts: attempts,
          minContactAttempts: rules.minContactAttempts,
        })
        if (!decision.ok) throw new Invalid(`triage.refusal.${decision.refusal}`, decision.field)
        await repo.updateNeed(tx, need.id, {
          status: decision.status,
          outcome: decision.outcome ?? need.outcome,
          declined_reason: input.to === 'declined' ? (input.reason ?? null) : need.declined_reason,
          signposting: input.to === 'declined' ? (input.signposting ?? null) : need.signposting,
          updated_at: nowIso(),
        })
        await event(tx, user, {
          referral_id: referral.id,
          need_id: need.id,
          kind: 'status',
          from_status: need.status,
          to_status: decision.status,
          outcome: decision.outcome,
          detail_json: input.to === 'declined' ? { reason: input.reason ?? '' } : null,
          note: input.note || null,
        })
        await touch(tx, referral.id)
        if (decision.status === 'routed')
          await deps.events.publish(tx, 'referrals.request-routed', {
            needId: need.id,
            referralId: referral.id,
            kind: need.kind,
            personId: referral.person_id,
            boroughId: referral.borough_id,
            residentName: referral.resident_name,
            details: need.details_json,
          })
        await audit.record(tx, ctx, {
          action: 'referral.need-status-changed',
          recordType: 'referral',
          recordId: referral.id,
          fields: ['status', ...(decision.outcome ? ['outcome'] : []), ...(input.note ? ['note'] : [])],
        })
        if (tellsReferrer(decision.status))
          await notices.needChanged(tx, {
            reference: referral.reference,
            boroughId: referral.borough_id,
            kind: need.kind,
            status: decision.status,
            outcome: decision.outcome,
            signposting: input.to === 'declined' ? (input.signposting ?? null) : null,
            referrer: referrerChannel(referral.referrer_json),
          })
      })
    },

    /**
     * Inside another module's transaction (its event): the help a request asked for has moved on there. A
     * session booked schedules a skills request and its first attendance records that the person got
     * help; a Home Library member joining starts that request. A move the transition table does not
     * allow is left alone: the officer has moved the request on.
     */
    async moveRequestOn(
      tx: Tx,
      needId: string,
      steps: { to: NeedState; outcome?: Outcome }[],
      by: { module: string; note?: string },
    ): Promise<void> {
      if (!isUuid(needId)) return
      let need = await repo.lockNeedById(tx, database.dialect, needId)
      for (const step of steps) {
        if (!need || !allowedNext(need.status).includes(step.to)) continue
        const outcome = step.outcome ?? null
        await repo.updateNeed(tx, need.id, {
          status: step.to,
          outcome: outcome ?? need.outcome,
          updated_at: nowIso(),
        })
        await repo.insertEvent(tx, {
          id: newId(),
          referral_id: need.referral_id,
          need_id: need.id,
          kind: 'status',
          from_status: need.status,
          to_status: step.to,
          outcome,
          detail_json: { by: by.module },
          note: by.note ?? null,
          user_id: null,
          user_name: null,
          at: nowIso(),
        })
        await touch(tx, need.referral_id)
        need = { ...need, status: step.to, outcome: outcome ?? need.outcome }
      }
    },
  }
}
