import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import type { StaffUser } from '#platform/access.ts'
import { DEFAULT_LOCALE, type Locale, loadLocales, translator } from '#platform/i18n.ts'
import { APP_ROOT } from '#tests/support/hub.ts'
import { referralsDashboard } from './dashboard.ts'
import type { TriageService } from './triage.service.ts'

const english = loadLocales([
  path.join(APP_ROOT, 'src/platform/locales'),
  path.join(APP_ROOT, 'src/modules/referrals/locales'),
]).get(DEFAULT_LOCALE) as Locale
const t = translator(english, english)

const officer = {
  id: 'officer',
  name: 'An officer',
  email: 'officer@hub.test',
  roles: ['triage-officer'],
  permissions: new Set(['referrals.view']),
  boroughs: 'all',
  organisationId: null,
} as unknown as StaffUser

test('the staff home says "more than" of a count that stopped at its limit', async () => {
  const triage = {
    waiting: async () => ({
      fresh: { total: 1000, more: true },
      stale: { total: 12, more: false },
      mine: { total: 1, more: false },
    }),
  } as unknown as TriageService
  const lines = (await referralsDashboard(officer, triage))
    .filter((item) => item.section === 'waiting')
    .map((item) => t(item.text, { count: item.count as number }))
  assert.deepEqual(lines, [
    'More than 1,000 new requests to triage',
    '12 requests not updated recently',
    '1 open case given to you',
  ])
})
