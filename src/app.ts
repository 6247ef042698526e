import { randomUUID } from 'node:crypto'
import path from 'node:path'
import compress from '@fastify/compress'
import cookie from '@fastify/cookie'
import csrf from '@fastify/csrf-protection'
import formbody from '@fastify/formbody'
import helmet from '@fastify/helmet'
import fastifyStatic from '@fastify/static'
import Fastify, { type FastifyServerOptions } from 'fastify'
import { accountsModule } from '#modules/accounts/index.ts'
import { directoryModule } from '#modules/directory/index.ts'
import { peopleModule } from '#modules/people/index.ts'
import { referralsModule } from '#modules/referrals/index.ts'
import { can } from '#platform/access.ts'
import { AuditLog } from '#platform/audit.ts'
import { availability } from '#platform/availability.ts'
import { loadBoroughs } from '#platform/boroughs.ts'
import type { Config } from '#platform/config.ts'
import { contentSecurityPolicy } from '#platform/csp.ts'
import type { Database } from '#platform/database.ts'
import { errorHandler, notFoundHandler } from '#platform/error-handler.ts'
import { Forbidden, TooManyRequests } from '#platform/errors.ts'
import { honeypotTripped } from '#platform/honeypot.ts'
import type { HubModule, NavItem, RoutePolicy } from '#platform/http.ts'
import { chooseLocale, DEFAULT_LOCALE, loadLocales, type Translate, translator } from '#platform/i18n.ts'
import type { PeriodicJob } from '#platform/jobs.ts'
import { redactedLogger } from '#platform/logger.ts'
import { Outbox } from '#platform/outbox.ts'
import { PageCache } from '#platform/page-cache.ts'
import { platformRoutes } from '#platform/pages.routes.ts'
import type { Platform } from '#platform/platform.ts'
import { RateLimiter } from '#platform/rate-limit.ts'
import { SessionStore } from '#platform/session.ts'
import { createViews } from '#platform/views.ts'

export interface AppDeps {
  config: Config
  database: Database
  /** Tests pass their own logger options (usually silent). */
  logger?: FastifyServerOptions['logger']
}

export type Hub = Awaited<ReturnType<typeof buildApp>>

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const RATE_WINDOW_SECONDS = 600
const LANG_COOKIE = 'hub_lang'

