import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { StaffUser } from './access.ts'
import { auditRows } from './audit-rows.ts'
import { dateInputItems, joinDateInputs, linkToDay } from './date-input.ts'
import type { NavItem } from './http.ts'
import { auditContext, seeOther, staffUser } from './http.ts'
import type { Locale } from './i18n.ts'
import type { DashboardItem } from './module.ts'
import { outboxRoutes } from './outbox.routes.ts'
import type { Platform } from './platform.ts'
import { returnPath } from './return-path.ts'
import { platformDashboard, staffHome } from './staff-home.ts'
import { parseForm } from './validation.ts'

/** The version of the privacy notice shown now; forms that ask for consent record it. */
export const PRIVACY_NOTICE_VERSION = '2026-12-1'

const PAGE_SIZE = 50
/** The audit counts its matches this far past the page's first row: 20 pages ahead, then "more than". */
const COUNT_AHEAD = 1000
const AUDIT_DATES = ['from', 'to'] as const
const DAY_MONTH_YEAR = ['day', 'month', 'year'] as const

const auditFilter = z.object({
  user: z.union([z.literal(''), z.uuid('Enter a user id in the correct format')]).optional(),
  record: z.string().max(100, 'Record id must be 100 characters or fewer').optional(),
  from: z.union([z.literal(''), z.iso.date('Enter the from date as a real date, like 27 3 2026')]).optional(),
  to: z.union([z.literal(''), z.iso.date('Enter the to date as a real date, like 27 3 2026')]).optional(),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
})

/** Pages that belong to no module (health checks are in availability.ts): the footer's pages, the staff home, the outbox and the audit. */
export function platformRoutes(
  app: FastifyInstance,
  platform: Platform,
  opts: {
    staffNav: NavItem[]
    locales: Map<string, Locale>
    langCookie: string
    /** Each module's part of the staff home. */
    dashboards: ((user: StaffUser) => Promise<DashboardItem[]>)[]
    /** People's names by account id, for the audit. */
    userNames: (ids: readonly string[]) => Promise<Map<string, string>>
  },
) {
  const pub = { config: { access: 'public' as const } }

  app.get('/cookies', pub, async (_request, reply) => reply.render('pages/cookies.njk'))
  app.get('/privacy', pub, async (_request, reply) =>
    reply.render('pages/privacy.njk', { version: PRIVACY_NOTICE_VERSION }),
  )
  app.get('/accessibility', pub, async (_request, reply) => reply.render('pages/accessibility.njk'))

  // A link, not a form, so it works without JavaScript; the code is checked against the locale files.
  app.get<{ Querystring: { lang?: string; back?: string } }>('/language', pub, async (request, reply) => {
    const lang = request.query.lang ?? ''
    if (opts.locales.has(lang)) {
      reply.setCookie(opts.langCookie, lang, {
        path: '/',
        maxAge: 365 * 86400,
        sameSite: 'lax',
        httpOnly: true,
        secure: platform.config.cookieSecure,
      })
    }
    return seeOther(reply, returnPath(request.query.back))
  })

  app.get('/staff', { config: { access: 'signed-in' } }, async (request, reply) => {
    const user = staffUser(request)
    const items = [
      ...(await platformDashboard(platform, user)),
      ...(await Promise.all(opts.dashboards.map((d) => d(user)))).flat(),
    ]
    return reply.render('pages/staff-home.njk', staffHome(request.t, items, opts.staffNav, user))
  })

  outboxRoutes(app, platform)

  app.get('/staff/audit', { config: { access: 'audit.view' } }, async (request, reply) => {
    const query = request.query as Record<string, string>
    const form = parseForm(auditFilter, joinDateInputs(query, AUDIT_DATES))
    const values = Object.fromEntries(
      ['user', 'record', ...AUDIT_DATES.flatMap((d) => DAY_MONTH_YEAR.map((p) => `${d}-${p}`))].map((k) => [
        k,
        query[k] ?? '',
      ]),
    )
    const dates = (errors: Record<string, unknown> = {}) =>
      Object.fromEntries(AUDIT_DATES.map((d) => [d, dateInputItems(values, d, Boolean(errors[d]))]))
    if (!form.ok)
      return reply.render(
        'pages/audit.njk',
        {
          ...form,
          errors: linkToDay(form.errors, AUDIT_DATES),
          values,
          dates: dates(form.fieldErrors),
          rows: [],
        },
        400,
      )
    const { user, record, from, to, page } = form.data
    const offset = (page - 1) * PAGE_SIZE
    const { rows, total, more } = await platform.audit.search({
      userId: user || undefined,
      recordId: record || undefined,
      from: from || undefined,
      to: to || undefined,
      limit: PAGE_SIZE,
      offset,
      countUpTo: offset + COUNT_AHEAD,
    })
    const names = await opts.userNames(rows.flatMap((r) => (r.actor_user_id ? [r.actor_user_id] : [])))
    await platform.audit.record(platform.database.db, auditContext(request), { action: 'audit.searched' })
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))
    const filter = new URLSearchParams(Object.entries(values).filter(([, v]) => v)).toString()
    const at = (p: number) => `/staff/audit?${filter ? `${filter}&` : ''}page=${p}`
    return reply.render('pages/audit.njk', {
      values,
      dates: dates(),
      rows: auditRows(request.t, rows, names),
      caption: request.t(more ? 'auditLog.moreThan' : 'auditLog.count', { count: total }),
      more,
      page,
      pages,
      previous: page > 1 ? { href: at(page - 1) } : undefined,
      next: page < pages ? { href: at(page + 1) } : undefined,
    })
  })
}
