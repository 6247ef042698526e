import type { StaffUser } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { listBoroughs } from '#platform/boroughs.ts'
import { nowIso } from '#platform/clock.ts'
import { newId } from '#platform/ids.ts'
import { addDays, londonToday } from '#platform/london.ts'
import type { Platform } from '#platform/platform.ts'
import type { AccountService } from '../accounts/index.ts'
import type { DirectoryService } from '../directory/index.ts'
import type { ApplicationService } from './application.service.ts'
import { hoursRepository } from './hours.repository.ts'
import type { RotaService } from './rota.service.ts'
import type { TrainingService } from './training.service.ts'
import { volunteerRepository } from './volunteer.repository.ts'
import type { VolunteerService } from './volunteer.service.ts'
import { STATUSES, type VolunteerStatus } from './volunteer.ts'

const CTX: AuditContext = { userId: null, actor: 'cli', ip: null, requestId: null }

// Fictional volunteers; phone numbers from Ofcom's drama range.
const NAMES: Record<string, string[]> = {
  rbkc: [
    'Amara Okafor',
    'Ben Hartley',
    'Chloé Martin',
    'Dev Patel',
    'Ewa Kowalska',
    'Farid Haddad',
    'Grace Liu',
    'Hugo Ferreira',
    'Ines Duarte',
    'Jonah Reid',
  ],
  wcc: [
    'Kemi Adebayo',
    'Liam O’Connor',
    'Maya Shah',
    'Nadia Karim',
    'Oscar Lind',
    'Priya Nair',
    'Quentin Blake-Hall',
    'Ruth Abebe',
    'Sami Yusuf',
    'Tara Walsh',
  ],
}
const PATH: VolunteerStatus[] = ['applied', 'contacted', 'interviewed', 'checks', 'training', 'active']
const SHIFT_TITLES = ['IT clinic', 'One-to-one phone help', 'Coding club helper', 'Job club: CVs online']

/**
 * Volunteers of both boroughs at every step, their checks (one lapsed) and training (one running out),
 * a month of shifts to come with some places taken, and a year of hours given. Nothing the second time.
 */
