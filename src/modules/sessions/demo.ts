import type { StaffUser } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { addDays, londonWallClock } from '#platform/london.ts'
import type { DirectoryService } from '../directory/index.ts'
import { type Weekday, weekdayOf } from './recurrence.ts'
import type { NewSession, SessionService } from './session.service.ts'
import type { SessionKind, Venue } from './session.ts'
import type { SkillsService } from './skills.service.ts'
import { SKILLS, type Skill, type SkillLevel } from './skills.ts'

const DEMO: {
  title: string
  kind: SessionKind
  venue: Venue
  day: Weekday
  startTime: string
  endTime: string
  weeks: number
  capacity: number
  language: string
  whatToBring: string | null
}[] = [
  {
    title: 'IT help drop-in',
    kind: 'drop-in',
    venue: 'place',
    day: 'TU',
    startTime: '10:00',
    endTime: '12:00',
    weeks: 12,
    capacity: 8,
    language: 'English',
    whatToBring: 'Your phone, tablet or laptop, and any passwords you need',
  },
  {
    title: 'One-to-one with a digital ambassador',
    kind: 'one-to-one',
    venue: 'place',
    day: 'TH',
    startTime: '14:00',
    endTime: '15:00',
    weeks: 12,
    capacity: 1,
    language: 'English',
    whatToBring: 'Your phone',
  },
  {
    title: 'Code Club (ages 9 to 13)',
    kind: 'coding-club',
    venue: 'place',
    day: 'SA',
    startTime: '10:30',
    endTime: '12:00',
    weeks: 12,
    capacity: 12,
    language: 'English',
    whatToBring: null,
  },
  {
    title: 'Get online in six weeks',
    kind: 'course',
    venue: 'place',
    day: 'WE',
    startTime: '13:00',
    endTime: '15:00',
    weeks: 6,
    capacity: 10,
    language: 'English',
    whatToBring: 'A notebook',
  },
  {
    title: 'Ayuda con el móvil',
    kind: 'drop-in',
    venue: 'place',
    day: 'MO',
    startTime: '15:00',
    endTime: '16:30',
    weeks: 12,
    capacity: 6,
    language: 'Spanish',
    whatToBring: 'Su móvil',
  },
  {
    title: 'Staying safe online',
    kind: 'drop-in',
    venue: 'online',
    day: 'FR',
    startTime: '11:00',
    endTime: '12:00',
    weeks: 12,
    capacity: 20,
    language: 'English',
    whatToBring: null,
  },
]

const NAMES = [
  'Amal Hassan',
  'Brian Okafor',
  'Carmen Ruiz',
  'Dev Patel',
  'Edith Marsh',
  'Farid Karimi',
  'Grace Lee',
]

/** Every skill at `level`, but the ones given. */
function levels(level: SkillLevel, others: Partial<Record<Skill, SkillLevel>> = {}) {
  return Object.fromEntries(SKILLS.map((s) => [s, others[s] ?? level])) as Record<Skill, SkillLevel>
}

/**
 * A term of fictional sessions of every kind in each borough, with bookings, one full date with a waiting
 * list, and the course's learners with a baseline skills check and a follow-up four weeks later.
 */
export async function seedDemoSessions(
  sessions: SessionService,
  directory: Pick<DirectoryService, 'listLibraries'>,
  skillsOn: (at: Date) => Pick<SkillsService, 'assess'>,
): Promise<void> {
  const ctx: AuditContext = { userId: null, actor: 'cli', ip: null, requestId: null }
  const system: StaffUser = {
    id: '00000000-0000-7000-8000-000000000000',
    name: 'Demo data',
    email: 'demo@example.com',
    roles: [],
    permissions: new Set(['sessions.view', 'sessions.manage', 'sessions.register']),
    boroughs: 'all',
  }
  const existing = new Set((await sessions.staffList(system)).map((s) => `${s.borough_id}|${s.title}`))
  const libraries = await directory.listLibraries()
  const today = londonWallClock(new Date()).date
  for (const borough of await sessions.boroughs()) {
    const here = libraries.filter((l) => l.borough_id === borough.id)
    if (!here.length) continue
    for (const [i, demo] of DEMO.entries()) {
      if (existing.has(`${borough.id}|${demo.title}`)) continue
      let start = addDays(today, 1)
      while (weekdayOf(start) !== demo.day) start = addDays(start, 1)
      const input: NewSession = {
        boroughId: borough.id,
        kind: demo.kind,
        title: demo.title,
        description: `Fictional ${demo.kind} session for demonstrations.`,
        venue: demo.venue,
        locationId: demo.venue === 'place' ? (here[i % here.length]?.id ?? null) : null,
        serviceCode: demo.kind === 'drop-in' && demo.venue === 'place' && i === 0 ? 'it-clinic' : null,
        onlineLink: demo.venue === 'online' ? 'https://meet.example.org/staying-safe' : null,
        language: demo.language,
        whatToBring: demo.whatToBring,
        capacity: demo.capacity,
        facilitators: [],
        rule: {
          start,
          startTime: demo.startTime,
          endTime: demo.endTime,
          byDay: [demo.day],
          count: demo.weeks,
          exdates: [],
        },
      }
      const id = await sessions.createSession(system, input, ctx)
      const { occurrences } = await sessions.staffSession(system, id)
      const first = occurrences[0]
      if (!first) continue
      // The one-to-one's first date is full with two waiting; the others have a few places taken.
      const bookings = demo.kind === 'one-to-one' ? 3 : Math.min(3, demo.capacity - 1)
      for (let n = 0; n < bookings; n++) {
        const name = NAMES[(n + i) % NAMES.length] as string
        await sessions.book(
          {
            occurrenceId: first.id,
            name,
            email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.com`,
            phone: null,
            canEmail: true,
            canText: false,
            carerName: demo.kind === 'coding-club' ? 'A. Parent' : null,
            carerContact: demo.kind === 'coding-club' ? '07700 900999' : null,
            carerConsent: demo.kind === 'coding-club',
          },
          ctx,
        )
      }
      if (demo.kind !== 'course') continue
      const baseline = new Date(Date.now() - 28 * 86_400_000)
      const { bookings: learners } = await sessions.register(system, first.id, ctx)
      for (const [n, learner] of learners.filter((b) => b.status === 'booked').entries()) {
        const start = levels('with-help', { wifi: 'not-yet', transacting: 'not-yet', 'turn-on': 'on-my-own' })
        await skillsOn(baseline).assess(system, { bookingId: learner.id, answers: start }, ctx)
        const later = {
          ...start,
          wifi: 'on-my-own' as const,
          ...(n % 2 ? { transacting: 'with-help' as const } : {}),
        }
        await skillsOn(new Date()).assess(system, { bookingId: learner.id, answers: later }, ctx)
      }
    }
  }
}
