import { requireInScope, requirePermission, type StaffUser, scopeFilter } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { nowIso } from '#platform/clock.ts'
import { Invalid, NotFound } from '#platform/errors.ts'
import { isUuid, newId } from '#platform/ids.ts'
import { checkRule, expand, formatRule } from './recurrence.ts'
import type { NewSession, SessionContext } from './session.context.ts'
import { sessionRepository as repo } from './session.repository.ts'

/** Sessions and series: made from a weekly rule, listed and shown to staff. */
export function seriesUseCases(c: SessionContext) {
  const { deps, db, audit, now, reportCapacity } = c
  return {
    /** A one-off session or a weekly series, with its dates made now from the rule. */
    async createSession(user: StaffUser, input: NewSession, ctx: AuditContext): Promise<string> {
      requirePermission(user, 'sessions.manage')
      requireInScope(user, input.boroughId)
      const problem = checkRule(input.rule)
      if (problem) throw new Invalid(`sessions.errors.rule.${problem.problem}`, ruleField(problem.problem))
      const occurrences = expand(input.rule)
      if (!occurrences.length || (occurrences[0]?.startsAt ?? '') <= now().toISOString())
        throw new Invalid('sessions.errors.past', 'start')
      if (input.venue === 'place') {
        const place = (await deps.directory.listLibraries()).find((l) => l.id === input.locationId)
        if (!place || place.borough_id !== input.boroughId)
          throw new Invalid('sessions.errors.place', 'locationId')
      }
      const id = newId()
      const at = nowIso()
      await db.transaction().execute(async (tx) => {
        await repo.insertSession(
          tx,
          {
            id,
            borough_id: input.boroughId,
            kind: input.kind,
            title: input.title,
            description: input.description,
            venue: input.venue,
            location_id: input.venue === 'place' ? input.locationId : null,
            service_code: input.serviceCode,
            online_link: input.venue === 'online' ? input.onlineLink : null,
            language: input.language,
            what_to_bring: input.whatToBring,
            capacity: input.capacity,
            recurrence: formatRule(input.rule),
            is_cancelled: false,
            created_at: at,
            updated_at: at,
          },
          input.facilitators,
        )
        await repo.insertOccurrences(
          tx,
          occurrences.map((o) => ({
            id: newId(),
            session_id: id,
            borough_id: input.boroughId,
            original_date: o.date,
            starts_at: o.startsAt,
            ends_at: o.endsAt,
            capacity: input.capacity,
            booked: 0,
            is_cancelled: false,
            change_note: null,
            place_id: null,
            facilitator_user_id: null,
          })),
        )
        await audit.record(tx, ctx, { action: 'sessions.created', recordType: 'session', recordId: id })
        await reportCapacity(tx, input.serviceCode)
      })
      return id
    },

    /** Staff list of the sessions in the caller's boroughs. */
    async staffList(user: StaffUser) {
      requirePermission(user, 'sessions.view')
      return repo.staffSessions(db, scopeFilter(user), now().toISOString())
    },

    /** A session and its dates, for staff. */
    async staffSession(user: StaffUser, id: string) {
      requirePermission(user, 'sessions.view')
      const session = isUuid(id) ? await repo.findSession(db, id) : undefined
      if (!session) throw new NotFound()
      requireInScope(user, session.borough_id)
      return { session, occurrences: await repo.occurrencesOf(db, id) }
    },
  }
}

function ruleField(problem: string): string {
  if (problem === 'time' || problem === 'endBeforeStart' || problem === 'skippedTime') return 'endTime'
  if (problem === 'days') return 'days'
  if (problem === 'end' || problem === 'tooMany') return 'until'
  return 'start'
}
