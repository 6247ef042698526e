import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { SHIPPED_ROLES } from '#modules/accounts/roles.ts'
import { buildPlace, buildService } from '#modules/directory/testing.ts'
import { referralBody } from '#modules/referrals/testing.ts'
import type { Permission } from '#platform/access.ts'
import { newId } from '#platform/ids.ts'
import { TestClient } from '#tests/support/client.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { boroughId, createStaff, signedInClient } from '#tests/support/users.ts'

/**
 * Walks every staff route for every shipped role, as someone working in Kensington and Chelsea:
 * without the permission the answer is 403; with it, a record of their own borough is served and a
 * record of Westminster is "not found". A new route with a path parameter needs a line in `records`
 * below, so no route escapes the walk.
 */

/** For each route with path parameters: a path to a record inside and one outside the RBKC scope. */
type Records = Record<string, { inScope: string; outOfScope: string }>

async function makeRecords(hub: TestHub): Promise<Records> {
  const rbkcUser = await createStaff(hub, { roles: ['volunteer'], boroughs: ['rbkc'] })
  const wccUser = await createStaff(hub, { roles: ['volunteer'], boroughs: ['wcc'] })
  const message = async (code: string) =>
    hub.platform.outbox.enqueue(hub.database.db, {
      channel: 'email',
      template: 'password-changed',
      recipient: `someone.${code}@hub.test`,
      personalisation: { name: 'Someone', serviceName: 'Hub' },
      boroughId: await boroughId(hub, code),
    })
  const messages = { inScope: await message('rbkc'), outOfScope: await message('wcc') }
  const [rbkc, rbkcOther, wcc, wccOther] = await Promise.all([
    referral(hub, 'W8 4RT'),
    referral(hub, 'SW3 5EZ'),
    referral(hub, 'W1K 2PB'),
    referral(hub, 'SW1V 2PU'),
  ])
  const users = (id: string) => `/staff/users/${id}`
  const records: Records = {
    '/staff/users/:id': { inScope: users(rbkcUser.id), outOfScope: users(wccUser.id) },
    // A message is about a borough's people, and in scope like them.
    '/staff/outbox/:id': {
      inScope: `/staff/outbox/${messages.inScope}`,
      outOfScope: `/staff/outbox/${messages.outOfScope}`,
    },
    '/staff/outbox/:id/retry': {
      inScope: `/staff/outbox/${messages.inScope}/retry`,
      outOfScope: `/staff/outbox/${messages.outOfScope}/retry`,
    },
    '/staff/referrals/:id': {
      inScope: `/staff/referrals/${rbkc.id}`,
      outOfScope: `/staff/referrals/${wcc.id}`,
    },
    '/staff/referrals/:id/needs/:needId': {
      inScope: `/staff/referrals/${rbkc.id}/needs/${rbkc.needId}`,
      outOfScope: `/staff/referrals/${wcc.id}/needs/${wcc.needId}`,
    },
  }
  for (const action of ['access', 'disable', 'enable']) {
    records[`/staff/users/:id/${action}`] = {
      inScope: `${users(rbkcUser.id)}/${action}`,
      outOfScope: `${users(wccUser.id)}/${action}`,
    }
  }
  for (const action of ['contact', 'notes', 'assign', 'transfer']) {
    records[`/staff/referrals/:id/${action}`] = {
      inScope: `/staff/referrals/${rbkc.id}/${action}`,
      outOfScope: `/staff/referrals/${wcc.id}/${action}`,
    }
  }
  for (const decision of ['merge', 'distinct']) {
    records[`/staff/referrals/:id/people/:otherId/${decision}`] = {
      inScope: `/staff/referrals/${rbkc.id}/people/${rbkcOther.personId}/${decision}`,
      outOfScope: `/staff/referrals/${wcc.id}/people/${wccOther.personId}/${decision}`,
    }
  }
  Object.assign(records, await directoryRecords(hub))
  return records
}

