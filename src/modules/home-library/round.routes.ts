import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { can } from '#platform/access.ts'
import { type FormFailure, postForm } from '#platform/forms.ts'
import { auditContext, seeOther, staffUser } from '#platform/http.ts'
import { choices, first } from './choices.ts'
import { moveSchema, roundSchema, stopSchema } from './home-library.schemas.ts'
import type { MemberService } from './member.service.ts'
import { WEEKDAYS } from './member.ts'
import type { RoundService } from './round.service.ts'
import { sheetStops } from './round-sheet.ts'

type Params = { Params: { id: string } }
type StopParams = { Params: { id: string; stopId: string } }
const NO_FAILURE = { errors: [], fieldErrors: {}, values: {} }

/** Rounds: the list, a new round, its stops in order (moved by buttons, no dragging) and the round sheet. */
export function roundRoutes(app: FastifyInstance, s: { members: MemberService; rounds: RoundService }) {
  const view = { config: { access: 'home-library.view' as const } }
  const manage = { config: { access: 'home-library.manage' as const } }
  const { rounds } = s

  app.get('/staff/home-library/rounds', view, async (request, reply) => {
    const user = staffUser(request)
    const [list, boroughs] = await Promise.all([rounds.list(user), s.members.boroughs(user)])
    return reply.render('home-library/views/rounds.njk', {
      rounds: list,
      boroughNames: Object.fromEntries(boroughs.map((b) => [b.id, b.short_name])),
      weekdays: choices(request.t, 'homeLibrary.weekday', WEEKDAYS),
      canManage: can(user, 'home-library.manage'),
    })
  })

  /** One borough's deliverers are offered, so the borough is chosen first (a GET form, no script needed). */
  async function newPage(request: FastifyRequest, reply: FastifyReply, failure: FormFailure = NO_FAILURE) {
    const user = staffUser(request)
    const boroughs = await s.members.boroughs(user)
    const asked = first(failure.values.borough ?? (request.query as Record<string, unknown>).borough)
    const borough = boroughs.length === 1 ? boroughs[0] : boroughs.find((b) => b.id === asked)
    const deliverers = borough ? await rounds.deliverers(user, borough.id) : []
    return reply.render(
      'home-library/views/round-new.njk',
      {
        ...failure,
        borough,
        boroughs: boroughs.map((b) => ({ value: b.id, text: b.short_name })),
        deliverers: deliverers.map((d) => ({ value: d.id, text: d.name })),
        weekdays: choices(request.t, 'homeLibrary.weekday', WEEKDAYS),
      },
      reply.statusCode,
    )
  }
  app.get('/staff/home-library/rounds/new', manage, (request, reply) => newPage(request, reply))
  postForm(
    app,
    '/staff/home-library/rounds',
    { ...manage.config, schema: roundSchema, invalid: newPage },
    async (request, reply, data) => {
      const id = await rounds.create(staffUser(request), data.borough, data, auditContext(request))
      return seeOther(reply, `/staff/home-library/rounds/${id}`)
    },
  )

  async function roundPage(
    request: FastifyRequest<Params>,
    reply: FastifyReply,
    failure: FormFailure = NO_FAILURE,
  ) {
    const user = staffUser(request)
    const { round, stops, candidates } = await rounds.get(user, request.params.id)
    return reply.render(
      'home-library/views/round.njk',
      {
        ...failure,
        round,
        stops,
        candidates: candidates.map((c) => ({ value: c.id, text: c.name })),
        canManage: can(user, 'home-library.manage'),
        canSeeAccess: can(user, 'home-library.access-notes'),
      },
      reply.statusCode,
    )
  }
  app.get<Params>('/staff/home-library/rounds/:id', view, (request, reply) => roundPage(request, reply))
  postForm<typeof stopSchema, Params>(
    app,
    '/staff/home-library/rounds/:id/stops',
    { ...manage.config, schema: stopSchema, invalid: roundPage },
    async (request, reply, data) => {
      await rounds.addStop(staffUser(request), request.params.id, data.member, auditContext(request))
      return seeOther(reply, `/staff/home-library/rounds/${request.params.id}#stops`)
    },
  )
  postForm<typeof moveSchema, StopParams>(
    app,
    '/staff/home-library/rounds/:id/stops/:stopId',
    { ...manage.config, schema: moveSchema, invalid: roundPage },
    async (request, reply, data) => {
      const { id, stopId } = request.params
      await rounds.moveStop(staffUser(request), id, stopId, data.direction, auditContext(request))
      return seeOther(reply, `/staff/home-library/rounds/${id}#stop-${stopId}`)
    },
  )

  app.get<Params>('/staff/home-library/rounds/:id/sheet', view, async (request, reply) => {
    const copy =
      first((request.query as Record<string, unknown>).copy) === 'deliverer' ? 'deliverer' : 'office'
    const sheet = await rounds.sheet(staffUser(request), request.params.id, copy, auditContext(request))
    return reply.render('home-library/views/round-sheet.njk', {
      ...sheet,
      stops: sheetStops(request.t, sheet.stops),
      copy,
    })
  })
}
