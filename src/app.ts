import { randomUUID } from 'node:crypto'
import path from 'node:path'
import Fastify, { type FastifyServerOptions } from 'fastify'
import { MODULES } from '#modules/index.ts'
import { availability } from '#platform/availability.ts'
import { loadBoroughs } from '#platform/boroughs.ts'
import { buildModules, composeHub } from '#platform/compose.ts'
import type { Config } from '#platform/config.ts'
import { csrfBinding } from '#platform/csrf-binding.ts'
import type { Database } from '#platform/database.ts'
import { errorHandler, notFoundHandler } from '#platform/error-handler.ts'
import type { NavItem } from '#platform/http.ts'
import { DEFAULT_LOCALE, type Locale, loadLocales, translator } from '#platform/i18n.ts'
import { logEachRequest, redactedLogger } from '#platform/logger.ts'
import type { ModuleManifest } from '#platform/module.ts'
import { PageCache } from '#platform/page-cache.ts'
import { platformRoutes } from '#platform/pages.routes.ts'
import { createPlatform, platformJobs } from '#platform/platform.ts'
import { registerPlugins } from '#platform/plugins.ts'
import { installRender } from '#platform/render.ts'
import { installRequestHooks, LANG_COOKIE } from '#platform/request-hooks.ts'
import { enforceRoutePolicies } from '#platform/route-policy.ts'
import { createViews } from '#platform/views.ts'

export interface AppDeps {
  config: Config
  database: Database
  /** Tests pass their own logger options (usually silent). */
  logger?: FastifyServerOptions['logger']
  /** The registry's modules unless a test brings its own list. */
  modules?: ModuleManifest[]
}

export type Hub = Awaited<ReturnType<typeof buildApp>>

const PLATFORM_NAV: NavItem[] = [
  { href: '/staff/outbox', text: 'Outbox', access: 'outbox.view' },
  { href: '/staff/audit', text: 'Audit', access: 'audit.view' },
]

/** The whole Hub wired in one function: the platform, then every module of the registry. */
export async function buildApp(deps: AppDeps) {
  const { config, database } = deps
  const composition = composeHub(deps.modules ?? MODULES)
  const app = Fastify({
    logger: deps.logger ?? redactedLogger(config.LOG_LEVEL),
    genReqId: () => randomUUID(),
    // One line a request instead of two (logEachRequest).
    disableRequestLogging: true,
    trustProxy: config.trustProxy,
    bodyLimit: 256 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
    // Requests that arrive during shutdown get the Hub's own 503 page (see availability.ts).
    return503OnClosing: false,
  })
  logEachRequest(app)
  const platform = createPlatform(config, database, app.log)
  // Hits counted in memory are written before the process goes.
  app.addHook('onClose', () => platform.rateLimiter.flush())
  const modules = buildModules(platform, composition)
  const parts = modules.map((m) => m.parts)
  const staffNav = [...parts.flatMap((p) => p.staffNav ?? []), ...PLATFORM_NAV]

  const locales = loadLocales(composition.localeFolders.map((f) => path.join(config.APP_ROOT, f)))
  const english = locales.get(DEFAULT_LOCALE) as Locale
  // One translator per language, made once: each holds its Intl.PluralRules.
  const translators = new Map([...locales.values()].map((l) => [l.code, translator(l, english)]))
  const views = createViews(config.APP_ROOT, composition.viewFolders, {
    watch: config.NODE_ENV === 'development',
  })
  const pages = new PageCache()
  const signedIn = parts.find((p) => p.signedIn)?.signedIn ?? (async () => null)

  const binding = csrfBinding({ secure: config.cookieSecure })
  await registerPlugins(app, config, binding)
  const routeTable = enforceRoutePolicies(app, new Set(composition.permissions.keys()))
  const available = availability(app, database)
  installRequestHooks(app, {
    config,
    locales,
    translators,
    rateLimiter: platform.rateLimiter,
    pages,
    signedIn,
    available,
  })
  installRender(app, { config, views, staffNav, pages, binding })
  app.setErrorHandler(errorHandler)
  app.setNotFoundHandler(notFoundHandler)
  const dashboards = parts.flatMap((p) => (p.dashboard ? [p.dashboard] : []))
  const userNames = parts.find((p) => p.userNames)?.userNames ?? (async () => new Map<string, string>())
  platformRoutes(app, platform, { staffNav, locales, langCookie: LANG_COOKIE, dashboards, userNames })
  for (const p of parts) p.routes?.(app)

  return {
    app,
    platform,
    composition,
    routeTable,
    availability: available,
    /** Run by the worker: housekeeping of the platform's tables, and each module's own jobs. */
    jobs: [...platformJobs(platform), ...parts.flatMap((p) => p.jobs ?? [])],
    /** Each module's service by its name (typed for the registry's modules in `ModuleServices`). */
    services: Object.fromEntries(modules.map((m) => [m.manifest.name, m.parts.service])),
    /** Boroughs, roles, libraries...: loaded at every start, idempotent. */
    async loadReferenceData(): Promise<void> {
      await loadBoroughs(database.db)
      for (const p of parts) await p.loadReferenceData?.()
    },
    /** Fictional people and cases for demonstrations, from every module that has some: what each added. */
    async seedDemo(): Promise<string[]> {
      const lines: string[] = []
      for (const p of parts) {
        const added = await p.seedDemo?.()
        if (added) lines.push(...added)
      }
      return lines
    },
  }
}
