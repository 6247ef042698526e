import { requirePermission, type StaffUser, scopeFilter } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { nowIso } from '#platform/clock.ts'
import { NotFound } from '#platform/errors.ts'
import { isUuid, newId } from '#platform/ids.ts'
import { figuresRepository as figuresRepo } from './figures.repository.ts'
import type { SessionContext } from './session.context.ts'
import { sessionRepository as repo } from './session.repository.ts'
import { type Attendance, bookedAsSeries } from './session.ts'

/** One date for staff: its bookings and waiting list, the register, and the figures. */
export function registerUseCases(c: SessionContext) {
  const { deps, db, audit, staffOccurrence } = c
  return {
    /** One date: its bookings, waiting list and register, for staff. */
    async register(user: StaffUser, occurrenceId: string, ctx: AuditContext) {
      requirePermission(user, 'sessions.view')
      const occurrence = await staffOccurrence(user, occurrenceId)
      const ids = bookedAsSeries(occurrence.kind)
        ? (await repo.occurrencesOf(db, occurrence.session_id)).slice(0, 1).map((o) => o.id)
        : [occurrence.id]
      const [bookings, marks] = await Promise.all([
        repo.bookingsOf(db, ids),
        repo.attendanceOf(db, occurrence.id),
      ])
      const marked = new Map(marks.map((m) => [m.booking_id, m.status]))
      await audit.record(db, ctx, {
        action: 'sessions.register-viewed',
        recordType: 'session-occurrence',
        recordId: occurrence.id,
      })
      return {
        occurrence,
        bookings: bookings.map((b) => ({ ...b, attendance: marked.get(b.id) ?? null })),
      }
    },

    /** Marks one person at one date: attended, no-show or cancelled late. The first attendance moves a referral. */
    async mark(
      user: StaffUser,
      input: { occurrenceId: string; bookingId: string; status: Attendance },
      ctx: AuditContext,
    ) {
      requirePermission(user, 'sessions.register')
      await db.transaction().execute(async (tx) => {
        if (isUuid(input.occurrenceId)) await repo.lockOccurrence(tx, input.occurrenceId)
        const occurrence = await staffOccurrence(user, input.occurrenceId, tx)
        const booking = isUuid(input.bookingId) ? await repo.findBooking(tx, input.bookingId) : undefined
        if (!booking || booking.borough_id !== occurrence.borough_id || booking.status !== 'booked')
          throw new NotFound()
        await repo.upsertAttendance(tx, {
          id: newId(),
          booking_id: booking.id,
          occurrence_id: occurrence.id,
          status: input.status,
          marked_by_user_id: user.id,
          marked_at: nowIso(),
        })
        await audit.record(tx, ctx, {
          action: 'sessions.attendance-marked',
          recordType: 'session-booking',
          recordId: booking.id,
          fields: ['status'],
        })
        if (input.status === 'attended') {
          const first = (await repo.attendedCount(tx, booking.id)) === 1
          await deps.events.publish(tx, 'sessions.attended', {
            bookingId: booking.id,
            needId: booking.need_id,
            first,
          })
        }
      })
    },

    /** The figures of a period (ISO instants, end excluded) for the caller's boroughs. */
    async figures(user: StaffUser, from: string, to: string) {
      requirePermission(user, 'sessions.view')
      const scope = scopeFilter(user)
      const [held, attendees] = await Promise.all([
        figuresRepo.heldBetween(db, scope, from, to),
        figuresRepo.attendeesBetween(db, scope, from, to),
      ])
      return { held, attendees }
    },
  }
}
