import type { StaffUser } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { listBoroughs } from '#platform/boroughs.ts'
import { nowIso } from '#platform/clock.ts'
import { newId } from '#platform/ids.ts'
import { addDays, londonToday } from '#platform/london.ts'
import type { Platform } from '#platform/platform.ts'
import type { AccountService } from '../accounts/index.ts'
import type { PersonService } from '../people/index.ts'
import { matchKey } from './already-read.ts'
import type { DepositService } from './deposit.service.ts'
import { visitCounts } from './figures.ts'
import { type ItemTable, type MemberTable, memberRepository, type VisitTable } from './member.repository.ts'
import { BASES, type Format, FREQUENCIES, LEFT_REASONS, MISSED_REASONS } from './member.ts'
import type { RoundService } from './round.service.ts'
import { visitDates } from './schedule.ts'
import { visitRepository } from './visit.repository.ts'

// Fictional members and volunteers; phone numbers from Ofcom's drama range.
const NAMES = [
  'Dorothy Ashworth',
  'Kwame Boateng',
  'Margaret Doyle',
  'Iqbal Hussain',
  'Olive Pemberton',
  'Stanisław Nowak',
  'Beatriz Santos',
  'Harold Finch',
  'Yetunde Adeyemi',
  'Rosa Klein',
  'Elif Yılmaz',
  'Winifred Shaw',
  'Arthur Bellamy',
  'Mei Chen',
  'Patrick Murphy',
  'Zainab Rahman',
  'Ivy Thompson',
  'George Papadopoulos',
  'Hannah Levy',
  'Bernard Okoye',
]
const BOOKS: [string, string, Format][] = [
  ['Pride and Prejudice', 'Jane Austen', 'large-print'],
  ['The Thursday Murder Club', 'Richard Osman', 'large-print'],
  ['Small Island', 'Andrea Levy', 'standard-print'],
  ['A Gentleman in Moscow', 'Amor Towles', 'audiobook-cd'],
  ['The Remains of the Day', 'Kazuo Ishiguro', 'large-print'],
  ['Wolf Hall', 'Hilary Mantel', 'downloadable-audiobook'],
  ['The Salt Path', 'Raynor Winn', 'standard-print'],
  ['Rebecca', 'Daphne du Maurier', 'daisy'],
  ['People’s Friend', 'D C Thomson', 'magazine'],
  ['Girl, Woman, Other', 'Bernardine Evaristo', 'e-book'],
  ['The Hundred-Year-Old Man', 'Jonas Jonasson', 'large-print'],
  ['Middlemarch', 'George Eliot', 'audiobook-cd'],
]
const LIBRARIES: Record<string, string[]> = {
  rbkc: ['Kensington Central Library', 'Chelsea Library'],
  wcc: ['Marylebone Library', 'Pimlico Library'],
}

const CTX: AuditContext = { userId: null, actor: 'cli', ip: null, requestId: null }

/**
 * Members of both boroughs in every status, rounds with volunteer deliverers, and a year of visits with
 * the items taken. A borough that has members already is left as it is, so running it again adds nothing.
 */
export async function seedDemoHomeLibrary(
  platform: Platform,
  s: {
    rounds: RoundService
    deposits: DepositService
    accounts: AccountService
    people: PersonService
    bankHolidays: ReadonlySet<string>
  },
) {
  const { db } = platform.database
  const today = londonToday()
  const yearAgo = addDays(today, -364)
  for (const [b, borough] of (await listBoroughs(db)).entries()) {
    if ((await memberRepository.list(db, [borough.id])).length) continue
    const system: StaffUser = {
      id: '00000000-0000-7000-8000-000000000000',
      name: 'Demo data',
      email: 'demo@example.com',
      roles: [],
      permissions: new Set(['home-library.view', 'home-library.manage', 'home-library.access-notes']),
      boroughs: [borough.id],
    }
    const volunteers: string[] = []
    for (const n of [1, 2]) {
      const email = `home-library-volunteer-${n}.${borough.code}@example.com`
      const made = await s.accounts
        .createUser(
          {
            name: `Volunteer ${n} ${borough.short_name}`,
            email,
            roles: ['volunteer'],
            allBoroughs: false,
            boroughIds: [borough.id],
          },
          CTX,
        )
        .catch(() => null)
      if (made) volunteers.push(made.id)
    }
    const memberIds: { id: string; weekday: number }[] = []
    for (const [i, name] of NAMES.entries()) {
      const member = await demoMember(platform, s, borough.id, name, i + b, yearAgo, today)
      if (member.status !== 'left') memberIds.push({ id: member.id, weekday: member.delivery_day })
    }
    for (const [r, library] of (LIBRARIES[borough.code] ?? [`${borough.short_name} Library`]).entries()) {
      const weekday = r === 0 ? 2 : 4
      const deliverer = volunteers[r] ?? (await s.rounds.deliverers(system, borough.id))[0]?.id
      if (!deliverer) continue
      const roundId = await s.rounds.create(
        system,
        borough.id,
        {
          borough: borough.id,
          name: `${library.split(' ')[0]} ${r === 0 ? 'Tuesday' : 'Thursday'}`,
          library,
          weekday,
          deliverer,
        },
        CTX,
      )
      for (const m of memberIds.filter((x) => x.weekday === weekday))
        await s.rounds.addStop(system, roundId, m.id, CTX)
    }
    const sites = [
      {
        site: `${borough.short_name} hospital outpatients' waiting area`,
        kind: 'hospital' as const,
        weeks: 4,
      },
      { site: `${borough.short_name} patient transport team`, kind: 'transport' as const, weeks: 6 },
      { site: `${borough.short_name} Court care home`, kind: 'care-home' as const, weeks: 8 },
    ]
    for (const d of sites)
      await s.deposits.add(
        system,
        { borough: borough.id, site: d.site, kind: d.kind, itemsPlaced: 40, refreshWeeks: d.weeks },
        CTX,
      )
  }
}