/** A place and a service of each borough, with an exception and a reported problem for each. */
async function directoryRecords(hub: TestHub): Promise<Records> {
  const { db } = hub.database
  const made = {
    rbkc: { place: '', service: '', exception: '', problem: '' },
    wcc: { place: '', service: '', exception: '', problem: '' },
  }
  for (const code of ['rbkc', 'wcc'] as const) {
    const borough = await db
      .selectFrom('boroughs')
      .select('id')
      .where('code', '=', code)
      .executeTakeFirstOrThrow()
    const organisation = await db
      .selectFrom('organisations')
      .select('id')
      .where('borough_id', '=', borough.id)
      .executeTakeFirstOrThrow()
    const place = await buildPlace(db, {
      organisationId: organisation.id,
      boroughId: borough.id,
      name: `Walk place ${code}`,
      latitude: 51.5,
      longitude: -0.19,
    })
    const service = await buildService(db, {
      organisation_id: organisation.id,
      borough_id: borough.id,
      name: `Walk service ${code}`,
      placeIds: [place],
    })
    const exception = newId()
    await db
      .insertInto('opening_exceptions')
      .values({
        id: exception,
        location_id: place,
        date: '2026-12-25',
        is_closed: true,
        opens_at: null,
        closes_at: null,
        reason: 'Christmas Day',
      })
      .execute()
    const problem = newId()
    await db
      .insertInto('directory_problems')
      .values({
        id: problem,
        record_type: 'service',
        record_id: service,
        details: 'The phone number is wrong',
        created_at: new Date().toISOString(),
        resolved_at: null,
      })
      .execute()
    made[code] = { place, service, exception, problem }
  }
  const both = (path: (m: (typeof made)['rbkc']) => string) => ({
    inScope: path(made.rbkc),
    outOfScope: path(made.wcc),
  })
  return {
    '/staff/directory/services/:id': both((m) => `/staff/directory/services/${m.service}`),
    '/staff/directory/services/:id/places/:placeId': both(
      (m) => `/staff/directory/services/${m.service}/places/${m.place}`,
    ),
    '/staff/directory/places/:id': both((m) => `/staff/directory/places/${m.place}`),
    '/staff/directory/places/:id/exceptions': both((m) => `/staff/directory/places/${m.place}/exceptions`),
    '/staff/directory/places/:id/exceptions/:exceptionId/delete': both(
      (m) => `/staff/directory/places/${m.place}/exceptions/${m.exception}/delete`,
    ),
    '/staff/directory/problems/:id/resolve': both((m) => `/staff/directory/problems/${m.problem}/resolve`),
  }
}

/** A partner's referral for a resident at the postcode given, which decides its borough. */
async function referral(hub: TestHub, postcode: string) {
  const { reference } = await hub.referrals.submit(
    referralBody({ resident: { postcode, name: `Resident ${postcode}` } }),
    { source: 'partner-web', privacyNoticeVersion: 'test' },
    { userId: null, actor: 'public', ip: null, requestId: null },
  )
  const row = await hub.database.db
    .selectFrom('referrals')
    .innerJoin('referral_needs', 'referral_needs.referral_id', 'referrals.id')
    .select(['referrals.id', 'referrals.person_id', 'referral_needs.id as needId'])
    .where('referrals.reference', '=', reference)
    .executeTakeFirstOrThrow()
  return { id: row.id, personId: row.person_id, needId: row.needId }
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
      const res = await call(client, route.method, records[route.url]?.inScope ?? route.url)
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
        const inside = await call(client, route.method, ids?.inScope ?? route.url)
        if (!allowed) {
          assert.equal(inside.statusCode, 403, label)
          continue
        }
        assert.ok([200, 303, 400].includes(inside.statusCode), `${label} answered ${inside.statusCode}`)
        if (ids && ids.outOfScope !== ids.inScope) {
          await client.get('/staff')
          const outside = await call(client, route.method, ids.outOfScope)
          assert.equal(outside.statusCode, 404, `${label} outside the borough`)
        }
      }
    })
  }

  test('an administrator of both boroughs reaches the Westminster record', async () => {
    const { client } = await signedInClient(hub, { roles: ['administrator'], boroughs: ['rbkc', 'wcc'] })
    const res = await client.get(records['/staff/users/:id']?.outOfScope ?? '')
    assert.equal(res.statusCode, 200)
  })
})
