import { setImmediate } from 'node:timers/promises'
import { requirePermission, type StaffUser } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { nowIso } from '#platform/clock.ts'
import { Invalid, NotFound } from '#platform/errors.ts'
import { isUuid } from '#platform/ids.ts'
import type { SessionContext } from './session.context.ts'
import { sessionRepository as repo } from './session.repository.ts'

const REMINDERS_A_BATCH = 100

/** The waiting list: staff reorder it; the jobs lapse offers not taken up and send reminders. */
export function waitingListUseCases(c: SessionContext) {
  const { db, audit, now, offerNext, messagesTo, staffOccurrence } = c
  const { outbox } = c.platform
  return {
    /**
     * Moves someone one place up or down a waiting list, for a reason kept with the booking; audited. Only
     * the two who swap move; two who joined in the same instant are set a millisecond apart.
     */
    async moveOnList(
      user: StaffUser,
      input: { occurrenceId: string; bookingId: string; direction: 'up' | 'down'; reason: string },
      ctx: AuditContext,
    ) {
      requirePermission(user, 'sessions.manage')
      await db.transaction().execute(async (tx) => {
        if (isUuid(input.occurrenceId)) await repo.lockOccurrence(tx, input.occurrenceId)
        const occurrence = await staffOccurrence(user, input.occurrenceId, tx)
        const list = await repo.waitingList(tx, occurrence.id)
        const at = list.findIndex((b) => b.id === input.bookingId)
        if (at < 0) throw new NotFound()
        const moving = list[at]
        const other = list[input.direction === 'up' ? at - 1 : at + 1]
        if (!moving || !other)
          throw new Invalid(
            input.direction === 'up' ? 'sessions.errors.alreadyFirst' : 'sessions.errors.alreadyLast',
            'bookingId',
          )
        const otherSince = other.waiting_since ?? nowIso()
        const step = input.direction === 'up' ? -1 : 1
        const movedTo =
          otherSince === moving.waiting_since
            ? new Date(Date.parse(otherSince) + step).toISOString()
            : otherSince
        await repo.setWaiting(tx, moving.id, movedTo, input.reason)
        await repo.setWaiting(tx, other.id, moving.waiting_since, other.moved_reason)
        await audit.record(tx, ctx, {
          action: 'sessions.waiting-list-reordered',
          recordType: 'session-booking',
          recordId: moving.id,
          fields: ['waiting_since', 'moved_reason'],
        })
      })
    },

    /** The job: offers not taken up in time lapse, and each freed place goes to the next in line. */
    async expireOffers(ctx: AuditContext, at = now(), limit = 200): Promise<number> {
      const due = await repo.expiredOffers(db, at.toISOString(), limit)
      let expired = 0
      for (const offer of due) {
        await db.transaction().execute(async (tx) => {
          await repo.lockOccurrence(tx, offer.occurrence_id)
          const moved = await repo.moveBooking(tx, offer.id, 'offered', {
            status: 'expired',
            updated_at: nowIso(),
          })
          if (!moved) return
          expired++
          await repo.freePlace(tx, offer.occurrence_id)
          await audit.record(tx, ctx, {
            action: 'sessions.offer-expired',
            recordType: 'session-booking',
            recordId: offer.id,
          })
          await offerNext(tx, offer.occurrence_id)
        })
      }
      return expired
    },

    /** The job: a reminder the day before, on the channels the person said are safe. */
    async sendReminders(limit = 500, batchSize = REMINDERS_A_BATCH): Promise<number> {
      const from = now()
      const to = new Date(from.getTime() + 36 * 3_600_000)
      const due = await repo.dueReminders(
        db,
        new Date(from.getTime() + 12 * 3_600_000).toISOString(),
        to.toISOString(),
        limit,
      )
      // A hundred to a transaction: one each made a burst of bookings cost a commit apiece, and on SQLite
      // the whole run held the event loop; between batches, requests waiting are answered.
      for (let i = 0; i < due.length; i += batchSize) {
        const batch = due.slice(i, i + batchSize)
        await db.transaction().execute(async (tx) => {
          const ids = batch.map((b) => b.id)
          await repo.markReminded(tx, ids)
          const messages = batch.flatMap((b) =>
            messagesTo(b, 'sessions-reminder', { title: b.title, startsAt: b.starts_at }),
          )
          await outbox.enqueueMany(tx, messages)
        })
        await setImmediate()
      }
      return due.length
    },
  }
}
