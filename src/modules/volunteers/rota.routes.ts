import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { can } from '#platform/access.ts'
import { type FormFailure, NO_ANSWERS, postForm, translateMessage } from '#platform/forms.ts'
import { auditContext, seeOther, staffUser } from '#platform/http.ts'
import { londonWallClock } from '#platform/london.ts'
import type { HoursService } from './hours.service.ts'
import type { RotaService } from './rota.service.ts'
import { CHECK_NEEDS } from './rota.ts'
import type { TrainingService } from './training.service.ts'
import type { VolunteerService } from './volunteer.service.ts'
import { DAY_PARTS, DAYS, LEFT_REASONS } from './volunteer.ts'
import {
  assignSchema,
  attendedSchema,
  courseSchema,
  leaveSchema,
  ownDetailsSchema,
  ownHoursSchema,
  roundShiftsSchema,
  sessionShiftsSchema,
  shiftSchema,
  withDayLinks,
} from './volunteers.schemas.ts'

type Params = { Params: { id: string } }
const NO_FAILURE = { errors: [], fieldErrors: {}, values: {} }
const V = 'volunteers/views'

/** London date and times of a shift, for people to read. */
export function when(shift: { starts_at: string; ends_at: string }) {
  const start = londonWallClock(new Date(shift.starts_at))
  return { date: start.date, start: start.time, end: londonWallClock(new Date(shift.ends_at)).time }
}

