import type { Permission, StaffUser } from '#platform/access.ts'
import { listBoroughs, loadBoroughs } from '#platform/boroughs.ts'
import { buildModules, composeHub } from '#platform/compose.ts'
import type { Database } from '#platform/database.ts'
import { newId } from '#platform/ids.ts'
import { createPlatform, type Platform } from '#platform/platform.ts'
import { testConfig } from '#tests/support/hub.ts'
import type { AccountService } from '../accounts/index.ts'
import type { DevicesModuleService } from '../devices/index.ts'
import { MODULES } from '../index.ts'
import type { ReferralsModuleService } from '../referrals/index.ts'
import type { MemberInput } from './home-library.schemas.ts'
import type { HomeLibraryService } from './index.ts'

const SILENT = { info() {}, warn() {}, error() {}, debug() {} } as unknown as Platform['log']

export const CTX = { userId: null, actor: 'test', ip: '127.0.0.1', requestId: null }

export const COORDINATOR: Permission[] = [
  'home-library.view',
  'home-library.manage',
  'home-library.access-notes',
  'home-library.figures',
]

/** The registry's modules on a test database, built as the app builds them, without the web app. */
export async function homeLibraryServices(database: Database) {
  await loadBoroughs(database.db)
  const platform = createPlatform(testConfig({ DATABASE_URL: 'unused' }), database, SILENT)
  const built = buildModules(platform, composeHub(MODULES))
  const service = <T>(name: string) => built.find((b) => b.manifest.name === name)?.parts.service as T
  const accounts = service<AccountService>('accounts')
  await accounts.loadReferenceData()
  // Libraries and the rest, as the app loads them at start (a lent tablet is kept at a library).
  for (const b of built) await b.parts.loadReferenceData?.()
  const boroughs = Object.fromEntries((await listBoroughs(database.db)).map((b) => [b.code, b.id])) as Record<
    'rbkc' | 'wcc',
    string
  >
  return {
    platform,
    accounts,
    referrals: service<ReferralsModuleService>('referrals'),
    hl: service<HomeLibraryService>('home-library'),
    devices: service<DevicesModuleService>('devices'),
    boroughs,
  }
}

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

/** A member form's answers; override any. */
export function memberAnswers(overrides: Partial<MemberInput> = {}): MemberInput {
  return {
    basis: 'housebound',
    evidence: 'Confirmed with their GP surgery',
    reviewOn: undefined,
    deliveryDay: 2,
    dayPart: 'morning',
    frequency: 'weekly',
    startsOn: '2026-12-01',
    maxItems: 3,
    formats: ['large-print'],
    likes: 'Gentle mysteries',
    dislikes: 'No violence',
    accessNotes: 'Key safe 1234 by the side door',
    emergencyContact: 'Daughter, 07700 900123',
    communication: ['phone-only'],
    digitalSupport: 'yes',
    ...overrides,
  }
}
