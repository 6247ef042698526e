import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { SHIPPED_ROLES } from '#modules/accounts/roles.ts'
import type { Permission } from '#platform/access.ts'
import { TestClient } from '#tests/support/client.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { createStaff, signedInClient } from '#tests/support/users.ts'

/**
 * Walks every staff route for every shipped role, as someone working in Kensington and Chelsea:
 * without the permission the answer is 403; with it, a record of their own borough is served and a
 * record of Westminster is "not found". A new route with a path parameter needs a line in `records`
 * below, so no route escapes the walk.
 */

type Records = Record<string, { inScope: string; outOfScope: string }>

/** For each path parameter route: how to make a record inside and outside the RBKC scope. */
async function makeRecords(hub: TestHub): Promise<Records> {
  const rbkcUser = await createStaff(hub, { roles: ['volunteer'], boroughs: ['rbkc'] })
  const wccUser = await createStaff(hub, { roles: ['volunteer'], boroughs: ['wcc'] })
  const users = { inScope: rbkcUser.id, outOfScope: wccUser.id }
  const parked = await hub.platform.outbox.enqueue(hub.database.db, {
    channel: 'email',
    template: 'password-changed',
    recipient: 'someone@hub.test',
    personalisation: { name: 'Someone', serviceName: 'Hub' },
  })
  return {
    '/staff/users/:id': users,
    '/staff/users/:id/access': users,
    '/staff/users/:id/disable': users,
    '/staff/users/:id/enable': users,
    // Messages are not a borough's records: only the permission matters.
    '/staff/outbox/:id/retry': { inScope: parked, outOfScope: parked },
  }
}

function withId(url: string, id: string): string {
  return url.replace(/:[a-z]+/i, id)
}

async function call(client: TestClient, method: string, url: string) {
  if (method === 'GET') return client.get(url)
  return client.post(url, {})
}

describe('access to every staff route, for every role', () => {
  let hub: TestHub
  let records: Records
  let staffRoutes: TestHub['routeTable']

  before(async () => {
    hub = await testHub('sqlite')
    records = await makeRecords(hub)
    staffRoutes = hub.routeTable
      .filter((r) => r.url.startsWith('/staff') && r.access !== 'public')
      // Signing out ends the walk's session, so it goes last.
      .sort((a, b) => Number(a.url === '/staff/sign-out') - Number(b.url === '/staff/sign-out'))
  })
  after(() => hub.close())

  test('every route with a path parameter has records to walk with', () => {
    const missing = staffRoutes.filter((r) => r.url.includes(':') && !records[r.url]).map((r) => r.url)
    assert.deepEqual(missing, [])
  })

  test('without signing in, every staff route sends the person to sign in', async () => {
    const client = new TestClient(hub.app)
    await client.get('/staff/sign-in')
    for (const route of staffRoutes) {
      const res = await call(client, route.method, withId(route.url, records[route.url]?.inScope ?? ''))
      assert.equal(res.statusCode, 303, `${route.method} ${route.url}`)
      assert.equal(res.headers.location, '/staff/sign-in', `${route.method} ${route.url}`)
    }
  })

  for (const role of SHIPPED_ROLES) {
    test(`${role.name} working in Kensington and Chelsea`, async () => {
      const { client } = await signedInClient(hub, { roles: [role.code], boroughs: ['rbkc'] })
      const granted = new Set<string>(role.permissions)
      for (const route of staffRoutes) {
        const label = `${role.code}: ${route.method} ${route.url}`
        const allowed = route.access === 'signed-in' || granted.has(route.access as Permission)
        const ids = records[route.url]
        await client.get('/staff') // a fresh CSRF token for each form post
        const inside = await call(client, route.method, withId(route.url, ids?.inScope ?? ''))
        if (!allowed) {
          assert.equal(inside.statusCode, 403, label)
          continue
        }
        assert.ok([200, 303, 400].includes(inside.statusCode), `${label} answered ${inside.statusCode}`)
        if (ids && ids.outOfScope !== ids.inScope) {
          await client.get('/staff')
          const outside = await call(client, route.method, withId(route.url, ids.outOfScope))
          assert.equal(outside.statusCode, 404, `${label} outside the borough`)
        }
      }
    })
  }

  test('an administrator of both boroughs reaches the Westminster record', async () => {
    const { client } = await signedInClient(hub, { roles: ['administrator'], boroughs: ['rbkc', 'wcc'] })
    const res = await client.get(withId('/staff/users/:id', records['/staff/users/:id']?.outOfScope ?? ''))
    assert.equal(res.statusCode, 200)
  })
})
