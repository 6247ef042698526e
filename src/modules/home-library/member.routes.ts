import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { can } from '#platform/access.ts'
import { dateInputValues, linkToDay } from '#platform/date-input.ts'
import { type FormFailure, postForm } from '#platform/forms.ts'
import { auditContext, seeOther, staffUser } from '#platform/http.ts'
import { londonToday } from '#platform/london.ts'
import { choices, first } from './choices.ts'
import {
  DATE_FIELDS,
  deviceHelpSchema,
  extraVisitSchema,
  memberSchema,
  newMemberSchema,
  statusSchema,
} from './home-library.schemas.ts'
import type { MemberTable } from './member.repository.ts'
import type { MemberService } from './member.service.ts'
import {
  BASES,
  COMMUNICATION_NEEDS,
  DAY_PARTS,
  FORMATS,
  FREQUENCIES,
  LEFT_REASONS,
  STATUSES,
  WEEKDAYS,
} from './member.ts'
import type { RoundService } from './round.service.ts'
import type { VisitService } from './visit.service.ts'

type Params = { Params: { id: string } }
const NO_FAILURE = { errors: [], fieldErrors: {}, values: {} }

/** A form sent back: an error on a date links to its day field. */
function withDayLinks(failure: FormFailure): FormFailure {
  return { ...failure, errors: linkToDay(failure.errors, DATE_FIELDS) }
}
/** The member form's checkbox groups: kept as lists when the form comes back. */
const MEMBER_LISTS = ['formats', 'communication']

/** The words of every choice the member form offers. */
export function memberChoices(request: FastifyRequest) {
  const t = request.t
  return {
    bases: choices(t, 'homeLibrary.basis', BASES),
    weekdays: choices(t, 'homeLibrary.weekday', WEEKDAYS),
    dayParts: choices(t, 'homeLibrary.dayPart', DAY_PARTS),
    frequencies: choices(t, 'homeLibrary.frequency', FREQUENCIES),
    formats: choices(t, 'homeLibrary.format', FORMATS),
    communication: choices(t, 'homeLibrary.communication', COMMUNICATION_NEEDS),
    statuses: choices(t, 'homeLibrary.status', STATUSES),
    leftReasons: choices(t, 'homeLibrary.leftReason', LEFT_REASONS),
  }
}

/** A member's record as the form's answers. */
function formValues(m: MemberTable) {
  return {
    basis: m.basis,
    evidence: m.evidence,
    ...dateInputValues('reviewOn', m.review_on),
    deliveryDay: String(m.delivery_day),
    dayPart: m.day_part,
    frequency: m.frequency,
    ...dateInputValues('startsOn', m.starts_on),
    maxItems: String(m.max_items),
    formats: m.formats_json,
    likes: m.likes,
    dislikes: m.dislikes,
    accessNotes: m.access_notes,
    emergencyContact: m.emergency_contact,
    communication: m.communication_json,
    digitalSupport: m.is_digital_support_wanted ? 'yes' : 'no',
  }
}

