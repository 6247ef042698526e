import { addDays, londonToUtc, londonWallClock } from '#platform/london.ts'

/** The pure rules of sessions and bookings: kinds, places, states and the time an offer is held. */

export const SESSION_KINDS = ['drop-in', 'one-to-one', 'coding-club', 'course'] as const
export type SessionKind = (typeof SESSION_KINDS)[number]

export const VENUES = ['place', 'home', 'online'] as const
export type Venue = (typeof VENUES)[number]

/** A booking's life: holding a place (booked, offered) or not (waiting, cancelled, expired). */
export const BOOKING_STATES = ['booked', 'waiting', 'offered', 'cancelled', 'expired'] as const
export type BookingState = (typeof BOOKING_STATES)[number]

/** What the register records for one booking at one occurrence. */
export const ATTENDANCE = ['attended', 'no-show', 'late-cancelled'] as const
export type Attendance = (typeof ATTENDANCE)[number]

export function isKind(value: unknown): value is SessionKind {
  return (SESSION_KINDS as readonly unknown[]).includes(value)
}

/** A coding club is for children and young people: a parent or carer's contact and consent are needed. */
export function needsCarer(kind: SessionKind): boolean {
  return kind === 'coding-club'
}

/** A course is booked once for all its weeks; every other kind is booked date by date. */
export function bookedAsSeries(kind: SessionKind): boolean {
  return kind === 'course'
}

/** Offers never run out between these London hours: the person is asleep. */
const NIGHT_STARTS = '21:00'
const MORNING = '09:00'

/**
 * When an offer of a freed place ends: `hours` after `now`, moved to 09:00 London the next morning when
 * that falls at night (21:00 to 09:00), so nobody loses a place while asleep.
 */
export function offerDeadline(now: Date, hours: number): string {
  const end = new Date(now.getTime() + hours * 3_600_000)
  const wall = londonWallClock(end)
  if (wall.time >= MORNING && wall.time < NIGHT_STARTS) return end.toISOString()
  const morning = wall.time >= NIGHT_STARTS ? addDays(wall.date, 1) : wall.date
  return londonToUtc(morning, MORNING) as string
}

/** The key a contact detail is matched on when someone comes back with their reference. */
export function contactKey(contact: string | null | undefined): string | null {
  if (!contact) return null
  const trimmed = contact.trim().toLowerCase()
  if (trimmed.includes('@')) return trimmed
  const digits = trimmed.replace(/\D/g, '')
  // +44 7... and 07... are the same phone.
  return digits.startsWith('44') ? `0${digits.slice(2)}` : digits || null
}
