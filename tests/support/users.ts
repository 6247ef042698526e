import { TestClient } from './client.ts'
import type { TestHub } from './hub.ts'

export const TEST_PASSWORD = 'correct-Horse-battery-7'

let counter = 0

/** Creates an account with a password through the same service the command line uses. */
export async function createStaff(
  hub: TestHub,
  opts: {
    roles: string[]
    boroughs: 'all' | string[]
    name?: string
    email?: string
    /** For a partner referrer: the partner organisation they refer for. */
    organisationId?: string
  },
) {
  counter++
  const email = opts.email ?? `staff${counter}.${Date.now()}@hub.test`
  const boroughs = await hub.accounts.listBoroughs()
  const codes = opts.boroughs === 'all' ? [] : opts.boroughs
  const { id } = await hub.accounts.createUser(
    {
      name: opts.name ?? `Test Person ${counter}`,
      email,
      password: TEST_PASSWORD,
      roles: opts.roles,
      allBoroughs: opts.boroughs === 'all',
      boroughIds: boroughs.filter((b) => codes.includes(b.code)).map((b) => b.id),
      organisationId: opts.organisationId,
    },
    { userId: null, actor: 'cli', ip: null, requestId: null },
  )
  return { id, email }
}

/** A client signed in through the real sign-in form. */
export async function signedInClient(hub: TestHub, opts: Parameters<typeof createStaff>[1], ip?: string) {
  const user = await createStaff(hub, opts)
  const client = new TestClient(hub.app, ip)
  await client.get('/staff/sign-in')
  const res = await client.post('/staff/sign-in', { email: user.email, password: TEST_PASSWORD })
  if (res.statusCode !== 303) throw new Error(`Sign-in failed with ${res.statusCode}`)
  return { client, user }
}

export async function boroughId(hub: TestHub, code: string): Promise<string> {
  const b = (await hub.accounts.listBoroughs()).find((x) => x.code === code)
  if (!b) throw new Error(`No borough ${code}`)
  return b.id
}
