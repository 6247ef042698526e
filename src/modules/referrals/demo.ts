import type { StaffUser } from '#platform/access.ts'
import type { AuditContext } from '#platform/audit.ts'
import { sha256 } from '#platform/hash.ts'
import type { Platform } from '#platform/platform.ts'
import { referralWords } from './referral.labels.ts'
import { englishTranslator } from './referral.notices.ts'
import { referralRepository as repo } from './referral.repository.ts'
import type { ReferralService } from './referral.service.ts'
import type { NeedState } from './referral.ts'
import type { Boroughs } from './referral-record.ts'
import type { TriageService } from './triage.service.ts'

/** How a demo case reaches each state from "submitted". */
const PATHS: Record<
  NeedState,
  { to: NeedState; outcome?: 'got-help'; reason?: string; signposting?: string }[]
> = {
  submitted: [],
  'in-triage': [{ to: 'in-triage' }],
  'needs-information': [{ to: 'in-triage' }, { to: 'needs-information' }],
  routed: [{ to: 'in-triage' }, { to: 'routed' }],
  waitlisted: [{ to: 'in-triage' }, { to: 'routed' }, { to: 'waitlisted' }],
  scheduled: [{ to: 'in-triage' }, { to: 'routed' }, { to: 'scheduled' }],
  'in-progress': [{ to: 'in-triage' }, { to: 'routed' }, { to: 'in-progress' }],
  'outcome-recorded': [
    { to: 'in-triage' },
    { to: 'routed' },
    { to: 'in-progress' },
    { to: 'outcome-recorded', outcome: 'got-help' },
  ],
  closed: [
    { to: 'in-triage' },
    { to: 'routed' },
    { to: 'in-progress' },
    { to: 'outcome-recorded', outcome: 'got-help' },
    { to: 'closed' },
  ],
  declined: [
    { to: 'in-triage' },
    {
      to: 'declined',
      reason: 'Already has a laptop on loan from the council',
      signposting: 'Drop-in IT help at any library, Tuesdays and Thursdays',
    },
  ],
  withdrawn: [{ to: 'withdrawn' }],
}

// Fictional people: names from many languages, phone numbers from Ofcom's drama range, example.com emails.
const NAMES = [
  'Amara Okafor',
  'Tomasz Kowalski',
  'Fatima Al-Sayed',
  'محمد الأحمد',
  "Siobhan O'Neill",
  'Hiroshi Tanaka',
  'Фатима Алиева',
  'Grace Mensah',
  'Luis Fernández',
  'Nasrin Hosseini',
  'Edith Clarke',
]
const PLACES = [
  { borough: 'rbkc', postcode: 'W8 4RT' },
  { borough: 'wcc', postcode: 'W1D 3QF' },
]

/** Referrals sent on someone's behalf come from the directory's demo partner of their borough. */
const DEMO_PARTNERS: Record<string, string> = { rbkc: 'demo-westway-discharge', wcc: 'demo-harbour-trust' }

/** Cases that have waited too long: their whole history happened this long ago, not today. */
const WAITED_DAYS = 14

/**
 * Fictional residents and referrals in every state, in both boroughs. Running it again adds nothing.
 * Answers lines saying what there is: referrals by state, and the accounts worth making to try them.
 */
