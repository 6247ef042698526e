import type {
  FastifyInstance,
  FastifyRequest,
  preHandlerAsyncHookHandler,
  preHandlerHookHandler,
} from 'fastify'
import { can, type StaffUser } from './access.ts'
import type { Config } from './config.ts'
import { Forbidden, TooManyRequests } from './errors.ts'
import { honeypotTripped } from './honeypot.ts'
import type { RoutePolicy } from './http.ts'
import { chooseLocale, type Locale, type Translate } from './i18n.ts'
import type { PageCache } from './page-cache.ts'
import type { RateLimiter } from './rate-limit.ts'

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const RATE_WINDOW_SECONDS = 600
export const LANG_COOKIE = 'hub_lang'

export interface RequestHookDeps {
  config: Config
  locales: Map<string, Locale>
  translators: Map<string, Translate>
  rateLimiter: RateLimiter
  pages: PageCache
  /** Who is signed in, as the module that keeps accounts says; null when nobody is. */
  signedIn(request: FastifyRequest): Promise<{ user: StaffUser; sessionIdHash: string } | null>
  /** While the database is away, every request gets the 503 page at once (availability.ts). */
  available: { refuseIfUnavailable(request: FastifyRequest): void }
}

function policyOf(request: FastifyRequest): Partial<RoutePolicy> {
  return request.routeOptions.config as Partial<RoutePolicy>
}

/**
 * What happens to every request, in order: its language and who is signed in; the rate limit of a public
 * post and who may call the route; a cached public page; once the body of a post is read, the CSRF token
 * and the honeypot; and on the way out, no-store on every page.
 */
export function installRequestHooks(app: FastifyInstance, deps: RequestHookDeps): void {
  app.decorateRequest('user', null)
  app.decorateRequest('sessionIdHash', null)
  app.decorateRequest('locale', null as never)
  app.decorateRequest('t', null as never)
  app.decorateRequest('pageKey', null)

  app.addHook('onRequest', async (request) => {
    request.locale = chooseLocale(
      deps.locales,
      request.cookies[LANG_COOKIE],
      request.headers['accept-language'],
    )
    request.t = deps.translators.get(request.locale.code) as Translate
    deps.available.refuseIfUnavailable(request)
    const signedIn = await deps.signedIn(request)
    if (!signedIn) return
    request.user = signedIn.user
    request.sessionIdHash = signedIn.sessionIdHash
  })

  // Before the body is read: rate limits on public posts, then who may call the route.
  app.addHook('onRequest', async (request, reply) => {
    const policy = policyOf(request)
    if (!policy.access) return // the not-found handler
    if (policy.access === 'public') {
      if (!UNSAFE.has(request.method)) return
      const key = `${request.routeOptions.url}|${request.ip}`
      const max = policy.rateLimit ?? deps.config.RATE_LIMIT_PUBLIC_POSTS
      // Thrown, so the error handler answers a page or, on the API, JSON.
      if (!(await deps.rateLimiter.hit(key, max, RATE_WINDOW_SECONDS))) throw new TooManyRequests()
      return
    }
    if (!request.user) {
      if (request.url.startsWith('/api/')) return reply.code(401).send({ error: 'Unauthorised' })
      return reply.redirect('/staff/sign-in', 303)
    }
    if (policy.access !== 'signed-in' && !can(request.user, policy.access)) throw new Forbidden()
  })

  // A public page the same for everyone not signed in: sent as rendered before while its data is unchanged.
  app.addHook('onRequest', async (request, reply) => {
    const version = policyOf(request).pageVersion
    if (!version || request.method !== 'GET' || request.user) return
    request.pageKey = `${await version(request)} ${request.locale.code} ${request.url}`
    const page = deps.pages.get(request.pageKey, reply.cspNonce.script)
    if (page) return reply.type('text/html; charset=utf-8').send(page)
  })

  // Once the body is parsed: the CSRF token on every unsafe method (in tests too), then the honeypot of a
  // public form. Put on the routes that take a body only, ahead of their own preHandlers, so that a page
  // (a GET) runs neither; tests/integration/csrf-routes.test.ts posts to every route without a token.
  const csrf: preHandlerHookHandler = (request, reply, done) => {
    if (UNSAFE.has(request.method)) app.csrfProtection(request, reply, done)
    else done()
  }
  const honeypot: preHandlerAsyncHookHandler = async (request, reply) => {
    if (UNSAFE.has(request.method) && honeypotTripped(request.body))
      return reply.render('errors/honeypot.njk', {}, 400)
  }
  app.addHook('onRoute', (route) => {
    const policy = route.config as Partial<RoutePolicy> | undefined
    if (!policy?.access || ![route.method].flat().some((m) => UNSAFE.has(m))) return
    const checks = [policy.csrf === false ? [] : [csrf], policy.access === 'public' ? [honeypot] : []]
    route.preHandler = [...checks.flat(), ...[route.preHandler ?? []].flat()]
  })

  // Pages and JSON (a partner's referral) may show personal data; none may be kept by a browser or a
  // proxy. A route whose answer is public (the Open Referral API) sets its own.
  app.addHook('onSend', async (_request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '')
    if (/^(text\/html|application\/json)/.test(type) && !reply.hasHeader('cache-control'))
      reply.header('cache-control', 'no-store')
    return payload
  })
}
