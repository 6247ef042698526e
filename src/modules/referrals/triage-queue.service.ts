import { requirePermission, type StaffUser, scopeFilter } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { groupBy } from '#platform/group-by.ts'
import type { Platform } from '#platform/platform.ts'
import type { AccountService } from '../accounts/index.ts'
import { type QueueFilter, queueRepository } from './queue.repository.ts'
import type { ReferralService } from './referral.service.ts'
import { formatReference, isStale, type NeedKind, type NeedState, parseReference } from './referral.ts'

const PAGE_SIZE = 25
/** The queue counts its matches this far past the page's first row: 40 pages ahead, then "more than". */
const COUNT_AHEAD = 1000

/** The staff home's counts of what waits: past this it says "more than", and no count reads further. */
const WAITING_COUNTED_UP_TO = 1000

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

/** The triage queue and what waits in the caller's boroughs: the pages staff live in. */
export function triageQueueService(
  platform: Platform,
  deps: {
    referrals: Pick<ReferralService, 'boroughs'>
    accounts: Pick<AccountService, 'triageOfficers'>
    staleBefore(): string
  },
) {
  const { database, audit } = platform
  const { db } = database
  const { referrals, accounts, staleBefore } = deps

  return {
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
        queueRepository.queue(db, filter),
        accounts.triageOfficers(user, scope ?? 'all'),
      ])
      // A search looks people up: who searched is audited (the term itself, personal data, is not).
      if (query.search && ctx)
        await audit.record(db, ctx, { action: 'referral.searched', fields: ['search'] })
      const needs = groupBy(
        await queueRepository.needSummaries(
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

    /** What waits in the caller's boroughs, for the staff home: each counted up to a thousand. */
    async waiting(user: StaffUser) {
      requirePermission(user, 'referrals.view')
      return queueRepository.waiting(db, scopeFilter(user), staleBefore(), user.id, WAITING_COUNTED_UP_TO)
    },
  }
}