export async function seedDemoVolunteers(
  platform: Platform,
  s: {
    accounts: AccountService
    directory: Pick<DirectoryService, 'listLibraries'>
    applications: ApplicationService
    volunteers: VolunteerService
    rota: RotaService
    training: TrainingService
  },
): Promise<string[]> {
  const { db } = platform.database
  if ((await volunteerRepository.list(db, null)).length) return []
  const boroughs = await listBoroughs(db)
  const libraries = await s.directory.listLibraries()
  const today = londonToday()
  const coordinator: StaffUser = {
    id: newId(),
    name: 'Demo coordinator',
    email: 'demo.coordinator@example.org',
    roles: ['volunteer-coordinator'],
    permissions: new Set(['volunteers.view', 'volunteers.manage', 'volunteers.checks', 'volunteers.own']),
    boroughs: 'all',
  }
  const courses = await s.training.courses(coordinator)
  const course = (name: string) => courses.find((c) => c.name === name)?.id as string
  let count = 0
  let shifts = 0
  for (const borough of boroughs) {
    const mine = libraries.filter((l) => l.borough_id === borough.id)
    const names = NAMES[borough.code] ?? []
    const active: string[] = []
    for (const [i, name] of names.entries()) {
      // Two at each step before active, then active ones; one paused and one who left.
      const target: VolunteerStatus = i < STATUSES.length ? (STATUSES[i] as VolunteerStatus) : 'active'
      const token = await s.applications.start()
      const draft = await s.applications.load(token)
      if (!draft) continue
      const email = `demo.volunteer.${borough.code}.${i}@example.org`
      const answers = {
        name: { name },
        contact: { email, phone: `07700 900${String(100 + i).padStart(3, '0')}` },
        availability: {
          slots: [['mon-morning', 'wed-afternoon'], ['sat-morning'], ['tue-evening', 'thu-afternoon']][i % 3],
        },
        languages: {
          languages: ['English, Yoruba', 'English', 'English, Polish', 'English, Arabic'][i % 4] as string,
        },
        skills: { skills: 'Helps family and neighbours with phones, email and online forms' },
        libraries: { libraries: mine.slice(0, 1 + (i % 2)).map((l) => l.id) },
        referees: { referees: 'A former manager and a neighbour (contacts on file)' },
        consents: { consents: ['dbs', 'references'] },
      }
      await s.applications.answer(draft.id, answers)
      const sent = await s.applications.submit(draft.id, answers, CTX)
      if (typeof sent === 'string') continue
      const id = sent.volunteerId
      count++
      const check = (lapsed: boolean) =>
        s.volunteers.saveChecks(
          coordinator,
          id,
          {
            level: 'enhanced',
            barredList: true,
            certificate: `00${borough.code === 'rbkc' ? 1 : 2}0${String(i).padStart(8, '0')}`,
            issuedOn: lapsed ? addDays(today, -3 * 365) : addDays(today, -200),
            updateService: !lapsed,
            statusCheckedOn: lapsed ? undefined : addDays(today, -30),
            renewsOn: lapsed ? addDays(today, -1) : addDays(today, 3 * 365 - 200),
            referencesReceived: 2,
          },
          CTX,
        )
      if (['training', 'active', 'paused', 'left'].includes(target)) await check(false)
      const path =
        target === 'paused' || target === 'left' ? [...PATH, target] : PATH.slice(0, PATH.indexOf(target) + 1)
      for (let step = 1; step < path.length; step++) {
        const to = path[step] as VolunteerStatus
        const reason = to === 'left' ? 'moved-away' : undefined
        await s.volunteers.move(coordinator, id, { from: path[step - 1] as VolunteerStatus, to, reason }, CTX)
      }
      // One active volunteer's check has since lapsed: the rota and the Home Library refuse them, with why.
      if (target === 'active' && i === STATUSES.length) await check(true)
      if (['training', 'active', 'paused'].includes(target)) {
        for (const c of ['Communication', 'Safeguarding', 'Digital skills'])
          await s.training.recordTraining(
            coordinator,
            id,
            { course: course(c), completedOn: addDays(today, -150), evidence: 'Attended the course' },
            CTX,
          )
        // Data protection, done nearly a year ago: it runs out within the month.
        await s.training.recordTraining(
          coordinator,
          id,
          {
            course: course('Data protection'),
            completedOn: addDays(today, -350),
            evidence: 'Online module certificate',
          },
          CTX,
        )
      }
      if (target === 'active') {
        const account = await s.accounts.createUser(
          { name, email, roles: ['volunteer'], allBoroughs: false, boroughIds: [borough.id] },
          CTX,
        )
        await s.volunteers.linkAccount(coordinator, id, account.id, CTX)
        active.push(id)
      }
      if (['active', 'paused', 'left'].includes(target))
        await yearOfHours(
          platform,
          id,
          borough.id,
          mine.map((l) => l.name),
          i,
        )
    }
    // A month of shifts to come, three a week, with places taken by those who may go.
    for (let week = 0; week < 4; week++)
      for (const [n, offset] of [1, 3, 5].entries()) {
        const id = await s.rota.createShift(
          coordinator,
          {
            borough: borough.id,
            title: SHIFT_TITLES[(week + n) % SHIFT_TITLES.length] as string,
            place: mine[n % Math.max(1, mine.length)]?.name ?? 'Library',
            date: addDays(today, week * 7 + offset),
            start: n === 2 ? '14:00' : '10:00',
            end: n === 2 ? '16:00' : '12:30',
            places: 2,
            checkNeeded: n === 1 ? 'enhanced-barred' : 'basic',
            courses: n === 1 ? [course('Safeguarding')] : [],
          },
          CTX,
        )
        shifts++
        if (week > 0 && n === 0) continue // left short: flagged, and the coordinators told
        for (const v of active.slice(0, 1 + ((week + n) % 2)))
          await s.rota.assign(coordinator, id, v, CTX).catch(() => undefined) // a lapsed check is refused
      }
  }
  return [`Volunteers: ${count} at every step, ${shifts} shifts over the next month, a year of hours`]
}

/** Approved hours across the last year, a few a month, and one lot waiting for approval. */
async function yearOfHours(
  platform: Platform,
  volunteerId: string,
  boroughId: string,
  places: string[],
  seed: number,
) {
  const { db } = platform.database
  const today = londonToday()
  await db.transaction().execute(async (tx) => {
    for (let days = 360; days > 0; days -= 9 + (seed % 5)) {
      await hoursRepository.insert(tx, {
        id: newId(),
        volunteer_id: volunteerId,
        borough_id: boroughId,
        place: places[days % Math.max(1, places.length)] ?? 'Library',
        worked_on: addDays(today, -days),
        minutes: 120 + 30 * (days % 3),
        what: 'Helped at the IT clinic',
        assignment_id: null,
        status: 'approved',
        decided_by_user_id: null,
        created_at: nowIso(),
      })
    }
    await hoursRepository.insert(tx, {
      id: newId(),
      volunteer_id: volunteerId,
      borough_id: boroughId,
      place: places[0] ?? 'Library',
      worked_on: addDays(today, -2),
      minutes: 90,
      what: 'Showed a resident how to book a GP appointment online',
      assignment_id: null,
      status: 'pending',
      decided_by_user_id: null,
      created_at: nowIso(),
    })
  })
}
