import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { MODULES } from '#modules/index.ts'
import { composeHub } from '#platform/compose.ts'
import { TestClient } from '#tests/support/client.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { signedInClient } from '#tests/support/users.ts'
import { type PolicyRow, policyRows, type Who } from './access-policy.ts'
import { BOROUGHS, type Borough, type BoroughRecords, makeRecords, type Paths } from './access-records.ts'

/**
 * The access walk. The expected answers come from the committed policy table (access-policy.ts), never
 * from the routes themselves, so a route declared with the wrong permission fails here. On each database,
 * every shipped role working in each borough calls every staff route: without the permission the answer
 * is the "cannot see this page" refusal; with it the route serves its own borough's record, and the other
 * borough's is "not found". Then the list pages, the partner API and the CSRF refusal.
 */

/** Placeholders for the path parameters of public routes that need no real record. */
const PLACEHOLDERS: Record<string, string> = {
  '/staff/setup/:token': '/staff/setup/not-a-real-link',
  '/staff/invite/:token': '/staff/invite/not-a-real-link',
  '/refer/:page': '/refer/name',
  '/api/openreferral/*': '/api/openreferral/services',
  '/api/openreferral/service_at_locations/:id': '/api/openreferral/service_at_locations/no-such-one',
  '/api/openreferral/taxonomies/:id': '/api/openreferral/taxonomies/no-such-taxonomy',
  '/api/openreferral/taxonomy_terms/:id': '/api/openreferral/taxonomy_terms/no-such-term',
}

const other = (b: Borough): Borough => (b === 'rbkc' ? 'wcc' : 'rbkc')
const isStaff = (who: Who) => who !== 'public' && who !== 'api-key'
/** What the route itself declares for a row: the platform knows API keys only as `public` routes. */
const declaredAs = (who: Who) => (who === 'api-key' ? 'public' : who)

/** The page a permission refusal shows, and the one a missing or wrong CSRF token shows. */
const FORBIDDEN = /You cannot see this page/
const FORM_EXPIRED = /This form has expired/

function assertPermissionRefusal(res: LightMyRequestResponse, label: string) {
  assert.equal(res.statusCode, 403, `${label} answered ${res.statusCode}, not 403`)
  assert.match(res.body, FORBIDDEN, `${label}: the permission's refusal`)
  assert.doesNotMatch(res.body, FORM_EXPIRED, `${label}: not a CSRF refusal`)
}

/** GETs as they are; every POST carries the CSRF token of the last form the client was shown. */
async function call(client: TestClient, method: string, url: string) {
  if (method === 'GET') return client.get(url)
  assert.ok(client.csrfToken, `a CSRF token for POST ${url}`)
  return client.post(url, {})
}

function pathFor(row: PolicyRow, paths: Paths, borough: Borough): string {
  return paths[row.url]?.[borough] ?? PLACEHOLDERS[row.url] ?? row.url
}

