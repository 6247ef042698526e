import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import { can } from '#platform/access.ts'
import { dateInputValues } from '#platform/date-input.ts'
import { type FormFailure, postForm } from '#platform/forms.ts'
import { auditContext, seeOther, staffUser } from '#platform/http.ts'
import type { ActionService } from './action.service.ts'
import { ACTION_STATUSES, ATTENDANCES } from './action.ts'
import type { MeetingService } from './meeting.service.ts'
import { choices, withDayLinks } from './partner.routes.ts'
import {
  actionSchema,
  actionUpdateSchema,
  attendeeSchema,
  decisionSchema,
  emptySchema,
  meetingSchema,
  minutesSchema,
  myActionUpdateSchema,
} from './partnership.schemas.ts'

type Params = { Params: { id: string } }
const NO_FAILURE: FormFailure = { errors: [], fieldErrors: {}, values: {} }
const P = '/staff/partnership'

/** Meetings and their minutes, decisions and actions; each person's own actions (open ones: open-actions.routes.ts). */
export function meetingRoutes(app: FastifyInstance, meetings: MeetingService, actions: ActionService) {
  const view = { config: { access: 'partnership.view' as const } }
  const manage = { access: 'partnership.manage' as const }

  async function listPage(request: FastifyRequest, reply: FastifyReply, failure = NO_FAILURE) {
    const user = staffUser(request)
    return reply.render(
      'partnership/views/meetings.njk',
      {
        ...withDayLinks(failure),
        meetings: await meetings.listMeetings(user),
        canManage: can(user, 'partnership.manage'),
      },
      reply.statusCode,
    )
  }
  app.get(`${P}/meetings`, view, (request, reply) => listPage(request, reply))
  postForm(
    app,
    `${P}/meetings`,
    { ...manage, schema: meetingSchema, invalid: listPage },
    async (request, reply, data) => {
      const id = await meetings.createMeeting(staffUser(request), data, auditContext(request))
      return seeOther(reply, `${P}/meetings/${id}`)
    },
  )

  async function meetingPage(request: FastifyRequest<Params>, reply: FastifyReply, failure = NO_FAILURE) {
    const user = staffUser(request)
    const shown = await meetings.getMeeting(user, request.params.id)
    const canManage = can(user, 'partnership.manage') && !shown.meeting.minutes_closed_at
    return reply.render(
      'partnership/views/meeting.njk',
      {
        ...withDayLinks(failure),
        // The minutes' form starts from the stored next meeting, unless it is the form sent back.
        values: { ...dateInputValues('nextMeetingOn', shown.meeting.next_meeting_on), ...failure.values },
        ...shown,
        canManage,
        people: canManage ? await meetings.people(user) : [],
        attendances: choices(request.t, 'partnership.attendance', ATTENDANCES),
      },
      reply.statusCode,
    )
  }
  app.get<Params>(`${P}/meetings/:id`, view, (request, reply) => meetingPage(request, reply))

  /** The meeting page's forms: each posts, and comes back to its part of the page. */
  function meetingForm<S extends z.ZodType>(
    path: string,
    schema: S,
    anchor: string,
    act: (request: FastifyRequest<Params>, data: z.infer<S>) => Promise<unknown>,
    lists?: readonly string[],
  ) {
    postForm<S, Params>(
      app,
      `${P}/meetings/:id/${path}`,
      { ...manage, schema, lists, invalid: meetingPage },
      async (request, reply, data) => {
        await act(request, data)
        return seeOther(reply, `${P}/meetings/${request.params.id}#${anchor}`)
      },
    )
  }
  meetingForm('attendees', attendeeSchema, 'attendees', (r, data) =>
    meetings.addAttendee(staffUser(r), r.params.id, data, auditContext(r)),
  )
  meetingForm('decisions', decisionSchema, 'decisions', (r, data) =>
    meetings.addDecision(staffUser(r), r.params.id, data.decision, auditContext(r)),
  )
  meetingForm(
    'actions',
    actionSchema,
    'actions',
    (r, data) => actions.addAction(staffUser(r), r.params.id, data, auditContext(r)),
    ['owners'],
  )
  // The minutes' part of the page is `minutes-section`: `minutes` is its text field, which errors link to.
  meetingForm('minutes', minutesSchema, 'minutes-section', (r, data) =>
    meetings.saveMinutes(staffUser(r), r.params.id, data, auditContext(r)),
  )
  meetingForm('close', emptySchema, 'minutes-section', (r) =>
    meetings.closeMinutes(staffUser(r), r.params.id, auditContext(r)),
  )

  async function actionPage(request: FastifyRequest<Params>, reply: FastifyReply, failure = NO_FAILURE) {
    const shown = await actions.getAction(staffUser(request), request.params.id)
    return reply.render(
      'partnership/views/action.njk',
      { ...failure, ...shown, statuses: choices(request.t, 'partnership.actionStatuses', ACTION_STATUSES) },
      reply.statusCode,
    )
  }
  app.get<Params>(`${P}/actions/:id`, view, (request, reply) => actionPage(request, reply))
  postForm<typeof actionUpdateSchema, Params>(
    app,
    `${P}/actions/:id/updates`,
    { access: 'partnership.view', schema: actionUpdateSchema, invalid: actionPage },
    async (request, reply, data) => {
      await actions.updateAction(staffUser(request), request.params.id, data, auditContext(request))
      return seeOther(reply, `${P}/actions/${request.params.id}`)
    },
  )

  // Anyone signed in may own an action: their own list, updated from the list itself.
  async function myActionsPage(request: FastifyRequest, reply: FastifyReply, failure = NO_FAILURE) {
    return reply.render(
      'partnership/views/my-actions.njk',
      {
        ...failure,
        ...(await actions.myActions(staffUser(request))),
        statuses: choices(request.t, 'partnership.actionStatuses', ACTION_STATUSES),
      },
      reply.statusCode,
    )
  }
  app.get(`${P}/my-actions`, { config: { access: 'signed-in' } }, (request, reply) =>
    myActionsPage(request, reply),
  )
  postForm(
    app,
    `${P}/my-actions`,
    { access: 'signed-in', schema: myActionUpdateSchema, invalid: myActionsPage },
    async (request, reply, { action, ...update }) => {
      await actions.updateAction(staffUser(request), action, update, auditContext(request))
      return seeOther(reply, `${P}/my-actions`)
    },
  )
}
