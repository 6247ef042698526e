import { requireInScope, requirePermission, type StaffUser } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { nowIso } from '#platform/clock.ts'
import type { Tx } from '#platform/database.ts'
import { Invalid, NotFound } from '#platform/errors.ts'
import { isUuid, newId } from '#platform/ids.ts'
import { londonToUtc, londonWallClock } from '#platform/london.ts'
import { changesRepository as changes } from './changes.repository.ts'
import { formatRule, isDate, isTime, parseRule } from './recurrence.ts'
import type { SessionContext } from './session.context.ts'
import { type OccurrenceTable, sessionRepository as repo } from './session.repository.ts'
import { bookedAsSeries } from './session.ts'

/** What staff change on a whole series; dates changed one by one keep their own times and place. */
export interface SeriesChange {
  title: string
  locationId: string | null
  capacity: number
  startTime: string
  endTime: string
  facilitatorId: string | null
  reason: string
}

/** A one-off change to one date: its day and times, place, places, facilitator, or cancelling it. */
export interface DateChange {
  date: string
  startTime: string
  endTime: string
  locationId: string | null
  capacity: number
  facilitatorId: string | null
  cancel: boolean
  reason: string
}

const E = 'sessions.errors.'

/** Editing a series and one date of it: refused when it would break a booking, told to those booked, audited. */
export function changeUseCases(c: SessionContext) {
  const { deps, db, audit, now, reportCapacity, offerNext, messagesTo } = c
  const { outbox } = c.platform

  async function managedSession(user: StaffUser, id: string) {
    requirePermission(user, 'sessions.manage')
    const session = isUuid(id) ? await repo.findSession(db, id) : undefined
    if (!session) throw new NotFound()
    requireInScope(user, session.borough_id)
    return session
  }

  /** Who may run a session of the borough: accounts that can take its register. */
  const facilitatorsFor = (user: StaffUser, boroughId: string) =>
    deps.accounts.accountsFor(user, { permission: 'sessions.register', alsoRoles: [], boroughId })

  async function checkPlaceAndPerson(
    user: StaffUser,
    session: { venue: string; borough_id: string },
    input: { locationId: string | null; facilitatorId: string | null },
  ) {
    if (session.venue === 'place') {
      const place = (await deps.directory.listLibraries()).find((l) => l.id === input.locationId)
      if (!place || place.borough_id !== session.borough_id) throw new Invalid(`${E}place`, 'locationId')
    }
    if (input.facilitatorId) {
      const people = await facilitatorsFor(user, session.borough_id)
      if (!people.some((p) => p.id === input.facilitatorId))
        throw new Invalid(`${E}facilitator`, 'facilitatorId')
    }
  }

  function times(date: string, startTime: string, endTime: string) {
    if (!isTime(startTime) || !isTime(endTime)) throw new Invalid(`${E}rule.time`, 'startTime')
    if (endTime <= startTime) throw new Invalid(`${E}rule.endBeforeStart`, 'endTime')
    const startsAt = londonToUtc(date, startTime)
    const endsAt = londonToUtc(date, endTime)
    // A wall-clock time the clocks skip (01:30 on the last Sunday of March) does not exist.
    if (!startsAt || !endsAt) throw new Invalid(`${E}rule.skippedTime`, startsAt ? 'endTime' : 'startTime')
    return { startsAt, endsAt }
  }

  /** Tells those holding a place at the dates what changed, on the channels they said are safe. */
  async function tellHolders(tx: Tx, dateIds: string[], template: string, extra: Record<string, string>) {
    const holders = await changes.holdersOf(tx, dateIds)
    const messages = holders.flatMap((b) => messagesTo(b, template, extra))
    await outbox.enqueueMany(tx, messages)
  }

  /** Library names, read before a transaction opens: the directory reads outside it. */
  async function placeNames() {
    const libraries = await deps.directory.listLibraries()
    return (id: string | null) => libraries.find((l) => l.id === id)?.name ?? ''
  }

  async function record(
    tx: Tx,
    user: StaffUser,
    ctx: AuditContext,
    row: {
      sessionId: string
      occurrenceId: string | null
      boroughId: string
      fields: string[]
      reason: string
    },
  ) {
    const id = newId()
    await changes.insertChange(tx, {
      id,
      session_id: row.sessionId,
      occurrence_id: row.occurrenceId,
      borough_id: row.boroughId,
      changed_by_user_id: user.id,
      fields_json: row.fields,
      reason: row.reason,
      changed_at: nowIso(),
    })
    await audit.record(tx, ctx, {
      action: row.occurrenceId ? 'sessions.date-changed' : 'sessions.series-changed',
      recordType: row.occurrenceId ? 'session-occurrence' : 'session',
      recordId: row.occurrenceId ?? row.sessionId,
      fields: [...row.fields, 'reason'],
    })
  }

  return {
    /** The series as its edit page shows it, with who may run it and the changes made so far. */
    async seriesToEdit(user: StaffUser, id: string) {
      const session = await managedSession(user, id)
      const rule = parseRule(session.recurrence)
      const [facilitators, chosen, made] = await Promise.all([
        facilitatorsFor(user, session.borough_id),
        repo.facilitators(db, id),
        changes.changesOf(db, id),
      ])
      return { session, rule, facilitators, facilitatorId: chosen[0] ?? '', changes: made }
    },

    /**
     * Changes a series from now on: its title, place, places, times and facilitator. Dates already past,
     * cancelled or changed one by one keep theirs; capacity below a date's bookings is refused.
     */
    async changeSeries(user: StaffUser, id: string, input: SeriesChange, ctx: AuditContext) {
      const session = await managedSession(user, id)
      await checkPlaceAndPerson(user, session, input)
      const rule = parseRule(session.recurrence)
      const placeName = await placeNames()
      await db.transaction().execute(async (tx) => {
        const coming = (await repo.occurrencesOf(tx, id)).filter(
          (o) => o.starts_at > now().toISOString() && !o.is_cancelled && o.change_note === null,
        )
        for (const o of coming) await repo.lockOccurrence(tx, o.id)
        const moved: { o: OccurrenceTable; startsAt: string; endsAt: string }[] = []
        for (const o of await Promise.all(coming.map((o) => repo.findOccurrence(tx, o.id)))) {
          if (!o) continue
          if (o.booked > input.capacity) throw new Invalid(`${E}capacityBelowBooked`, 'capacity')
          moved.push({
            o,
            ...times(londonWallClock(new Date(o.starts_at)).date, input.startTime, input.endTime),
          })
        }
        const fields = [
          session.title !== input.title && 'title',
          session.location_id !== input.locationId && 'place',
          session.capacity !== input.capacity && 'capacity',
          (rule.startTime !== input.startTime || rule.endTime !== input.endTime) && 'time',
        ].filter((f): f is string => Boolean(f))
        const before = await repo.facilitators(tx, id)
        if ((before[0] ?? null) !== input.facilitatorId) fields.push('facilitator')
        if (!fields.length) throw new Invalid(`${E}nothingChanged`, 'title')
        if (fields.includes('time'))
          await changes.remindAgain(
            tx,
            moved.map((m) => m.o.id),
          )
        for (const { o, startsAt, endsAt } of moved) {
          await repo.updateOccurrence(tx, o.id, {
            starts_at: startsAt,
            ends_at: endsAt,
            capacity: input.capacity,
          })
        }
        await changes.updateSession(tx, id, {
          title: input.title,
          location_id: session.venue === 'place' ? input.locationId : null,
          capacity: input.capacity,
          recurrence: formatRule({ ...rule, startTime: input.startTime, endTime: input.endTime }),
          updated_at: nowIso(),
        })
        if (fields.includes('facilitator'))
          await changes.setFacilitators(tx, id, input.facilitatorId ? [input.facilitatorId] : [])
        await record(tx, user, ctx, {
          sessionId: id,
          occurrenceId: null,
          boroughId: session.borough_id,
          fields,
          reason: input.reason,
        })
        if (fields.includes('time') || fields.includes('place')) {
          const told = bookedAsSeries(session.kind)
            ? (await repo.occurrencesOf(tx, id)).slice(0, 1)
            : moved.map((m) => m.o)
          const first = moved[0]
          await tellHolders(
            tx,
            told.map((o) => o.id),
            'sessions-series-changed',
            {
              title: input.title,
              startsAt: first?.startsAt ?? '',
              place: placeName(input.locationId),
            },
          )
        }
        // More places: the waiting lists move, after those booked are told.
        for (const { o } of moved) await offerNext(tx, o.id)
        await reportCapacity(tx, session.service_code)
      })
    },

    /** One date as its change page shows it, refused once it has started. */
    async dateToEdit(user: StaffUser, occurrenceId: string) {
      requirePermission(user, 'sessions.manage')
      const occurrence = await c.staffOccurrence(user, occurrenceId)
      const session = await managedSession(user, occurrence.session_id)
      return {
        occurrence,
        session,
        wall: {
          start: londonWallClock(new Date(occurrence.starts_at)),
          end: londonWallClock(new Date(occurrence.ends_at)),
        },
        past: occurrence.starts_at <= now().toISOString(),
        facilitators: await facilitatorsFor(user, session.borough_id),
        facilitatorId: occurrence.facilitator_user_id ?? (await repo.facilitators(db, session.id))[0] ?? '',
      }
    },

    /**
     * A one-off change to one date (RFC 5545's RECURRENCE-ID: the date keeps its original name): a new day
     * or time, place, number of places or facilitator, or cancelling it. Past dates and skipped times are
     * refused, as are fewer places than are booked; those booked are told.
     */
    async changeDate(user: StaffUser, occurrenceId: string, input: DateChange, ctx: AuditContext) {
      requirePermission(user, 'sessions.manage')
      const seen = await c.staffOccurrence(user, occurrenceId)
      const session = await managedSession(user, seen.session_id)
      if (!input.cancel) await checkPlaceAndPerson(user, session, input)
      if (!isDate(input.date)) throw new Invalid(`${E}dateMissing`, 'date')
      const { startsAt, endsAt } = times(input.date, input.startTime, input.endTime)
      const placeName = await placeNames()
      await db.transaction().execute(async (tx) => {
        await repo.lockOccurrence(tx, seen.id)
        const o = await c.staffOccurrence(user, seen.id, tx)
        if (o.starts_at <= now().toISOString()) throw new Invalid(`${E}dateStarted`, 'date')
        if (o.is_cancelled) throw new Invalid(`${E}cancelled`, 'date')
        const told = bookedAsSeries(o.kind)
          ? (await repo.occurrencesOf(tx, o.session_id)).slice(0, 1).map((x) => x.id)
          : [o.id]
        if (input.cancel) {
          await tellHolders(tx, told, 'sessions-date-cancelled', { title: o.title, startsAt: o.starts_at })
          if (!bookedAsSeries(o.kind)) await changes.cancelBookingsOf(tx, o.id, nowIso())
          await repo.updateOccurrence(tx, o.id, { is_cancelled: true, change_note: input.reason })
          await record(tx, user, ctx, {
            sessionId: o.session_id,
            occurrenceId: o.id,
            boroughId: o.borough_id,
            fields: ['cancelled'],
            reason: input.reason,
          })
          await reportCapacity(tx, o.service_code)
          return
        }
        if (startsAt <= now().toISOString()) throw new Invalid(`${E}past`, 'date')
        if (input.capacity < o.booked) throw new Invalid(`${E}capacityBelowBooked`, 'capacity')
        const place =
          session.venue === 'place' && input.locationId !== session.location_id ? input.locationId : null
        const facilitator = input.facilitatorId || null
        const fields = [
          (startsAt !== o.starts_at || endsAt !== o.ends_at) && 'time',
          place !== o.place_id && 'place',
          input.capacity !== o.capacity && 'capacity',
          facilitator !== (o.facilitator_user_id ?? (await repo.facilitators(tx, o.session_id))[0] ?? null) &&
            'facilitator',
        ].filter((f): f is string => Boolean(f))
        if (!fields.length) throw new Invalid(`${E}nothingChanged`, 'date')
        await repo.updateOccurrence(tx, o.id, {
          starts_at: startsAt,
          ends_at: endsAt,
          capacity: input.capacity,
          place_id: place,
          facilitator_user_id: fields.includes('facilitator') ? facilitator : o.facilitator_user_id,
          change_note: input.reason,
        })
        if (fields.includes('time')) await changes.remindAgain(tx, [o.id])
        await record(tx, user, ctx, {
          sessionId: o.session_id,
          occurrenceId: o.id,
          boroughId: o.borough_id,
          fields,
          reason: input.reason,
        })
        if (fields.includes('time') || fields.includes('place'))
          await tellHolders(tx, told, 'sessions-date-changed', {
            title: o.title,
            startsAt,
            place: placeName(place ?? session.location_id),
          })
        // Told before a freed place is offered: the offer is news of its own.
        await offerNext(tx, o.id)
        await reportCapacity(tx, o.service_code)
      })
    },
  }
}
