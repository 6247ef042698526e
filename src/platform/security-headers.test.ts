import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fastifyHelmet from '@fastify/helmet'
import Fastify, { type FastifyInstance } from 'fastify'
import { type TestHub, testHub } from '#tests/support/hub.ts'
import { helmetHeaders, helmetOptions, securityHeaders } from './security-headers.ts'

const DIRECTIVES = { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"] }

/** A page's headers from an app set up by `register`, leaving out those that differ on every response. */
async function headersOf(register: (app: FastifyInstance) => unknown) {
  const app = Fastify()
  await register(app)
  app.get('/', (_request, reply) => reply.type('text/html').send('<p>A page</p>'))
  const res = await app.inject('/')
  await app.close()
  const { date, 'content-security-policy': csp, ...rest } = res.headers
  assert.ok(date)
  return { csp, rest }
}

describe('security headers', () => {
  for (const secure of [false, true]) {
    it(`are the headers helmet's plugin sets, set in one go (${secure ? 'HTTPS' : 'plain HTTP'})`, async () => {
      const ours = await headersOf((app) =>
        securityHeaders(app, { directives: DIRECTIVES, helmet: helmetOptions(secure) }),
      )
      const helmets = await headersOf((app) => app.register(fastifyHelmet, helmetOptions(secure) as object))
      assert.deepEqual(ours.rest, helmets.rest)
      assert.equal(helmets.csp, undefined, 'the policy is not left to the plugin')
      assert.match(String(ours.csp), /script-src 'self' 'nonce-[0-9a-f]{32}'/)
      assert.equal(ours.rest['strict-transport-security'] !== undefined, secure)
      assert.ok(Object.keys(helmetHeaders(helmetOptions(secure))).length >= 9)
    })
  }

  describe("on the Hub's answers", () => {
    let hub: TestHub
    before(async () => {
      hub = await testHub('sqlite')
    })
    after(() => hub.close())

    it('every kind of answer carries them: a page, a redirect, not found, an API, an asset', async () => {
      const expected = helmetHeaders(helmetOptions(false))
      // The Open Referral API, read by other councils' sites, sets its own resource policy over helmet's.
      const openReferral = { ...expected, 'cross-origin-resource-policy': 'cross-origin' }
      for (const [url, headers] of [
        ['/', expected],
        ['/staff', expected],
        ['/no-such-page', expected],
        ['/assets/hub.js', expected],
        ['/api/openreferral/services', openReferral],
      ] as const) {
        const res = await hub.app.inject(url)
        for (const [name, value] of Object.entries(headers))
          assert.equal(res.headers[name], value, `${url} ${name}`)
        assert.match(String(res.headers['content-security-policy']), /'nonce-/, url)
      }
    })
  })
})
