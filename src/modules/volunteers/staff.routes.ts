import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { can } from '#platform/access.ts'
import { dateInputValues } from '#platform/date-input.ts'
import { type FormFailure, postForm } from '#platform/forms.ts'
import { auditContext, seeOther, staffUser } from '#platform/http.ts'
import type { TrainingService } from './training.service.ts'
import type { VolunteerService } from './volunteer.service.ts'
import { DBS_LEVELS, LEFT_REASONS } from './volunteer.ts'
import { checkSchema, linkSchema, moveSchema, trainingSchema, withDayLinks } from './volunteers.schemas.ts'

type Params = { Params: { id: string } }
const NO_FAILURE = { errors: [], fieldErrors: {}, values: {} }
const V = 'volunteers/views'

/** The coordinator's pages: the board per borough, a volunteer's record and steps, and their checks. */
export function staffRoutes(app: FastifyInstance, volunteers: VolunteerService, training: TrainingService) {
  const view = { config: { access: 'volunteers.view' as const } }
  const manage = { access: 'volunteers.manage' as const }
  const checks = { access: 'volunteers.checks' as const }

  app.get('/staff/volunteers', view, async (request, reply) => {
    const boards = await volunteers.board(staffUser(request))
    return reply.render(`${V}/board.njk`, { boards })
  })

  async function volunteerPage(
    request: FastifyRequest<Params>,
    reply: FastifyReply,
    failure: FormFailure = NO_FAILURE,
  ) {
    const user = staffUser(request)
    const record = await volunteers.get(user, request.params.id, auditContext(request))
    const [done, courses] = await Promise.all([
      training.training(user, record.volunteer.id),
      training.courses(user),
    ])
    return reply.render(
      `${V}/volunteer.njk`,
      {
        ...withDayLinks(failure),
        ...record,
        training: done,
        courses,
        leftReasons: LEFT_REASONS,
        canManage: can(user, 'volunteers.manage'),
        canSeeChecks: can(user, 'volunteers.checks'),
      },
      reply.statusCode,
    )
  }
  app.get<Params>('/staff/volunteers/:id', view, (request, reply) => volunteerPage(request, reply))
  postForm<typeof moveSchema, Params>(
    app,
    '/staff/volunteers/:id/move',
    { ...manage, schema: moveSchema, invalid: volunteerPage },
    async (request, reply, data) => {
      await volunteers.move(staffUser(request), request.params.id, data, auditContext(request))
      return seeOther(reply, `/staff/volunteers/${request.params.id}`)
    },
  )
  postForm<typeof trainingSchema, Params>(
    app,
    '/staff/volunteers/:id/training',
    { ...manage, schema: trainingSchema, invalid: volunteerPage },
    async (request, reply, data) => {
      await training.recordTraining(staffUser(request), request.params.id, data, auditContext(request))
      return seeOther(reply, `/staff/volunteers/${request.params.id}#training`)
    },
  )
  postForm<typeof linkSchema, Params>(
    app,
    '/staff/volunteers/:id/account',
    { ...manage, schema: linkSchema, invalid: volunteerPage },
    async (request, reply, data) => {
      await volunteers.linkAccount(staffUser(request), request.params.id, data.account, auditContext(request))
      return seeOther(reply, `/staff/volunteers/${request.params.id}`)
    },
  )

  async function checksPage(
    request: FastifyRequest<Params>,
    reply: FastifyReply,
    failure: FormFailure = NO_FAILURE,
  ) {
    const found = await volunteers.checks(staffUser(request), request.params.id, auditContext(request))
    const c = found.check
    const saved = c
      ? {
          level: c.dbs_level,
          barredList: c.has_barred_list ? 'yes' : 'no',
          certificate: c.certificate_number,
          ...dateInputValues('issuedOn', c.issued_on),
          updateService: c.is_on_update_service ? 'yes' : 'no',
          ...dateInputValues('statusCheckedOn', c.status_checked_on),
          ...dateInputValues('renewsOn', c.renews_on),
          referencesReceived: String(c.references_received),
        }
      : {}
    return reply.render(
      `${V}/checks.njk`,
      {
        ...withDayLinks(failure),
        ...found,
        levels: DBS_LEVELS,
        values: failure.errors.length ? failure.values : saved,
      },
      reply.statusCode,
    )
  }
  app.get<Params>('/staff/volunteers/:id/checks', { config: checks }, (request, reply) =>
    checksPage(request, reply),
  )
  postForm<typeof checkSchema, Params>(
    app,
    '/staff/volunteers/:id/checks',
    { ...checks, schema: checkSchema, invalid: checksPage },
    async (request, reply, data) => {
      await volunteers.saveChecks(staffUser(request), request.params.id, data, auditContext(request))
      return seeOther(reply, `/staff/volunteers/${request.params.id}/checks`)
    },
  )
}
