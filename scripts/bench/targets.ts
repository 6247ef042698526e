/**
 * What `npm run bench` loads, in order. Add a target here; give it a goal to have it checked.
 * The Hub's database is filled first with BENCH_REFERRALS referrals and BENCH_SERVICES services
 * (scripts/generate-data.ts), so the queue and the directory are measured at their stated sizes.
 */
import type { Target } from './load.ts'
import { sendOnly, wholeJourneys } from './referral-load.ts'

const signedIn: Target['setup'] = async (ctx) => ({ headers: { cookie: ctx.staffCookie } })

export function benchTargets(sizes: { referrals: number; services: number; sendJourneys: number }): Target[] {
  const referrals = sizes.referrals.toLocaleString('en-GB')
  const services = sizes.services.toLocaleString('en-GB')
  const form = 'referral submitted through the form (with CSRF)'
  return [
    { name: 'home page', server: 'hub', path: '/' },
    { name: 'sign-in page', server: 'hub', path: '/staff/sign-in' },
    {
      name: 'staff page, signed in',
      server: 'hub',
      path: '/staff/users',
      goal: { minRequestsPerSecond: 1000, maxP95Ms: 50 },
      setup: signedIn,
    },
    {
      name: `triage queue, ${referrals} referrals`,
      server: 'hub',
      path: '/staff/referrals',
      goal: { maxP95Ms: 100 },
      setup: signedIn,
    },
    {
      name: `/api/openreferral/services, ${services} services`,
      server: 'hub',
      path: '/api/openreferral/services',
      goal: { maxP95Ms: 50 },
    },
    {
      // A resident near Ladbroke Grove looking for help learning: nearest first.
      name: `/find-help with a search, ${services} services`,
      server: 'hub',
      path: '/find-help?need=skills&postcode=W10+5PF',
      goal: { maxP95Ms: 50 },
    },
    {
      name: `${form}: whole journey`,
      server: 'hub',
      path: '/refer',
      goal: { minSubmissionsPerSecond: 500 },
      run: wholeJourneys(`${form}: whole journey`),
    },
    {
      name: `${form}: send POST only`,
      server: 'hub',
      path: '/refer/check',
      goal: { minSubmissionsPerSecond: 500 },
      run: sendOnly(`${form}: send POST only`, sizes.sendJourneys),
    },
    { name: 'bare Fastify (ceiling)', server: 'bare', path: '/' },
  ]
}
