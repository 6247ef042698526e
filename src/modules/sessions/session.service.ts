import { listBoroughs } from '#platform/boroughs.ts'
import type { Tx } from '#platform/database.ts'
import type { Platform } from '#platform/platform.ts'
import { bookingUseCases } from './booking.service.ts'
import { changeBookingUseCases } from './change-booking.service.ts'
import { changeUseCases } from './changes.service.ts'
import { registerUseCases } from './register.service.ts'
import { seriesUseCases } from './series.service.ts'
import { type SessionDeps, sessionContext } from './session.context.ts'
import { sessionRepository as repo } from './session.repository.ts'
import { waitingListUseCases } from './waiting-list.service.ts'
import { weekUseCases } from './week.service.ts'

export type { BookingResult, NewBooking, NewSession, RequestToBook } from './session.context.ts'

/** Use cases of digital help sessions, one file each: series, bookings, the waiting list, the register. */
export function sessionService(platform: Platform, deps: SessionDeps) {
  const c = sessionContext(platform, deps)
  return {
    boroughs: () => listBoroughs(c.db),
    ...seriesUseCases(c),
    ...changeUseCases(c),
    ...bookingUseCases(c),
    ...changeBookingUseCases(c),
    ...registerUseCases(c),
    ...waitingListUseCases(c),
    ...weekUseCases(c),
    /** Inside a person merge: bookings follow the record kept. */
    followMerge: (tx: Tx, fromId: string, toId: string) => repo.movePerson(tx, fromId, toId),
  }
}

export type SessionService = ReturnType<typeof sessionService>
