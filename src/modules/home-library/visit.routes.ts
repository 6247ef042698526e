import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Invalid } from '#platform/errors.ts'
import { type FormFailure, postForm } from '#platform/forms.ts'
import { auditContext, seeOther, staffUser } from '#platform/http.ts'
import { choices } from './choices.ts'
import { ITEM_ROWS, itemsFrom, planSchema, visitSchema } from './home-library.schemas.ts'
import type { MemberService } from './member.service.ts'
import { FORMATS, MISSED_REASONS } from './member.ts'
import type { VisitService } from './visit.service.ts'

type Params = { Params: { id: string } }
const NO_FAILURE = { errors: [], fieldErrors: {}, values: {} }
const WEEKS_SHOWN = 2

/** Visits: those planned, planning the coming weeks, and the doorstep page that records one. */
export function visitRoutes(app: FastifyInstance, s: { members: MemberService; visits: VisitService }) {
  const view = { config: { access: 'home-library.view' as const } }
  const manage = { config: { access: 'home-library.manage' as const } }
  const { visits } = s

  async function listPage(request: FastifyRequest, reply: FastifyReply, failure: FormFailure = NO_FAILURE) {
    const planned = await visits.planned(staffUser(request), WEEKS_SHOWN)
    return reply.render(
      'home-library/views/visits.njk',
      {
        ...failure,
        values: { weeks: '4', ...failure.values },
        planned,
        weeksShown: WEEKS_SHOWN,
      },
      reply.statusCode,
    )
  }
  app.get('/staff/home-library/visits', view, (request, reply) => listPage(request, reply))
  postForm(
    app,
    '/staff/home-library/visits/plan',
    { ...manage.config, schema: planSchema, invalid: listPage },
    async (request, reply, data) => {
      const added = await visits.plan(staffUser(request), data.weeks, auditContext(request))
      return seeOther(reply, `/staff/home-library/visits?planned=${added}`)
    },
  )

  async function visitPage(
    request: FastifyRequest<Params>,
    reply: FastifyReply,
    failure: FormFailure = NO_FAILURE,
  ) {
    const user = staffUser(request)
    const page = await visits.page(user, request.params.id)
    // Titles had before are shown beside the warning, so the chooser can decide.
    const repeats = failure.errors.length
      ? await visits.repeats(user, request.params.id, itemsFrom(failure.values).items)
      : []
    return reply.render(
      'home-library/views/visit.njk',
      {
        ...failure,
        ...page,
        repeats,
        rows: Array.from({ length: ITEM_ROWS }, (_, i) => i + 1),
        formats: choices(request.t, 'homeLibrary.format', FORMATS),
        missedReasons: choices(request.t, 'homeLibrary.missedReason', MISSED_REASONS),
      },
      reply.statusCode,
    )
  }
  app.get<Params>('/staff/home-library/visits/:id', view, (request, reply) => visitPage(request, reply))
  postForm<typeof visitSchema, Params>(
    app,
    '/staff/home-library/visits/:id',
    { ...manage.config, schema: visitSchema, lists: ['collected'], invalid: visitPage },
    async (request, reply, data) => {
      const { items, problem } = itemsFrom(data)
      if (problem) throw new Invalid('homeLibrary.errors.item', problem)
      await visits.record(
        staffUser(request),
        request.params.id,
        {
          outcome: data.outcome,
          missedReason: data.missedReason,
          items,
          collected: data.collected,
          digitalMinutes: data.digitalMinutes,
          digitalHelp: data.digitalHelp,
          sendAgain: data.sendAgain,
        },
        auditContext(request),
      )
      return seeOther(reply, `/staff/home-library/visits/${request.params.id}?recorded=1`)
    },
  )
}
