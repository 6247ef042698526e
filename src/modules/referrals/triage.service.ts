import { requirePermission, type StaffUser, scopeFilter } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { nowIso } from '#platform/clock.ts'
import type { Tx } from '#platform/database.ts'
import { Invalid, NotFound } from '#platform/errors.ts'
import type { ModuleEvents } from '#platform/events.ts'
import { groupBy } from '#platform/group-by.ts'
import { isUuid, newId } from '#platform/ids.ts'
import type { Platform } from '#platform/platform.ts'
import type { AccountService } from '../accounts/index.ts'
import type { PersonService } from '../people/index.ts'
import { caseOwnershipService } from './case-ownership.service.ts'
import { caseRecords } from './case-records.ts'
import { type DisclosureGate, ROUTED_DATA_ITEMS } from './disclosure.ts'
import { englishTranslator, referralNotices, referrerChannel } from './referral.notices.ts'
import { type QueueFilter, referralRepository as repo } from './referral.repository.ts'
import type { ReferralService } from './referral.service.ts'
import {
  allowedNext,
  decideTransition,
  formatReference,
  isStale,
  type NeedKind,
  type NeedState,
  type Outcome,
  parseReference,
  referralStatus,
  type TransitionRequest,
  tellsReferrer,
  workingDaysBefore,
} from './referral.ts'
import { type ReferralRules, teamOrganisation } from './rules.ts'
import { sendStaleDigest } from './stale-digest.ts'

export const PAGE_SIZE = 25
/** The queue counts its matches this far past the page's first row: 40 pages ahead, then "more than". */
const COUNT_AHEAD = 1000

export interface QueueQuery {
  borough?: string
  status?: NeedState
  need?: NeedKind
  minDays?: number
  officer?: string
  staleOnly?: boolean
  search?: string
  page: number
}

/** Use cases of staff: the queue, the case, each need's state, contact attempts, notes, assignment, transfer. */
export function triageService(
  platform: Platform,
  deps: {
    people: PersonService
    rules: ReferralRules
    referrals: ReferralService
    /** Who the officers are: accounts owns users, so it is asked, never its tables. */
    accounts: Pick<AccountService, 'triageOfficers'>
    staleWorkingDays: number
    events: ModuleEvents
    disclosures: DisclosureGate
  },
) {
  const { database, audit, outbox, config } = platform
  const { db } = database
  const { rules, people, referrals, accounts } = deps
  const notices = referralNotices(
    outbox,
    englishTranslator(config.APP_ROOT),
    config.SERVICE_NAME,
    config.publicUrl,
  )

  function staleBefore(now = new Date()): string {
    return workingDaysBefore(now, deps.staleWorkingDays, rules.bankHolidays).toISOString()
  }

  const { caseInScope, event } = caseRecords(db)

  async function touch(tx: Tx, referralId: string): Promise<void> {
    const needs = await repo.needsOf(tx, [referralId])
    await repo.updateReferral(tx, referralId, {
      status: referralStatus(needs.map((n) => n.status)),
      updated_at: nowIso(),
    })
  }

  return {
    ...caseOwnershipService(platform, deps),
    staleBefore,

    async queue(user: StaffUser, query: QueueQuery, ctx?: AuditContext) {
      requirePermission(user, 'referrals.view')
      const known = await referrals.boroughs()
      const scope = scopeFilter(user)
      const reference = query.search ? parseReference(query.search) : null
      const offset = (query.page - 1) * PAGE_SIZE
      const cutoff = staleBefore()
      const filter: QueueFilter = {
        scope,
        borough: query.borough ? (known.byCode.get(query.borough)?.id ?? '-') : undefined,
        status: query.status,
        need: query.need,
        createdBefore: query.minDays
          ? new Date(Date.now() - query.minDays * 86_400_000).toISOString()
          : undefined,
        officer: query.officer === 'me' ? user.id : query.officer,
        staleOnly: query.staleOnly,
        search: query.search ? (reference ? { reference } : { text: query.search }) : undefined,
        staleBefore: cutoff,
        limit: PAGE_SIZE,
        offset,
        countUpTo: offset + COUNT_AHEAD,
      }
      // The officer filter offers everyone who can take a case in the caller's boroughs, by name.
      const [{ rows, total, more }, officers] = await Promise.all([
        repo.queue(db, filter),
        accounts.triageOfficers(user, scope ?? 'all'),
      ])
      // A search looks people up: who searched is audited (the term itself, personal data, is not).
      if (query.search && ctx)
        await audit.record(db, ctx, { action: 'referral.searched', fields: ['search'] })
      const needs = groupBy(
        await repo.needSummaries(
          db,
          rows.map((r) => r.id),
        ),
        (n) => n.referral_id,
      )
      return {
        rows: rows.map((r) => {
          const own = needs.get(r.id) ?? []
          return {
            ...r,
            reference: formatReference(r.reference),
            borough: known.byId.get(r.borough_id)?.short_name ?? '',
            needs: own,
            is_stale: own.some((n) => isStale(n, cutoff)),
          }
        }),
        total,
        /** More match than `total`: the page says "more than". */
        more,
        pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
        officers,
        boroughs: [...known.byCode.entries()]
          .filter(([, b]) => !scope || scope.includes(b.id))
          .map(([code, b]) => ({ code, name: b.short_name })),
      }
    },

    /** What waits in the caller's boroughs, for the staff home. */
    async waiting(user: StaffUser) {
      requirePermission(user, 'referrals.view')
      return repo.waiting(db, scopeFilter(user), staleBefore(), user.id)
    },

    /** Everything about one case; the view is audited, and so is each duplicate shown. */
    async getCase(user: StaffUser, id: string, ctx: AuditContext) {
      requirePermission(user, 'referrals.view')
      const referral = await caseInScope(user, id)
      await audit.record(db, ctx, {
        action: 'referral.viewed',
        recordType: 'referral',
        recordId: referral.id,
      })
      const [needs, events, person, duplicates, known, officers] = await Promise.all([
        repo.needsOf(db, [referral.id]),
        repo.eventsOf(db, referral.id),
        people.get(user, referral.person_id, ctx),
        people.duplicates(user, referral.person_id, ctx),
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
        const partner = decision.status === 'routed' ? teamOrganisation(rules, need.team_code) : null
        if (partner) {
          const disclosure = {
            organisation: partner,
            purpose: 'referral' as const,
            dataItems: ROUTED_DATA_ITEMS,
          }
          const verdict = await deps.disclosures.checkDisclosure(tx, {
            ...disclosure,
            referralId: referral.id,
            boroughId: referral.borough_id,
            userId: user.id,
          })
          if (!verdict.allowed) throw new Invalid('triage.refusal.noAgreement', 'to')
        }
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

    /** Inside a person merge: the referrals of the merged record follow it. */
    async followMerge(tx: Tx, fromId: string, toId: string): Promise<void> {
      const moved = await repo.repointPerson(tx, fromId, toId)
      for (const referralId of moved)
        await repo.insertEvent(tx, {
          id: newId(),
          referral_id: referralId,
          need_id: null,
          kind: 'person-merged',
          from_status: null,
          to_status: null,
          outcome: null,
          detail_json: { from: fromId, to: toId },
          note: null,
          user_id: null,
          user_name: null,
          at: nowIso(),
        })
    },

    sendStaleDigest: (now?: Date) =>
      sendStaleDigest(platform, { rules, staleWorkingDays: deps.staleWorkingDays }, now),
  }
}

export type TriageService = ReturnType<typeof triageService>
