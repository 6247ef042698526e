/**
 * The device stock's targets of the benchmark, signed in as a device coordinator of one borough (made with
 * the `hub` command line and signed in through the form, as a person would be). The stock list is asked
 * with a different type, state and library each time, as the page's filters send them. Allocation: the
 * coordinator first finds ready devices through the stock list and opens the allocation form (its CSRF
 * token), then all the allocation POSTs are made as fast as the Hub takes them: the rate of the POST alone.
 * Each allocation is written (and fsynced) before its 303, so the rate is of durable allocations.
 */
import { createAdministrator, signIn } from './admin.ts'
import { JourneyError } from './journey.ts'
import type { BenchContext, LoadOptions, Target } from './load.ts'
import { failed, measure, withClient } from './referral-load.ts'

/** The start of every devices target's name (BENCH_ONLY=device runs them). */
export const DEVICES = 'devices:'
const KINDS = ['laptop', 'chromebook', 'tablet', 'phone', 'hotspot', 'sim']
const STATES = [
  'ready',
  'on-loan',
  'gifted',
  'retired',
  'received',
  'wiping',
  'returned',
  'lost',
  'allocated',
]
/** At most this many allocations are prepared: more than the target's rate for the run's seconds. */
const MAX_ALLOCATIONS = 2_000

/** A device coordinator of Westminster, signed in: the Cookie header. */
export async function deviceCoordinator(
  root: string,
  env: Record<string, string>,
  baseUrl: string,
  password: string,
): Promise<string> {
  const account = {
    name: 'Bench Device Coordinator',
    email: 'bench.devices@hub.test',
    password,
    roles: ['device-coordinator'],
    staffOf: 'wcc',
  }
  await createAdministrator(root, env, account)
  return signIn(baseUrl, account)
}

function cookieOf(ctx: BenchContext): string {
  if (!ctx.deviceCookie) throw new Error('no device coordinator signed in')
  return ctx.deviceCookie
}

/** GET /staff/devices with its filters: every type and state at each library, and every type and state. */
export function stockList(name: string): Target {
  const paths: string[] = []
  let i = 0
  return {
    name,
    server: 'hub',
    path: '/staff/devices',
    goal: { maxP95Ms: 50 },
    async setup(ctx) {
      const cookie = cookieOf(ctx)
      const page = await fetch(`${ctx.servers.hub?.baseUrl}/staff/devices`, { headers: { cookie } })
      const html = await page.text()
      const libraries = [...new Set([...html.matchAll(/<option value="([0-9a-f-]{36})"/g)].map((m) => m[1]))]
      if (!libraries.length) throw new Error(`${name}: no libraries in the stock page's filter`)
      // Set up again for the soak: the same paths, not twice over.
      paths.length = 0
      for (const kind of KINDS)
        for (const status of STATES) {
          paths.push(`/staff/devices?kind=${kind}&status=${status}`)
          for (const library of libraries)
            paths.push(`/staff/devices?kind=${kind}&status=${status}&library=${library}`)
        }
      // A fixed shuffle (a linear congruential generator), so that runs are comparable.
      let seed = 7
      for (let k = paths.length - 1; k > 0; k--) {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
        const j = seed % (k + 1)
        ;[paths[k], paths[j]] = [paths[j] as string, paths[k] as string]
      }
      return { headers: { cookie }, path: paths[0] }
    },
    nextPath: () => paths[i++ % paths.length] as string,
  }
}

/** Allocating a ready device at the desk through the real form, as a loan due back in four weeks. */
export function allocateOnly(name: string) {
  return (ctx: BenchContext, opts: LoadOptions) =>
    withClient(ctx, opts.connections, async (client) => {
      const coordinator = client.resident()
      coordinator.takeCookies(cookieOf(ctx).split('; '))
      const ready: string[] = []
      await measure(
        name,
        '',
        '',
        ctx,
        async () => {
          for (let page = 1; ready.length < MAX_ALLOCATIONS; page++) {
            const list = await coordinator.get(`/staff/devices?status=ready&page=${page}`)
            const ids = [...list.body.matchAll(/href="\/staff\/devices\/([0-9a-f-]{36})"/g)].map((m) => m[1])
            if (!ids.length) break
            ready.push(...(ids as string[]))
          }
        },
        client,
      )
      if (!ready.length) throw new Error(`${name}: no ready devices in the coordinator's borough`)
      // The form's token belongs to the coordinator's session: one form opened gives it.
      await coordinator.get(`/staff/devices/${ready[0]}/allocate`)
      console.log(`  ${ready.length} ready devices found through the stock list`)
      const due = new Date(Date.now() + 28 * 86_400_000)
      const dueOn = {
        'dueOn-day': String(due.getUTCDate()),
        'dueOn-month': String(due.getUTCMonth() + 1),
        'dueOn-year': String(due.getUTCFullYear()),
      }
      let n = 0
      return measure(
        name,
        'POST /staff/devices/:id/allocate',
        'allocation POST of ready devices',
        ctx,
        (s) =>
          Promise.all(
            Array.from({ length: opts.connections }, async () => {
              for (let id = ready.pop(); id; id = ready.pop()) {
                try {
                  const sent = await coordinator.post(`/staff/devices/${id}/allocate`, {
                    kind: 'loan',
                    ...dueOn,
                    via: 'desk',
                    personName: `Bench Resident ${n++}`,
                  })
                  if (sent.location !== `/staff/devices/${id}`)
                    throw new JourneyError(`allocation went to ${sent.location}`)
                  s.sends.push(sent.ms)
                } catch (error) {
                  failed(s, error)
                }
              }
            }),
          ).then(() => {}),
        client,
      )
    })
}
