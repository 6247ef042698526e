import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Conflict } from '#platform/errors.ts'
import { type FormFailure, NO_ANSWERS, postForm } from '#platform/forms.ts'
import { auditContext, seeOther, staffUser } from '#platform/http.ts'
import type { RecipientStatus } from './bulletin.repository.ts'
import { AUDIENCES, bulletinSchema, sendSchema } from './bulletin.schemas.ts'
import type { BulletinService } from './bulletin.service.ts'
import type { MailingListService } from './mailing-list.service.ts'
import { LIST_CODES } from './mailing-rules.ts'

type Id = { Params: { id: string } }
const V = 'partnership/views/mailing'
const BASE = '/staff/partnership/bulletins'
const STATUSES: RecipientStatus[] = ['queued', 'sent', 'deferred', 'bounced', 'failed', 'complained']
const staff = { config: { access: 'partnership.mailing' as const } }

/** The partnership lead's bulletins: write, preview as the email, send to a list, follow each recipient. */
export function bulletinRoutes(
  app: FastifyInstance,
  bulletins: BulletinService,
  mailing: MailingListService,
) {
  const formPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    page: { heading: string; action: string; values: Record<string, unknown> } & Partial<FormFailure>,
    status = 200,
  ) =>
    reply.render(
      `${V}/staff-form.njk`,
      { lists: LIST_CODES, ...page, heading: request.t(page.heading) },
      status,
    )

  app.get(BASE, staff, async (request, reply) => {
    const [list, counts] = await Promise.all([bulletins.list(staffUser(request)), mailing.counts()])
    return reply.render(`${V}/staff-list.njk`, { bulletins: list, counts })
  })

  app.get(`${BASE}/new`, staff, async (request, reply) =>
    formPage(request, reply, { heading: 'partnership.bulletins.new', action: `${BASE}/new`, values: {} }),
  )

  postForm(
    app,
    `${BASE}/new`,
    {
      access: 'partnership.mailing',
      schema: bulletinSchema,
      invalid: (request, reply, failure) =>
        formPage(
          request,
          reply,
          { heading: 'partnership.bulletins.new', action: `${BASE}/new`, ...failure },
          400,
        ),
    },
    async (request, reply, data) => {
      const id = await bulletins.create(staffUser(request), auditContext(request), data)
      return seeOther(reply, `${BASE}/${id}`)
    },
  )

  /** The bulletin as the email, and while a draft the form that sends it: to its list or a meeting's attendees. */
  async function bulletinPage(
    request: FastifyRequest<Id>,
    reply: FastifyReply,
    failure: Partial<FormFailure> = {},
    status = 200,
  ) {
    const user = staffUser(request)
    const { bulletin, subject, body } = await bulletins.preview(user, request.params.id)
    const subscribed = (await mailing.counts()).find((c) => c.code === bulletin.list)?.subscribed ?? 0
    const choices = bulletin.status === 'draft' ? await bulletins.sendChoices(user, bulletin) : null
    // A follow-up drafted from a meeting's minutes goes to those who were there, unless the lead says otherwise.
    const values = failure.values ?? { audience: bulletin.meeting_id ? 'attendees' : 'list' }
    return reply.render(
      `${V}/staff-bulletin.njk`,
      {
        bulletin,
        subject,
        body,
        subscribed: Number(subscribed),
        choices,
        audiences: AUDIENCES,
        ...failure,
        values,
      },
      status,
    )
  }

  app.get<Id>(`${BASE}/:id`, staff, (request, reply) => bulletinPage(request, reply))

  app.get<Id>(`${BASE}/:id/edit`, staff, async (request, reply) => {
    const bulletin = await bulletins.get(staffUser(request), request.params.id)
    if (bulletin.status !== 'draft') return seeOther(reply, `${BASE}/${bulletin.id}`)
    return formPage(request, reply, {
      heading: 'partnership.bulletins.edit',
      action: `${BASE}/${bulletin.id}/edit`,
      values: { title: bulletin.title, body: bulletin.body, list: bulletin.list },
    })
  })

  postForm<typeof bulletinSchema, Id>(
    app,
    `${BASE}/:id/edit`,
    {
      access: 'partnership.mailing',
      schema: bulletinSchema,
      invalid: (request, reply, failure) =>
        formPage(
          request,
          reply,
          { heading: 'partnership.bulletins.edit', action: `${BASE}/${request.params.id}/edit`, ...failure },
          400,
        ),
    },
    async (request, reply, data) => {
      await bulletins.update(staffUser(request), auditContext(request), request.params.id, data)
      return seeOther(reply, `${BASE}/${request.params.id}`)
    },
  )

  postForm<typeof sendSchema, Id>(
    app,
    `${BASE}/:id/send`,
    {
      access: 'partnership.mailing',
      schema: sendSchema,
      invalid: (request, reply, failure) => bulletinPage(request, reply, failure, 400),
    },
    async (request, reply, data) => {
      try {
        await bulletins.send(staffUser(request), auditContext(request), request.params.id, {
          audience: data.audience,
          meetingId: data.meeting ?? null,
        })
      } catch (error) {
        // Sent already (a second click, another tab): the person wanted it sent, and it is.
        if (!(error instanceof Conflict)) throw error
      }
      return seeOther(reply, `${BASE}/${request.params.id}/recipients`)
    },
  )

  app.get<Id & { Querystring: { page?: string } }>(
    `${BASE}/:id/recipients`,
    staff,
    async (request, reply) => {
      const user = staffUser(request)
      const bulletin = await bulletins.get(user, request.params.id)
      const page = Math.max(1, Number.parseInt(request.query.page ?? '1', 10) || 1)
      const result = await bulletins.recipients(user, bulletin.id, page)
      return reply.render(`${V}/staff-recipients.njk`, { bulletin, ...result, page, statuses: STATUSES })
    },
  )

  postForm<typeof NO_ANSWERS, { Params: { id: string; recipientId: string } }>(
    app,
    `${BASE}/:id/recipients/:recipientId/complaint`,
    {
      access: 'partnership.mailing',
      schema: NO_ANSWERS,
      invalid: (request, reply) => seeOther(reply, `${BASE}/${request.params.id}/recipients`),
    },
    async (request, reply) => {
      const { id, recipientId } = request.params
      await bulletins.recordComplaint(staffUser(request), auditContext(request), id, recipientId)
      return seeOther(reply, `${BASE}/${id}/recipients`)
    },
  )
}
