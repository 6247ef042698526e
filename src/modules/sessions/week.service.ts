import { requirePermission, type StaffUser, scopeFilter } from '#platform/access.ts'
import { addDays, londonToday, londonToUtc, londonWallClock } from '#platform/london.ts'
import { changesRepository as changes } from './changes.repository.ts'
import { isDate } from './recurrence.ts'
import type { SessionContext } from './session.context.ts'

/** The Monday of the week a London date falls in. */
export function mondayOf(date: string): string {
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay()
  return addDays(date, -((weekday + 6) % 7))
}

/** A library's week at a glance: each day's dates with places, bookings and waiting lists. */
export function weekUseCases(c: SessionContext) {
  const { deps, db, now } = c
  return {
    /**
     * The libraries of the caller's boroughs, the one asked for (else the first), and its week from the
     * Monday of `day` (else of today), day by day, in London time.
     */
    async week(user: StaffUser, input: { placeId?: string; day?: string }) {
      requirePermission(user, 'sessions.view')
      const scope = scopeFilter(user)
      const places = (await deps.directory.listLibraries()).filter(
        (l) => !scope || scope.includes(l.borough_id),
      )
      const place = places.find((p) => p.id === input.placeId) ?? places[0]
      const monday = mondayOf(input.day && isDate(input.day) ? input.day : londonToday(now()))
      const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i))
      const rows = place
        ? await changes.weekAt(
            db,
            place.id,
            londonToUtc(monday, '00:00') as string,
            londonToUtc(addDays(monday, 7), '00:00') as string,
            scope,
          )
        : []
      return {
        places,
        place,
        monday,
        previous: addDays(monday, -7),
        next: addDays(monday, 7),
        days: days.map((day) => ({
          day,
          dates: rows
            .filter((r) => londonWallClock(new Date(r.starts_at)).date === day)
            .map((r) => ({ ...r, waiting: Number(r.waiting ?? 0) })),
        })),
      }
    },
  }
}
