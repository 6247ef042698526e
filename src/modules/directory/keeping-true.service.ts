import { requireInScope, requirePermission, type StaffUser, scopeFilter } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { nowIso } from '#platform/clock.ts'
import { NotFound } from '#platform/errors.ts'
import { isUuid, newId } from '#platform/ids.ts'
import type { Platform } from '#platform/platform.ts'
import { directoryRepository as repo } from './directory.repository.ts'
import { keepingTrueRepository as keeping } from './keeping-true.repository.ts'
import { servicesRepository as services } from './services.repository.ts'

/** A listing is due for review when it has not been checked for this long. */
export const REVIEW_AFTER_DAYS = 183
/** An owner is reminded about the same listing at most this often. */
export const REMIND_EVERY_DAYS = 30

const daysAgo = (days: number, from = Date.now()) => new Date(from - days * 86_400_000).toISOString()

/**
 * Keeping the directory true: listings not checked for six months are flagged and their owners reminded by
 * email (through the outbox); the public report problems with a page, which go to its owner and to the
 * editors' list.
 */
export function keepingTrueService(platform: Platform) {
  const { db } = platform.database
  const { outbox, audit, config } = platform

  return {
    /** What a report can be about: an active service or any place. */
    async reportable(type: 'service' | 'location', id: string) {
      if (!isUuid(id)) throw new NotFound()
      if (type === 'service') {
        const s = await services.findService(db, id)
        if (!s || s.status === 'defunct') throw new NotFound()
        return {
          id: s.id,
          name: s.name,
          owner: s.owner_email ?? s.organisation_email,
          boroughId: s.borough_id,
        }
      }
      const l = await repo.findLocation(db, id)
      if (!l) throw new NotFound()
      const org = await repo.findOrganisationById(db, l.organisation_id)
      return { id: l.id, name: l.name, owner: l.email ?? org?.email ?? null, boroughId: l.borough_id }
    },

    /** Keeps the report for the editors and emails the listing's owner, in one transaction. */
    async reportProblem(type: 'service' | 'location', id: string, details: string, ctx: AuditContext) {
      const record = await this.reportable(type, id)
      const problemId = newId()
      await db.transaction().execute(async (tx) => {
        await keeping.insertProblem(tx, {
          id: problemId,
          record_type: type,
          record_id: record.id,
          details,
          created_at: nowIso(),
          resolved_at: null,
        })
        if (record.owner) {
          await outbox.enqueue(tx, {
            channel: 'email',
            template: 'directory-problem-reported',
            recipient: record.owner,
            boroughId: record.boroughId,
            personalisation: {
              serviceName: config.SERVICE_NAME,
              listing: record.name,
              details,
              link: `${config.publicUrl}/staff/directory/${type === 'service' ? 'services' : 'places'}/${record.id}`,
            },
          })
        }
        await audit.record(tx, ctx, {
          action: 'directory.problem.reported',
          recordType: type,
          recordId: record.id,
          fields: ['details'],
        })
      })
      return problemId
    },

    async listProblems(user: StaffUser) {
      requirePermission(user, 'directory.edit')
      const scope = scopeFilter(user)
      const rows = await keeping.openProblems(db)
      return rows.filter((p) => {
        const borough = p.service_borough_id ?? p.place_borough_id ?? null
        return !scope || borough === null || scope.includes(borough)
      })
    },

    async resolveProblem(user: StaffUser, id: string, ctx: AuditContext) {
      requirePermission(user, 'directory.edit')
      const problem = isUuid(id) ? await keeping.findProblem(db, id) : undefined
      if (!problem || problem.resolved_at) throw new NotFound()
      const place =
        problem.record_type === 'location' ? await repo.findLocation(db, problem.record_id) : undefined
      const service =
        problem.record_type === 'service' ? await services.findService(db, problem.record_id) : undefined
      requireInScope(user, place?.borough_id ?? service?.borough_id ?? null)
      await db.transaction().execute(async (tx) => {
        await keeping.resolveProblem(tx, id, nowIso())
        await audit.record(tx, ctx, {
          action: 'directory.problem.resolved',
          recordType: 'directory_problem',
          recordId: id,
        })
      })
    },

    /**
     * Emails each owner one list of their listings due for review, at most once a month per listing.
     * Listings with no owner email stay on the editors' list. Safe to run from several processes on a timer:
     * a listing is marked reminded in the same transaction as its email is queued.
     */
    async sendReviewReminders(
      ctx: AuditContext,
      now = Date.now(),
    ): Promise<{ emails: number; listings: number }> {
      const at = new Date(now).toISOString()
      return db.transaction().execute(async (tx) => {
        const due = await keeping.dueForReminder(
          tx,
          daysAgo(REVIEW_AFTER_DAYS, now).slice(0, 10),
          daysAgo(REMIND_EVERY_DAYS, now),
        )
        const byOwner = new Map<string, string[]>()
        const reminded = { services: [] as string[], locations: [] as string[] }
        for (const [table, rows] of [
          ['services', due.services],
          ['locations', due.places],
        ] as const) {
          for (const r of rows) {
            const owner = r.owner_email ?? r.organisation_email
            if (!owner) continue
            byOwner.set(owner, [...(byOwner.get(owner) ?? []), `- ${r.name}`])
            reminded[table].push(r.id)
          }
        }
        await outbox.enqueueMany(
          tx,
          [...byOwner].map(([owner, listings]) => ({
            channel: 'email' as const,
            template: 'directory-review-due',
            recipient: owner,
            // One owner's listings may be in several boroughs: no one borough's.
            boroughId: null,
            personalisation: {
              serviceName: config.SERVICE_NAME,
              listings: listings.join('\n'),
              link: `${config.publicUrl}/staff/directory`,
            },
          })),
        )
        await keeping.markReminded(tx, 'services', reminded.services, at)
        await keeping.markReminded(tx, 'locations', reminded.locations, at)
        const listings = reminded.services.length + reminded.locations.length
        if (listings)
          await audit.record(tx, ctx, { action: 'directory.review.reminded', fields: ['review_reminded_at'] })
        return { emails: byOwner.size, listings }
      })
    },
  }
}

export type KeepingTrueService = ReturnType<typeof keepingTrueService>
