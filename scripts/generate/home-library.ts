import { addDays, londonToday } from '#platform/london.ts'
/**
 * Fictional Home Library members for the data generator: each with a person record, joined over the last
 * two years, a few of them paused or gone, on weekly rounds of about 25 stops, with their visits (about a
 * tenth missed) and, for the last year, the items delivered. Visits come to `visits` in all.
 */
import { matchKey } from '../../src/modules/home-library/already-read.ts'
import { changeCounts, MEASURES, tally, visitCounts } from '../../src/modules/home-library/figures.ts'
import type {
  ItemTable,
  MemberChangeTable,
  MemberTable,
  RoundTable,
  StopTable,
  VisitTable,
} from '../../src/modules/home-library/member.repository.ts'
import { FORMATS, LEFT_REASONS } from '../../src/modules/home-library/member.ts'
import type { PersonTable } from '../../src/modules/people/person.repository.ts'
import { nameKey } from '../../src/modules/people/person.ts'
import { listBoroughs } from '../../src/platform/boroughs.ts'
import type { Db } from '../../src/platform/database.ts'
import { newId } from '../../src/platform/ids.ts'
import { insertMany, type Random } from './random.ts'
import { FIRST, LAST } from './referral-parts.ts'

/** The first round made: the benchmark prints its sheet. */
export const BENCH_ROUND_ID = '01900000-0000-7000-8000-00000000b001'
const STOPS_PER_ROUND = 25
const TITLES = ['Rebecca', 'Small Island', 'Wolf Hall', 'Middlemarch', 'The Salt Path', 'Persuasion', 'Emma']