/** The rota: coming shifts, new ones by hand or from a session, a shift and who could go; courses. */
export function rotaRoutes(
  app: FastifyInstance,
  services: {
    rota: RotaService
    training: TrainingService
    hours: HoursService
    volunteers: VolunteerService
  },
  boroughs: () => Promise<{ id: string; short_name: string }[]>,
) {
  const { rota, training, hours, volunteers } = services
  const view = { config: { access: 'volunteers.view' as const } }
  const manage = { access: 'volunteers.manage' as const }

  app.get('/staff/volunteers/rota', view, async (request, reply) => {
    const user = staffUser(request)
    const shifts = await rota.rota(user)
    return reply.render(`${V}/rota.njk`, {
      shifts: shifts.map((s) => ({ ...s, when: when(s) })),
      canManage: can(user, 'volunteers.manage'),
    })
  })

  async function newPage(request: FastifyRequest, reply: FastifyReply, failure: FormFailure = NO_FAILURE) {
    const user = staffUser(request)
    const [all, courses, sessions, rounds] = await Promise.all([
      boroughs(),
      training.courses(user),
      rota.sessions(user),
      rota.rounds(user),
    ])
    return reply.render(
      `${V}/shift-new.njk`,
      {
        ...withDayLinks(failure),
        boroughs: all.filter((b) => user.boroughs === 'all' || user.boroughs.includes(b.id)),
        courses,
        sessions,
        rounds,
        checkNeeds: CHECK_NEEDS,
      },
      reply.statusCode,
    )
  }
  app.get('/staff/volunteers/rota/new', { config: manage }, (request, reply) => newPage(request, reply))
  postForm(
    app,
    '/staff/volunteers/rota',
    { ...manage, schema: shiftSchema, lists: ['courses'], invalid: newPage },
    async (request, reply, data) => {
      const id = await rota.createShift(staffUser(request), data, auditContext(request))
      return seeOther(reply, `/staff/volunteers/rota/${id}`)
    },
  )
  postForm(
    app,
    '/staff/volunteers/rota/from-session',
    {
      ...manage,
      schema: sessionShiftsSchema,
      lists: ['courses'],
      fieldPrefix: () => 'session',
      invalid: newPage,
    },
    async (request, reply, data) => {
      await rota.shiftsFromSession(staffUser(request), data, auditContext(request))
      return seeOther(reply, '/staff/volunteers/rota')
    },
  )

  postForm(
    app,
    '/staff/volunteers/rota/from-round',
    {
      ...manage,
      schema: roundShiftsSchema,
      lists: ['courses'],
      fieldPrefix: () => 'round',
      invalid: newPage,
    },
    async (request, reply, data) => {
      await rota.shiftsFromRound(staffUser(request), data, auditContext(request))
      return seeOther(reply, '/staff/volunteers/rota')
    },
  )

  async function shiftPage(
    request: FastifyRequest<Params>,
    reply: FastifyReply,
    failure: FormFailure = NO_FAILURE,
  ) {
    const user = staffUser(request)
    const { shift, on, candidates, courseName } = await rota.shift(user, request.params.id)
    return reply.render(
      `${V}/shift.njk`,
      {
        ...failure,
        shift,
        when: when(shift),
        on,
        candidates: candidates.map((c) => ({
          ...c,
          refused: c.refused && translateMessage(request.t, c.refused),
        })),
        courses: shift.courses_json.map(courseName),
        started: shift.starts_at <= new Date().toISOString(),
        canManage: can(user, 'volunteers.manage'),
      },
      reply.statusCode,
    )
  }
  app.get<Params>('/staff/volunteers/rota/:id', view, (request, reply) => shiftPage(request, reply))
  postForm<typeof assignSchema, Params>(
    app,
    '/staff/volunteers/rota/:id/assign',
    { ...manage, schema: assignSchema, refusedField: 'volunteer', invalid: shiftPage },
    async (request, reply, data) => {
      await rota.assign(staffUser(request), request.params.id, data.volunteer, auditContext(request))
      return seeOther(reply, `/staff/volunteers/rota/${request.params.id}`)
    },
  )

  postForm<typeof attendedSchema, Params>(
    app,
    '/staff/volunteers/rota/:id/attended',
    { ...manage, schema: attendedSchema, invalid: shiftPage },
    async (request, reply, data) => {
      await hours.attended(staffUser(request), request.params.id, data.assignment, auditContext(request))
      return seeOther(reply, `/staff/volunteers/rota/${request.params.id}`)
    },
  )

  async function coursesPage(
    request: FastifyRequest,
    reply: FastifyReply,
    failure: FormFailure = NO_FAILURE,
  ) {
    const user = staffUser(request)
    return reply.render(
      `${V}/courses.njk`,
      { ...failure, courses: await training.courses(user), canManage: can(user, 'volunteers.manage') },
      reply.statusCode,
    )
  }
  app.get('/staff/volunteers/courses', view, (request, reply) => coursesPage(request, reply))
  postForm(
    app,
    '/staff/volunteers/courses',
    { ...manage, schema: courseSchema, invalid: coursesPage },
    async (request, reply, data) => {
      await training.addCourse(staffUser(request), data, auditContext(request))
      return seeOther(reply, '/staff/volunteers/courses')
    },
  )

  // A volunteer's own page: it works on a phone (one column, a button per shift).
  async function minePage(request: FastifyRequest, reply: FastifyReply, failure: FormFailure = NO_FAILURE) {
    const user = staffUser(request)
    const [mine, given] = await Promise.all([rota.mine(user), hours.mine(user)])
    if (!mine) return reply.render(`${V}/mine.njk`, { ...failure, volunteer: null }, reply.statusCode)
    return reply.render(
      `${V}/mine.njk`,
      {
        ...withDayLinks(failure),
        ...mine,
        hours: given,
        days: DAYS,
        dayParts: DAY_PARTS,
        leftReasons: LEFT_REASONS,
        details:
          failure.values.form === 'details'
            ? failure.values
            : {
                email: mine.volunteer.email,
                phone: mine.volunteer.phone,
                slots: mine.volunteer.availability_json,
              },
        today: new Date().toISOString().slice(0, 10),
        mine: mine.mine.map((s) => ({ ...s, when: when(s) })),
        open: mine.open.map((s) => ({
          ...s,
          when: when(s),
          refused: s.refused && translateMessage(request.t, s.refused),
        })),
      },
      reply.statusCode,
    )
  }
  app.get('/staff/volunteering', { config: { access: 'volunteers.own' } }, (request, reply) =>
    minePage(request, reply),
  )
  postForm(
    app,
    '/staff/volunteering/hours',
    { access: 'volunteers.own', schema: ownHoursSchema, fieldPrefix: () => 'hours', invalid: minePage },
    async (request, reply, data) => {
      await hours.addOwn(staffUser(request), data, auditContext(request))
      return seeOther(reply, '/staff/volunteering#hours')
    },
  )
  postForm(
    app,
    '/staff/volunteering/details',
    {
      access: 'volunteers.own',
      schema: ownDetailsSchema,
      lists: ['slots'],
      fieldPrefix: () => 'details',
      invalid: minePage,
    },
    async (request, reply, data) => {
      await volunteers.updateOwn(staffUser(request), data, auditContext(request))
      return seeOther(reply, '/staff/volunteering#details')
    },
  )
  postForm(
    app,
    '/staff/volunteering/leave',
    { access: 'volunteers.own', schema: leaveSchema, fieldPrefix: () => 'leave', invalid: minePage },
    async (request, reply, data) => {
      await volunteers.leave(staffUser(request), data.reason, auditContext(request))
      return seeOther(reply, '/staff/volunteering')
    },
  )
  postForm<typeof NO_ANSWERS, Params>(
    app,
    '/staff/volunteering/shifts/:id/claim',
    { access: 'volunteers.own', schema: NO_ANSWERS, refusedField: 'shift', invalid: minePage },
    async (request, reply) => {
      await rota.claim(staffUser(request), request.params.id, auditContext(request))
      return seeOther(reply, '/staff/volunteering#mine')
    },
  )
}
