/**
 * Fictional digital help sessions for the data generator: `sessions` one-off dates at the libraries over
 * the last two years and the next three months (a tenth still to come), every kind, with `bookings` in all
 * spread over them; dates to come keep some places free so the booking form has places to take.
 */
import { newReference } from '../../src/modules/referrals/referral.ts'
import type {
  BookingTable,
  HelpSessionTable,
  OccurrenceTable,
} from '../../src/modules/sessions/session.repository.ts'
import { SESSION_KINDS } from '../../src/modules/sessions/session.ts'
import type { Db } from '../../src/platform/database.ts'
import { newId } from '../../src/platform/ids.ts'
import { insertMany, type Random } from './random.ts'
import { FIRST, LAST } from './referral-parts.ts'

const BATCH = 2_000
const DAY = 86_400_000
const LANGUAGES = ['English', 'English', 'English', 'Arabic', 'Polish', 'Somali', 'Spanish']

export async function generateSessions(db: Db, sessions: number, bookings: number, r: Random) {
  if (!sessions) return { sessions: 0, bookings: 0 }
  const libraries = await db
    .selectFrom('locations')
    .select(['id', 'borough_id'])
    .where('kind', '=', 'library')
    .execute()
  if (!libraries.length) throw new Error('no libraries to hold sessions at')
  const perSession = bookings / sessions
  // References are random and unique: at 500,000 bookings two would be the same one run in seven.
  const taken = new Set(
    (await db.selectFrom('help_session_bookings').select('reference').execute()).map((x) => x.reference),
  )
  const reference = () => {
    let made = newReference(r.int)
    while (taken.has(made)) made = newReference(r.int)
    taken.add(made)
    return made
  }
  const now = Date.now()
  const at = new Date(now).toISOString()
  let made = 0
  for (let start = 0; start < sessions; start += BATCH) {
    const size = Math.min(BATCH, sessions - start)
    const sessionRows: HelpSessionTable[] = []
    const dates: OccurrenceTable[] = []
    const bookingRows: BookingTable[] = []
    for (let i = 0; i < size; i++) {
      const n = start + i
      const place = r.pick(libraries)
      const kind = r.pick(SESSION_KINDS)
      // A tenth of the dates are to come (the next 90 days), the rest held over the last two years.
      const dayOffset = n % 10 === 0 ? 1 + r.int(90) : -1 - r.int(730)
      const startsAt = new Date(Math.floor(now / DAY) * DAY + dayOffset * DAY + (9 + r.int(8)) * 3_600_000)
      // Whole numbers summing to `bookings`; dates to come keep a few places free to book.
      const taken = Math.floor((n + 1) * perSession) - Math.floor(n * perSession)
      const capacity = taken + (dayOffset > 0 ? 3 : 0) + r.int(6)
      const id = newId()
      const occurrenceId = newId()
      sessionRows.push({
        id,
        borough_id: place.borough_id,
        kind,
        title: `${kind === 'coding-club' ? 'Code club' : 'Digital help'} ${n}`,
        description: 'Help with phones, tablets and computers',
        venue: 'place',
        location_id: place.id,
        service_code: null,
        online_link: null,
        language: r.pick(LANGUAGES),
        what_to_bring: null,
        capacity,
        recurrence: '',
        is_cancelled: false,
        created_at: at,
        updated_at: at,
      })
      dates.push({
        id: occurrenceId,
        session_id: id,
        borough_id: place.borough_id,
        original_date: startsAt.toISOString().slice(0, 10),
        starts_at: startsAt.toISOString(),
        ends_at: new Date(startsAt.getTime() + 2 * 3_600_000).toISOString(),
        capacity,
        booked: taken,
        is_cancelled: false,
        change_note: null,
        place_id: null,
        facilitator_user_id: null,
      })
      for (let b = 0; b < taken; b++) {
        const email = `learner${n}.${b}@example.org`
        bookingRows.push({
          id: newId(),
          reference: reference(),
          occurrence_id: occurrenceId,
          borough_id: place.borough_id,
          person_id: null,
          need_id: null,
          status: 'booked',
          name: `${r.pick(FIRST)} ${r.pick(LAST)}`,
          email,
          phone: null,
          contact_key: email,
          can_email: true,
          can_text: false,
          carer_name: null,
          carer_contact: null,
          has_carer_consent: false,
          waiting_since: null,
          moved_reason: null,
          offer_expires_at: null,
          // Reminded as the hourly job would have: once the date is less than a day and a half away.
          is_reminded: startsAt.getTime() < now + 35 * 3_600_000,
          created_at: at,
          updated_at: at,
        })
      }
      made += taken
    }
    await db.transaction().execute(async (tx) => {
      await insertMany(tx, 'help_sessions', sessionRows)
      await insertMany(tx, 'help_session_occurrences', dates)
      await insertMany(tx, 'help_session_bookings', bookingRows)
    })
  }
  return { sessions, bookings: made }
}
