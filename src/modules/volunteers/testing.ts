import type { Permission, StaffUser } from '#platform/access.ts'
import { newId } from '#platform/ids.ts'
import type { TestHub } from '#tests/support/hub.ts'
import type { Answers } from './application.service.ts'

export const CTX = { userId: null, actor: 'test', ip: '127.0.0.1', requestId: null }

export const COORDINATOR: Permission[] = ['volunteers.view', 'volunteers.manage', 'volunteers.checks']

export function staffIn(boroughIds: 'all' | string[], permissions: Permission[] = COORDINATOR): StaffUser {
  return {
    id: newId(),
    name: 'Coordinator Test',
    email: 'coordinator@example.com',
    roles: [],
    permissions: new Set(permissions),
    boroughs: boroughIds,
  }
}

/** A whole application's answers, page by page, for a library of the borough given; override any page. */
export async function applicationAnswers(
  hub: TestHub,
  boroughId: string,
  overrides: Answers = {},
): Promise<Answers> {
  const library = (await hub.directory.listLibraries()).find((l) => l.borough_id === boroughId)
  if (!library) throw new Error('No library in that borough')
  return {
    name: { name: 'Priya Helper' },
    contact: { email: 'priya@example.com', phone: '07700 900982' },
    availability: { slots: ['tue-morning', 'sat-afternoon'] },
    languages: { languages: 'English, Gujarati' },
    skills: { skills: 'Set up phones for my family' },
    libraries: { libraries: [library.id] },
    referees: { referees: 'Ann Smith, 07700 900111; Raj Patel, raj@example.com' },
    consents: { consents: ['dbs', 'references'] },
    ...overrides,
  }
}

/** Sends an application through the service as the journey does, and answers the volunteer's id. */
export async function apply(hub: TestHub, boroughId: string, overrides: Answers = {}): Promise<string> {
  const { applications } = hub.volunteers
  const token = await applications.start()
  const draft = await applications.load(token)
  if (!draft) throw new Error('No draft')
  const answers = await applicationAnswers(hub, boroughId, overrides)
  await applications.answer(draft.id, answers)
  const sent = await applications.submit(draft.id, answers, CTX)
  if (typeof sent === 'string') throw new Error(`Application stopped at ${sent}`)
  return sent.volunteerId
}

/** A DBS check's answers, in date unless told. */
export function checkAnswers(renewsOn: string, issuedOn = '2025-01-15') {
  return {
    level: 'enhanced' as const,
    barredList: true,
    certificate: '001234567890',
    issuedOn,
    updateService: true,
    statusCheckedOn: undefined as string | undefined,
    renewsOn,
    referencesReceived: 2,
  }
}

/**
 * An active volunteer of the borough with their own account, an enhanced check with the barred list
 * renewing on `renewsOn`, and the courses named done today. Answers their record's and account's ids.
 */
export async function activeVolunteer(
  hub: TestHub,
  boroughCode: 'rbkc' | 'wcc',
  name: string,
  opts: { renewsOn: string; courses?: string[] },
) {
  const boroughs = await hub.accounts.listBoroughs()
  const borough = boroughs.find((b) => b.code === boroughCode)
  if (!borough) throw new Error('No borough')
  const coordinator = staffIn([borough.id])
  const { createStaff } = await import('#tests/support/users.ts')
  const account = await createStaff(hub, { roles: ['volunteer'], boroughs: [boroughCode], name })
  const id = await apply(hub, borough.id, {
    name: { name },
    contact: { email: account.email, phone: '07700 900982' },
  })
  const { volunteers, training } = hub.volunteers
  await volunteers.linkAccount(coordinator, id, account.id, CTX)
  await volunteers.saveChecks(coordinator, id, { ...checkAnswers(opts.renewsOn), barredList: true }, CTX)
  const steps = ['applied', 'contacted', 'interviewed', 'checks', 'training', 'active'] as const
  for (let i = 1; i < steps.length; i++)
    await volunteers.move(
      coordinator,
      id,
      { from: steps[i - 1] as 'applied', to: steps[i] as 'applied' },
      CTX,
    )
  const courses = await training.courses(coordinator)
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date())
  for (const courseName of opts.courses ?? []) {
    const course = courses.find((c) => c.name === courseName)
    if (!course) throw new Error(`No course ${courseName}`)
    await training.recordTraining(
      coordinator,
      id,
      { course: course.id, completedOn: today, evidence: 'Certificate seen' },
      CTX,
    )
  }
  return { id, account, coordinator }
}