/** The whole Hub wired in one function: security, sessions, CSRF, modules, errors. */
export async function buildApp(deps: AppDeps) {
  const { config, database } = deps
  const app = Fastify({
    logger: deps.logger ?? redactedLogger(config.LOG_LEVEL),
    genReqId: () => randomUUID(),
    trustProxy: config.trustProxy,
    bodyLimit: 256 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
    // Requests that arrive during shutdown get the Hub's own 503 page (see availability.ts).
    return503OnClosing: false,
  })

  const platform: Platform = {
    config,
    database,
    audit: new AuditLog(database),
    outbox: new Outbox(database, config.OUTBOX_MAX_ATTEMPTS),
    sessions: new SessionStore(database, {
      idleMinutes: config.SESSION_IDLE_MINUTES,
      absoluteHours: config.SESSION_ABSOLUTE_HOURS,
    }),
    rateLimiter: new RateLimiter(database),
    log: app.log,
  }
  // Hits counted in memory are written before the process goes.
  app.addHook('onClose', () => platform.rateLimiter.flush())
  const directory = directoryModule(platform)
  const accounts = accountsModule(platform, { directory: directory.service })
  const people = peopleModule(platform)
  const referrals = referralsModule(platform, {
    accounts: accounts.service,
    people: people.service,
    directory: directory.service,
  })
  const modules: HubModule[] = [accounts, directory, people, referrals]
  const staffNav: NavItem[] = [
    ...modules.flatMap((m) => m.staffNav),
    { href: '/staff/outbox', text: 'Outbox', access: 'outbox.view' },
    { href: '/staff/audit', text: 'Audit', access: 'audit.view' },
  ]

  const views = createViews(config.APP_ROOT, { watch: config.NODE_ENV === 'development' })
  const locales = loadLocales(path.join(config.APP_ROOT, 'src/locales'))
  const english = locales.get(DEFAULT_LOCALE) as NonNullable<ReturnType<typeof locales.get>>
  // One translator per language, made once: each holds its Intl.PluralRules.
  const translators = new Map([...locales.values()].map((l) => [l.code, translator(l, english)]))

  contentSecurityPolicy(app, {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
    formAction: ["'self'"],
    upgradeInsecureRequests: config.cookieSecure ? [] : null,
  })
  await app.register(helmet, {
    contentSecurityPolicy: false,
    // The Open Referral API is read by other councils' sites; helmet's CORP would stop their browsers.
    crossOriginResourcePolicy: { policy: 'same-site' },
    strictTransportSecurity: config.cookieSecure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  })
  await app.register(compress, { threshold: 1024, encodings: ['br', 'gzip'] })
  await app.register(cookie, { secret: config.sessionSecret })
  await app.register(formbody, { bodyLimit: 64 * 1024 })
  await app.register(csrf, {
    cookieKey: config.cookieSecure ? '__Host-hub_csrf' : 'hub_csrf',
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure: config.cookieSecure, signed: true },
  })
  await app.register(fastifyStatic, {
    root: path.join(config.APP_ROOT, 'public'),
    prefix: '/assets/',
    preCompressed: true,
    maxAge: '1d',
    index: false,
  })

  const available = availability(app, database)

  app.decorateRequest('user', null)
  app.decorateRequest('sessionIdHash', null)
  app.decorateRequest('locale', null as never)
  app.decorateRequest('t', null as never)
  app.decorateRequest('pageKey', null)
  const pages = new PageCache()

  // Every route says who may call it; a route that forgets cannot be registered.
  const routeTable: { method: string; url: string; access: RoutePolicy['access'] }[] = []
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/assets/')) return
    const policy = route.config as Partial<RoutePolicy> | undefined
    if (!policy?.access)
      throw new Error(`Route ${route.method} ${route.url} has no access policy in its config`)
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routeTable.push({ method, url: route.url, access: policy.access })
    }
  })

  app.addHook('onRequest', async (request) => {
    request.locale = chooseLocale(locales, request.cookies[LANG_COOKIE], request.headers['accept-language'])
    request.t = translators.get(request.locale.code) as Translate
    available.refuseIfUnavailable(request)
    const token = accounts.cookie.read(request)
    if (!token) return
    const signedIn = await accounts.service.resumeSession(token)
    if (!signedIn) return
    request.user = signedIn.user
    request.sessionIdHash = signedIn.sessionIdHash
  })

  // Before the body is read: rate limits on public posts, then who may call the route.
  app.addHook('onRequest', async (request, reply) => {
    const policy = request.routeOptions.config as Partial<RoutePolicy>
    if (!policy.access) return // the not-found handler
    if (policy.access === 'public') {
      if (!UNSAFE.has(request.method)) return
      const key = `${request.routeOptions.url}|${request.ip}`
      const max = policy.rateLimit ?? config.RATE_LIMIT_PUBLIC_POSTS
      // Thrown, so the error handler answers a page or, on the API, JSON.
      if (!(await platform.rateLimiter.hit(key, max, RATE_WINDOW_SECONDS))) throw new TooManyRequests()
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
    const version = (request.routeOptions.config as Partial<RoutePolicy>).pageVersion
    if (!version || request.method !== 'GET' || request.user) return
    request.pageKey = `${await version()} ${request.locale.code} ${request.url}`
    const page = pages.get(request.pageKey, reply.cspNonce.script)
    if (page) return reply.type('text/html; charset=utf-8').send(page)
  })

  // Once the body is parsed: the CSRF token on every unsafe method (in tests too), then the honeypot.
  app.addHook('preHandler', (request, reply, done) => {
    const policy = request.routeOptions.config as Partial<RoutePolicy>
    if (UNSAFE.has(request.method) && policy.access && policy.csrf !== false)
      app.csrfProtection(request, reply, done)
    else done()
  })

  app.addHook('preHandler', async (request, reply) => {
    const policy = request.routeOptions.config as Partial<RoutePolicy>
    if (policy.access === 'public' && UNSAFE.has(request.method) && honeypotTripped(request.body)) {
      return reply.render('errors/honeypot.njk', {}, 400)
    }
  })

  // Pages may show personal data; none may be kept by a browser or a proxy.
  app.addHook('onSend', async (_request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '')
    if (type.startsWith('text/html') && !reply.hasHeader('cache-control'))
      reply.header('cache-control', 'no-store')
    return payload
  })

  app.decorateReply('render', function (view: string, context: Record<string, unknown> = {}, status = 200) {
    const request = this.request
    const user = request.user
    const navigation = user
      ? [
          ...staffNav.filter(
            (n) => n.access === 'signed-in' || n.access === 'public' || can(user, n.access as never),
          ),
          { href: '/staff/account/password', text: 'Your account', access: 'signed-in' },
        ].map((n) => ({ href: n.href, text: n.text, active: request.url.startsWith(n.href) }))
      : []
    const nonce = this.cspNonce.script
    const html = views.render(view, {
      ...context,
      t: request.t,
      locale: request.locale,
      cspNonce: nonce,
      serviceName: config.SERVICE_NAME,
      partnershipName: config.PARTNERSHIP_NAME,
      user,
      navigation,
      query: request.query ?? {},
      // Called only by pages that show a form: generating a token sets the CSRF cookie.
      csrfToken: () => this.generateCsrf(),
    })
    if (request.pageKey && status === 200) pages.set(request.pageKey, html, nonce)
    return this.code(status).type('text/html; charset=utf-8').send(html)
  })

  app.setErrorHandler(errorHandler)
  app.setNotFoundHandler(notFoundHandler)

  platformRoutes(app, platform, { staffNav, locales, langCookie: LANG_COOKIE })
  for (const m of modules) m.routes(app)

  /** Boroughs, roles, libraries...: loaded at every start, idempotent. */
  async function loadReferenceData(): Promise<void> {
    await loadBoroughs(database.db)
    for (const m of modules) await m.loadReferenceData()
  }

  /** Run by the worker: housekeeping of the platform's tables, and each module's own jobs. */
  const jobs: PeriodicJob[] = [
    { name: 'purge-expired-sessions', everyMinutes: 60, run: () => platform.sessions.purgeExpired() },
    { name: 'purge-rate-limits', everyMinutes: 60, run: () => platform.rateLimiter.purge() },
    { name: 'purge-sign-in-attempts', everyMinutes: 60, run: () => accounts.service.purgeOldAttempts() },
    ...modules.flatMap((m) => m.jobs ?? []),
  ]

  /** Fictional people and cases for demonstrations, from every module that has some. */
  async function seedDemo(): Promise<void> {
    for (const m of modules) await m.seedDemo?.()
  }

  return {
    app,
    platform,
    routeTable,
    jobs,
    seedDemo,
    accounts: accounts.service,
    directory: directory.service,
    directoryImporter: directory.importer,
    people: people.service,
    referrals: referrals.service,
    loadReferenceData,
    availability: available,
  }
}
