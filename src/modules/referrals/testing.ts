import assert from 'node:assert/strict'
import type { Permission, StaffUser } from '#platform/access.ts'
import { listBoroughs, loadBoroughs } from '#platform/boroughs.ts'
import { buildModules, composeHub } from '#platform/compose.ts'
import type { Database } from '#platform/database.ts'
import { newId } from '#platform/ids.ts'
import { createPlatform, type Platform } from '#platform/platform.ts'
import type { TestClient } from '#tests/support/client.ts'
import { testConfig } from '#tests/support/hub.ts'
import type { AccountService } from '../accounts/index.ts'
import type { DirectoryService } from '../directory/index.ts'
import { MODULES } from '../index.ts'
import type { PersonService } from '../people/index.ts'
import type { ReferralsModuleService } from './index.ts'

/** The registry's modules on a test database, built as the app builds them, without the web app. */
export async function referralServices(database: Database) {
  await loadBoroughs(database.db)
  const config = testConfig({ DATABASE_URL: 'unused' })
  const platform = createPlatform(config, database, SILENT)
  const built = buildModules(platform, composeHub(MODULES))
  const service = <T>(name: string) => built.find((b) => b.manifest.name === name)?.parts.service as T
  const accounts = service<AccountService>('accounts')
  await accounts.loadReferenceData()
  const referrals = service<ReferralsModuleService>('referrals')
  const boroughs = Object.fromEntries((await listBoroughs(database.db)).map((b) => [b.code, b.id]))
  return {
    platform,
    people: service<PersonService>('people'),
    referrals,
    triage: referrals,
    rules: referrals.rules,
    boroughs,
    accounts,
    directory: service<DirectoryService>('directory'),
  }
}

const SILENT = { info() {}, warn() {}, error() {}, debug() {} } as unknown as Platform['log']

export function staff(
  boroughIds: 'all' | string[],
  permissions: Permission[] = [
    'referrals.view',
    'referrals.triage',
    'referrals.assign',
    'people.view',
    'people.merge',
  ],
): StaffUser {
  return {
    id: newId(),
    name: 'Officer Test',
    email: 'officer@example.com',
    roles: [],
    permissions: new Set(permissions),
    boroughs: boroughIds,
  }
}

export const CTX = { userId: null, actor: 'test', ip: '127.0.0.1', requestId: null }

/** A valid referral body; override any part. */
export function referralBody(overrides: { resident?: Record<string, unknown>; [k: string]: unknown } = {}) {
  const { resident, ...rest } = overrides
  return {
    onBehalf: true,
    consent: true,
    referrer: {
      name: 'Pat Worker',
      organisation: 'Housing Trust',
      role: 'Support worker',
      email: 'pat@example.org',
      relationship: 'Key worker',
    },
    resident: {
      name: 'Ana Test',
      dateOfBirth: '1950-01-01',
      postcode: 'W8 4RT',
      contactMethods: ['phone'],
      phone: '07700 900001',
      safe: ['voicemail'],
      ...resident,
    },
    needs: [{ kind: 'device', deviceType: 'laptop' }],
    reporting: {},
    ...rest,
  }
}

/** Walks the journey as a person would; each answer is one page's form. */
export async function walk(client: TestClient, answers: [string, Record<string, string | string[]>][]) {
  let res = await client.get('/refer')
  assert.equal(res.statusCode, 200)
  res = await client.post('/refer/start', {})
  assert.equal(res.statusCode, 303)
  for (const [page, form] of answers) {
    res = await client.get(`/refer/${page}`)
    assert.equal(
      res.statusCode,
      200,
      `GET /refer/${page} gave ${res.statusCode} (${res.headers.location ?? ''})`,
    )
    res = await client.post(`/refer/${page}`, form)
    assert.equal(res.statusCode, 303, `POST /refer/${page} gave ${res.statusCode}: ${errorText(res.body)}`)
  }
  return res
}

function errorText(html: string): string {
  return [...html.matchAll(/<a href="#[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]).join('; ')
}

export const SELF: [string, Record<string, string | string[]>][] = [
  ['who', { who: 'self' }],
  ['name', { name: 'Zoë Ångström-O’Brien 🌻' }],
  ['dob', { choice: 'date' }],
  ['dob-date', { day: '7', month: '3', year: '1951' }],
  ['address', { hasAddress: 'yes' }],
  ['postcode', { postcode: 'w8 4rt' }],
  ['contact', { methods: ['phone', 'email'], phone: '07700 900123', email: 'zoe@example.com' }],
  ['safe', { safe: ['text'] }],
  ['language', { language: '', interpreter: 'no' }],
  ['access', { accessNeeds: '<script>alert(1)</script> large print' }],
  ['needs', { needs: ['device', 'skills'] }],
  ['need-device', { deviceType: 'tablet' }],
  ['need-skills', { ways: 'one-to-one', goals: ['nhs-app', 'video-calls'], goalOther: '' }],
  ['reporting', { over60: 'yes', disabled: 'prefer-not-to-say' }],
]
