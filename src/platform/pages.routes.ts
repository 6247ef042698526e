import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { can } from './access.ts'
import type { NavItem } from './http.ts'
import { auditContext, seeOther, staffUser } from './http.ts'
import type { Locale } from './i18n.ts'
import { outboxRoutes } from './outbox.routes.ts'
import type { Platform } from './platform.ts'
import { returnPath } from './return-path.ts'
import { parseForm } from './validation.ts'

/** The version of the privacy notice shown now; forms that ask for consent record it. */
export const PRIVACY_NOTICE_VERSION = '2026-11-1'

const PAGE_SIZE = 50

const auditFilter = z.object({
  user: z.union([z.literal(''), z.uuid('Enter a user id in the correct format')]).optional(),
  record: z.string().max(100, 'Record id must be 100 characters or fewer').optional(),
  from: z.union([z.literal(''), z.iso.date('Enter the from date as YYYY-MM-DD')]).optional(),
  to: z.union([z.literal(''), z.iso.date('Enter the to date as YYYY-MM-DD')]).optional(),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
})

/** Pages that belong to no module (health checks are in availability.ts): the footer's pages, the staff home, the outbox and the audit. */
export function platformRoutes(
  app: FastifyInstance,
  platform: Platform,
  opts: { staffNav: NavItem[]; locales: Map<string, Locale>; langCookie: string },
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
    const links = opts.staffNav.filter((n) => n.access === 'signed-in' || can(user, n.access as never))
    return reply.render('pages/staff-home.njk', { links })
  })

  outboxRoutes(app, platform)

  app.get('/staff/audit', { config: { access: 'audit.view' } }, async (request, reply) => {
    const query = request.query as Record<string, string>
    const form = parseForm(auditFilter, query)
    const values = {
      user: query.user ?? '',
      record: query.record ?? '',
      from: query.from ?? '',
      to: query.to ?? '',
    }
    if (!form.ok) return reply.render('pages/audit.njk', { ...form, values, rows: [], total: 0 }, 400)
    const { user, record, from, to, page } = form.data
    const { rows, total } = await platform.audit.search({
      userId: user || undefined,
      recordId: record || undefined,
      from: from || undefined,
      to: to || undefined,
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    })
    await platform.audit.record(platform.database.db, auditContext(request), { action: 'audit.searched' })
    return reply.render('pages/audit.njk', { values, rows, total, page, pages: Math.ceil(total / PAGE_SIZE) })
  })
}