export async function seedDemoReferrals(
  platform: Platform,
  referrals: ReferralService,
  triage: TriageService,
  partnerOf: (code: string) => Promise<{ id: string; name: string } | null>,
): Promise<string[]> {
  const known = await referrals.boroughs()
  const system: StaffUser = {
    id: '00000000-0000-7000-8000-000000000000',
    name: 'Demo data',
    email: 'demo@example.com',
    roles: [],
    permissions: new Set(['referrals.view', 'referrals.triage']),
    boroughs: 'all',
  }
  const ctx: AuditContext = { userId: null, actor: 'cli', ip: null, requestId: null }
  const states = Object.keys(PATHS) as NeedState[]
  for (const [p, place] of PLACES.entries()) {
    if (!known.byCode.has(place.borough)) continue
    for (const [i, state] of states.entries()) {
      const seedKey = sha256(`demo-seed-${place.borough}-${state}`)
      if (await repo.findByJourney(platform.database.db, seedKey)) continue
      const name = NAMES[(i + p * 5) % NAMES.length] as string
      // The fourth resident shares the first's phone: a likely duplicate for staff to decide on.
      const phone = `07700 900${String(100 + (i === 3 ? 0 : i) + p * 20).padStart(3, '0')}`
      const partner = await partnerOf(DEMO_PARTNERS[place.borough] ?? '')
      const onBehalf = i % 2 === 1 && partner !== null
      const submitted = await referrals.submit(
        {
          onBehalf,
          consent: true,
          referrer:
            partner && onBehalf
              ? {
                  name: 'Sam Worker',
                  organisation: partner.name,
                  role: 'Support worker',
                  email: 'sam.worker@example.com',
                  relationship: 'Key worker',
                }
              : undefined,
          resident: {
            name,
            dateOfBirth: `19${40 + i}-0${1 + (i % 9)}-1${i % 10}`,
            postcode: place.postcode,
            noFixedAddress: false,
            contactMethods: ['phone'],
            phone,
            safe: ['voicemail', 'text'],
            language: i % 3 === 0 ? 'Arabic' : '',
            interpreter: i % 3 === 0,
          },
          needs: [
            { kind: 'device', deviceType: 'tablet' },
            ...(i % 2
              ? [{ kind: 'skills' as const, ways: ['one-to-one'], goals: ['nhs-app', 'video-calls'] }]
              : []),
          ],
          reporting: { over60: i % 2 ? 'yes' : 'prefer-not-to-say' },
        },
        {
          source: onBehalf ? 'partner-web' : 'self',
          journeyTokenHash: seedKey,
          privacyNoticeVersion: 'demo',
          organisationId: onBehalf ? partner?.id : undefined,
        },
        ctx,
      )
      const row = await repo.findByReference(platform.database.db, submitted.reference)
      if (!row) continue
      const needs = await repo.needsOf(platform.database.db, [row.id])
      for (const need of needs)
        for (const step of PATHS[state])
          await triage.changeNeed(system, { referralId: row.id, needId: need.id, ...step }, ctx)
      // Some cases have waited too long, so the queue and the daily digest have something to show; their
      // history moves back with them, so nothing changed today is flagged as not updated.
      if (state === 'in-triage' || state === 'waitlisted')
        await repo.moveBack(platform.database.db, row.id, WAITED_DAYS * 86_400_000)
    }
  }
  return demoSummary(platform, known)
}

/** What the demo holds now: referrals by the state of their requests, and how to try them as a partner. */
async function demoSummary(platform: Platform, known: Boroughs): Promise<string[]> {
  const counts = await repo.demoCounts(platform.database.db)
  const labels = referralWords(englishTranslator(platform.config.APP_ROOT))
  const lines = ['Demo referrals, by the state of their requests:']
  for (const state of Object.keys(PATHS) as NeedState[]) {
    const n = counts.filter((c) => c.status === state).reduce((sum, c) => sum + c.n, 0)
    if (n) lines.push(`  ${labels.state(state)}: ${n}`)
  }
  const someBorough = [...known.byCode.keys()].join(',')
  lines.push(
    'Accounts to try them (each prints a one-time link to choose a password):',
    `  npm run hub -- create-user --email officer@example.com --name "Demo Officer" --role triage-officer --borough ${someBorough}`,
    ...Object.entries(DEMO_PARTNERS)
      .filter(([borough]) => known.byCode.has(borough))
      .map(
        ([borough, code]) =>
          `  npm run hub -- create-user --email ${code}@example.com --name "Demo Partner" --role partner-referrer --borough ${borough} --organisation ${code}`,
      ),
  )
  return lines
}
