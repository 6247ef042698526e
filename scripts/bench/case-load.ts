/**
 * The benchmark's targets for looking one referral up among many: the case page, staff search by
 * reference and by name, a resident's /track lookup, and the audit search. Each request asks about a
 * different referral (or audit user), taken from the generated data once it is made (`benchSample`), so
 * that a cache of one page cannot pass for a fast lookup. Staff are the signed-in administrator (a triage
 * officer of every borough, allowed the audit); residents at /track are each a new address
 * (X-Forwarded-For, with TRUST_PROXY) asking about a reference of their own, within its limits.
 */

import { TRACK_THROTTLE } from '../../src/modules/referrals/track.routes.ts'
import type { Db } from '../../src/platform/database.ts'
import type { BenchContext, Target } from './load.ts'

/** Referrals and audit ids to ask about: more than a run makes requests of the slower targets. */
export interface BenchSample {
  referrals: { id: string; reference: string; postcode: string; name: string }[]
  auditUsers: string[]
  auditRecords: string[]
}

const REFERRALS = 20_000

/** Referrals in reference order (random, so spread over the year and the boroughs), with a postcode. */
export async function benchSample(db: Db): Promise<BenchSample> {
  const referrals = await db
    .selectFrom('referrals')
    .select(['id', 'reference', 'postcode', 'resident_name as name'])
    .where('postcode', 'is not', null)
    .orderBy('reference')
    .limit(REFERRALS)
    .execute()
  const audit = await db
    .selectFrom('audit_events')
    .select(['actor_user_id', 'record_id'])
    .orderBy('seq', 'desc')
    .limit(2_000)
    .execute()
  const ids = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => v !== null))]
  return {
    referrals: referrals.map((r) => ({ ...r, postcode: r.postcode as string })),
    auditUsers: ids(audit.map((a) => a.actor_user_id)),
    auditRecords: ids(audit.map((a) => a.record_id)),
  }
}

function sampleOf(ctx: BenchContext): BenchSample {
  if (!ctx.sample?.referrals.length) throw new Error('no generated referrals to look up')
  return ctx.sample
}

/** One item after another, round and round. */
function cycle<T>(items: () => readonly T[]): () => T {
  let i = 0
  return () => {
    const all = items()
    return all[i++ % all.length] as T
  }
}

/** The CSRF token of a page, and the cookies it came with added to `cookie`. */
async function formOf(
  ctx: BenchContext,
  path: string,
  cookie = '',
): Promise<{ token: string; cookie: string }> {
  const page = await fetch(`${ctx.servers.hub?.baseUrl}${path}`, { headers: { cookie } })
  const token = (await page.text()).match(/name="_csrf" value="([^"]+)"/)?.[1]
  if (!token) throw new Error(`${path} answered ${page.status} without a form`)
  const jar = new Map<string, string>()
  const take = (pair: string) => {
    const at = pair.indexOf('=')
    if (at > 0) jar.set(pair.slice(0, at), pair.slice(at + 1))
  }
  for (const pair of cookie ? cookie.split('; ') : []) take(pair)
  for (const line of page.headers.getSetCookie()) take(line.split(';')[0] ?? '')
  return { token, cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') }
}

const FORM = 'application/x-www-form-urlencoded'
const GOAL = { maxP95Ms: 100 }

export function lookupTargets(referrals: string, auditRows: string): Target[] {
  let sample: BenchSample | undefined
  const referral = cycle(() => sample?.referrals ?? [])
  const remember = (ctx: BenchContext) => {
    sample = sampleOf(ctx)
    return sample
  }

  /** The staff search form, answered on its POST: `q` from each referral in turn. */
  const search = (name: string, q: (r: BenchSample['referrals'][number]) => string): Target => {
    let form = { token: '', cookie: '' }
    const body = () => new URLSearchParams({ _csrf: form.token, q: q(referral()) }).toString()
    return {
      name,
      server: 'hub',
      method: 'POST',
      path: '/staff/referrals/search',
      goal: GOAL,
      async setup(ctx) {
        remember(ctx)
        form = await formOf(ctx, '/staff/referrals', ctx.staffCookie)
        return { headers: { cookie: form.cookie, 'content-type': FORM }, body: body() }
      },
      nextRequest: () => ({ body: body() }),
    }
  }

  // A resident of their own for every lookup, about a reference nobody else asked about more often than
  // the per-reference limit allows in an hour (past it, a lookup is slowed down on purpose).
  let form = { token: '', cookie: '' }
  let residents = 0
  const track = () => {
    const r = referral()
    const n = ++residents
    return {
      headers: { 'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` },
      body: new URLSearchParams({
        _csrf: form.token,
        reference: r.reference,
        postcode: r.postcode,
      }).toString(),
    }
  }

  const auditPaths = cycle(() => {
    const s = sample as BenchSample
    const users = s.auditUsers.map((u) => `/staff/audit?user=${u}`)
    const records = s.auditRecords.slice(0, 200).map((r) => `/staff/audit?record=${r}`)
    return ['/staff/audit', '/staff/audit?page=2', ...users, ...records]
  })

  return [
    {
      name: `case page, a different referral each time, ${referrals} referrals`,
      server: 'hub',
      path: '/staff/referrals',
      goal: GOAL,
      async setup(ctx) {
        remember(ctx)
        return { headers: { cookie: ctx.staffCookie }, path: `/staff/referrals/${referral().id}` }
      },
      nextPath: () => `/staff/referrals/${referral().id}`,
    },
    search(`staff search by reference, ${referrals} referrals`, (r) => r.reference),
    search(`staff search by name, ${referrals} referrals`, (r) => r.name),
    {
      name: `/track with reference and postcode, ${referrals} referrals`,
      server: 'hub',
      method: 'POST',
      path: '/track',
      goal: GOAL,
      async setup(ctx) {
        const { referrals: all } = remember(ctx)
        if (all.length * TRACK_THROTTLE.perReferencePerHour < 100_000)
          console.log(`  only ${all.length} referrals to track: later lookups may be slowed down`)
        form = await formOf(ctx, '/track')
        const first = track()
        return { headers: { cookie: form.cookie, 'content-type': FORM, ...first.headers }, body: first.body }
      },
      nextRequest: track,
    },
    {
      name: `audit search by user, record and page, ${auditRows} audit rows`,
      server: 'hub',
      path: '/staff/audit',
      goal: GOAL,
      async setup(ctx) {
        remember(ctx)
        return { headers: { cookie: ctx.staffCookie }, path: auditPaths() }
      },
      nextPath: auditPaths,
    },
  ]
}