for (const kind of DIALECTS) {
  describe(`the access policy, walked on ${kind}`, () => {
    const rows = policyRows()
    const staffRows = rows
      .filter((r) => isStaff(r.who))
      // Signing out ends the walk's session, so it goes last.
      .sort((a, b) => Number(a.url === '/staff/sign-out') - Number(b.url === '/staff/sign-out'))
    let hub: TestHub
    let made: Record<Borough, BoroughRecords>
    let paths: Paths

    before(async () => {
      hub = await testHub(kind)
      ;({ made, paths } = await makeRecords(hub))
    })
    after(() => hub.close())

    test('the table lists every route, and only routes, with the access each declares', () => {
      const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`
      const declared = new Map(hub.routeTable.map((r) => [key(r), r.access as string]))
      const table = new Map(rows.map((r) => [key(r), declaredAs(r.who) as string]))
      const found = {
        lacking: [...declared.keys()].filter((k) => !table.has(k)),
        namingNoRoute: [...table.keys()].filter((k) => !declared.has(k)),
        differing: [...declared]
          .filter(([k, access]) => table.has(k) && table.get(k) !== access)
          .map(([k, access]) => `${k} declares ${access}; the policy says ${table.get(k)}`),
      }
      const message =
        'routes lacking a row in access-policy.ts, rows naming no route, routes declaring other access'
      assert.deepEqual(found, { lacking: [], namingNoRoute: [], differing: [] }, message)
    })

    test('every route with path parameters has a path to walk with', () => {
      const walkable = (r: PolicyRow) => paths[r.url] || (!isStaff(r.who) && PLACEHOLDERS[r.url])
      const missing = rows.filter((r) => /[:*]/.test(r.url) && !walkable(r)).map((r) => r.url)
      assert.deepEqual(missing, [], 'staff routes: a record of each borough in access-records.ts')
    })

    test('not signed in: staff routes send to sign-in, API routes want a key, public routes answer', async () => {
      const client = new TestClient(hub.app)
      await client.get('/staff/sign-in')
      for (const row of rows) {
        const label = `${row.method} ${row.url}`
        const res = await call(client, row.method, pathFor(row, paths, 'rbkc'))
        if (isStaff(row.who)) {
          assert.equal(res.statusCode, 303, label)
          assert.equal(res.headers.location, '/staff/sign-in', label)
        } else if (row.who === 'api-key') {
          assert.equal(res.statusCode, 401, label)
        } else {
          assert.ok(
            res.statusCode < 500 && ![401, 403].includes(res.statusCode),
            `${label}: ${res.statusCode}`,
          )
          assert.notEqual(res.headers.location, '/staff/sign-in', label)
        }
      }
    })

    for (const borough of BOROUGHS) {
      test(`list pages, as someone working in ${borough}, show none of the other borough's records`, async () => {
        const mine = made[borough]
        const theirs = made[other(borough)]
        const roles = [
          'administrator',
          'triage-officer',
          'directory-editor',
          'device-coordinator',
          'home-library-coordinator',
          'volunteer-coordinator',
        ]
        const { client } = await signedInClient(hub, { roles, boroughs: [borough] })
        const lists: [string, string[], string[]][] = [
          [
            '/staff/referrals',
            [mine.referral.reference, mine.referral.residentName],
            [theirs.referral.reference, theirs.referral.residentName, theirs.other.residentName],
          ],
          ['/staff/users', [mine.user.name], [theirs.user.name]],
          [
            '/staff/directory',
            [mine.service.name, mine.place.name],
            [theirs.service.name, theirs.place.name],
          ],
          ['/staff/directory/problems', [mine.service.name], [theirs.service.name]],
          ['/staff/sessions', [mine.session.name], [theirs.session.name]],
          [
            '/staff/home-library',
            [mine.homeLibrary.memberName, mine.homeLibrary.requestName],
            [theirs.homeLibrary.memberName, theirs.homeLibrary.requestName],
          ],
          ['/staff/home-library/rounds', [mine.homeLibrary.roundName], [theirs.homeLibrary.roundName]],
          ['/staff/home-library/deposits', [mine.homeLibrary.depositName], [theirs.homeLibrary.depositName]],
          ['/staff/home-library/visits', [mine.homeLibrary.memberName], [theirs.homeLibrary.memberName]],
          ['/staff/devices', [mine.device.tag], [theirs.device.tag]],
          ['/staff/volunteers', [mine.volunteer.name], [theirs.volunteer.name]],
          ['/staff/volunteers/rota', [mine.volunteer.shiftName], [theirs.volunteer.shiftName]],
          ['/staff/outbox', [`/staff/outbox/${mine.message}`], [`/staff/outbox/${theirs.message}`]],
        ]
        for (const [url, present, absent] of lists) {
          const page = await client.get(url)
          assert.equal(page.statusCode, 200, url)
          for (const words of present) assert.ok(page.body.includes(words), `${url} shows ${words}`)
          for (const words of absent) assert.ok(!page.body.includes(words), `${url} hides ${words}`)
        }
        // Searching by the other borough's resident's name finds nothing; by one's own, the resident.
        // (The search box shows the words searched for, so the check is by reference.)
        for (const [{ residentName, reference }, found] of [
          [mine.referral, true],
          [theirs.referral, false],
        ] as const) {
          const res = await client.post('/staff/referrals/search', { q: residentName })
          assert.equal(res.statusCode, 200, `search for ${residentName}`)
          assert.equal(res.body.includes(reference), found, `search for ${residentName}`)
        }
      })

      test(`a partner referrer of ${borough} sees their own organisation's referrals only`, async () => {
        const mine = made[borough].partner
        const theirs = made[other(borough)].partner
        const { client } = await signedInClient(hub, {
          roles: ['partner-referrer'],
          boroughs: [borough],
          organisationId: mine.id,
        })
        const page = await client.get('/staff/my-referrals')
        assert.equal(page.statusCode, 200)
        assert.ok(page.body.includes(mine.reference), 'their own')
        assert.ok(!page.body.includes(theirs.reference), "not the other organisation's")
      })
    }

    test("the partner API: a key reads its own organisation's referrals only; no key is 401", async () => {
      const CTX = { userId: null, actor: 'cli', ip: null, requestId: null }
      const keys = {
        rbkc: await hub.accounts.createApiKey(made.rbkc.partner.id, CTX),
        wcc: await hub.accounts.createApiKey(made.wcc.partner.id, CTX),
      }
      const read = (reference: string, key?: string) =>
        hub.app.inject({
          method: 'GET',
          url: `/api/v1/referrals/${reference}`,
          headers: key ? { authorization: `Bearer ${key}` } : {},
        })
      for (const borough of BOROUGHS) {
        const reference = made[borough].partner.reference
        const own = await read(reference, keys[borough])
        assert.equal(own.statusCode, 200, own.body)
        assert.equal((own.json() as { reference: string }).reference, reference)
        const another = await read(reference, keys[other(borough)])
        assert.equal(another.statusCode, 404, "another organisation's referral is not found")
        assert.doesNotMatch(another.body, new RegExp(reference))
        assert.equal((await read(reference)).statusCode, 401, 'no key')
        assert.equal((await read(reference, 'hub_not_a_key')).statusCode, 401, 'an unknown key')
      }
      const unsigned = await hub.app.inject({ method: 'POST', url: '/api/v1/referrals', payload: {} })
      assert.equal(unsigned.statusCode, 401)
    })

    test('a form posted without its CSRF token is refused as a stale form, not as a permission', async () => {
      const { client } = await signedInClient(hub, { roles: ['administrator'], boroughs: ['rbkc'] })
      await client.get('/staff')
      const retry = paths['/staff/outbox/:id/retry']?.rbkc as string
      for (const csrf of [false, 'not-the-token'] as const) {
        const refused = await client.post(retry, {}, { csrf })
        assert.equal(refused.statusCode, 403)
        assert.match(refused.body, FORM_EXPIRED)
        assert.doesNotMatch(refused.body, FORBIDDEN)
      }
      assert.equal((await client.post(retry, {})).statusCode, 303, 'with the token it is served')
      // Someone without the permission, token or not, meets the permission's refusal first.
      const volunteer = await signedInClient(hub, { roles: ['volunteer'], boroughs: ['rbkc'] })
      await volunteer.client.get('/staff')
      assertPermissionRefusal(await volunteer.client.post(retry, {}), 'a volunteer with the token')
      assertPermissionRefusal(await volunteer.client.post(retry, {}, { csrf: false }), 'without it')
    })

    for (const borough of BOROUGHS) {
      for (const role of composeHub(MODULES).roles) {
        test(`${role.name} working in ${borough}`, async () => {
          const { client } = await signedInClient(hub, { roles: [role.code], boroughs: [borough] })
          await client.get('/staff') // a page with a form: the CSRF token for every post below
          const granted = new Set<Who>(role.permissions as Who[])
          for (const row of staffRows) {
            const label = `${role.code} in ${borough}: ${row.method} ${row.url}`
            const own = pathFor(row, paths, borough)
            const res = await call(client, row.method, own)
            if (row.who !== 'signed-in' && !granted.has(row.who)) {
              assertPermissionRefusal(res, label)
              continue
            }
            assert.ok([200, 303, 400].includes(res.statusCode), `${label} answered ${res.statusCode}`)
            assert.notEqual(res.headers.location, '/staff/sign-in', `${label} kept the session`)
            const elsewhere = pathFor(row, paths, other(borough))
            if (elsewhere === own) continue
            const outside = await call(client, row.method, elsewhere)
            assert.equal(outside.statusCode, 404, `${label}: the other borough's record is not found`)
          }
        })
      }
    }

    test('an administrator of both boroughs reaches both boroughs’ records', async () => {
      const { client } = await signedInClient(hub, { roles: ['administrator'], boroughs: ['rbkc', 'wcc'] })
      for (const borough of BOROUGHS) {
        const res = await client.get(paths['/staff/users/:id']?.[borough] ?? '')
        assert.equal(res.statusCode, 200)
        assert.ok(res.body.includes(made[borough].user.name))
      }
    })
  })
}
