import type { FastifyInstance } from 'fastify'
import { scopeFilter } from './access.ts'
import { NotFound } from './errors.ts'
import { NO_ANSWERS, postForm } from './forms.ts'
import { auditContext, seeOther, staffUser } from './http.ts'
import { isUuid } from './ids.ts'
import { maskSecrets, messageTitle, renderMessage } from './messages.ts'
import type { Platform } from './platform.ts'

const PAGE_SIZE = 50
const STATUSES = ['pending', 'sending', 'sent', 'parked'] as const

/**
 * The outbox for administrators: every message about people of their boroughs, and the parked ones to
 * send again. The list names no one; opening a message shows its recipient and text (a one-time link
 * masked) and is audited, like opening any record about a person.
 */
export function outboxRoutes(app: FastifyInstance, platform: Platform) {
  const policy = { config: { access: 'outbox.view' as const } }

  app.get<{ Querystring: { status?: string; page?: string } }>(
    '/staff/outbox',
    policy,
    async (request, reply) => {
      const status = STATUSES.find((s) => s === request.query.status)
      const page = Math.max(1, Number.parseInt(request.query.page ?? '1', 10) || 1)
      const { rows, total } = await platform.outbox.list({
        status,
        scope: scopeFilter(staffUser(request)),
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      })
      return reply.render('pages/outbox.njk', {
        messages: rows.map((m) => ({ ...m, title: messageTitle(m.template) })),
        total,
        status,
        statuses: STATUSES,
        page,
        pages: Math.ceil(total / PAGE_SIZE),
      })
    },
  )

  app.get<{ Params: { id: string } }>('/staff/outbox/:id', policy, async (request, reply) => {
    const message = isUuid(request.params.id)
      ? await platform.outbox.find(request.params.id, scopeFilter(staffUser(request)))
      : undefined
    if (!message) throw new NotFound()
    if (!message.purged_at)
      await platform.audit.record(platform.database.db, auditContext(request), {
        action: 'outbox.message.viewed',
        recordType: 'message',
        recordId: message.id,
        fields: ['recipient', 'personalisation'],
      })
    const rendered = message.purged_at
      ? null
      : renderMessage(message.template, maskSecrets(message.template, message.personalisation_json))
    return reply.render('pages/outbox-message.njk', {
      message,
      rendered,
      // The subject as sent; once the text is removed, its template's words with nothing personal.
      subject: rendered?.subject ?? messageTitle(message.template),
    })
  })

  postForm<typeof NO_ANSWERS, { Params: { id: string } }>(
    app,
    '/staff/outbox/:id/retry',
    {
      access: 'outbox.view',
      schema: NO_ANSWERS,
      invalid: (_request, reply) => seeOther(reply, '/staff/outbox?status=parked'),
    },
    async (request, reply) => {
      const scope = scopeFilter(staffUser(request))
      if (!isUuid(request.params.id) || !(await platform.outbox.find(request.params.id, scope)))
        throw new NotFound()
      await platform.outbox.retry(request.params.id, scope)
      return seeOther(reply, '/staff/outbox?status=parked')
    },
  )
}
