import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { MODULES } from '#modules/index.ts'
import { composeHub } from '#platform/compose.ts'
import type { TestClient } from '#tests/support/client.ts'
import { DIALECTS } from '#tests/support/databases.ts'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { signedInClient } from '#tests/support/users.ts'

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const FORM_EXPIRED = /This form has expired/

/**
 * The routes that take a body without a CSRF token, each for its reason. Reviewed like code: a route
 * added here is a form that a page on another site may post.
 */
const WITHOUT_TOKEN = new Map([
  ['POST /api/v1/referrals', 'the partner API: a Bearer key, no cookie'],
  ['POST /api/partnership/mail-events', "a mail provider's reports, signed with a shared secret"],
  [
    'POST /unsubscribe/:token/one-click',
    'RFC 8058 one-click unsubscribe: mail clients post it, with no cookie',
  ],
])

/** A path that reaches the route: CSRF is checked before the handler looks at any record. */
const pathOf = (url: string) => url.replace(/:[A-Za-z]+/g, 'no-such-record').replace('*', 'x')

for (const kind of DIALECTS) {
  describe(`every form route is CSRF-protected, on ${kind}`, () => {
    let hub: TestHub
    let client: TestClient

    before(async () => {
      hub = await testHub(kind)
      // Someone who may call every route, so a refusal can only be the token's.
      const roles = composeHub(MODULES).roles.map((r) => r.code)
      ;({ client } = await signedInClient(hub, { roles, boroughs: 'all' }))
    })
    after(() => hub.close())

    test('a post without its token, or with a wrong one, to any route that takes a body is refused', async () => {
      const unsafe = hub.routeTable.filter((r) => UNSAFE.has(r.method))
      assert.ok(unsafe.length > 50, `${unsafe.length} routes take a body`)
      const unprotected: string[] = []
      for (const route of unsafe) {
        const key = `${route.method} ${route.url}`
        if (WITHOUT_TOKEN.has(key)) continue
        for (const csrf of [false, 'not-the-token'] as const) {
          const res = await client.post(pathOf(route.url), {}, { csrf })
          if (res.statusCode !== 403 || !FORM_EXPIRED.test(res.body))
            unprotected.push(`${key} with ${csrf || 'no token'}: ${res.statusCode}`)
        }
      }
      assert.deepEqual(unprotected, [])
      const named = unsafe.map((r) => `${r.method} ${r.url}`)
      for (const key of WITHOUT_TOKEN.keys()) assert.ok(named.includes(key), `${key} is a route`)
    })
  })
}