/** One member joined some time in the past year, with their visits since. */
async function demoMember(
  platform: Platform,
  s: { people: PersonService; bankHolidays: ReadonlySet<string> },
  boroughId: string,
  name: string,
  i: number,
  yearAgo: string,
  today: string,
): Promise<MemberTable> {
  const { db } = platform.database
  const joined = addDays(yearAgo, (i * 17) % 200)
  const status = i % 10 === 3 ? 'paused' : i % 10 === 7 ? 'left' : 'active'
  const leftOn = status === 'left' ? addDays(joined, 120) : null
  const member: MemberTable = {
    id: newId(),
    borough_id: boroughId,
    person_id: '',
    need_id: null,
    name,
    basis: BASES[i % BASES.length] ?? 'housebound',
    evidence: 'Confirmed by phone with their GP surgery',
    review_on: i % BASES.length === 2 ? addDays(today, 10 + i) : null,
    review_reminded_for: null,
    status,
    paused_until: status === 'paused' ? addDays(today, 21) : null,
    left_reason: status === 'left' ? (LEFT_REASONS[i % LEFT_REASONS.length] ?? null) : null,
    joined_on: joined,
    left_on: leftOn,
    delivery_day: i % 2 ? 4 : 2,
    day_part: i % 3 ? 'morning' : 'afternoon',
    frequency: FREQUENCIES[i % FREQUENCIES.length] ?? 'weekly',
    starts_on: joined,
    max_items: 4 + (i % 3),
    formats_json: i % 2 ? ['large-print', 'audiobook-cd'] : ['standard-print', 'magazine'],
    likes: i % 2 ? 'Crime, gentle mysteries, Richard Osman' : 'History, biographies',
    dislikes: i % 3 ? 'No violence' : 'No swearing',
    access_notes:
      i % 2 ? 'Key safe by the side door; call before visiting' : 'Ring twice; small friendly dog',
    emergency_contact: `Daughter, 07700 900${String(200 + i).padStart(3, '0')}`,
    communication_json: i % 4 ? ['large-print-letters'] : ['phone-only'],
    is_digital_support_wanted: i % 3 === 0,
    created_at: nowIso(),
    updated_at: nowIso(),
  }
  await db.transaction().execute(async (tx) => {
    member.person_id = await s.people.create(
      tx,
      {
        boroughId,
        fullName: name,
        dateOfBirth: null,
        ageRange: '80-or-over',
        phone: `07700 900${String(300 + i).padStart(3, '0')}`,
        email: null,
        postcode: null,
        preferredLanguage: null,
      },
      CTX,
    )
    await memberRepository.insert(tx, member)
    const change = { member_id: member.id, borough_id: boroughId, created_at: nowIso() }
    await memberRepository.insertChange(tx, {
      ...change,
      id: newId(),
      status: 'active',
      reason: null,
      is_joining: true,
      changed_on: joined,
    })
    if (status === 'paused')
      await memberRepository.insertChange(tx, {
        ...change,
        id: newId(),
        status,
        reason: null,
        is_joining: false,
        changed_on: addDays(today, -7),
      })
    if (leftOn)
      await memberRepository.insertChange(tx, {
        ...change,
        id: newId(),
        status,
        reason: member.left_reason,
        is_joining: false,
        changed_on: leftOn,
      })
    const until = leftOn ?? addDays(today, -1)
    const schedule = { deliveryDay: member.delivery_day, frequency: member.frequency, startsOn: joined }
    const visits: VisitTable[] = []
    const items: ItemTable[] = []
    for (const [n, day] of visitDates(schedule, joined, until, s.bankHolidays).entries()) {
      const missed = (n + i) % 9 === 4
      const visit: VisitTable = {
        id: newId(),
        member_id: member.id,
        borough_id: boroughId,
        due_on: day,
        status: missed ? 'missed' : 'done',
        missed_reason: missed ? (MISSED_REASONS[n % MISSED_REASONS.length] ?? null) : null,
        digital_minutes: member.is_digital_support_wanted && !missed && n % 4 === 0 ? 30 : 0,
        digital_help:
          member.is_digital_support_wanted && !missed && n % 4 === 0
            ? 'Video call with family on the tablet'
            : '',
        recorded_by_user_id: null,
        recorded_at: `${day}T12:00:00.000Z`,
        created_at: nowIso(),
      }
      visits.push(visit)
      if (missed) continue
      for (let k = 0; k < 2 + (n % 3); k++) {
        const [title, author, format] = BOOKS[(n * 3 + k + i) % BOOKS.length] as (typeof BOOKS)[number]
        items.push({
          id: newId(),
          member_id: member.id,
          borough_id: boroughId,
          visit_id: visit.id,
          title,
          author,
          format,
          identifier: '',
          match_key: matchKey(title, author),
          delivered_on: day,
          collected_on: day < addDays(until, -28) ? addDays(day, 28) : null,
          created_at: nowIso(),
        })
      }
    }
    await visitRepository.insertVisits(tx, visits)
    for (let k = 0; k < items.length; k += 200) await visitRepository.insertItems(tx, items.slice(k, k + 200))
    // The figures' counts, as recording each visit would have kept them.
    for (const v of visits) {
      const formats = items.filter((x) => x.visit_id === v.id).map((x) => x.format)
      await visitRepository.addCounts(tx, boroughId, v.due_on, visitCounts(v, formats))
      if (v.status === 'done')
        await visitRepository.markVisited(
          tx,
          {
            member_id: member.id,
            person_id: member.person_id,
            borough_id: boroughId,
          },
          v.due_on,
        )
    }
  })
  return member
}
