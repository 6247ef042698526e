import type { AuditContext } from '#platform/audit.ts'
import { nowIso } from '#platform/clock.ts'
import { Invalid, NotFound } from '#platform/errors.ts'
import { isUuid } from '#platform/ids.ts'
import type { SessionContext } from './session.context.ts'
import { sessionRepository as repo } from './session.repository.ts'
import { bookedAsSeries } from './session.ts'

const E = 'sessions.errors.'
const HOLDING = ['booked', 'offered'] as const

/** A resident moves their booking to another date of the same session, by reference and contact detail. */
export function changeBookingUseCases(c: SessionContext) {
  const { deps, db, audit, now, reportCapacity, offerNext, theirs } = c

  async function changeable(reference: string, contact: string) {
    const booking = await theirs(db, reference, contact)
    if (!['booked', 'offered', 'waiting'].includes(booking.status))
      throw new Invalid(`${E}alreadyCancelled`, 'reference')
    const current = await repo.findOccurrence(db, booking.occurrence_id)
    if (!current) throw new Invalid(`${E}notTheirs`, 'reference')
    // A course is booked once for all its weeks: there is no other date to move to.
    if (bookedAsSeries(current.kind)) throw new Invalid(`${E}courseChange`, 'reference')
    return { booking, current }
  }

  return {
    /** The booking this browser has just made or changed, for its calendar file: the link only with a place. */
    async justMadeCalendar(reference: string) {
      const booking = await repo.findByReference(db, reference)
      const occurrence = booking ? await repo.findOccurrence(db, booking.occurrence_id) : undefined
      if (!booking || !occurrence) throw new NotFound()
      const holds = booking.status === 'booked'
      return { booking, occurrence: { ...occurrence, online_link: holds ? occurrence.online_link : null } }
    },

    /** The booking and the other dates of its session still to come, with the places left at each. */
    async otherDates(reference: string, contact: string) {
      const { booking, current } = await changeable(reference, contact)
      const at = now().toISOString()
      const dates = (await repo.occurrencesOf(db, current.session_id))
        .filter((o) => o.id !== current.id && !o.is_cancelled && o.starts_at > at)
        .map((o) => ({ ...o, left: Math.max(0, o.capacity - o.booked) }))
      return { booking, current, dates }
    },

    /**
     * Moves the booking to another date: a place if one is left, else that date's waiting list (the page
     * says so first). The place given up goes to the first on its waiting list, as a cancellation does.
     */
    async changeBooking(reference: string, contact: string, occurrenceId: string, ctx: AuditContext) {
      const { booking: seen, current } = await changeable(reference, contact)
      const target = isUuid(occurrenceId) ? await repo.findOccurrence(db, occurrenceId) : undefined
      if (!target || target.session_id !== current.session_id || target.id === current.id)
        throw new Invalid(`${E}otherDateMissing`, 'occurrenceId')
      if (target.is_cancelled || target.session_cancelled) throw new Invalid(`${E}cancelled`, 'occurrenceId')
      if (target.starts_at <= now().toISOString()) throw new Invalid(`${E}past`, 'occurrenceId')
      return db.transaction().execute(async (tx) => {
        // Both dates locked in one order, so two changes crossing each other cannot deadlock.
        for (const id of [current.id, target.id].sort()) await repo.lockOccurrence(tx, id)
        const booking = await theirs(tx, reference, contact)
        if (booking.id !== seen.id || booking.occurrence_id !== current.id || booking.status === 'cancelled')
          throw new Invalid(`${E}alreadyCancelled`, 'reference')
        const got = await repo.takePlace(tx, target.id)
        const at = nowIso()
        const moved = await repo.moveBooking(tx, booking.id, booking.status, {
          occurrence_id: target.id,
          status: got ? 'booked' : 'waiting',
          waiting_since: got ? null : at,
          offer_expires_at: null,
          is_reminded: false,
          updated_at: at,
        })
        if (!moved) throw new Invalid(`${E}alreadyCancelled`, 'reference')
        await audit.record(tx, ctx, {
          action: 'sessions.booking-changed',
          recordType: 'session-booking',
          recordId: booking.id,
          fields: ['occurrence_id', 'status'],
        })
        if ((HOLDING as readonly string[]).includes(booking.status)) {
          await repo.freePlace(tx, current.id)
          await offerNext(tx, current.id)
        } else if (got) {
          // From a waiting list to a place: booked, as far as a referral's request is concerned.
          await deps.events.publish(tx, 'sessions.booked', { bookingId: booking.id, needId: booking.need_id })
        }
        await reportCapacity(tx, current.service_code)
        return { reference: booking.reference, status: got ? ('booked' as const) : ('waiting' as const) }
      })
    },
  }
}