/** Members: the list, adding one, a referral's request joining, the record, its changes. */
export function memberRoutes(
  app: FastifyInstance,
  s: { members: MemberService; rounds: RoundService; visits: VisitService },
  reminderDays: number,
) {
  const view = { config: { access: 'home-library.view' as const } }
  const manage = { config: { access: 'home-library.manage' as const } }
  const { members } = s

  app.get('/staff/home-library', view, async (request, reply) => {
    const user = staffUser(request)
    const status = first((request.query as Record<string, unknown>).status)
    const chosen = (STATUSES as readonly string[]).includes(status)
      ? (status as MemberTable['status'])
      : undefined
    const [list, requests, reviews, boroughs] = await Promise.all([
      members.list(user, chosen),
      members.requests(user),
      members.reviewsDue(user, reminderDays),
      members.boroughs(user),
    ])
    return reply.render('home-library/views/members.njk', {
      members: list,
      requests,
      reviews,
      status: chosen ?? '',
      today: londonToday(),
      boroughNames: Object.fromEntries(boroughs.map((b) => [b.id, b.short_name])),
      canManage: can(user, 'home-library.manage'),
      canFigures: can(user, 'home-library.figures'),
      ...memberChoices(request),
    })
  })

  async function newPage(request: FastifyRequest, reply: FastifyReply, failure: FormFailure = NO_FAILURE) {
    const boroughs = await members.boroughs(staffUser(request))
    return reply.render(
      'home-library/views/member-new.njk',
      {
        ...withDayLinks(failure),
        values: { maxItems: '4', ...failure.values },
        boroughs: boroughs.map((b) => ({ value: b.id, text: b.short_name })),
        showAccess: true,
        ...memberChoices(request),
      },
      reply.statusCode,
    )
  }
  app.get('/staff/home-library/members/new', manage, (request, reply) => newPage(request, reply))
  postForm(
    app,
    '/staff/home-library/members',
    { ...manage.config, schema: newMemberSchema, lists: MEMBER_LISTS, invalid: newPage },
    async (request, reply, data) => {
      const id = await members.add(staffUser(request), data, auditContext(request))
      return seeOther(reply, `/staff/home-library/members/${id}?added=1`)
    },
  )

  async function joinPage(
    request: FastifyRequest<Params>,
    reply: FastifyReply,
    failure: FormFailure = NO_FAILURE,
  ) {
    const joining = await members.request(staffUser(request), request.params.id)
    return reply.render(
      'home-library/views/member-join.njk',
      {
        ...withDayLinks(failure),
        values: { basis: joining.basis, likes: joining.interests, maxItems: '4', ...failure.values },
        joining,
        showAccess: true,
        ...memberChoices(request),
      },
      reply.statusCode,
    )
  }
  app.get<Params>('/staff/home-library/requests/:id', manage, (request, reply) => joinPage(request, reply))
  postForm<typeof memberSchema, Params>(
    app,
    '/staff/home-library/requests/:id',
    { ...manage.config, schema: memberSchema, lists: MEMBER_LISTS, invalid: joinPage },
    async (request, reply, data) => {
      const id = await members.join(staffUser(request), request.params.id, data, auditContext(request))
      return seeOther(reply, `/staff/home-library/members/${id}?joined=1`)
    },
  )

  async function memberPage(
    request: FastifyRequest<Params>,
    reply: FastifyReply,
    failure: FormFailure = NO_FAILURE,
  ) {
    const user = staffUser(request)
    const member = await members.get(user, request.params.id, auditContext(request))
    const [history, devices, rounds, visits] = await Promise.all([
      members.history(member.id),
      members.deviceHelp(member.id),
      s.rounds.roundsOf(member.id),
      s.visits.ofMember(member.id),
    ])
    return reply.render(
      'home-library/views/member.njk',
      {
        ...withDayLinks(failure),
        member,
        history,
        devices,
        rounds,
        visits,
        canManage: can(user, 'home-library.manage'),
        canSeeAccess: can(user, 'home-library.access-notes'),
        ...memberChoices(request),
      },
      reply.statusCode,
    )
  }
  app.get<Params>('/staff/home-library/members/:id', view, (request, reply) => memberPage(request, reply))

  app.get<Params>(
    '/staff/home-library/members/:id/access',
    { config: { access: 'home-library.access-notes' } },
    async (request, reply) => {
      const user = staffUser(request)
      const details = await members.accessDetails(user, request.params.id, auditContext(request))
      const member = await members.get(user, request.params.id, auditContext(request))
      return reply.render('home-library/views/member-access.njk', { member, details })
    },
  )

  async function editPage(request: FastifyRequest<Params>, reply: FastifyReply, failure?: FormFailure) {
    const user = staffUser(request)
    const member = await members.forEdit(user, request.params.id, auditContext(request))
    return reply.render(
      'home-library/views/member-edit.njk',
      {
        ...withDayLinks(failure ?? NO_FAILURE),
        values: failure?.values ?? formValues(member),
        member,
        showAccess: can(user, 'home-library.access-notes'),
        ...memberChoices(request),
      },
      reply.statusCode,
    )
  }
  app.get<Params>('/staff/home-library/members/:id/edit', manage, (request, reply) =>
    editPage(request, reply),
  )
  postForm<typeof memberSchema, Params>(
    app,
    '/staff/home-library/members/:id',
    { ...manage.config, schema: memberSchema, lists: MEMBER_LISTS, invalid: editPage },
    async (request, reply, data) => {
      await members.update(staffUser(request), request.params.id, data, auditContext(request))
      return seeOther(reply, `/staff/home-library/members/${request.params.id}?saved=1`)
    },
  )

  postForm<typeof statusSchema, Params>(
    app,
    '/staff/home-library/members/:id/status',
    { ...manage.config, schema: statusSchema, invalid: memberPage },
    async (request, reply, data) => {
      await members.changeStatus(staffUser(request), request.params.id, data, auditContext(request))
      return seeOther(reply, `/staff/home-library/members/${request.params.id}?status=1`)
    },
  )

  postForm<typeof deviceHelpSchema, Params>(
    app,
    '/staff/home-library/members/:id/devices',
    { ...manage.config, schema: deviceHelpSchema, lists: ['items'], invalid: memberPage },
    async (request, reply, data) => {
      await members.recordDeviceHelp(staffUser(request), request.params.id, data, auditContext(request))
      return seeOther(reply, `/staff/home-library/members/${request.params.id}?device=1#devices`)
    },
  )

  postForm<typeof extraVisitSchema, Params>(
    app,
    '/staff/home-library/members/:id/visits',
    { ...manage.config, schema: extraVisitSchema, invalid: memberPage },
    async (request, reply, data) => {
      const id = await s.visits.addVisit(
        staffUser(request),
        request.params.id,
        data.day,
        auditContext(request),
      )
      return seeOther(reply, `/staff/home-library/visits/${id}`)
    },
  )
}