export async function generateHomeLibrary(db: Db, members: number, visits: number, r: Random) {
  if (!members) return { members: 0, visits: 0 }
  const boroughs = await listBoroughs(db)
  const today = londonToday()
  const perMember = Math.max(1, Math.floor(visits / members))
  const now = new Date().toISOString()
  let made = 0
  let rounds = 0
  // The figures' monthly counts, summed over every batch and written at the end (one row per month and measure).
  const counted: { borough_id: string; day: string; counts: Record<string, number> }[] = []
  for (let start = 0; start < members; start += STOPS_PER_ROUND * 5) {
    const batch = Math.min(STOPS_PER_ROUND * 5, members - start)
    await db.transaction().execute(async (tx) => {
      const people: PersonTable[] = []
      const rows: MemberTable[] = []
      const changes: MemberChangeTable[] = []
      const visitRows: VisitTable[] = []
      const items: ItemTable[] = []
      const roundRows: RoundTable[] = []
      const stops: StopTable[] = []
      const visitedYears: {
        id: string
        member_id: string
        person_id: string
        borough_id: string
        year: number
      }[] = []
      const borough = boroughs[(start / (STOPS_PER_ROUND * 5)) % boroughs.length]
      if (!borough) return
      // One round per weekday for this batch of members.
      const roundIds = [1, 2, 3, 4, 5].map((weekday) => {
        const id = rounds === 0 ? BENCH_ROUND_ID : newId()
        rounds++
        roundRows.push({
          id,
          borough_id: borough.id,
          name: `Round ${rounds}`,
          library: `${borough.short_name} Library`,
          weekday,
          deliverer_user_id: newId(),
          deliverer_name: `${r.pick(FIRST)} ${r.pick(LAST)}`,
          created_at: now,
          updated_at: now,
        })
        return id
      })
      for (let i = 0; i < batch; i++) {
        const name = `${r.pick(FIRST)} ${r.pick(LAST)}`
        const weekday = (i % 5) + 1
        const firstVisit = addDays(today, -7 * perMember - ((7 + weekday - 3) % 7))
        const status = r.chance(0.05) ? 'left' : r.chance(0.05) ? 'paused' : 'active'
        const person = newId()
        people.push({
          id: person,
          borough_id: borough.id,
          full_name: name,
          name_key: nameKey(name),
          date_of_birth: null,
          age_range: '80-or-over',
          phone: null,
          phone_key: null,
          email: null,
          email_key: null,
          postcode: null,
          preferred_language: null,
          merged_into_id: null,
          created_at: now,
          updated_at: now,
        })
        const member: MemberTable = {
          id: newId(),
          borough_id: borough.id,
          person_id: person,
          need_id: null,
          name,
          basis: r.pick(['housebound', 'carer', 'temporary-mobility'] as const),
          evidence: 'Confirmed with their GP surgery',
          review_on: null,
          review_reminded_for: null,
          status,
          paused_until: null,
          left_reason: status === 'left' ? r.pick(LEFT_REASONS) : null,
          joined_on: firstVisit,
          left_on: status === 'left' ? today : null,
          delivery_day: weekday,
          day_part: r.pick(['morning', 'afternoon'] as const),
          frequency: 'weekly',
          starts_on: firstVisit,
          max_items: 4,
          formats_json: [r.pick(FORMATS)],
          likes: 'Crime, history',
          dislikes: 'No violence',
          access_notes: 'Key safe by the door',
          emergency_contact: 'Daughter, 07700 900000',
          communication_json: [],
          is_digital_support_wanted: r.chance(0.3),
          created_at: now,
          updated_at: now,
        }
        rows.push(member)
        const change = { member_id: member.id, borough_id: borough.id, reason: null, created_at: now }
        changes.push({
          ...change,
          id: newId(),
          status: 'active',
          is_joining: true,
          changed_on: firstVisit,
          active_delta: 1,
        })
        if (status !== 'active')
          changes.push({
            ...change,
            id: newId(),
            status,
            reason: member.left_reason,
            is_joining: false,
            changed_on: today,
            active_delta: -1,
          })
        if (status !== 'left')
          stops.push({
            id: newId(),
            round_id: roundIds[weekday - 1] as string,
            member_id: member.id,
            weekday,
            position: i,
          })
        for (let w = 0; w < perMember; w++) {
          const due = addDays(firstVisit, 7 * w)
          const missed = r.chance(0.1)
          const visit: VisitTable = {
            id: newId(),
            member_id: member.id,
            borough_id: borough.id,
            due_on: due,
            status: missed ? 'missed' : 'done',
            missed_reason: missed ? 'not-in' : null,
            digital_minutes: member.is_digital_support_wanted && !missed ? 15 : 0,
            digital_help: '',
            recorded_by_user_id: null,
            recorded_at: `${due}T12:00:00.000Z`,
            created_at: now,
          }
          visitRows.push(visit)
          const delivered = !missed && due >= addDays(today, -365)
          counted.push({
            borough_id: borough.id,
            day: due,
            counts: visitCounts(visit, delivered ? [member.formats_json[0] ?? 'large-print'] : []),
          })
          const year = Number(due.slice(0, 4))
          if (!missed && !visitedYears.some((v) => v.member_id === member.id && v.year === year)) {
            visitedYears.push({
              id: newId(),
              member_id: member.id,
              person_id: person,
              borough_id: borough.id,
              year,
            })
            counted.push({ borough_id: borough.id, day: due, counts: { [MEASURES.firstVisited]: 1 } })
          }
          if (delivered) {
            const title = r.pick(TITLES)
            items.push({
              id: newId(),
              member_id: member.id,
              borough_id: borough.id,
              visit_id: visit.id,
              title,
              author: 'A Writer',
              format: member.formats_json[0] ?? 'large-print',
              identifier: '',
              match_key: matchKey(title, 'A Writer'),
              delivered_on: due,
              collected_on: due < addDays(today, -28) ? addDays(due, 7) : null,
              created_at: now,
            })
          }
        }
      }
      await insertMany(tx, 'people', people)
      await insertMany(tx, 'home_library_members', rows)
      await insertMany(tx, 'home_library_member_changes', changes)
      await insertMany(tx, 'home_library_rounds', roundRows)
      await insertMany(tx, 'home_library_stops', stops)
      await insertMany(tx, 'home_library_visits', visitRows)
      await insertMany(tx, 'home_library_items', items)
      await insertMany(tx, 'home_library_visited_years', visitedYears)
      for (const c of changes)
        counted.push({ borough_id: c.borough_id, day: c.changed_on, counts: changeCounts(c) })
      made += visitRows.length
    })
  }
  await db.transaction().execute((tx) =>
    insertMany(
      tx,
      'home_library_monthly_counts',
      tally(counted).map((row) => ({ id: newId(), ...row })),
    ),
  )
  return { members, visits: made }
}
