import type { FastifyInstance, FastifyRequest } from 'fastify'
import { can } from '#platform/access.ts'
import { dateInputItems, linkToDay } from '#platform/date-input.ts'
import { type FormFailure, postForm } from '#platform/forms.ts'
import { auditContext, seeOther, staffUser } from '#platform/http.ts'
import { isUuid } from '#platform/ids.ts'
import type { DirectoryService } from '../directory/index.ts'
import { formatReference } from '../referrals/index.ts'
import { period, periodItems } from './figures.period.ts'
import { figureLines, figuresCsv, peopleHelped } from './figures.ts'
import { WEEKDAYS } from './recurrence.ts'
import { when } from './session.labels.ts'
import { bookingSchema, markSchema, moveSchema, SESSION_DATES, sessionSchema } from './session.schemas.ts'
import type { SessionService } from './session.service.ts'
import { ATTENDANCE, needsCarer, SESSION_KINDS } from './session.ts'
import type { SkillsService } from './skills.service.ts'

type IdParams = { Params: { id: string } }
const V = 'sessions/views/staff'

/** Staff pages: the list, a new session or series, a date's bookings and register, booking on someone's behalf. */
export function sessionsStaffRoutes(
  app: FastifyInstance,
  sessions: SessionService,
  skills: Pick<SkillsService, 'figures'>,
  directory: Pick<DirectoryService, 'listLibraries'>,
) {
  const view = { config: { access: 'sessions.view' as const } }

  async function choices() {
    const [boroughs, libraries] = await Promise.all([sessions.boroughs(), directory.listLibraries()])
    return { boroughs, libraries, kinds: SESSION_KINDS, weekdays: WEEKDAYS }
  }

  app.get('/staff/sessions', view, async (request, reply) => {
    const [rows, { libraries }] = await Promise.all([sessions.staffList(staffUser(request)), choices()])
    const names = new Map(libraries.map((l) => [l.id, l.name]))
    const need = (request.query as { need?: string }).need
    return reply.render(`${V}/list.njk`, {
      need: isUuid(need) ? need : '',
      sessions: rows.map((r) => ({ ...r, place: r.location_id ? (names.get(r.location_id) ?? '') : '' })),
    })
  })

  async function figures(request: FastifyRequest) {
    const p = period(request.query as Record<string, string | undefined>)
    const [{ held, attendees }, learning, { boroughs, libraries }] = await Promise.all([
      sessions.figures(staffUser(request), p.start, p.end),
      skills.figures(staffUser(request), p.start, p.end),
      choices(),
    ])
    const placeNames = new Map(libraries.map((l) => [l.id, l.name]))
    const boroughNames = new Map(boroughs.map((b) => [b.id, b.short_name]))
    const lines = figureLines(held, {
      place: (id) => (id ? (placeNames.get(id) ?? '') : request.t('sessions.figures.noPlace')),
      borough: (id) => boroughNames.get(id) ?? '',
      kind: (kind) => request.t(`sessions.kinds.${kind}`),
    })
    const learners = learning
      .map((l) => ({ ...l, borough: boroughNames.get(l.boroughId) ?? '' }))
      .sort((a, b) => a.borough.localeCompare(b.borough))
    return { ...p, lines, people: peopleHelped(attendees), learners }
  }

  app.get('/staff/sessions/figures', view, async (request, reply) => {
    const f = await figures(request)
    const total = (k: 'held' | 'offered' | 'taken' | 'attended' | 'noShows') =>
      f.lines.reduce((n, l) => n + l[k], 0)
    const query = request.query as Record<string, string | undefined>
    // A month that is not one: said in the summary, linked to its month field; the default period shown.
    const errors = f.invalid.map((m) => ({ text: request.t('sessions.errors.month'), href: `#${m}-month` }))
    const fieldErrors = Object.fromEntries(
      f.invalid.map((m) => [m, { text: request.t('sessions.errors.month') }]),
    )
    return reply.render(
      `${V}/figures.njk`,
      {
        ...f,
        errors,
        fieldErrors,
        months: periodItems(query, f),
        totals: {
          held: total('held'),
          offered: total('offered'),
          taken: total('taken'),
          attended: total('attended'),
          noShows: total('noShows'),
        },
      },
      errors.length ? 400 : 200,
    )
  })

  app.get('/staff/sessions/figures.csv', view, async (request, reply) => {
    const f = await figures(request)
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="sessions-${f.from}-to-${f.to}.csv"`)
      .send(figuresCsv(f.lines, { from: f.from, to: f.to, learners: f.learners }))
  })

  /** The new session page: its dates as GOV.UK date inputs, what was typed kept, errors on the day field. */
  async function newPage(failure?: FormFailure) {
    const values = failure?.values ?? { days: [] }
    const dates = Object.fromEntries(
      SESSION_DATES.map((d) => [d, dateInputItems(values, d, Boolean(failure?.fieldErrors[d]))]),
    )
    const errors = failure ? linkToDay(failure.errors, SESSION_DATES) : undefined
    return { ...(await choices()), ...failure, errors, values, dates }
  }

  app.get('/staff/sessions/new', { config: { access: 'sessions.manage' } }, async (_request, reply) =>
    reply.render(`${V}/new.njk`, await newPage()),
  )

  postForm(
    app,
    '/staff/sessions/new',
    {
      access: 'sessions.manage',
      schema: sessionSchema,
      lists: ['days'],
      invalid: async (_request, reply, failure) => reply.render(`${V}/new.njk`, await newPage(failure), 400),
    },
    async (request, reply, v) => {
      const id = await sessions.createSession(
        staffUser(request),
        {
          boroughId: v.boroughId,
          kind: v.kind,
          title: v.title,
          description: v.description,
          venue: v.venue,
          locationId: v.locationId || null,
          serviceCode: v.serviceCode || null,
          onlineLink: v.onlineLink || null,
          language: v.language,
          whatToBring: v.whatToBring || null,
          capacity: v.capacity,
          facilitators: [staffUser(request).id],
          rule: {
            start: v.start,
            startTime: v.startTime,
            endTime: v.endTime,
            // No days ticked: a one-off on the start date's weekday.
            byDay: v.days.length ? v.days : [WEEKDAYS[new Date(`${v.start}T12:00:00Z`).getUTCDay()] ?? 'MO'],
            ...(v.until ? { until: v.until } : { count: 1 }),
            exdates: [v.skip1, v.skip2, v.skip3].filter(Boolean),
          },
        },
        auditContext(request),
      )
      return seeOther(reply, `/staff/sessions/${id}`)
    },
  )

  app.get<IdParams>('/staff/sessions/:id', view, async (request, reply) => {
    const { session, occurrences } = await sessions.staffSession(staffUser(request), request.params.id)
    const query = request.query as { need?: string; changed?: string }
    return reply.render(`${V}/session.njk`, {
      need: isUuid(query.need) ? query.need : '',
      changed: query.changed,
      canManage: can(staffUser(request), 'sessions.manage'),
      session,
      occurrences: occurrences.map((o) => ({ ...o, when: when(o.starts_at, o.ends_at) })),
    })
  })

  async function registerPage(request: FastifyRequest<IdParams>) {
    const { occurrence, bookings } = await sessions.register(
      staffUser(request),
      request.params.id,
      auditContext(request),
    )
    return {
      occurrence,
      when: when(occurrence.starts_at, occurrence.ends_at),
      booked: bookings
        .filter((b) => b.status !== 'waiting')
        .map((b) => ({ ...b, reference: formatReference(b.reference) })),
      waiting: bookings
        .filter((b) => b.status === 'waiting')
        .map((b) => ({ ...b, reference: formatReference(b.reference) })),
      attendance: ATTENDANCE,
    }
  }

  app.get<IdParams>('/staff/sessions/dates/:id', view, async (request, reply) => {
    const query = request.query as { marked?: string; need?: string; changed?: string }
    return reply.render(`${V}/date.njk`, {
      ...(await registerPage(request)),
      marked: query.marked,
      changed: query.changed,
      canManage: can(staffUser(request), 'sessions.manage'),
      // From a referral's case page: the booking form carries the request it answers.
      need: isUuid(query.need) ? query.need : '',
    })
  })

  postForm<typeof markSchema, IdParams>(
    app,
    '/staff/sessions/dates/:id/register',
    {
      access: 'sessions.register',
      schema: markSchema,
      invalid: async (request, reply, failure) =>
        reply.render(`${V}/date.njk`, { ...(await registerPage(request)), ...failure }, 400),
    },
    async (request, reply, data) => {
      await sessions.mark(
        staffUser(request),
        { occurrenceId: request.params.id, ...data },
        auditContext(request),
      )
      return seeOther(reply, `/staff/sessions/dates/${request.params.id}?marked=1`)
    },
  )

  postForm<typeof moveSchema, IdParams>(
    app,
    '/staff/sessions/dates/:id/waiting-list',
    {
      access: 'sessions.manage',
      schema: moveSchema,
      invalid: async (request, reply, failure) =>
        reply.render(`${V}/date.njk`, { ...(await registerPage(request)), ...failure }, 400),
    },
    async (request, reply, data) => {
      await sessions.moveOnList(
        staffUser(request),
        { occurrenceId: request.params.id, ...data },
        auditContext(request),
      )
      return seeOther(reply, `/staff/sessions/dates/${request.params.id}`)
    },
  )

  async function bookPage(request: FastifyRequest<IdParams>) {
    const { occurrence } = await sessions.register(
      staffUser(request),
      request.params.id,
      auditContext(request),
    )
    const need = (request.query as { need?: string }).need
    const fromCase = isUuid(need) ? await sessions.requestToBook(staffUser(request), need) : undefined
    return {
      occurrence,
      when: when(occurrence.starts_at, occurrence.ends_at),
      carer: needsCarer(occurrence.kind),
      needId: fromCase?.needId ?? '',
      fromCase,
    }
  }

  app.get<IdParams>(
    '/staff/sessions/dates/:id/book',
    { config: { access: 'sessions.book' } },
    async (request, reply) => {
      const page = await bookPage(request)
      // From a case page: the name given on the referral, to check with them.
      return reply.render(`${V}/book.njk`, { ...page, values: { name: page.fromCase?.residentName ?? '' } })
    },
  )

  postForm<typeof bookingSchema, IdParams>(
    app,
    '/staff/sessions/dates/:id/book',
    {
      access: 'sessions.book',
      schema: bookingSchema,
      invalid: async (request, reply, failure) => {
        const page = await bookPage(request)
        const needId = (failure.values as { needId?: string }).needId
        const fromCase = isUuid(needId) ? await sessions.requestToBook(staffUser(request), needId) : undefined
        return reply.render(
          `${V}/book.njk`,
          { ...page, needId: fromCase?.needId ?? '', fromCase, ...failure },
          400,
        )
      },
    },
    async (request, reply, data) => {
      const needId = (request.body as { needId?: string }).needId
      await sessions.bookOnBehalf(
        staffUser(request),
        { ...data, occurrenceId: request.params.id, personId: null, needId: isUuid(needId) ? needId : null },
        auditContext(request),
      )
      return seeOther(reply, `/staff/sessions/dates/${request.params.id}`)
    },
  )
}
